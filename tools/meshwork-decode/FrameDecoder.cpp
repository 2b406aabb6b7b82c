#include "FrameDecoder.h"

#include <cstdio>
#include <string>

#include "mesh/mac/MacSecurity.h"
#include "wire/Checksum.h"
#include "wire/Coap.h"
#include "wire/Ieee802154.h"
#include "wire/Ip6.h"
#include "wire/LowpanFrag.h"
#include "wire/LowpanMesh.h"
#include "wire/LowpanNhc.h"
#include "wire/Mle.h"

namespace meshwork::decode {

using nlohmann::json;
using namespace meshwork::wire;

namespace {

std::string hex(std::uint32_t v, int digits) {
    char b[16];
    std::snprintf(b, sizeof b, "0x%0*x", digits, v);
    return b;
}

std::string hex_bytes(ByteSpan s) {
    static const char *d = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < s.size; ++i) {
        out.push_back(d[s[i] >> 4]);
        out.push_back(d[s[i] & 15]);
    }
    return out;
}

std::string eui64(std::uint64_t v) {
    char b[32];
    std::snprintf(b, sizeof b, "%02x:%02x:%02x:%02x:%02x:%02x:%02x:%02x", unsigned(v >> 56 & 0xff),
                  unsigned(v >> 48 & 0xff), unsigned(v >> 40 & 0xff), unsigned(v >> 32 & 0xff),
                  unsigned(v >> 24 & 0xff), unsigned(v >> 16 & 0xff), unsigned(v >> 8 & 0xff),
                  unsigned(v & 0xff));
    return b;
}

std::string ip6_text(const Ip6Address &a) {
    char b[Ip6Address::kTextMax];
    a.to_text(b, sizeof b);
    return b;
}

void put_address(json &j, const char *prefix, const MacAddress &a) {
    if (a.mode == MacAddrMode::kShort)
        j[std::string(prefix) + "16"] = hex(a.short_address, 4);
    if (a.mode == MacAddrMode::kExtended)
        j[std::string(prefix) + "64"] = eui64(a.extended);
}

struct Ctx {
    json out;
    const DecodeOptions &opt;
    const std::uint8_t *base = nullptr;  // frame start, for error offsets

    std::size_t offset_of(ByteSpan s) const { return static_cast<std::size_t>(s.data - base); }
    void error(const char *layer, std::size_t offset, const char *reason) {
        out["error"] = {{"layer", layer}, {"offset", offset}, {"reason", reason}};
    }
    void error(const char *layer, std::size_t offset, Error e) {
        error(layer, offset, error_name(e));
    }
};

void decode_coap(Ctx &c, ByteSpan p) {
    Result<CoapMessage> m = CoapMessage::parse(p);
    if (!m)
        return c.error("coap", c.offset_of(p), m.error());
    json j;
    j["type"] = m->type();
    j["code"] = m->code();
    j["mid"] = m->message_id();
    j["token"] = hex_bytes(m->token());
    char path[256];
    if (m->uri_path(path, sizeof path))
        j["opt"]["uri_path_recon"] = std::string("/") + path;
    json opts = json::array();
    m->for_each_option([&](const CoapOptionValue &o) {
        opts.push_back(
            {{"number", o.number}, {"length", o.value.size}, {"value", hex_bytes(o.value)}});
    });
    j["options"] = opts;
    j["payload_length"] = m->payload().size;
    c.out["coap"] = j;
}

void decode_mle(Ctx &c, ByteSpan p) {
    Result<MleMessage> m = MleMessage::parse(p);
    if (!m)
        return c.error("mle", c.offset_of(p), m.error());
    json j;
    j["sec_suite"] = m->security_suite;
    if (m->security_suite == MleMessage::kSuiteSecured) {
        j["aux_sec"] = {
            {"sec_level", m->aux.security_level},
            {"key_id_mode", m->aux.key_id_mode},
            {"frame_counter", m->aux.frame_counter},
            {"key_source", hex_bytes(ByteSpan(m->aux.key_source, AuxSecurityHeader::key_source_size(
                                                                     m->aux.key_id_mode)))},
            {"key_index", m->aux.key_index}};
        j["encrypted_length"] = m->ciphertext.size;
        j["mic"] = hex_bytes(m->mic);
        c.out["mle"] = j;
        return;
    }
    Result<MlePlaintext> pt = MlePlaintext::parse(m->plaintext);
    if (!pt) {
        c.out["mle"] = j;
        return c.error("mle", c.offset_of(m->plaintext), pt.error());
    }
    j["cmd"] = pt->command;
    j["cmd_name"] = mle_command_name(pt->command);
    json tlvs = json::array();
    for (Tlv t : pt->tlvs)
        tlvs.push_back({{"type", t.type}, {"length", t.value.size}, {"value", hex_bytes(t.value)}});
    j["tlv"] = tlvs;
    c.out["mle"] = j;
}

void decode_udp(Ctx &c, const Ip6Address &src, const Ip6Address &dst, ByteSpan udp, bool complete) {
    if (udp.size < 8)
        return c.error("udp", c.offset_of(udp), Error::kTruncated);
    ByteReader r(udp);
    json j;
    std::uint16_t sp = r.u16(), dp = r.u16(), len = r.u16(), ck = r.u16();
    j["srcport"] = sp;
    j["dstport"] = dp;
    j["length"] = len;
    j["checksum"] = hex(ck, 4);
    if (complete) {
        if (len != udp.size) {
            c.out["udp"] = j;
            return c.error("udp", c.offset_of(udp), "length mismatch");
        }
        Checksum cs;
        cs.add_ip6_pseudo_header(src, dst, len, IpProto::kUdp);
        cs.add(udp);
        j["checksum_status"] = cs.verifies() ? "good" : "bad";
    }
    c.out["udp"] = j;
    if (!complete)
        return;
    ByteSpan payload = udp.subspan(8);
    if (sp == MleMessage::kUdpPort || dp == MleMessage::kUdpPort)
        decode_mle(c, payload);
    else if (dp == CoapMessage::kTmfPort || sp == CoapMessage::kTmfPort ||
             dp == CoapMessage::kDefaultPort || sp == CoapMessage::kDefaultPort)
        decode_coap(c, payload);
}

void decode_icmp6(Ctx &c, const Ip6Address &src, const Ip6Address &dst, ByteSpan m, bool complete) {
    if (m.size < 4)
        return c.error("icmpv6", c.offset_of(m), Error::kTruncated);
    json j;
    j["type"] = m[0];
    j["code"] = m[1];
    j["checksum"] = hex(static_cast<std::uint32_t>(m[2] << 8 | m[3]), 4);
    if (complete) {
        Checksum cs;
        cs.add_ip6_pseudo_header(src, dst, static_cast<std::uint32_t>(m.size), IpProto::kIcmp6);
        cs.add(m);
        j["checksum_status"] = cs.verifies() ? "good" : "bad";
    }
    if ((m[0] == 128 || m[0] == 129) && m.size >= 8) {
        j["echo"] = {{"identifier", hex(static_cast<std::uint32_t>(m[4] << 8 | m[5]), 4)},
                     {"sequence_number", m[6] << 8 | m[7]}};
    }
    c.out["icmpv6"] = j;
}

// An uncompressed IPv6 packet (possibly only its first part when `complete` is false).
void decode_ipv6(Ctx &c, ByteSpan pkt, bool complete, const char *key) {
    if (pkt.size < 40)
        return c.error(key, c.offset_of(pkt), Error::kTruncated);
    ByteReader r(pkt);
    std::uint32_t vtf = r.u32();
    std::uint16_t plen = r.u16();
    std::uint8_t nh = r.u8();
    std::uint8_t hlim = r.u8();
    Ip6Address src = Ip6Address::from_span(r.take(16));
    Ip6Address dst = Ip6Address::from_span(r.take(16));
    json j;
    j["version"] = vtf >> 28;
    j["tclass"] = hex(vtf >> 20 & 0xff, 2);
    j["flow"] = hex(vtf & 0xfffff, 5);
    j["plen"] = plen;
    j["nxt"] = nh;
    j["hlim"] = hlim;
    j["src"] = ip6_text(src);
    j["dst"] = ip6_text(dst);
    if (complete && pkt.size != 40u + plen) {
        c.out[key] = j;
        return c.error(key, c.offset_of(pkt), "payload length mismatch");
    }
    // Walk the extension headers to the upper layer.
    std::size_t pos = 40;
    json ext = json::array();
    while (nh == IpProto::kHopByHop || nh == IpProto::kRouting || nh == IpProto::kDestOpts ||
           nh == IpProto::kFragment) {
        if (pkt.size - pos < 8) {
            c.out[key] = j;
            return c.error(key, c.offset_of(pkt) + pos, Error::kTruncated);
        }
        std::size_t len = nh == IpProto::kFragment ? 8 : (pkt[pos + 1] + 1u) * 8u;
        if (pkt.size - pos < len) {
            c.out[key] = j;
            return c.error(key, c.offset_of(pkt) + pos, Error::kTruncated);
        }
        ext.push_back({{"type", nh}, {"length", len}});
        nh = pkt[pos];
        pos += len;
    }
    if (!ext.empty())
        j["ext"] = ext;
    c.out[key] = j;
    ByteSpan upper = pkt.subspan(pos);
    if (nh == IpProto::kUdp)
        decode_udp(c, src, dst, upper, complete);
    else if (nh == IpProto::kIcmp6)
        decode_icmp6(c, src, dst, upper, complete);
    else if (nh == IpProto::kIpv6 && std::string(key) == "ipv6")
        decode_ipv6(c, upper, complete, "ipv6_inner");
}

void decode_lowpan(Ctx &c, ByteSpan p, const MacFrame &f) {
    json lp;
    LinkAddresses link{f.src, f.dst};
    std::size_t datagram_size = 0;
    ByteReader r(p);
    auto fail = [&](std::size_t off, Error e) {
        c.out["6lowpan"] = lp;
        c.error("6lowpan", c.offset_of(p) + off, e);
    };
    for (;;) {
        if (r.at_end())
            return fail(r.offset(), Error::kTruncated);
        const std::size_t off = r.offset();
        LowpanDispatch d = lowpan_dispatch(r.rest()[0]);
        if (d == LowpanDispatch::kMesh) {
            Result<LowpanMeshHeader> m = LowpanMeshHeader::parse(r);
            if (!m)
                return fail(off, m.error());
            json mj;
            mj["hops"] = m->hops_left;
            put_address(mj, "orig", m->originator);
            put_address(mj, "dest", m->final_destination);
            lp["mesh"] = mj;
            // RFC 4944 11: IPHC addresses derive from the mesh originator / final destination.
            link = LinkAddresses{m->originator, m->final_destination};
            continue;
        }
        if (d == LowpanDispatch::kBc0) {
            Result<LowpanBroadcastHeader> b = LowpanBroadcastHeader::parse(r);
            if (!b)
                return fail(off, b.error());
            lp["bc0"] = {{"seq", b->sequence}};
            continue;
        }
        if (d == LowpanDispatch::kFrag1 || d == LowpanDispatch::kFragN) {
            Result<LowpanFragHeader> h = LowpanFragHeader::parse(r);
            if (!h)
                return fail(off, h.error());
            lp["frag"] = {
                {"size", h->datagram_size}, {"tag", hex(h->datagram_tag, 4)}, {"first", h->first}};
            if (!h->first)
                lp["frag"]["offset"] = h->offset_bytes();  // FRAG1 has no offset field
            if (!h->first) {
                lp["frag"]["payload_length"] = r.remaining();
                c.out["6lowpan"] = lp;
                return;  // no reassembly in the decoder
            }
            datagram_size = h->datagram_size;
            continue;
        }
        if (d == LowpanDispatch::kIpv6) {
            r.skip(1);
            c.out["6lowpan"] = lp;
            return decode_ipv6(c, r.rest(), datagram_size == 0, "ipv6");
        }
        if (d == LowpanDispatch::kIphc) {
            ByteSpan rest = r.rest();
            {
                ByteReader fr(rest);
                Result<IphcFields> fld = IphcFields::parse(fr);
                if (!fld)
                    return fail(off, fld.error());
                lp["iphc"] = {{"tf", fld->tf},   {"nh", fld->nh},   {"hlim", fld->hlim},
                              {"cid", fld->cid}, {"sac", fld->sac}, {"sam", fld->sam},
                              {"m", fld->m},     {"dac", fld->dac}, {"dam", fld->dam},
                              {"sci", fld->sci}, {"dci", fld->dci}};
            }
            std::uint8_t buf[kIphcMaxUncompressedHeader + 1300];
            Result<IphcDecompressResult> res =
                iphc_decompress(rest, link, c.opt.contexts,
                                MutableByteSpan(buf, kIphcMaxUncompressedHeader), datagram_size);
            if (!res)
                return fail(off, res.error());
            lp["iphc"]["length"] = res->consumed;
            std::size_t tail = rest.size - res->consumed;
            if (res->written + tail > sizeof buf)
                return fail(off, Error::kNoSpace);
            std::memcpy(buf + res->written, rest.data + res->consumed, tail);
            ByteSpan pkt(buf, res->written + tail);
            c.out["6lowpan"] = lp;
            // Offsets of errors inside the rebuilt packet are reported at the IPHC header.
            Ctx inner{json::object(), c.opt, pkt.data};
            decode_ipv6(inner, pkt, datagram_size == 0, "ipv6");
            for (auto it = inner.out.begin(); it != inner.out.end(); ++it) {
                if (it.key() == "error") {
                    json e = it.value();
                    e["offset"] = c.offset_of(p) + off;
                    e["note"] = "inside the decompressed packet at offset " +
                                std::to_string(it.value()["offset"].get<std::size_t>());
                    c.out["error"] = e;
                } else {
                    c.out[it.key()] = it.value();
                }
            }
            return;
        }
        lp["dispatch"] = lowpan_dispatch_name(d);
        c.out["6lowpan"] = lp;
        if (d == LowpanDispatch::kNalp)
            return;  // not 6LoWPAN: left as data
        return c.error("6lowpan", c.offset_of(p) + off, Error::kUnsupported);
    }
}

}  // namespace

// Decrypts a secured frame into `plain` with the first key that verifies; records the outcome
// in w["decryption"]. Returns the plaintext frame or an error.
Result<MacFrame> decrypt(const MacFrame &f, ByteSpan mpdu, const DecodeOptions &opt, json &w,
                         std::vector<std::uint8_t> *plain) {
    const AuxSecurityHeader &a = f.security;
    std::uint64_t src = f.src.mode == MacAddrMode::kExtended ? f.src.extended : 0;
    if (f.src.mode == MacAddrMode::kShort) {
        const std::uint16_t pan = f.has_src_pan ? f.src_pan : f.dst_pan;
        for (const DecodeAddress &d : opt.addresses)
            if (d.short_address == f.src.short_address && (d.pan == 0xffff || d.pan == pan))
                src = d.extended;
    }
    if (src == 0 && f.type == MacFrameType::kAck && f.src.mode == MacAddrMode::kNone)
        src = opt.ack_source;
    if (src == 0) {
        w["decryption"] = "no-source-address";
        return Error::kNotFound;
    }
    if (a.frame_counter_suppressed || a.asn_in_nonce || f.payload_ies_encrypted ||
        a.security_level == 0 || mpdu.size > MacFrame::kMaxPsduSize) {
        w["decryption"] = "unsupported";
        return Error::kUnsupported;
    }
    const std::size_t a_len =
        static_cast<std::size_t>(f.payload.data - mpdu.data) + mac::mac_open_payload_size(f);
    std::uint8_t nonce[13];
    mac::mac_ccm_nonce(src, a.frame_counter, a.security_level, nonce);
    bool tried = false;
    for (const DecodeKey &k : opt.keys) {
        if (k.index != (a.key_id_mode == 0 ? 0 : a.key_index))
            continue;
        tried = true;
        plain->assign(mpdu.begin(), mpdu.end());
        if (!mac::mac_ccm_unsecure(k.key, nonce, a.security_level,
                                   MutableByteSpan(plain->data(), plain->size()), a_len))
            continue;
        Result<MacFrame> p = MacFrame::parse_without_fcs(ByteSpan(plain->data(), plain->size()));
        if (!p)
            break;
        w["decryption"] = "ok";
        w["decrypted_payload"] = hex_bytes(p->payload);
        return p;
    }
    w["decryption"] = tried ? "mic-failure" : "no-key";
    return Error::kChecksum;
}

std::uint64_t AckTracker::next(ByteSpan frame, bool has_fcs, const DecodeOptions &options) {
    if (has_fcs && frame.size < 2)
        return 0;
    Result<MacFrame> f =
        MacFrame::parse_without_fcs(has_fcs ? frame.subspan(0, frame.size - 2) : frame);
    if (!f || f->seq_suppressed) {
        have_ = false;
        return 0;
    }
    if (f->type == MacFrameType::kAck) {
        const std::uint64_t src = have_ && f->seq == seq_ ? dst_ : 0;
        have_ = false;
        return src;
    }
    have_ = f->ack_request;
    seq_ = f->seq;
    dst_ = f->dst.mode == MacAddrMode::kExtended ? f->dst.extended : 0;
    if (f->dst.mode == MacAddrMode::kShort) {
        const std::uint16_t pan = f->has_dst_pan ? f->dst_pan : 0xffff;
        for (const DecodeAddress &d : options.addresses)
            if (d.short_address == f->dst.short_address && (d.pan == 0xffff || d.pan == pan))
                dst_ = d.extended;
    }
    return 0;
}

json decode_frame(ByteSpan frame, bool has_fcs, const DecodeOptions &options) {
    Ctx c{json::object(), options, frame.data};
    json w;
    ByteSpan mpdu = frame;
    if (has_fcs) {
        if (frame.size < 2) {
            c.error("wpan", 0, Error::kTruncated);
            return c.out;
        }
        mpdu = frame.subspan(0, frame.size - 2);
        std::uint16_t fcs =
            static_cast<std::uint16_t>(frame[frame.size - 2] | frame[frame.size - 1] << 8);
        w["fcs"] = hex(fcs, 4);
        w["fcs_ok"] = mac_fcs(mpdu) == fcs;
    }
    Result<MacFrame> f = MacFrame::parse_without_fcs(mpdu);
    if (!f) {
        c.out["wpan"] = w;
        c.error("wpan", 0, f.error());
        return c.out;
    }
    w["frame_type"] = static_cast<int>(f->type);
    w["version"] = static_cast<int>(f->version);
    w["security"] = f->security_enabled;
    w["pending"] = f->frame_pending;
    w["ack_request"] = f->ack_request;
    w["pan_id_compression"] = f->pan_id_compression().value_or(false);
    w["seqno_suppression"] = f->seq_suppressed;
    if (!f->seq_suppressed)
        w["seq_no"] = f->seq;
    if (f->has_dst_pan)
        w["dst_pan"] = hex(f->dst_pan, 4);
    put_address(w, "dst", f->dst);
    if (f->has_src_pan)
        w["src_pan"] = hex(f->src_pan, 4);
    put_address(w, "src", f->src);
    if (f->security_enabled) {
        const AuxSecurityHeader &a = f->security;
        json aj = {{"sec_level", a.security_level},
                   {"key_id_mode", a.key_id_mode},
                   {"key_index", a.key_index}};
        if (!a.frame_counter_suppressed)
            aj["frame_counter"] = a.frame_counter;
        if (a.key_id_mode >= 2)
            aj["key_source"] = hex_bytes(
                ByteSpan(a.key_source, AuxSecurityHeader::key_source_size(a.key_id_mode)));
        w["aux_sec"] = aj;
        w["mic"] = hex_bytes(f->mic);
    }
    if (!f->header_ies.empty()) {
        json ies = json::array();
        HeaderIeList::parse(f->header_ies)->for_each([&](const HeaderIe &ie) {
            json ij = {
                {"id", ie.id}, {"length", ie.content.size}, {"content", hex_bytes(ie.content)}};
            if (ie.id == static_cast<std::uint8_t>(HeaderIeId::kCsl)) {
                Result<CslIe> csl = CslIe::parse(ie.content);
                if (csl)
                    ij["csl"] = {{"phase", csl->phase}, {"period", csl->period}};
            }
            ies.push_back(ij);
        });
        w["header_ie"] = ies;
    }
    if (!f->payload_ies.empty()) {
        json ies = json::array();
        PayloadIeList::parse(f->payload_ies)->for_each([&](const PayloadIe &ie) {
            ies.push_back({{"group", ie.group},
                           {"length", ie.content.size},
                           {"content", hex_bytes(ie.content)}});
        });
        w["payload_ie"] = ies;
    }
    w["payload_length"] = f->payload.size;
    std::uint8_t cmd = 0;
    if (f->command_id(&cmd))
        w["cmd"] = hex(cmd, 2);
    c.out["wpan"] = w;

    std::vector<std::uint8_t> plain;
    if (f->security_enabled) {
        c.out["wpan"]["encrypted"] = true;
        if (options.keys.empty())
            return c.out;  // decryption needs keys: stop here
        Result<MacFrame> p = decrypt(*f, mpdu, options, c.out["wpan"], &plain);
        if (!p)
            return c.out;
        f = p;
        c.base = plain.data();  // same layout: offsets stay those of the frame
        if (f->command_id(&cmd))
            c.out["wpan"]["cmd"] = hex(cmd, 2);
    }
    if (f->type == MacFrameType::kBeacon) {
        Result<BeaconPayload> b = BeaconPayload::parse(f->payload);
        if (!b) {
            c.error("wpan.beacon", c.offset_of(f->payload), b.error());
            return c.out;
        }
        json bj = {{"beacon_order", b->beacon_order()},
                   {"superframe_order", b->superframe_order()},
                   {"association_permit", b->association_permit()}};
        if (!b->beacon_payload.empty()) {
            Result<ThreadBeacon> t = ThreadBeacon::parse(b->beacon_payload);
            if (t) {
                bj["thread"] = {{"protocol_id", t->protocol_id},
                                {"version", t->version_flags >> 4},
                                {"network_name", t->network_name},
                                {"xpanid", hex_bytes(ByteSpan(t->extended_pan_id, 8))}};
            }
        }
        c.out["beacon"] = bj;
        return c.out;
    }
    if (f->type == MacFrameType::kData && !f->payload.empty())
        decode_lowpan(c, f->payload, *f);
    return c.out;
}

}  // namespace meshwork::decode
