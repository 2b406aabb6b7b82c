#include "FrameSet.h"

#include <cstring>

#include "wire/Checksum.h"
#include "wire/Icmp6.h"
#include "wire/Ip6.h"
#include "wire/Ieee802154.h"
#include "wire/LowpanFrag.h"
#include "wire/LowpanIphc.h"
#include "wire/LowpanMesh.h"
#include "wire/Mle.h"
#include "wire/Coap.h"
#include "wire/Nd.h"
#include "wire/Rpl.h"

namespace meshwork::interop {

using namespace meshwork::wire;
using Bytes = std::vector<std::uint8_t>;

namespace {

Ip6Address addr(const char *t) {
    return Ip6Address::from_text(t).value_or(Ip6Address());
}

Bytes ip6_packet(const Ip6Address &src, const Ip6Address &dst, std::uint8_t nh, const Bytes &upper,
                 std::uint8_t hlim) {
    Bytes b(40);
    b[0] = 0x60;
    b[4] = static_cast<std::uint8_t>(upper.size() >> 8);
    b[5] = static_cast<std::uint8_t>(upper.size());
    b[6] = nh;
    b[7] = hlim;
    std::memcpy(&b[8], src.bytes, 16);
    std::memcpy(&b[24], dst.bytes, 16);
    b.insert(b.end(), upper.begin(), upper.end());
    return b;
}

Bytes udp_datagram(const Ip6Address &src, const Ip6Address &dst, std::uint16_t sp, std::uint16_t dp,
                   const Bytes &payload) {
    std::size_t len = 8 + payload.size();
    Bytes u = {static_cast<std::uint8_t>(sp >> 8),
               static_cast<std::uint8_t>(sp),
               static_cast<std::uint8_t>(dp >> 8),
               static_cast<std::uint8_t>(dp),
               static_cast<std::uint8_t>(len >> 8),
               static_cast<std::uint8_t>(len),
               0,
               0};
    u.insert(u.end(), payload.begin(), payload.end());
    Checksum c;
    c.add_ip6_pseudo_header(src, dst, static_cast<std::uint32_t>(len), IpProto::kUdp);
    c.add(ByteSpan(u.data(), u.size()));
    std::uint16_t v = c.finish();
    if (v == 0)
        v = 0xffff;
    u[6] = static_cast<std::uint8_t>(v >> 8);
    u[7] = static_cast<std::uint8_t>(v);
    return u;
}

std::string hex16(std::uint16_t v) {
    char b[8];
    std::snprintf(b, sizeof b, "0x%04x", v);
    return b;
}

std::string eui(std::uint64_t v) {
    char b[32];
    std::snprintf(b, sizeof b, "%02x:%02x:%02x:%02x:%02x:%02x:%02x:%02x", unsigned(v >> 56 & 0xff),
                  unsigned(v >> 48 & 0xff), unsigned(v >> 40 & 0xff), unsigned(v >> 32 & 0xff),
                  unsigned(v >> 24 & 0xff), unsigned(v >> 16 & 0xff), unsigned(v >> 8 & 0xff),
                  unsigned(v & 0xff));
    return b;
}

struct Builder {
    std::vector<ExpectedFrame> *out;
    std::string *error;
    LowpanContextTable contexts;
    std::uint8_t seq = 1;

    bool fail(const std::string &what, Error e) {
        *error = what + ": " + error_name(e);
        return false;
    }

    bool add_mac(const std::string &name, MacFrame f, std::map<std::string, std::string> fields) {
        Bytes psdu(f.emitted_size());
        Status s = f.emit(MutableByteSpan(psdu.data(), psdu.size()));
        if (!s)
            return fail(name, s.error());
        ExpectedFrame e;
        e.name = name;
        e.psdu = psdu;
        e.fields = std::move(fields);
        e.fields["wpan.fcs_ok"] = "1";
        out->push_back(std::move(e));
        return true;
    }

    MacFrame data_frame(const MacAddress &src, const MacAddress &dst, ByteSpan payload) {
        MacFrame f;
        f.type = MacFrameType::kData;
        f.version = MacFrameVersion::k2006;
        f.seq = seq++;
        f.ack_request = !dst.is_broadcast();
        f.has_dst_pan = true;
        f.dst_pan = 0xface;
        f.dst = dst;
        f.src = src;
        f.payload = payload;
        return f;
    }

    // Compresses `pkt` and appends frames: one if it fits, else FRAG1 + FRAGNs.
    bool add_ipv6(const std::string &name, const MacAddress &src, const MacAddress &dst,
                  const Bytes &pkt, std::map<std::string, std::string> fields,
                  const LowpanMeshHeader *mesh = nullptr, std::size_t max_payload = 90) {
        // RFC 4944 11 / RFC 6282 3.2.2: with a mesh header, elided addresses derive from the
        // originator and final destination, not from the 802.15.4 hop addresses.
        LinkAddresses link{src, dst};
        if (mesh)
            link = LinkAddresses{mesh->originator, mesh->final_destination};
        Bytes hdr(200);
        Result<IphcCompressResult> c =
            iphc_compress(ByteSpan(pkt.data(), pkt.size()), link, contexts,
                          MutableByteSpan(hdr.data(), hdr.size()));
        if (!c)
            return fail(name, c.error());
        hdr.resize(c->written);
        Bytes prefix;
        if (mesh) {
            Bytes m(mesh->emitted_size());
            ByteWriter w(MutableByteSpan(m.data(), m.size()));
            Status s = mesh->emit(w);
            if (!s)
                return fail(name, s.error());
            prefix = m;
        }
        const std::size_t rest = pkt.size() - c->consumed;
        if (hdr.size() + rest <= max_payload) {
            Bytes pl = prefix;
            pl.insert(pl.end(), hdr.begin(), hdr.end());
            pl.insert(pl.end(), pkt.begin() + static_cast<long>(c->consumed), pkt.end());
            MacFrame f = data_frame(src, dst, ByteSpan(pl.data(), pl.size()));
            return add_mac(name, f, fields);
        }
        // RFC 4944 5.3: FRAG1 carries the compressed header and a multiple of 8 bytes of the
        // uncompressed datagram; offsets count uncompressed bytes.
        const std::uint16_t tag = static_cast<std::uint16_t>(0x1200 + seq);
        std::size_t first_unc = ((max_payload - 4 - hdr.size()) + c->consumed) / 8 * 8;
        std::size_t pos = first_unc;
        LowpanFragHeader fh;
        fh.first = true;
        fh.datagram_size = static_cast<std::uint16_t>(pkt.size());
        fh.datagram_tag = tag;
        Bytes pl = prefix;
        std::uint8_t fb[5];
        ByteWriter fw(MutableByteSpan(fb, 5));
        fh.emit(fw);
        pl.insert(pl.end(), fb, fb + 4);
        pl.insert(pl.end(), hdr.begin(), hdr.end());
        pl.insert(pl.end(), pkt.begin() + static_cast<long>(c->consumed),
                  pkt.begin() + static_cast<long>(pos));
        std::map<std::string, std::string> f1 = {{"6lowpan.frag.size", std::to_string(pkt.size())},
                                                 {"6lowpan.frag.tag", hex16(tag)}};
        Bytes pl_copy = pl;
        if (!add_mac(name + "/frag1",
                     data_frame(src, dst, ByteSpan(pl_copy.data(), pl_copy.size())), f1))
            return false;
        while (pos < pkt.size()) {
            std::size_t n = std::min((max_payload - 5) / 8 * 8, pkt.size() - pos);
            LowpanFragHeader fn;
            fn.first = false;
            fn.datagram_size = fh.datagram_size;
            fn.datagram_tag = tag;
            fn.offset_units = static_cast<std::uint8_t>(pos / 8);
            ByteWriter nw(MutableByteSpan(fb, 5));
            fn.emit(nw);
            Bytes p2 = prefix;
            p2.insert(p2.end(), fb, fb + 5);
            p2.insert(p2.end(), pkt.begin() + static_cast<long>(pos),
                      pkt.begin() + static_cast<long>(pos + n));
            pos += n;
            std::map<std::string, std::string> fx = {
                {"6lowpan.frag.size", std::to_string(pkt.size())},
                {"6lowpan.frag.tag", hex16(tag)},
                {"6lowpan.frag.offset", std::to_string(fn.offset_units * 8)}};
            if (pos >= pkt.size()) {
                for (auto &kv : fields)
                    fx[kv.first] = kv.second;  // reassembled here
            }
            // The payload must outlive add_mac only until emit, which copies.
            if (!add_mac(name + "/fragn", data_frame(src, dst, ByteSpan(p2.data(), p2.size())), fx))
                return false;
        }
        return true;
    }
};

}  // namespace

bool build_frame_set(std::vector<ExpectedFrame> *frames, std::string *error) {
    Builder b{frames, error};
    b.contexts.set(0, addr("fd00:db8::"), 64);

    const MacAddress ext_a = MacAddress::from_extended(0x1222334455667788ull);
    const MacAddress ext_b = MacAddress::from_extended(0x8877665544332211ull);
    const MacAddress short_a = MacAddress::from_short(0x0400);
    const MacAddress short_b = MacAddress::from_short(0xfc00);
    const MacAddress bcast = MacAddress::from_short(0xffff);

    // 1. Imm-ack.
    if (!b.add_mac("imm-ack", MacFrame::imm_ack(0x42, true),
                   {{"wpan.frame_type", "0x0002"}, {"wpan.seq_no", "66"}, {"wpan.version", "1"}}))
        return false;

    // 2. Link-local UDP between extended addresses, everything elided.
    {
        Ip6Address s = addr("fe80::1022:3344:5566:7788"), d = addr("fe80::8a77:6655:4433:2211");
        Bytes pkt = ip6_packet(s, d, IpProto::kUdp,
                               udp_datagram(s, d, 0xf0b1, 0xf0b2, {'h', 'i', '!', 0}), 255);
        if (!b.add_ipv6("udp-ll-ext", ext_a, ext_b, pkt,
                        {{"wpan.src64", eui(ext_a.extended)},
                         {"wpan.dst64", eui(ext_b.extended)},
                         {"wpan.dst_pan", "0xface"},
                         {"6lowpan.iphc.sam", "0x0003"},
                         {"6lowpan.iphc.dam", "0x0003"},
                         {"ipv6.src", "fe80::1022:3344:5566:7788"},
                         {"ipv6.dst", "fe80::8a77:6655:4433:2211"},
                         {"ipv6.hlim", "255"},
                         {"udp.srcport", "61617"},
                         {"udp.dstport", "61618"},
                         {"udp.checksum.status", "1"}}))
            return false;
    }
    // 3. ICMPv6 echo with context-0 (mesh-local) addresses between short addresses.
    {
        Ip6Address s = addr("fd00:db8::ff:fe00:400"), d = addr("fd00:db8::ff:fe00:fc00");
        const std::uint8_t data[] = {1, 2, 3, 4, 5, 6, 7, 8};
        Icmp6Message m = Icmp6Message::echo(false, 0x1234, 7, ByteSpan(data));
        Bytes icmp(m.emitted_size());
        Status st = m.emit(MutableByteSpan(icmp.data(), icmp.size()), PseudoHeader{s, d});
        if (!st)
            return b.fail("echo", st.error());
        if (!b.add_ipv6("echo-ctx0", short_a, short_b, ip6_packet(s, d, IpProto::kIcmp6, icmp, 64),
                        {{"wpan.src16", "0x0400"},
                         {"wpan.dst16", "0xfc00"},
                         {"6lowpan.iphc.sac", "1"},
                         {"6lowpan.iphc.dac", "1"},
                         {"ipv6.src", "fd00:db8::ff:fe00:400"},
                         {"ipv6.dst", "fd00:db8::ff:fe00:fc00"},
                         {"icmpv6.type", "128"},
                         {"icmpv6.echo.identifier", "0x1234"},
                         {"icmpv6.echo.sequence_number", "7"},
                         {"icmpv6.checksum.status", "1"}}))
            return false;
    }
    // 4. RPL DIO to ff02::1a from a link-local address (multicast DAM=11).
    {
        Ip6Address s = addr("fe80::ff:fe00:400"), d = Ip6Address::all_rpl_nodes();
        RplDio dio;
        dio.instance_id = 1;
        dio.version = 3;
        dio.rank = 256;
        dio.grounded = true;
        dio.mop = 1;
        dio.dtsn = 9;
        dio.dodag_id = addr("fd00:db8::1");
        Bytes icmp(RplWriter(MutableByteSpan(), dio).size());
        auto st =
            RplWriter(MutableByteSpan(icmp.data(), icmp.size()), dio).finish(PseudoHeader{s, d});
        if (!st)
            return b.fail("dio", st.error());
        if (!b.add_ipv6("rpl-dio", short_a, bcast, ip6_packet(s, d, IpProto::kIcmp6, icmp, 255),
                        {{"wpan.dst16", "0xffff"},
                         {"6lowpan.iphc.m", "1"},
                         {"6lowpan.iphc.dam", "0x0003"},
                         {"ipv6.dst", "ff02::1a"},
                         {"icmpv6.type", "155"},
                         {"icmpv6.code", "1"},
                         {"icmpv6.rpl.dio.instance", "1"},
                         {"icmpv6.rpl.dio.version", "3"},
                         {"icmpv6.rpl.dio.rank", "256"},
                         {"icmpv6.rpl.dio.dagid", "fd00:db8::1"}}))
            return false;
    }
    // 5. NS with ARO (RFC 6775) from a global address (stateless, inline).
    {
        Ip6Address s = addr("2001:db8::1022:3344:5566:7788"), d = addr("fe80::ff:fe00:fc00");
        NdNeighborSolicitation ns;
        ns.target = d;
        const std::uint8_t e64[8] = {0x12, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
        const NdAddressRegistration aro = NdAddressRegistration::aro(0, 60, e64);
        Bytes icmp(NdWriter(MutableByteSpan(), ns).add(aro).size());
        auto st = NdWriter(MutableByteSpan(icmp.data(), icmp.size()), ns)
                      .add(aro)
                      .finish(PseudoHeader{s, d});
        if (!st)
            return b.fail("ns", st.error());
        if (!b.add_ipv6("nd-ns-aro", ext_a, short_b, ip6_packet(s, d, IpProto::kIcmp6, icmp, 255),
                        {{"6lowpan.iphc.sam", "0x0000"},
                         {"ipv6.src", "2001:db8::1022:3344:5566:7788"},
                         {"icmpv6.type", "135"},
                         {"icmpv6.nd.ns.target_address", "fe80::ff:fe00:fc00"},
                         {"icmpv6.opt.aro.registration_lifetime", "60"},
                         {"icmpv6.checksum.status", "1"}}))
            return false;
    }
    // 6. A 300-byte UDP datagram, fragmented (FRAG1 + FRAGNs), reassembled by tshark.
    {
        Ip6Address s = addr("fd00:db8::ff:fe00:400"), d = addr("fd00:db8::1:2:3:4");
        Bytes payload(300);
        for (std::size_t i = 0; i < payload.size(); ++i)
            payload[i] = static_cast<std::uint8_t>(i);
        Bytes pkt = ip6_packet(s, d, IpProto::kUdp, udp_datagram(s, d, 5000, 6000, payload), 64);
        if (!b.add_ipv6("udp-fragmented", short_a, short_b, pkt,
                        {{"ipv6.dst", "fd00:db8::1:2:3:4"},
                         {"ipv6.plen", "308"},
                         {"udp.srcport", "5000"},
                         {"udp.dstport", "6000"},
                         {"udp.length", "308"},
                         {"udp.checksum.status", "1"}}))
            return false;
    }
    // 7. Mesh header (short originator and final destination) in front of IPHC.
    {
        Ip6Address s = addr("fd00:db8::ff:fe00:400"), d = addr("fd00:db8::ff:fe00:fc00");
        LowpanMeshHeader mh;
        mh.hops_left = 5;
        mh.originator = short_a;
        mh.final_destination = short_b;
        Bytes pkt = ip6_packet(s, d, IpProto::kUdp, udp_datagram(s, d, 0xf0b3, 0xf0b4, {7, 7}), 64);
        if (!b.add_ipv6("mesh-header", MacAddress::from_short(0x0800),
                        MacAddress::from_short(0x0c00), pkt,
                        {{"6lowpan.mesh.hops", "5"},
                         {"6lowpan.mesh.orig16", "0x0400"},
                         {"6lowpan.mesh.dest16", "0xfc00"},
                         {"udp.srcport", "61619"}},
                        &mh))
            return false;
    }
    // 8. Hop-by-hop RPL option + IPv6-in-IPv6 (RPL non-storing, leaving the mesh).
    {
        Ip6Address s = addr("fd00:db8::ff:fe00:400"), br = addr("fd00:db8::ff:fe00:fc00"),
                   far = addr("2001:db8:99::5");
        Bytes inner =
            ip6_packet(s, far, IpProto::kUdp, udp_datagram(s, far, 7000, 7001, {1, 2, 3}), 63);
        Bytes upper = {IpProto::kIpv6, 0, 0x63, 0x04, 0x00, 0x01, 0x01, 0x00};
        upper.insert(upper.end(), inner.begin(), inner.end());
        if (!b.add_ipv6("hbh-rpl-ipinip", short_a, short_b,
                        ip6_packet(s, br, IpProto::kHopByHop, upper, 64),
                        {{"6lowpan.nhc.ext.eid", "0x00,0x07"},
                         {"ipv6.opt.rpl.instance_id", "0x01"},
                         {"ipv6.dst", "fd00:db8::ff:fe00:fc00,2001:db8:99::5"},
                         {"udp.dstport", "7001"}}))
            return false;
    }
    // 9. Secured data frame (level 5, key id mode 1), payload opaque ciphertext.
    {
        const std::uint8_t ct[] = {0x3a, 0x51, 0x9c, 0x07, 0x11, 0xee};
        const std::uint8_t mic[] = {0xa1, 0xa2, 0xa3, 0xa4};
        MacFrame f = b.data_frame(ext_a, short_b, ByteSpan(ct));
        f.security_enabled = true;
        f.security.security_level = 5;
        f.security.key_id_mode = 1;
        f.security.key_index = 1;
        f.security.frame_counter = 0x01020304;
        f.mic = mic;
        if (!b.add_mac("secured-kim1", f,
                       {{"wpan.security", "1"},
                        {"wpan.aux_sec.sec_level", "0x05"},
                        {"wpan.aux_sec.key_id_mode", "0x01"},
                        {"wpan.aux_sec.frame_counter", "16909060"},
                        {"wpan.aux_sec.key_index", "0x01"}}))
            return false;
    }
    // 10. Secured with key id mode 2 (4-byte key source), as Thread MLE discovery / mode 2.
    {
        const std::uint8_t ct[] = {0x01, 0x02, 0x03};
        const std::uint8_t mic[] = {1, 2, 3, 4, 5, 6, 7, 8};
        MacFrame f = b.data_frame(short_a, short_b, ByteSpan(ct));
        f.security_enabled = true;
        f.security.security_level = 6;
        f.security.key_id_mode = 2;
        const std::uint8_t ks[] = {0xff, 0xff, 0xff, 0xff};
        std::memcpy(f.security.key_source, ks, 4);
        f.security.key_index = 0xff;
        f.security.frame_counter = 5;
        f.mic = mic;
        if (!b.add_mac("secured-kim2", f,
                       {{"wpan.aux_sec.sec_level", "0x06"},
                        {"wpan.aux_sec.key_id_mode", "0x02"},
                        {"wpan.aux_sec.key_index", "0xff"}}))
            return false;
    }
    // 11. 2015 enh-ack with a CSL header IE.
    {
        std::uint8_t ies[8];
        ByteWriter w{MutableByteSpan(ies)};
        const std::uint8_t csl[] = {0x10, 0x00, 0xe8, 0x03};
        HeaderIeList::emit(w, static_cast<std::uint8_t>(HeaderIeId::kCsl), ByteSpan(csl));
        MacFrame f;
        f.type = MacFrameType::kAck;
        f.version = MacFrameVersion::k2015;
        f.seq = 0x77;
        f.has_dst_pan = true;
        f.dst_pan = 0xface;
        f.dst = ext_b;
        f.header_ies = w.written();
        if (!b.add_mac("enh-ack-csl", f,
                       {{"wpan.frame_type", "0x0002"},
                        {"wpan.version", "2"},
                        {"wpan.seq_no", "119"},
                        {"wpan.header_ie.csl.phase", "16"},
                        {"wpan.header_ie.csl.period", "1000"}}))
            return false;
    }
    // 12. MAC command: data request (2006), extended source, short destination.
    {
        const std::uint8_t cmd[] = {static_cast<std::uint8_t>(MacCommandId::kDataRequest)};
        MacFrame f = b.data_frame(ext_a, short_b, ByteSpan(cmd));
        f.type = MacFrameType::kMacCommand;
        if (!b.add_mac("cmd-data-request", f,
                       {{"wpan.frame_type", "0x0003"}, {"wpan.cmd", "0x04"}}))
            return false;
    }
    // 13. Beacon request (2003, broadcast, no source) and a 2015 frame without sequence number.
    {
        const std::uint8_t cmd[] = {static_cast<std::uint8_t>(MacCommandId::kBeaconRequest)};
        MacFrame f;
        f.type = MacFrameType::kMacCommand;
        f.version = MacFrameVersion::k2003;
        f.seq = 200;
        f.has_dst_pan = true;
        f.dst_pan = 0xffff;
        f.dst = bcast;
        f.payload = cmd;
        if (!b.add_mac("beacon-request", f, {{"wpan.cmd", "0x07"}, {"wpan.dst_pan", "0xffff"}}))
            return false;
        const std::uint8_t pl[] = {0x41, 0x60, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3b, 0x40};
        (void)pl;
        MacFrame g;
        g.version = MacFrameVersion::k2015;
        g.seq_suppressed = true;
        g.dst = short_b;
        g.src = short_a;
        g.has_dst_pan = true;
        g.dst_pan = 0xface;
        const std::uint8_t data[] = {0x00, 0x01};  // NALP: not 6LoWPAN
        g.payload = data;
        if (!b.add_mac(
                "2015-no-seq", g,
                {{"wpan.seqno_suppression", "1"}, {"wpan.src_pan", ""}, {"wpan.src16", "0x0400"}}))
            return false;
    }
    // 14. Beacon with a Thread beacon payload.
    {
        Bytes pl = {0xff, 0xcf, 0x00, 0x00, 0x03, 0x21};
        const char name[16] = "meshwork";
        pl.insert(pl.end(), name, name + 16);
        for (int i = 0; i < 8; ++i)
            pl.push_back(static_cast<std::uint8_t>(0xd0 + i));
        MacFrame f;
        f.type = MacFrameType::kBeacon;
        f.version = MacFrameVersion::k2006;
        f.seq = 9;
        f.has_src_pan = true;
        f.src_pan = 0xface;
        f.src = ext_a;
        f.payload = ByteSpan(pl.data(), pl.size());
        if (!b.add_mac("beacon-thread", f,
                       {{"wpan.frame_type", "0x0000"},
                        {"wpan.src_pan", "0xface"},
                        {"wpan.src64", eui(ext_a.extended)}}))
            return false;
    }
    // 14b. 2015 data frame with a header IE, a payload IE (MLME group) and a payload after the
    // termination IE, secured-free; then a 2015 secured frame with frame counter suppression off.
    {
        std::uint8_t hies[16], pies[16];
        ByteWriter hw{MutableByteSpan(hies)}, pw{MutableByteSpan(pies)};
        const std::uint8_t tc[] = {0x00, 0x00};  // time correction 0
        HeaderIeList::emit(hw, static_cast<std::uint8_t>(HeaderIeId::kTimeCorrection),
                           ByteSpan(tc));
        // MLME payload IE holding one nested short IE: TSCH synchronisation (sub-ID 0x1a, ASN and
        // join metric).
        const std::uint8_t mlme[] = {0x06, 0x1a, 0x05, 0x04, 0x03, 0x02, 0x01, 0x00};
        PayloadIeList::emit(pw, static_cast<std::uint8_t>(PayloadIeGroup::kMlme), ByteSpan(mlme));
        const std::uint8_t data[] = {0x00, 0x42};  // NALP payload
        MacFrame f = b.data_frame(short_a, short_b, ByteSpan(data));
        f.version = MacFrameVersion::k2015;
        f.header_ies = hw.written();
        f.payload_ies = pw.written();
        if (!b.add_mac("2015-ies", f,
                       {{"wpan.version", "2"},
                        {"wpan.header_ie.time_correction.value", "0"},
                        {"wpan.tsch.asn", "4328719365"},
                        {"wpan.src16", "0x0400"}}))
            return false;
        const std::uint8_t ct[] = {0x10, 0x20, 0x30};
        const std::uint8_t mic[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
        MacFrame g = b.data_frame(ext_a, ext_b, ByteSpan(ct));
        g.version = MacFrameVersion::k2015;
        g.has_dst_pan = true;
        g.security_enabled = true;
        g.security.security_level = 7;
        g.security.key_id_mode = 3;
        for (int i = 0; i < 8; ++i)
            g.security.key_source[i] = static_cast<std::uint8_t>(0x50 + i);
        g.security.key_index = 9;
        g.security.frame_counter = 77;
        g.mic = mic;
        if (!b.add_mac("2015-secured-kim3", g,
                       {{"wpan.aux_sec.sec_level", "0x07"},
                        {"wpan.aux_sec.key_id_mode", "0x03"},
                        {"wpan.aux_sec.key_index", "0x09"},
                        {"wpan.aux_sec.frame_counter", "77"}}))
            return false;
    }
    // 15. MLE Discovery Request (security suite 255) to ff02::1.
    {
        Ip6Address s = addr("fe80::1022:3344:5566:7788"), d = Ip6Address::all_nodes_link_local();
        std::uint8_t buf[32];
        ByteWriter w{MutableByteSpan(buf)};
        w.u8(MleMessage::kSuiteUnsecured);
        w.u8(MleCommand::kDiscoveryRequest);
        TlvWriter tw(w);
        const std::uint8_t disc_req[] = {128, 2, 0x20,
                                         0x00};  // MeshCoP Discovery Request, version 2
        tw.put(MleTlvType::kDiscovery, ByteSpan(disc_req));
        Bytes payload(w.written().begin(), w.written().end());
        Bytes pkt = ip6_packet(
            s, d, IpProto::kUdp,
            udp_datagram(s, d, MleMessage::kUdpPort, MleMessage::kUdpPort, payload), 255);
        if (!b.add_ipv6("mle-discovery", ext_a, bcast, pkt,
                        {{"udp.dstport", "19788"},
                         {"mle.sec_suite", "0xff"},
                         {"mle.cmd", "16"},
                         {"mle.tlv.type", "26"}}))
            return false;
    }
    // 16. Secured MLE (suite 0, Thread aux header: level 5, key-id mode 2, key sequence 0).
    {
        Ip6Address s = addr("fe80::1022:3344:5566:7788"), d = addr("fe80::8a77:6655:4433:2211");
        MleMessage m;
        m.security_suite = MleMessage::kSuiteSecured;
        m.aux = MleMessage::thread_aux_header(0, 3);
        const std::uint8_t ct[] = {0x5d, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06};
        const std::uint8_t mic[] = {0xc1, 0xc2, 0xc3, 0xc4};
        m.ciphertext = ct;
        m.mic = mic;
        Bytes payload(m.emitted_size());
        Status st = m.emit(MutableByteSpan(payload.data(), payload.size()));
        if (!st)
            return b.fail("mle", st.error());
        Bytes pkt = ip6_packet(
            s, d, IpProto::kUdp,
            udp_datagram(s, d, MleMessage::kUdpPort, MleMessage::kUdpPort, payload), 255);
        if (!b.add_ipv6("mle-secured", ext_a, ext_b, pkt,
                        {{"mle.sec_suite", "0x00"},
                         {"wpan.aux_sec.sec_level", "0x05"},
                         {"wpan.aux_sec.key_id_mode", "0x02"},
                         {"wpan.aux_sec.frame_counter", "3"},
                         {"wpan.aux_sec.key_index", "0x01"}}))
            return false;
    }
    // 17. TMF CoAP: CON POST /a/as with a token and a TLV payload, to UDP 61631.
    {
        Ip6Address s = addr("fd00:db8::ff:fe00:400"), d = addr("fd00:db8::ff:fe00:fc00");
        std::uint8_t buf[64];
        const std::uint8_t token[] = {0x11, 0x22, 0x33, 0x44};
        const std::uint8_t tlvs[] = {0x01, 0x08, 1, 2, 3, 4, 5, 6, 7, 8, 0x03, 0x01, 0x00};
        Result<std::size_t> n = CoapBuilder(MutableByteSpan(buf), CoapType::kConfirmable,
                                            CoapCode::kPost, 0x4242, ByteSpan(token))
                                    .uri_path("a/as")
                                    .payload(ByteSpan(tlvs))
                                    .finish();
        if (!n)
            return b.fail("coap", n.error());
        Bytes payload(buf, buf + *n);
        Bytes pkt = ip6_packet(
            s, d, IpProto::kUdp,
            udp_datagram(s, d, CoapMessage::kTmfPort, CoapMessage::kTmfPort, payload), 64);
        if (!b.add_ipv6("tmf-coap", short_a, short_b, pkt,
                        {{"coap.type", "0"},
                         {"coap.code", "2"},
                         {"coap.mid", "16962"},
                         {"coap.token", "11223344"},
                         {"coap.opt.uri_path_recon", "/a/as"},
                         {"coap.payload_length", "13"}}))
            return false;
    }
    return true;
}

}  // namespace meshwork::interop
