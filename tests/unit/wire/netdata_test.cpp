#include <gtest/gtest.h>

#include "wire/ThreadNetData.h"

using namespace meshwork;
using namespace meshwork::wire;

TEST(NetData, PrefixWithBorderRouterAndContext) {
    std::uint8_t sub[32];
    ByteWriter sw{MutableByteSpan(sub)};
    TlvWriter st(sw, kNetDataTlvFormat);
    const std::uint8_t br[] = {0xfc, 0x00, 0x31, 0x00};  // rloc16 fc00, P|S|O... flags 0x3100
    st.put(NetDataTlvType::kBorderRouter, ByteSpan(br), true);
    TlvWriter::Open o = st.begin(NetDataTlvType::kContext, true);
    NetDataContext ctx;
    ctx.compress = true;
    ctx.context_id = 1;
    ctx.context_length = 64;
    ASSERT_TRUE(ctx.emit(sw).ok());
    st.end(o);

    std::uint8_t buf[64];
    ByteWriter w{MutableByteSpan(buf)};
    Ip6Address prefix = Ip6Address::from_text("fd00:db8:1::").value_or(Ip6Address());
    ASSERT_TRUE(netdata_emit_prefix(w, true, 0, prefix, 64, sw.written()).ok());
    EXPECT_EQ(buf[0], 0x03);  // type 1, stable
    EXPECT_EQ(buf[1], 2 + 8 + 6 + 4);

    Result<TlvList> nd = netdata_parse(w.written());
    ASSERT_TRUE(nd.ok());
    Tlv t;
    ASSERT_TRUE(nd->find(NetDataTlvType::kPrefix, &t));
    EXPECT_TRUE(t.stable);
    Result<NetDataPrefix> p = NetDataPrefix::parse(t.value);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->prefix_length, 64);
    EXPECT_EQ(p->prefix, prefix);
    Tlv b;
    ASSERT_TRUE(p->sub_tlvs.find(NetDataTlvType::kBorderRouter, &b));
    int n = 0;
    EXPECT_TRUE(netdata_for_each_border_router(b.value, [&](const NetDataBorderRouterEntry &e) {
                    EXPECT_EQ(e.rloc16, 0xfc00);
                    EXPECT_TRUE(e.flags & NetDataBrFlags::kPreferred);
                    EXPECT_TRUE(e.flags & NetDataBrFlags::kOnMesh);
                    EXPECT_EQ(e.preference(), 0);
                    ++n;
                }).ok());
    EXPECT_EQ(n, 1);
    Tlv c;
    ASSERT_TRUE(p->sub_tlvs.find(NetDataTlvType::kContext, &c));
    Result<NetDataContext> cx = NetDataContext::parse(c.value);
    ASSERT_TRUE(cx.ok());
    EXPECT_TRUE(cx->compress);
    EXPECT_EQ(cx->context_id, 1);
    EXPECT_EQ(cx->context_length, 64);
    // Truncations: the outer list rejects every cut inside the TLV.
    for (std::size_t k = 1; k < w.offset(); ++k)
        EXPECT_FALSE(netdata_parse(w.written().subspan(0, k)).ok()) << k;
}

TEST(NetData, HasRouteServiceServer) {
    const std::uint8_t hr[] = {0x04, 0x00, 0x40, 0x08, 0x00, 0xc0};
    int n = 0;
    EXPECT_TRUE(netdata_for_each_has_route(ByteSpan(hr), [&](const NetDataHasRouteEntry &e) {
                    EXPECT_EQ(e.preference(), n == 0 ? 1 : -1);
                    ++n;
                }).ok());
    EXPECT_EQ(n, 2);
    EXPECT_EQ(
        netdata_for_each_has_route(ByteSpan(hr, 5), [](const NetDataHasRouteEntry &) {}).error(),
        Error::kMalformed);
    // Service: T=1, S_id 2, service data 1 byte (0x5c), one Server sub-TLV.
    const std::uint8_t svc[] = {0x82, 0x01, 0x5c, 0x0d, 0x04, 0xfc, 0x00, 0xaa, 0xbb};
    Result<NetDataService> s = NetDataService::parse(ByteSpan(svc));
    ASSERT_TRUE(s.ok());
    EXPECT_TRUE(s->thread_enterprise);
    EXPECT_EQ(s->service_id, 2);
    EXPECT_EQ(s->service_data.size, 1u);
    Tlv t;
    ASSERT_TRUE(s->sub_tlvs.find(NetDataTlvType::kServer, &t));
    EXPECT_TRUE(t.stable);
    Result<NetDataServer> srv = NetDataServer::parse(t.value);
    ASSERT_TRUE(srv.ok());
    EXPECT_EQ(srv->rloc16, 0xfc00);
    EXPECT_EQ(srv->server_data.size, 2u);
    const std::uint8_t bad_prefix[] = {0, 129};
    EXPECT_EQ(NetDataPrefix::parse(ByteSpan(bad_prefix)).error(), Error::kMalformed);
}

TEST(NetData, EveryTypedValueEmits) {
    // Has Route and Border Router entries: the bytes they were parsed from.
    const std::uint8_t hr[] = {0x04, 0x00, 0x40, 0x08, 0x00, 0xc0};
    std::uint8_t out[32];
    ByteWriter hw{MutableByteSpan(out)};
    ASSERT_TRUE(netdata_for_each_has_route(ByteSpan(hr), [&](const NetDataHasRouteEntry &e) {
                    EXPECT_TRUE(e.emit(hw).ok());
                }).ok());
    EXPECT_TRUE(hw.written().equals(ByteSpan(hr)));
    const std::uint8_t br[] = {0xfc, 0x00, 0x31, 0x00, 0x04, 0x01, 0x62, 0x00};
    ByteWriter bw{MutableByteSpan(out)};
    ASSERT_TRUE(
        netdata_for_each_border_router(ByteSpan(br), [&](const NetDataBorderRouterEntry &e) {
            EXPECT_TRUE(e.emit(bw).ok());
        }).ok());
    EXPECT_TRUE(bw.written().equals(ByteSpan(br)));
    // Service with the enterprise number elided, and with one (T = 0).
    const std::uint8_t svc[] = {0x82, 0x01, 0x5c, 0x0d, 0x04, 0xfc, 0x00, 0xaa, 0xbb};
    Result<NetDataService> s = NetDataService::parse(ByteSpan(svc));
    ASSERT_TRUE(s.ok());
    ASSERT_EQ(s->value_size(), sizeof svc);
    ByteWriter sw{MutableByteSpan(out)};
    ASSERT_TRUE(s->emit(sw).ok());
    EXPECT_TRUE(sw.written().equals(ByteSpan(svc)));
    NetDataService other = *s;
    other.thread_enterprise = false;
    other.enterprise_number = 0x01020304;
    ByteWriter ow{MutableByteSpan(out)};
    ASSERT_TRUE(other.emit(ow).ok());
    EXPECT_EQ(ow.offset(), sizeof svc + 4);
    Result<NetDataService> back = NetDataService::parse(ow.written());
    ASSERT_TRUE(back.ok());
    EXPECT_TRUE(*back == other);
    EXPECT_FALSE(*back == *s);
    other.service_id = 16;
    ByteWriter iw{MutableByteSpan(out)};
    EXPECT_EQ(other.emit(iw).error(), Error::kInvalidArgument);
    // Server.
    Tlv t;
    ASSERT_TRUE(s->sub_tlvs.find(NetDataTlvType::kServer, &t));
    Result<NetDataServer> srv = NetDataServer::parse(t.value);
    ASSERT_TRUE(srv.ok());
    ByteWriter vw{MutableByteSpan(out)};
    ASSERT_TRUE(srv->emit(vw).ok());
    EXPECT_TRUE(vw.written().equals(t.value));
    ByteWriter small{MutableByteSpan(out, srv->value_size() - 1)};
    EXPECT_EQ(srv->emit(small).error(), Error::kNoSpace);
}
