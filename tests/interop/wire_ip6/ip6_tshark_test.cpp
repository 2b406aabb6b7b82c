// Oracle test: IPv6 packets built by our emitters (UDP, TCP, ICMPv6 echo, ND with the
// 6LoWPAN-ND options, DAR, RPL DIS/DIO/DAO/DAO-ACK, MLDv2, hop-by-hop RPL option and RFC 6554
// source routing header) are written to a LINKTYPE_RAW pcap and decoded by tshark. Every field
// we meant must be there with our value, every checksum must be good, and tshark must report no
// malformed packet and no expert warning or error.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "TempDir.h"
#include "TsharkRun.h"
#include "wire/Icmp6.h"
#include "wire/Ip6.h"
#include "wire/Ip6Ext.h"
#include "wire/Mld.h"
#include "wire/Nd.h"
#include "wire/Rpl.h"
#include "wire/Tcp.h"
#include "wire/Udp.h"

using namespace meshwork;
using namespace meshwork::wire;
using meshwork::interop::have_tshark;
using meshwork::interop::run;
using meshwork::interop::split;

namespace {

using Bytes = std::vector<std::uint8_t>;
using Fields = std::vector<std::pair<std::string, std::string>>;

struct Frame {
    std::string name;
    Bytes packet;
    Fields expect;
};

Ip6Address A(const char *s) {
    return Ip6Address::from_text(s).value();
}

Bytes ip6(const Ip6Address &src, const Ip6Address &dst, std::uint8_t next, std::uint8_t hops,
          const Bytes &payload) {
    Ip6Header h;
    h.src = src;
    h.dst = dst;
    h.next_header = next;
    h.hop_limit = hops;
    h.payload_length = static_cast<std::uint16_t>(payload.size());
    Bytes b(kIp6HeaderSize);
    EXPECT_TRUE(h.emit(MutableByteSpan(b.data(), b.size())).ok());
    b.insert(b.end(), payload.begin(), payload.end());
    return b;
}

template <typename M>
Bytes icmp(const M &m, const Ip6Address &src, const Ip6Address &dst) {
    Bytes b(m.emitted_size());
    EXPECT_TRUE(m.emit(MutableByteSpan(b.data(), b.size()), PseudoHeader{src, dst}).ok());
    return b;
}

// An ND or RPL message from its fixed part and the options `add` puts on a Writer (NdWriter,
// RplWriter): measured first, then written.
template <typename Writer, typename Base, typename F>
Bytes icmp_built(const Base &base, const Ip6Address &src, const Ip6Address &dst, F add) {
    Writer sizer(MutableByteSpan(), base);
    add(sizer);
    Bytes b(sizer.size());
    Writer w(MutableByteSpan(b.data(), b.size()), base);
    add(w);
    EXPECT_TRUE(w.finish(PseudoHeader{src, dst}).ok());
    return b;
}
template <typename Base, typename F>
Bytes nd(const Base &base, const Ip6Address &src, const Ip6Address &dst, F add) {
    return icmp_built<NdWriter>(base, src, dst, add);
}
template <typename Base, typename F>
Bytes rpl(const Base &base, const Ip6Address &src, const Ip6Address &dst, F add) {
    return icmp_built<RplWriter>(base, src, dst, add);
}

const Ip6Address kLl1 = A("fe80::212:4b00:0:1");
const Ip6Address kLl2 = A("fe80::212:4b00:0:2");
const Ip6Address kRoot = A("2001:db8:1::1");
const Ip6Address kNode2 = A("2001:db8:1::212:4b00:0:2");
const std::uint8_t kEui1[8] = {0x00, 0x12, 0x4b, 0x00, 0x00, 0x00, 0x00, 0x01};
const std::uint8_t kEui2[8] = {0x00, 0x12, 0x4b, 0x00, 0x00, 0x00, 0x00, 0x02};

std::vector<Frame> build_frames() {
    std::vector<Frame> frames;
    {
        UdpHeader u;
        u.src_port = 40000;
        u.dst_port = 40001;
        const Bytes payload = {'h', 'e', 'l', 'l', 'o'};
        Bytes b(13);
        EXPECT_TRUE(u.emit(MutableByteSpan(b.data(), b.size()),
                           ByteSpan(payload.data(), payload.size()), PseudoHeader{kLl1, kLl2})
                        .ok());
        frames.push_back({"udp",
                          ip6(kLl1, kLl2, IpProto::kUdp, 64, b),
                          {{"udp.srcport", "40000"},
                           {"udp.dstport", "40001"},
                           {"udp.length", "13"},
                           {"udp.checksum.status", "1"}}});
    }
    {
        TcpHeader t;
        t.src_port = 49152;
        t.dst_port = 80;
        t.seq = 0x01020304;
        t.flags = TcpFlag::kSyn;
        t.window = 65535;
        t.has_mss = true;
        t.mss = 1220;
        t.has_window_scale = true;
        t.window_scale = 7;
        t.sack_permitted = true;
        t.has_timestamp = true;
        t.ts_val = 0x11223344;
        Bytes b(t.emitted_size());
        EXPECT_TRUE(t.emit(MutableByteSpan(b.data(), b.size()),
                           PseudoHeader{A("2001:db8::1"), A("2001:db8::2")})
                        .ok());
        frames.push_back({"tcp_syn",
                          ip6(A("2001:db8::1"), A("2001:db8::2"), IpProto::kTcp, 64, b),
                          {{"tcp.srcport", "49152"},
                           {"tcp.dstport", "80"},
                           {"tcp.seq_raw", "16909060"},
                           {"tcp.flags.syn", "1"},
                           {"tcp.window_size_value", "65535"},
                           {"tcp.options.mss_val", "1220"},
                           {"tcp.options.wscale.shift", "7"},
                           {"tcp.options.sack_perm", "0402"},
                           {"tcp.options.timestamp.tsval", "287454020"},
                           {"tcp.checksum.status", "1"}}});
    }
    {
        TcpHeader t;
        t.src_port = 80;
        t.dst_port = 49152;
        t.seq = 1000;
        t.ack = 0x01020305;
        t.flags = TcpFlag::kAck;
        t.window = 1000;
        t.has_timestamp = true;
        t.ts_val = 5;
        t.ts_ecr = 0x11223344;
        t.sack_count = 2;
        t.sack[0] = {0x01020400, 0x01020500};
        t.sack[1] = {0x01020600, 0x01020700};
        const Bytes payload = {'d', 'a', 't', 'a'};
        Bytes b(t.header_size() + payload.size());
        EXPECT_TRUE(t.emit(MutableByteSpan(b.data(), b.size()),
                           ByteSpan(payload.data(), payload.size()),
                           PseudoHeader{A("2001:db8::2"), A("2001:db8::1")})
                        .ok());
        frames.push_back({"tcp_sack",
                          ip6(A("2001:db8::2"), A("2001:db8::1"), IpProto::kTcp, 64, b),
                          {{"tcp.ack_raw", "16909061"},
                           {"tcp.flags.ack", "1"},
                           {"tcp.len", "4"},
                           {"tcp.options.timestamp.tsecr", "287454020"},
                           {"tcp.options.sack.count", "2"},
                           {"tcp.checksum.status", "1"}}});
    }
    {
        const Bytes data = {'a', 'b', 'c', 'd'};
        auto m = Icmp6Message::echo(false, 0x1234, 7, ByteSpan(data.data(), data.size()));
        frames.push_back({"echo",
                          ip6(kLl1, kLl2, IpProto::kIcmp6, 64, icmp(m, kLl1, kLl2)),
                          {{"icmpv6.type", "128"},
                           {"icmpv6.echo.identifier", "0x1234"},
                           {"icmpv6.echo.sequence_number", "7"},
                           {"icmpv6.checksum.status", "1"}}});
    }
    {
        NdRouterAdvertisement m;
        m.cur_hop_limit = 64;
        m.router_lifetime = 1800;
        m.reachable_time = 30000;
        m.retrans_timer = 1000;
        NdPrefixInfo p;
        p.prefix_length = 64;
        p.flags = NdPrefixInfo::kFlagOnLink | NdPrefixInfo::kFlagAutonomous;
        p.valid_lifetime = 86400;
        p.preferred_lifetime = 14400;
        p.prefix = A("2001:db8:1::");
        NdRouteInfo r;
        r.prefix_length = 48;
        r.preference = 1;
        r.route_lifetime = 3600;
        r.prefix = A("2001:db8:2::");
        NdSixLowpanContext c;
        c.context_length = 64;
        c.flags = NdSixLowpanContext::kFlagCompression | 3;
        c.valid_lifetime = 60;
        c.prefix = A("2001:db8:1::");
        NdBorderRouter abro;
        abro.version = 0x00010002;
        abro.valid_lifetime = 100;
        abro.address = kRoot;
        const Bytes ra = nd(m, kLl1, kLl2, [&](NdWriter &w) {
            w.add_sllao(NdLinkLayerAddress::from(ByteSpan(kEui1, 8)))
                .add_mtu(1280)
                .add(p)
                .add(r)
                .add(c)
                .add(abro);
        });
        frames.push_back({"ra",
                          ip6(kLl1, kLl2, IpProto::kIcmp6, 255, ra),
                          {{"icmpv6.type", "134"},
                           {"icmpv6.nd.ra.cur_hop_limit", "64"},
                           {"icmpv6.nd.ra.router_lifetime", "1800"},
                           {"icmpv6.nd.ra.reachable_time", "30000"},
                           {"icmpv6.nd.ra.retrans_timer", "1000"},
                           {"icmpv6.opt.src_linkaddr_eui64", "00:12:4b:00:00:00:00:01"},
                           {"icmpv6.opt.mtu", "1280"},
                           {"icmpv6.opt.prefix.length", "64,48"},  // PIO, RIO,
                           {"icmpv6.opt.prefix.flag.l", "1"},
                           {"icmpv6.opt.prefix.flag.a", "1"},
                           {"icmpv6.opt.prefix.valid_lifetime", "86400"},
                           {"icmpv6.opt.prefix.preferred_lifetime", "14400"},
                           {"icmpv6.opt.prefix", "2001:db8:1::,2001:db8:2::"},
                           {"icmpv6.opt.route_info.flag.route_preference", "1"},
                           {"icmpv6.opt.route_lifetime", "3600"},
                           {"icmpv6.opt.6co.context_length", "64"},
                           {"icmpv6.opt.6co.flag.c", "1"},
                           {"icmpv6.opt.6co.flag.cid", "3"},
                           {"icmpv6.opt.6co.valid_lifetime", "60"},
                           {"icmpv6.opt.6co.context_prefix", "2001:db8:1::"},
                           {"icmpv6.opt.abro.version_low", "2"},
                           {"icmpv6.opt.abro.version_high", "1"},
                           {"icmpv6.opt.abro.valid_lifetime", "100"},
                           {"icmpv6.opt.abro.6lbr_address", "2001:db8:1::1"},
                           {"icmpv6.checksum.status", "1"}}});
    }
    {
        NdNeighborSolicitation m;
        m.target = kNode2;
        const Bytes ns = nd(m, kNode2, kLl1, [&](NdWriter &w) {
            w.add_sllao(NdLinkLayerAddress::from(ByteSpan(kEui2, 8)))
                .add(NdAddressRegistration::aro(0, 30, kEui2));
        });
        frames.push_back({"ns_aro",
                          ip6(kNode2, kLl1, IpProto::kIcmp6, 255, ns),
                          {{"icmpv6.type", "135"},
                           {"icmpv6.nd.ns.target_address", "2001:db8:1:0:212:4b00:0:2"},
                           {"icmpv6.opt.aro.status", "0"},
                           {"icmpv6.opt.aro.registration_lifetime", "30"},
                           {"icmpv6.opt.aro.eui64", "00:12:4b:00:00:00:00:02"},
                           {"icmpv6.checksum.status", "1"}}});
    }
    {
        NdNeighborAdvertisement m;
        m.flags = NdNeighborAdvertisement::kRouter | NdNeighborAdvertisement::kSolicited;
        m.target = kNode2;
        const Bytes na = nd(m, kLl1, kNode2, [&](NdWriter &w) {
            w.add(NdAddressRegistration::aro(NdArStatus::kDuplicate, 30, kEui2));
        });
        frames.push_back({"na_aro",
                          ip6(kLl1, kNode2, IpProto::kIcmp6, 255, na),
                          {{"icmpv6.type", "136"},
                           {"icmpv6.nd.na.flag.r", "1"},
                           {"icmpv6.nd.na.flag.s", "1"},
                           {"icmpv6.nd.na.flag.o", "0"},
                           {"icmpv6.nd.na.target_address", "2001:db8:1:0:212:4b00:0:2"},
                           {"icmpv6.opt.aro.status", "1"},
                           {"icmpv6.checksum.status", "1"}}});
    }
    {
        NdRedirect m;
        m.target = kLl2;
        m.destination = A("2001:db8:5::9");
        frames.push_back({"redirect",
                          ip6(kLl1, A("fe80::99"), IpProto::kIcmp6, 255,
                              nd(m, kLl1, A("fe80::99"), [](NdWriter &) {})),
                          {{"icmpv6.type", "137"},
                           {"icmpv6.nd.rd.target_address", "fe80::212:4b00:0:2"},
                           {"icmpv6.rd.na.destination_address", "2001:db8:5::9"},
                           {"icmpv6.checksum.status", "1"}}});
    }
    {
        NdDuplicateAddress m;
        m.type = Icmp6Type::kDuplicateAddressRequest;
        m.registered = kNode2;
        m.lifetime = 30;
        m.rovr_size = 8;
        std::memcpy(m.rovr, kEui2, 8);
        const Ip6Address lbr = A("2001:db8:1::ff");
        frames.push_back(
            {"dar",
             ip6(kRoot, lbr, IpProto::kIcmp6, 64, nd(m, kRoot, lbr, [](NdWriter &) {})),
             {{"icmpv6.type", "157"},
              {"icmpv6.6lowpannd.da.status", "0"},
              {"icmpv6.6lowpannd.da.lifetime", "30"},
              {"icmpv6.6lowpannd.da.eui64", "00:12:4b:00:00:00:00:02"},
              {"icmpv6.6lowpannd.da.reg_addr", "2001:db8:1:0:212:4b00:0:2"},
              {"icmpv6.checksum.status", "1"}}});
    }
    {
        RplDio m;
        m.instance_id = 1;
        m.version = 240;
        m.rank = 256;
        m.grounded = true;
        m.mop = RplMop::kNonStoring;
        m.dtsn = 240;
        m.dodag_id = kRoot;
        RplDodagConfig config;
        config.flags = 1;
        config.dio_interval_doublings = 9;
        config.dio_interval_min = 12;
        config.dio_redundancy_constant = 10;
        config.max_rank_increase = 2048;
        config.min_hop_rank_increase = 128;
        config.ocp = 1;
        config.default_lifetime = 64;
        config.lifetime_unit = 60;
        RplPrefixInfo pio;
        pio.prefix_length = 64;
        pio.flags = RplPrefixInfo::kFlagAutonomous;
        pio.valid_lifetime = 7200;
        pio.preferred_lifetime = 3600;
        pio.prefix = A("2001:db8:1::");
        const Ip6Address dst = Ip6Address::all_rpl_nodes();
        const Bytes dio = rpl(m, kLl1, dst, [&](RplWriter &w) { w.add(config).add(pio); });
        frames.push_back({"dio",
                          ip6(kLl1, dst, IpProto::kIcmp6, 255, dio),
                          {{"icmpv6.type", "155"},
                           {"icmpv6.code", "1"},
                           {"icmpv6.rpl.dio.instance", "1"},
                           {"icmpv6.rpl.dio.version", "240"},
                           {"icmpv6.rpl.dio.rank", "256"},
                           {"icmpv6.rpl.dio.flag.g", "1"},
                           {"icmpv6.rpl.dio.flag.mop", "0x01"},
                           {"icmpv6.rpl.dio.dtsn", "240"},
                           {"icmpv6.rpl.dio.dagid", "2001:db8:1::1"},
                           {"icmpv6.rpl.opt.config.pcs", "1"},
                           {"icmpv6.rpl.opt.config.interval_double", "9"},
                           {"icmpv6.rpl.opt.config.interval_min", "12"},
                           {"icmpv6.rpl.opt.config.redundancy", "10"},
                           {"icmpv6.rpl.opt.config.max_rank_inc", "2048"},
                           {"icmpv6.rpl.opt.config.min_hop_rank_inc", "128"},
                           {"icmpv6.rpl.opt.config.ocp", "1"},
                           {"icmpv6.rpl.opt.config.def_lifetime", "64"},
                           {"icmpv6.rpl.opt.config.lifetime_unit", "60"},
                           {"icmpv6.rpl.opt.prefix.length", "64"},
                           {"icmpv6.rpl.opt.prefix.valid_lifetime", "7200"},
                           {"icmpv6.rpl.opt.prefix.preferred_lifetime", "3600"},
                           {"icmpv6.rpl.opt.prefix", "2001:db8:1::"},
                           {"icmpv6.checksum.status", "1"}}});
    }
    {
        RplDao m;
        m.instance_id = 1;
        m.flags = RplDao::kAckRequested | RplDao::kDodagIdPresent;
        m.sequence = 0x42;
        m.dodag_id = kRoot;
        const Ip6Address parent = A("2001:db8:1::212:4b00:0:1");
        const Bytes dao = rpl(m, kNode2, kRoot, [&](RplWriter &w) {
            w.add(RplTarget::make(kNode2)).add(RplTransit::make(0xf0, 30, &parent));
        });
        frames.push_back({"dao",
                          ip6(kNode2, kRoot, IpProto::kIcmp6, 64, dao),
                          {{"icmpv6.code", "2"},
                           {"icmpv6.rpl.dao.instance", "1"},
                           {"icmpv6.rpl.dao.flag.k", "1"},
                           {"icmpv6.rpl.dao.flag.d", "1"},
                           {"icmpv6.rpl.dao.sequence", "66"},
                           {"icmpv6.rpl.dao.dodagid", "2001:db8:1::1"},
                           {"icmpv6.rpl.opt.target.prefix_length", "128"},
                           {"icmpv6.rpl.opt.target.prefix", "2001:db8:1:0:212:4b00:0:2"},
                           {"icmpv6.rpl.opt.transit.pathseq", "240"},
                           {"icmpv6.rpl.opt.transit.pathlifetime", "30"},
                           {"icmpv6.rpl.opt.transit.parent", "2001:db8:1:0:212:4b00:0:1"},
                           {"icmpv6.checksum.status", "1"}}});
    }
    {
        RplDaoAck m;
        m.instance_id = 1;
        m.flags = RplDaoAck::kDodagIdPresent;
        m.sequence = 0x42;
        m.status = 0;
        m.dodag_id = kRoot;
        frames.push_back(
            {"daoack",
             ip6(kRoot, kNode2, IpProto::kIcmp6, 64, rpl(m, kRoot, kNode2, [](RplWriter &) {})),
             {{"icmpv6.code", "3"},
              {"icmpv6.rpl.daoack.instance", "1"},
              {"icmpv6.rpl.daoack.flag.d", "1"},
              {"icmpv6.rpl.daoack.sequence", "66"},
              {"icmpv6.rpl.daoack.status", "0"},
              {"icmpv6.rpl.daoack.dodagid", "2001:db8:1::1"},
              {"icmpv6.checksum.status", "1"}}});
    }
    {
        RplSolicitedInfo solicited;
        solicited.instance_id = 1;
        solicited.flags = RplSolicitedInfo::kFlagI | RplSolicitedInfo::kFlagD;
        solicited.dodag_id = kRoot;
        const Ip6Address dst = Ip6Address::all_rpl_nodes();
        const Bytes dis = rpl(RplDis{}, kLl2, dst, [&](RplWriter &w) { w.add(solicited); });
        frames.push_back({"dis",
                          ip6(kLl2, dst, IpProto::kIcmp6, 255, dis),
                          {{"icmpv6.code", "0"},
                           {"icmpv6.rpl.opt.solicited.instance", "1"},
                           {"icmpv6.rpl.opt.solicited.flag.i", "1"},
                           {"icmpv6.rpl.opt.solicited.flag.d", "1"},
                           {"icmpv6.rpl.opt.solicited.flag.v", "0"},
                           {"icmpv6.rpl.opt.solicited.dodagid", "2001:db8:1::1"},
                           {"icmpv6.checksum.status", "1"}}});
    }
    {
        MldMessage m;
        m.type = MldType::kV2Report;
        m.record_count = 1;
        m.records[0].type = MldRecordType::kChangeToExclude;
        m.records[0].group = Ip6Address::solicited_node(kNode2);
        const Ip6Address dst = Ip6Address::all_mldv2_routers();
        frames.push_back({"mld_report",
                          ip6(kLl2, dst, IpProto::kIcmp6, 1, icmp(m, kLl2, dst)),
                          {{"icmpv6.type", "143"},
                           {"icmpv6.mldr.nb_mcast_records", "1"},
                           {"icmpv6.mldr.mar.record_type", "4"},
                           {"icmpv6.mldr.mar.multicast_address", "ff02::1:ff00:2"},
                           {"icmpv6.checksum.status", "1"}}});
    }
    {
        MldMessage m;
        m.type = MldType::kQuery;
        m.max_response_code = 10000;
        m.flags = 2;
        m.qqic = 125;
        const Ip6Address dst = Ip6Address::all_nodes_link_local();
        frames.push_back({"mld_query",
                          ip6(kLl1, dst, IpProto::kIcmp6, 1, icmp(m, kLl1, dst)),
                          {{"icmpv6.type", "130"},
                           {"icmpv6.mld.maximum_response_code", "10000"},
                           {"icmpv6.mld.flag.qrv", "2"},
                           {"icmpv6.mld.qqi", "125"},
                           {"icmpv6.checksum.status", "1"}}});
    }
    {
        // Downward packet from the root: hop-by-hop RPL option, SRH with two hops, UDP.
        const Ip6Address first_hop = A("2001:db8:1::212:4b00:0:2");
        Ip6OptionsHeader h;
        h.next_header = IpProto::kRouting;
        h.has_rpl = true;
        h.rpl.flags = RplHopOption::kFlagDown;
        h.rpl.instance_id = 1;
        h.rpl.sender_rank = 256;
        RplSourceRouteHeader s;
        s.next_header = IpProto::kUdp;
        s.segments_left = 2;
        s.address_count = 2;
        s.addresses[0] = A("2001:db8:1::212:4b00:0:3");
        s.addresses[1] = A("2001:db8:2::4");
        // Mixed compression, set by hand (choose_compression() would elide 5 bytes of both).
        s.cmpr_i = 15;
        s.cmpr_e = 5;
        Bytes b(h.emitted_size() + s.emitted_size());
        EXPECT_TRUE(h.emit(MutableByteSpan(b.data(), h.emitted_size())).ok());
        EXPECT_TRUE(
            s.emit(MutableByteSpan(b.data() + h.emitted_size(), s.emitted_size()), first_hop).ok());
        UdpHeader u;
        u.src_port = 1234;
        u.dst_port = 5678;
        const Bytes payload = {'x'};
        Bytes ub(9);
        EXPECT_TRUE(u.emit(MutableByteSpan(ub.data(), ub.size()),
                           ByteSpan(payload.data(), payload.size()),
                           PseudoHeader{kRoot, s.addresses[1]})
                        .ok());
        b.insert(b.end(), ub.begin(), ub.end());
        frames.push_back(
            {"hbh_srh",
             ip6(kRoot, first_hop, IpProto::kHopByHop, 64, b),
             {{"ipv6.opt.type", "0x63"},
              {"ipv6.opt.rpl.flag.o", "1"},
              {"ipv6.opt.rpl.flag.r", "0"},
              {"ipv6.opt.rpl.instance_id", "0x01"},
              {"ipv6.opt.rpl.sender_rank", "0x0100"},
              {"ipv6.routing.type", "3"},
              {"ipv6.routing.segleft", "2"},
              {"ipv6.routing.rpl.pad", "4"},  // CmprI 15, CmprE 5: 1 + 11 bytes,
              {"ipv6.routing.rpl.addr_count", "2"},
              {"ipv6.routing.rpl.full_address", "2001:db8:1:0:212:4b00:0:3,2001:db8:2::4"},
              {"udp.dstport", "5678"}}});
    }
    return frames;
}

// LINKTYPE_RAW (101): each record is a bare IPv6 packet.
std::string write_pcap(const meshwork::test::TempDir &dir, const std::vector<Frame> &frames) {
    std::string path = dir.file("wire_ip6_oracle.pcap");
    std::ofstream f(path, std::ios::binary);
    auto u32 = [&](std::uint32_t v) { f.write(reinterpret_cast<const char *>(&v), 4); };
    auto u16 = [&](std::uint16_t v) { f.write(reinterpret_cast<const char *>(&v), 2); };
    u32(0xa1b2c3d4);
    u16(2);
    u16(4);
    u32(0);
    u32(0);
    u32(65535);
    u32(101);
    std::uint32_t t = 1700000000;
    for (const Frame &fr : frames) {
        u32(t++);
        u32(0);
        u32(static_cast<std::uint32_t>(fr.packet.size()));
        u32(static_cast<std::uint32_t>(fr.packet.size()));
        f.write(reinterpret_cast<const char *>(fr.packet.data()),
                static_cast<std::streamsize>(fr.packet.size()));
    }
    return path;
}

TEST(WireIp6Oracle, TsharkDecodesWhatWeMeant) {
    if (!have_tshark())
        GTEST_SKIP() << "tshark not installed";
    const std::vector<Frame> frames = build_frames();
    meshwork::test::TempDir tmp("meshwork-ip6-tshark");
    ASSERT_TRUE(tmp.ok());
    const std::string pcap = write_pcap(tmp, frames);

    std::vector<std::string> names;
    std::set<std::string> seen;
    for (const Frame &f : frames) {
        for (const auto &kv : f.expect) {
            if (seen.insert(kv.first).second)
                names.push_back(kv.first);
        }
    }
    std::string cmd =
        "tshark -n -r '" + pcap +
        "' -o udp.check_checksum:TRUE -o tcp.check_checksum:TRUE"
        " -o tcp.analyze_sequence_numbers:FALSE -T fields -E separator=/t -E occurrence=a"
        " -E aggregator=, -e _ws.malformed -e _ws.expert.severity";
    for (const std::string &n : names)
        cmd += " -e " + n;
    cmd += " 2>/dev/null";
    const std::vector<std::string> lines = split(run(cmd), '\n');
    ASSERT_GE(lines.size(), frames.size());
    for (std::size_t i = 0; i < frames.size(); ++i) {
        SCOPED_TRACE(frames[i].name);
        const std::vector<std::string> cols = split(lines[i], '\t');
        ASSERT_EQ(cols.size(), names.size() + 2);
        EXPECT_EQ(cols[0], "") << "malformed packet";
        for (const std::string &sev : split(cols[1], ',')) {
            // 6291456 = warning, 8388608 = error (epan/proto.h PI_WARN, PI_ERROR).
            if (!sev.empty()) {
                EXPECT_LT(std::stoul(sev), 6291456ul) << "expert " << sev;
            }
        }
        std::map<std::string, std::string> got;
        for (std::size_t k = 0; k < names.size(); ++k)
            got[names[k]] = cols[k + 2];
        for (const auto &kv : frames[i].expect) {
            EXPECT_EQ(got[kv.first], kv.second) << kv.first;
        }
    }
}

}  // namespace
