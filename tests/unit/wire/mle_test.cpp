#include <gtest/gtest.h>

#include <vector>

#include "wire/Mle.h"
#include "wire/ThreadNetData.h"

using namespace meshwork;
using namespace meshwork::wire;

TEST(Mle, SecuredMessageParts) {
    // Suite 0, aux header 0x15 (level 5, key-id mode 2), counter 1 LE, key source = sequence 0
    // (big-endian), key index 1, ciphertext, MIC.
    const std::uint8_t b[] = {0x00, 0x15, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                              0x00, 0x01, 0xaa, 0xbb, 0xcc, 0x11, 0x22, 0x33, 0x44};
    Result<MleMessage> m = MleMessage::parse(ByteSpan(b));
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->security_suite, 0);
    EXPECT_EQ(m->aux.security_level, 5);
    EXPECT_EQ(m->aux.key_id_mode, 2);
    EXPECT_EQ(m->aux.frame_counter, 1u);
    EXPECT_EQ(m->aux.key_index, 1);
    EXPECT_EQ(m->ciphertext.size, 3u);
    EXPECT_EQ(m->mic.size, 4u);
    EXPECT_EQ(m->mic[0], 0x11);
    std::uint8_t out[32];
    ASSERT_EQ(m->emitted_size(), sizeof b);
    ASSERT_TRUE(m->emit(MutableByteSpan(out, sizeof b)).ok());
    EXPECT_TRUE(ByteSpan(out, sizeof b).equals(ByteSpan(b)));
    AuxSecurityHeader a = MleMessage::thread_aux_header(0, 1);
    EXPECT_TRUE(a == m->aux);
    EXPECT_EQ(a.security_control(), 0x15);
    // Shorter than suite + aux header + one byte + MIC is rejected (MLE has no length field).
    for (std::size_t n = 0; n < 1 + 10 + 1 + 4; ++n)
        EXPECT_FALSE(MleMessage::parse(ByteSpan(b, n)).ok()) << n;
}

TEST(Mle, ThreadAuxHeaderKeySequence) {
    AuxSecurityHeader a = MleMessage::thread_aux_header(0x01020384, 7);
    EXPECT_EQ(a.key_source[0], 0x01);
    EXPECT_EQ(a.key_source[3], 0x84);
    EXPECT_EQ(a.key_index, 0x05);  // (0x84 & 0x7f) + 1
}

TEST(Mle, UnsecuredDiscoveryAndTlvs) {
    // Suite 255, Discovery Request, Discovery TLV (26) containing a MeshCoP sub-TLV.
    const std::uint8_t b[] = {0xff, 16, 26, 4, 0x80, 0x02, 0x10, 0x00};
    Result<MleMessage> m = MleMessage::parse(ByteSpan(b));
    ASSERT_TRUE(m.ok());
    Result<MlePlaintext> p = MlePlaintext::parse(m->plaintext);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->command, MleCommand::kDiscoveryRequest);
    EXPECT_STREQ(mle_command_name(p->command), "discovery-request");
    Tlv t;
    ASSERT_TRUE(p->tlvs.find(MleTlvType::kDiscovery, &t));
    EXPECT_EQ(t.value.size, 4u);
}

TEST(Mle, ParentResponseTlvs) {
    std::uint8_t buf[128];
    ByteWriter w{MutableByteSpan(buf)};
    w.u8(MleCommand::kParentResponse);
    TlvWriter tw(w);
    tw.put_u16(MleTlvType::kSourceAddress, 0x0400);
    const std::uint8_t challenge[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    tw.put(MleTlvType::kResponse, ByteSpan(challenge));
    tw.put_u32(MleTlvType::kLinkLayerFrameCounter, 77);
    tw.put_u16(MleTlvType::kVersion, 2);
    MleLeaderData d;
    d.partition_id = 0x11223344;
    d.weighting = 64;
    d.data_version = 3;
    d.stable_data_version = 4;
    d.leader_router_id = 1;
    ASSERT_TRUE(mle_emit(w, d).ok());
    const std::uint8_t conn[] = {0x40, 1, 2, 3, 1, 9, 2};
    tw.put(MleTlvType::kConnectivity, ByteSpan(conn));
    ASSERT_TRUE(w.ok());
    Result<MlePlaintext> p = MlePlaintext::parse(w.written());
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->tlvs.count(), 6u);
    Tlv t;
    ASSERT_TRUE(p->tlvs.find(MleTlvType::kLeaderData, &t));
    Result<MleLeaderData> ld2 = MleLeaderData::parse(t.value);
    ASSERT_TRUE(ld2.ok());
    EXPECT_EQ(ld2->partition_id, 0x11223344u);
    EXPECT_EQ(ld2->leader_router_id, 1);
    EXPECT_EQ(*ld2, d);
    EXPECT_EQ(*mle_find<MleLeaderData>(p->tlvs), d);
    EXPECT_EQ(mle_find<MleRoute64>(p->tlvs).error(), Error::kNotFound);
    // The plaintext emits back to the same bytes.
    std::uint8_t again[128];
    ASSERT_EQ(p->emitted_size(), w.offset());
    ASSERT_TRUE(p->emit(MutableByteSpan(again, p->emitted_size())).ok());
    EXPECT_TRUE(ByteSpan(again, p->emitted_size()).equals(w.written()));
    EXPECT_EQ(p->emit(MutableByteSpan(again, p->emitted_size() - 1)).error(), Error::kNoSpace);
    ASSERT_TRUE(p->tlvs.find(MleTlvType::kConnectivity, &t));
    Result<MleConnectivity> c = MleConnectivity::parse(t.value);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->active_routers, 2);
    EXPECT_FALSE(c->has_sed_info);
    // Every truncation of the TLV area is rejected.
    for (std::size_t n = 1; n < w.offset(); ++n) {
        Result<MlePlaintext> q = MlePlaintext::parse(w.written().subspan(0, n));
        if (q.ok()) {
            EXPECT_LT(q->tlvs.count(), 6u);
        }
    }
    EXPECT_EQ(MlePlaintext::parse(w.written().subspan(0, 2)).error(), Error::kTruncated);
}

TEST(Mle, Route64AndAddressRegistration) {
    // Routers 0 and 10: two route bytes.
    const std::uint8_t r64[] = {5, 0x80, 0x20, 0, 0, 0, 0, 0, 0, 0x11, 0x22};
    Result<MleRoute64> r = MleRoute64::parse(ByteSpan(r64));
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->has_router(0));
    EXPECT_TRUE(r->has_router(10));
    EXPECT_FALSE(r->has_router(1));
    EXPECT_EQ(r->router_count(), 2u);
    EXPECT_EQ(r->route_byte(1), 0x22);
    EXPECT_EQ(MleRoute64::parse(ByteSpan(r64, sizeof r64 - 1)).error(), Error::kMalformed);

    std::vector<std::uint8_t> ar = {0x80, 1, 2, 3, 4, 5, 6, 7, 8, 0x00};
    for (int i = 0; i < 16; ++i)
        ar.push_back(static_cast<std::uint8_t>(0xf0 + i));
    int compressed = 0, full = 0;
    Status s = mle_for_each_address(ByteSpan(ar.data(), ar.size()), [&](const MleAddressEntry &e) {
        if (e.compressed) {
            ++compressed;
            EXPECT_EQ(e.iid[0], 1);
        } else {
            ++full;
            EXPECT_EQ(e.address[15], 0xff);
        }
    });
    EXPECT_TRUE(s.ok());
    EXPECT_EQ(compressed, 1);
    EXPECT_EQ(full, 1);
    EXPECT_EQ(
        mle_for_each_address(ByteSpan(ar.data(), ar.size() - 1), [](const MleAddressEntry &) {})
            .error(),
        Error::kTruncated);
}

namespace {

// Emits `v` as a whole TLV, checks the bytes against `expected` (type, length, value), parses the
// value back to an equal value and refuses a buffer one byte short.
template <typename T>
void expect_tlv_round_trip(const T &v, const std::vector<std::uint8_t> &expected) {
    std::uint8_t buf[300];
    ByteWriter w{MutableByteSpan(buf)};
    ASSERT_TRUE(mle_emit(w, v).ok());
    EXPECT_EQ(mle_emitted_size(v), w.offset());
    ASSERT_EQ(std::vector<std::uint8_t>(buf, buf + w.offset()), expected);
    Result<TlvList> l = TlvList::parse(w.written());
    ASSERT_TRUE(l.ok());
    Result<T> back = mle_find<T>(*l);
    ASSERT_TRUE(back.ok()) << error_name(back.error());
    EXPECT_TRUE(*back == v);
    // Every shorter value is refused, or (lists) parses to a different value.
    for (std::size_t n = 0; n + 2 < w.offset(); ++n) {
        Result<T> shorter = T::parse(w.written().subspan(2, n));
        EXPECT_TRUE(!shorter.ok() || !(*shorter == v)) << n;
    }
    std::uint8_t small[300];
    ByteWriter ws{MutableByteSpan(small, w.offset() - 1)};
    EXPECT_EQ(mle_emit(ws, v).error(), Error::kNoSpace);
}

}  // namespace

TEST(MleTlvs, EveryTypeEmitsAndParses) {
    MleSourceAddress src;
    src.value = 0x0400;
    expect_tlv_round_trip(src, {0, 2, 0x04, 0x00});
    MleMode mode;
    mode.mode = MleMode::kRxOnWhenIdle | MleMode::kFullThreadDevice | MleMode::kFullNetworkData;
    expect_tlv_round_trip(mode, {1, 1, 0x0b});
    MleTimeout timeout;
    timeout.value = 240;
    expect_tlv_round_trip(timeout, {2, 4, 0, 0, 0, 240});
    const std::uint8_t nonce[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    expect_tlv_round_trip(MleChallenge::from(ByteSpan(nonce)), {3, 8, 1, 2, 3, 4, 5, 6, 7, 8});
    expect_tlv_round_trip(MleResponse::from(ByteSpan(nonce, 4)), {4, 4, 1, 2, 3, 4});
    MleLinkLayerFrameCounter llfc;
    llfc.value = 0x01020304;
    expect_tlv_round_trip(llfc, {5, 4, 1, 2, 3, 4});
    MleFrameCounter mfc;
    mfc.value = 77;
    expect_tlv_round_trip(mfc, {8, 4, 0, 0, 0, 77});
    MleRoute64 r64;
    r64.id_sequence = 5;
    r64.set_router(0);
    r64.set_router(10);
    const std::uint8_t routes[2] = {0x11, 0x22};
    r64.route_data = ByteSpan(routes);
    expect_tlv_round_trip(r64, {9, 11, 5, 0x80, 0x20, 0, 0, 0, 0, 0, 0, 0x11, 0x22});
    MleAddress16 a16;
    a16.value = 0x0401;
    expect_tlv_round_trip(a16, {10, 2, 0x04, 0x01});
    MleLeaderData ld;
    ld.partition_id = 0x11223344;
    ld.weighting = 64;
    ld.data_version = 3;
    ld.stable_data_version = 4;
    ld.leader_router_id = 1;
    expect_tlv_round_trip(ld, {11, 8, 0x11, 0x22, 0x33, 0x44, 64, 3, 4, 1});
    // Network Data: a stable Has Route TLV (type 0, stable) with one entry.
    const std::uint8_t netdata[] = {0x01, 3, 0xfc, 0x00, 0x40};
    MleNetworkData nd;
    nd.tlvs = ByteSpan(netdata);
    expect_tlv_round_trip(nd, {12, 5, 0x01, 3, 0xfc, 0x00, 0x40});
    EXPECT_EQ(nd.list().count(), 1u);
    const std::uint8_t requested[] = {MleTlvType::kAddress16, MleTlvType::kNetworkData};
    MleTlvRequest req;
    req.types = ByteSpan(requested);
    expect_tlv_round_trip(req, {13, 2, 10, 12});
    EXPECT_TRUE(req.requests(MleTlvType::kNetworkData));
    EXPECT_FALSE(req.requests(MleTlvType::kRoute64));
    MleScanMask scan;
    scan.mask = MleScanMask::kRouters | MleScanMask::kEndDevices;
    expect_tlv_round_trip(scan, {14, 1, 0xc0});
    MleConnectivity conn;
    conn.flags = 0x40;
    conn.link_quality_3 = 1;
    conn.link_quality_2 = 2;
    conn.link_quality_1 = 3;
    conn.leader_cost = 1;
    conn.id_sequence = 9;
    conn.active_routers = 2;
    expect_tlv_round_trip(conn, {15, 7, 0x40, 1, 2, 3, 1, 9, 2});
    conn.has_sed_info = true;
    conn.sed_buffer_size = 1280;
    conn.sed_datagram_count = 1;
    expect_tlv_round_trip(conn, {15, 10, 0x40, 1, 2, 3, 1, 9, 2, 0x05, 0x00, 1});
    MleLinkMargin margin;
    margin.value = 30;
    expect_tlv_round_trip(margin, {16, 1, 30});
    MleStatus status;
    status.value = 1;
    expect_tlv_round_trip(status, {17, 1, 1});
    MleVersion version;
    version.value = 2;
    expect_tlv_round_trip(version, {18, 2, 0, 2});
    // Address Registration: a compressed entry (context 1) and a full address.
    const std::uint8_t iid[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    std::uint8_t full[16];
    for (int i = 0; i < 16; ++i)
        full[i] = static_cast<std::uint8_t>(0xf0 + i);
    std::uint8_t entries[26];
    ByteWriter ew{MutableByteSpan(entries)};
    ASSERT_TRUE(MleAddressEntry::make_compressed(1, iid).emit(ew).ok());
    ASSERT_TRUE(MleAddressEntry::make_full(full).emit(ew).ok());
    ASSERT_EQ(ew.offset(), sizeof entries);
    MleAddressRegistration ar;
    ar.entries = ByteSpan(entries);
    std::vector<std::uint8_t> ar_bytes = {19, 26, 0x81, 1, 2, 3, 4, 5, 6, 7, 8, 0x00};
    ar_bytes.insert(ar_bytes.end(), full, full + 16);
    expect_tlv_round_trip(ar, ar_bytes);
    ASSERT_EQ(ar.count(), 2u);
    auto it = ar.begin();
    EXPECT_EQ(*it, MleAddressEntry::make_compressed(1, iid));
    ++it;
    EXPECT_EQ(*it, MleAddressEntry::make_full(full));
    MleChannel channel;
    channel.page = 0;
    channel.channel = 15;
    expect_tlv_round_trip(channel, {20, 3, 0, 0, 15});
    MlePanId pan;
    pan.value = 0xface;
    expect_tlv_round_trip(pan, {21, 2, 0xfa, 0xce});
    MleActiveTimestamp active;
    active.seconds = 0x010203040506;
    active.ticks = 0x1234;
    active.authoritative = true;
    expect_tlv_round_trip(active, {22, 8, 1, 2, 3, 4, 5, 6, 0x24, 0x69});
    MlePendingTimestamp pending;
    pending.seconds = 7;
    expect_tlv_round_trip(pending, {23, 8, 0, 0, 0, 0, 0, 7, 0, 0});
    // Datasets and Discovery: MeshCoP TLV lists (channel TLV 0, PAN ID TLV 1).
    const std::uint8_t dataset[] = {0, 3, 0, 0, 15, 1, 2, 0xfa, 0xce};
    MleActiveDataset ad;
    ad.tlvs = ByteSpan(dataset);
    std::vector<std::uint8_t> ad_bytes = {24, 9};
    ad_bytes.insert(ad_bytes.end(), dataset, dataset + sizeof dataset);
    expect_tlv_round_trip(ad, ad_bytes);
    MlePendingDataset pd;
    pd.tlvs = ByteSpan(dataset);
    ad_bytes[0] = 25;
    expect_tlv_round_trip(pd, ad_bytes);
    const std::uint8_t disc[] = {0x80, 0x02, 0x10, 0x00};
    MleDiscovery d;
    d.tlvs = ByteSpan(disc);
    expect_tlv_round_trip(d, {26, 4, 0x80, 0x02, 0x10, 0x00});
}

TEST(MleTlvs, BadValues) {
    const std::uint8_t b[12] = {};
    // Fixed sizes: shorter is truncated, longer is malformed.
    EXPECT_EQ(MleSourceAddress::parse(ByteSpan(b, 1)).error(), Error::kTruncated);
    EXPECT_EQ(MleSourceAddress::parse(ByteSpan(b, 3)).error(), Error::kMalformed);
    EXPECT_EQ(MleMode::parse(ByteSpan(b, 0)).error(), Error::kTruncated);
    EXPECT_EQ(MleMode::parse(ByteSpan(b, 2)).error(), Error::kMalformed);
    EXPECT_EQ(MleChannel::parse(ByteSpan(b, 4)).error(), Error::kMalformed);
    EXPECT_EQ(MleActiveTimestamp::parse(ByteSpan(b, 7)).error(), Error::kTruncated);
    EXPECT_EQ(MleConnectivity::parse(ByteSpan(b, 8)).error(), Error::kMalformed);
    EXPECT_EQ(MleLeaderData::parse(ByteSpan(b, 9)).error(), Error::kMalformed);
    EXPECT_EQ(MleChallenge::parse(ByteSpan(b, 3)).error(), Error::kTruncated);
    EXPECT_EQ(MleChallenge::parse(ByteSpan(b, 9)).error(), Error::kMalformed);
    // Lists must be well-formed.
    const std::uint8_t bad_list[] = {0x01, 5, 0};
    EXPECT_EQ(MleNetworkData::parse(ByteSpan(bad_list)).error(), Error::kMalformed);
    EXPECT_EQ(MleActiveDataset::parse(ByteSpan(bad_list)).error(), Error::kMalformed);
    // Values that cannot be encoded.
    std::uint8_t out[64];
    ByteWriter w{MutableByteSpan(out)};
    MleChallenge c;
    c.size = 3;
    EXPECT_EQ(mle_emit(w, c).error(), Error::kInvalidArgument);
    MleRoute64 r;
    r.set_router(3);
    EXPECT_EQ(mle_emit(w, r).error(), Error::kInvalidArgument);  // no route byte
    MleActiveTimestamp t;
    t.seconds = std::uint64_t{1} << 48;
    EXPECT_EQ(mle_emit(w, t).error(), Error::kInvalidArgument);
    MleNetworkData nd;
    nd.tlvs = ByteSpan(bad_list);
    EXPECT_EQ(mle_emit(w, nd).error(), Error::kInvalidArgument);
    MleAddressEntry e;
    e.context_id = 16;
    EXPECT_EQ(e.emit(w).error(), Error::kInvalidArgument);
    // Address Registration reserved control bits are ignored on parse and sent as zero.
    std::uint8_t entry[9] = {0xf1, 1, 2, 3, 4, 5, 6, 7, 8};
    Result<MleAddressRegistration> a = MleAddressRegistration::parse(ByteSpan(entry));
    ASSERT_TRUE(a.ok());
    MleAddressEntry first = *a->begin();
    EXPECT_TRUE(first.compressed);
    EXPECT_EQ(first.context_id, 1);
    std::uint8_t again[9];
    ByteWriter aw{MutableByteSpan(again)};
    ASSERT_TRUE(first.emit(aw).ok());
    EXPECT_EQ(again[0], 0x81);
}
