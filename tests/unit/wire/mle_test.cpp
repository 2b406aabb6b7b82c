#include <gtest/gtest.h>

#include <vector>

#include "wire/Mle.h"

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
    TlvWriter::Open ld = tw.begin(MleTlvType::kLeaderData);
    MleLeaderData d;
    d.partition_id = 0x11223344;
    d.weighting = 64;
    d.data_version = 3;
    d.stable_data_version = 4;
    d.leader_router_id = 1;
    ASSERT_TRUE(d.emit(w).ok());
    tw.end(ld);
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
