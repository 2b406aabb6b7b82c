#include "wire/LowpanIphc.h"

#include <cstring>

#include "wire/Checksum.h"
#include "wire/LowpanNhc.h"

namespace meshwork::wire {

namespace {

constexpr std::size_t kUdpHeaderSize = 8;
constexpr std::size_t kUnicastInline[4] = {16, 8, 2, 0};  // by SAM/DAM when stateless
constexpr std::uint8_t kHopLimits[4] = {0, 1, 64, 255};

// Overwrites the first `bits` bits of `a` with those of `prefix`.
void apply_prefix(Ip6Address &a, const Ip6Address &prefix, unsigned bits) {
    if (bits > 128)
        bits = 128;
    unsigned full = bits / 8;
    std::memcpy(a.bytes, prefix.bytes, full);
    unsigned rem = bits % 8;
    if (rem) {
        std::uint8_t mask = static_cast<std::uint8_t>(0xff << (8 - rem));
        a.bytes[full] =
            static_cast<std::uint8_t>((prefix.bytes[full] & mask) | (a.bytes[full] & ~mask));
    }
}

// The unicast address for address-compression (ac) and address-mode (am) bits, from the inline
// bytes (kUnicastInline[am] of them) and the link-layer address. ac=1,am=0 is handled by callers.
Result<Ip6Address> expand_unicast(std::uint8_t ac, std::uint8_t am, const LowpanContext *ctx,
                                  const std::uint8_t *inl, const MacAddress &mac) {
    Ip6Address a;
    switch (am) {
        case 0:
            std::memcpy(a.bytes, inl, 16);
            return a;
        case 1:
            std::memcpy(a.bytes + 8, inl, 8);
            break;
        case 2:
            a.bytes[11] = 0xff;
            a.bytes[12] = 0xfe;
            a.bytes[14] = inl[0];
            a.bytes[15] = inl[1];
            break;
        default: {
            Result<Ip6Iid> iid = iid_from_mac(mac);
            if (!iid)
                return iid.error();
            a.set_iid(*iid);
            break;
        }
    }
    if (ac) {
        apply_prefix(a, ctx->prefix, ctx->prefix_len);
    } else {
        a.bytes[0] = 0xfe;
        a.bytes[1] = 0x80;
    }
    return a;
}

constexpr std::size_t kMulticastInline[4] = {16, 6, 4, 1};

// Multicast destination forms (RFC 6282 3.1.1, M=1). dac=1 is the RFC 3306 unicast-prefix form.
Ip6Address expand_multicast(std::uint8_t dac, std::uint8_t dam, const LowpanContext *ctx,
                            const std::uint8_t *inl) {
    Ip6Address a;
    a.bytes[0] = 0xff;
    if (dac) {  // ffXX:XXLL:PPPP:PPPP:PPPP:PPPP:XXXX:XXXX
        a.bytes[1] = inl[0];
        a.bytes[2] = inl[1];
        std::uint8_t plen = ctx->prefix_len > 64 ? 64 : ctx->prefix_len;
        a.bytes[3] = plen;
        Ip6Address p = ctx->prefix.masked(plen);
        std::memcpy(a.bytes + 4, p.bytes, 8);
        std::memcpy(a.bytes + 12, inl + 2, 4);
        return a;
    }
    switch (dam) {
        case 0:
            std::memcpy(a.bytes, inl, 16);
            break;
        case 1:
            a.bytes[1] = inl[0];
            std::memcpy(a.bytes + 11, inl + 1, 5);
            break;
        case 2:
            a.bytes[1] = inl[0];
            std::memcpy(a.bytes + 13, inl + 1, 3);
            break;
        default:
            a.bytes[1] = 0x02;
            a.bytes[15] = inl[0];
            break;
    }
    return a;
}

// ---------------------------------------------------------------------------------------------
// Decompression

class Decoder {
  public:
    Decoder(ByteSpan in, const LinkAddresses &link, const LowpanContextTable &ctx,
            MutableByteSpan out)
        : r_(in), w_(out), out_(out), link_(link), ctx_(ctx) {}

    Status ipv6(int depth) {
        Result<IphcFields> f = IphcFields::parse(r_);
        if (!f)
            return f.error();
        std::uint8_t ecn = 0, dscp = 0;
        std::uint32_t fl = 0;
        switch (f->tf) {
            case 0: {
                std::uint8_t b = r_.u8();
                ecn = b >> 6;
                dscp = b & 0x3f;
                fl = r_.u24() & 0xfffff;
                break;
            }
            case 1: {
                std::uint8_t b = r_.u8();
                ecn = b >> 6;
                fl = static_cast<std::uint32_t>(b & 0x0f) << 16 | r_.u16();
                break;
            }
            case 2: {
                std::uint8_t b = r_.u8();
                ecn = b >> 6;
                dscp = b & 0x3f;
                break;
            }
            default:
                break;
        }
        std::uint8_t nh = f->nh ? 0 : r_.u8();
        std::uint8_t hlim = f->hlim ? kHopLimits[f->hlim] : r_.u8();
        if (!r_.ok())
            return Error::kTruncated;

        Result<Ip6Address> src = unicast(f->sac, f->sam, f->sci, link_.src, false);
        if (!src)
            return src.error();
        Result<Ip6Address> dst = f->m ? multicast(f->dac, f->dam, f->dci)
                                      : unicast(f->dac, f->dam, f->dci, link_.dst, true);
        if (!dst)
            return dst.error();

        if (n_ip6_ == 2)
            return Error::kUnsupported;
        const std::size_t h = w_.offset();
        ip6_off_[n_ip6_] = h;
        ip6_src_[n_ip6_] = *src;
        ip6_dst_[n_ip6_] = *dst;
        ++n_ip6_;
        std::uint8_t tc = static_cast<std::uint8_t>(dscp << 2 | ecn);
        w_.u32(6u << 28 | static_cast<std::uint32_t>(tc) << 20 | fl);
        w_.u16(0);  // payload length, patched in finish()
        w_.u8(nh);
        w_.u8(hlim);
        w_.bytes(src->span());
        w_.bytes(dst->span());
        if (!w_.ok())
            return Error::kNoSpace;
        if (f->nh)
            return chain(h + 6, depth);
        return Status();
    }

    Status finish(std::size_t in_size, std::size_t datagram_size, IphcDecompressResult *res) {
        const std::size_t consumed = r_.offset();
        const std::size_t written = w_.offset();
        const std::size_t total = datagram_size ? datagram_size : written + (in_size - consumed);
        if (total < written)
            return Error::kMalformed;
        for (std::size_t i = 0; i < n_ip6_; ++i) {
            std::size_t len = total - ip6_off_[i] - kIp6HeaderSize;
            if (len > 0xffff)
                return Error::kMalformed;
            out_.data[ip6_off_[i] + 4] = static_cast<std::uint8_t>(len >> 8);
            out_.data[ip6_off_[i] + 5] = static_cast<std::uint8_t>(len);
        }
        res->consumed = consumed;
        res->written = written;
        if (has_udp_) {
            const std::size_t ulen = total - udp_off_;
            std::uint8_t *u = out_.data + udp_off_;
            u[4] = static_cast<std::uint8_t>(ulen >> 8);
            u[5] = static_cast<std::uint8_t>(ulen);
            res->udp_offset = udp_off_;
            if (udp_checksum_elided_) {
                if (datagram_size == 0) {
                    Checksum c;
                    c.add_ip6_pseudo_header(ip6_src_[n_ip6_ - 1], ip6_dst_[n_ip6_ - 1],
                                            static_cast<std::uint32_t>(ulen), IpProto::kUdp);
                    c.add(ByteSpan(u, kUdpHeaderSize));
                    c.add(r_.rest());
                    std::uint16_t v = c.finish();
                    if (v == 0)
                        v = 0xffff;
                    u[6] = static_cast<std::uint8_t>(v >> 8);
                    u[7] = static_cast<std::uint8_t>(v);
                } else {
                    res->udp_checksum_pending = true;
                }
            }
        }
        return Status();
    }

  private:
    Result<Ip6Address> unicast(std::uint8_t ac, std::uint8_t am, std::uint8_t cid,
                               const MacAddress &mac, bool is_dst) {
        if (ac && am == 0) {
            if (is_dst)
                return Error::kMalformed;  // DAC=1, DAM=00 is reserved for unicast
            return Ip6Address::unspecified();
        }
        const LowpanContext *ctx = nullptr;
        if (ac) {
            ctx = ctx_.get(cid);
            if (!ctx)
                return Error::kNotFound;
        }
        std::uint8_t inl[16];
        r_.copy(inl, kUnicastInline[am]);
        if (!r_.ok())
            return Error::kTruncated;
        return expand_unicast(ac, am, ctx, inl, mac);
    }

    Result<Ip6Address> multicast(std::uint8_t dac, std::uint8_t dam, std::uint8_t cid) {
        const LowpanContext *ctx = nullptr;
        if (dac) {
            if (dam != 0)
                return Error::kMalformed;  // reserved
            ctx = ctx_.get(cid);
            if (!ctx)
                return Error::kNotFound;
        }
        std::uint8_t inl[16];
        r_.copy(inl, dac ? 6 : kMulticastInline[dam]);
        if (!r_.ok())
            return Error::kTruncated;
        return expand_multicast(dac, dam, ctx, inl);
    }

    Status chain(std::size_t nh_off, int depth) {
        for (;;) {
            if (r_.remaining() == 0)
                return Error::kTruncated;
            std::uint8_t b = r_.rest()[0];
            if (UdpNhc::is_udp_nhc(b)) {
                Result<UdpNhc> u = UdpNhc::parse(r_);
                if (!u)
                    return u.error();
                out_.data[nh_off] = IpProto::kUdp;
                udp_off_ = w_.offset();
                has_udp_ = true;
                udp_checksum_elided_ = u->checksum_elided;
                w_.u16(u->src_port);
                w_.u16(u->dst_port);
                w_.u16(0);  // length, patched in finish()
                w_.u16(u->checksum_elided ? 0 : u->checksum);
                return w_.ok() ? Status() : Status(Error::kNoSpace);
            }
            if (!ExtHeaderNhc::is_ext_nhc(b))
                return Error::kUnsupported;
            Result<ExtHeaderNhc> e = ExtHeaderNhc::parse(r_);
            if (!e)
                return e.error();
            out_.data[nh_off] = static_cast<std::uint8_t>(ExtHeaderNhc::protocol_of(e->eid));
            if (e->eid == ExtHeaderNhc::kIpv6) {
                if (depth >= 1)
                    return Error::kUnsupported;
                return ipv6(depth + 1);
            }
            const std::size_t start = w_.offset();
            std::size_t total = 2 + e->data.size;
            std::size_t pad = 0;
            if (e->eid == ExtHeaderNhc::kFragment) {
                if (total != 8)
                    return Error::kMalformed;
            } else if (e->eid == ExtHeaderNhc::kHopByHop || e->eid == ExtHeaderNhc::kDestOpts) {
                pad = (8 - total % 8) % 8;  // trailing Pad1/PadN may be elided (RFC 6282 4.2)
            } else if (total % 8 != 0) {
                return Error::kMalformed;
            }
            total += pad;
            w_.u8(e->next_header_compressed ? 0 : e->next_header);
            w_.u8(e->eid == ExtHeaderNhc::kFragment ? 0 : static_cast<std::uint8_t>(total / 8 - 1));
            w_.bytes(e->data);
            if (pad == 1) {
                w_.u8(0);  // Pad1
            } else if (pad > 1) {
                w_.u8(1);  // PadN
                w_.u8(static_cast<std::uint8_t>(pad - 2));
                w_.zeros(pad - 2);
            }
            if (!w_.ok())
                return Error::kNoSpace;
            if (!e->next_header_compressed)
                return Status();
            nh_off = start;
        }
    }

    ByteReader r_;
    ByteWriter w_;
    MutableByteSpan out_;
    const LinkAddresses &link_;
    const LowpanContextTable &ctx_;
    std::size_t ip6_off_[2] = {};
    Ip6Address ip6_src_[2];
    Ip6Address ip6_dst_[2];
    std::size_t n_ip6_ = 0;
    bool has_udp_ = false;
    bool udp_checksum_elided_ = false;
    std::size_t udp_off_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Compression

struct AddrChoice {
    std::uint8_t ac = 0, am = 0, ctx = 0;
    std::uint8_t inl[16] = {};
    std::size_t inl_len = 16;
};

void inline_unicast(const Ip6Address &a, std::uint8_t am, AddrChoice *c) {
    c->am = am;
    c->inl_len = kUnicastInline[am];
    std::memcpy(c->inl, a.bytes + 16 - c->inl_len, c->inl_len);
}

AddrChoice choose_unicast(const Ip6Address &a, const MacAddress &mac, const LowpanContextTable &t,
                          bool is_src) {
    AddrChoice best;
    inline_unicast(a, 0, &best);
    if (is_src && a.is_unspecified()) {
        best.ac = 1;
        best.am = 0;
        best.inl_len = 0;
        return best;
    }
    auto try_modes = [&](std::uint8_t ac, const LowpanContext *ctx, std::uint8_t id) {
        for (std::uint8_t am = 3; am >= 1; --am) {
            if (kUnicastInline[am] >= best.inl_len)
                continue;
            AddrChoice c;
            c.ac = ac;
            c.ctx = id;
            inline_unicast(a, am, &c);
            Result<Ip6Address> e = expand_unicast(ac, am, ctx, c.inl, mac);
            if (e && *e == a)
                best = c;
        }
    };
    if (a.bytes[0] == 0xfe && a.bytes[1] == 0x80)
        try_modes(0, nullptr, 0);
    for (std::uint8_t id = 0; id < LowpanContextTable::kSize; ++id) {
        const LowpanContext &ctx = t.contexts[id];
        if (!ctx.valid || !ctx.compress || !a.matches_prefix(ctx.prefix, ctx.prefix_len))
            continue;
        try_modes(1, &ctx, id);
    }
    return best;
}

AddrChoice choose_multicast(const Ip6Address &a, const LowpanContextTable &t) {
    AddrChoice best;
    best.am = 0;
    std::memcpy(best.inl, a.bytes, 16);
    best.inl_len = 16;
    // Candidate inline bytes for each DAM, checked by expanding them again.
    const std::uint8_t c3[1] = {a.bytes[15]};
    const std::uint8_t c2[4] = {a.bytes[1], a.bytes[13], a.bytes[14], a.bytes[15]};
    const std::uint8_t c1[6] = {a.bytes[1],  a.bytes[11], a.bytes[12],
                                a.bytes[13], a.bytes[14], a.bytes[15]};
    const std::uint8_t *cands[4] = {nullptr, c1, c2, c3};
    for (std::uint8_t dam = 3; dam >= 1; --dam) {
        if (expand_multicast(0, dam, nullptr, cands[dam]) == a) {
            best.am = dam;
            best.inl_len = kMulticastInline[dam];
            std::memcpy(best.inl, cands[dam], best.inl_len);
            return best;
        }
    }
    const std::uint8_t cp[6] = {a.bytes[1],  a.bytes[2],  a.bytes[12],
                                a.bytes[13], a.bytes[14], a.bytes[15]};
    for (std::uint8_t id = 0; id < LowpanContextTable::kSize; ++id) {
        const LowpanContext &ctx = t.contexts[id];
        if (!ctx.valid || !ctx.compress)
            continue;
        if (expand_multicast(1, 0, &ctx, cp) == a) {
            best.ac = 1;
            best.am = 0;
            best.ctx = id;
            best.inl_len = 6;
            std::memcpy(best.inl, cp, 6);
            return best;
        }
    }
    return best;
}

struct ChainEntry {
    enum Kind : std::uint8_t { kExt, kUdp, kIp6 } kind;
    std::size_t pos;
    std::size_t len;
    std::uint8_t eid;
};

Result<IphcCompressResult> compress_impl(ByteSpan pkt, const LinkAddresses &link,
                                         const LowpanContextTable &t, ByteWriter &w,
                                         const IphcCompressOptions &opt, int depth,
                                         std::size_t budget) {
    if (pkt.size < kIp6HeaderSize)
        return Error::kTruncated;
    if (pkt[0] >> 4 != 6)
        return Error::kMalformed;
    ByteReader r(pkt);
    std::uint32_t vtf = r.u32();
    r.skip(2);  // payload length: rebuilt by the decompressor
    std::uint8_t nh = r.u8();
    std::uint8_t hlim = r.u8();
    Ip6Address src = Ip6Address::from_span(r.take(16));
    Ip6Address dst = Ip6Address::from_span(r.take(16));
    const std::uint8_t tc = static_cast<std::uint8_t>(vtf >> 20);
    const std::uint32_t fl = vtf & 0xfffff;
    const std::uint8_t ecn = tc & 3, dscp = tc >> 2;

    // The NHC-compressible chain after the IPv6 header, as far as it decompresses within
    // `budget` bytes (counted from this header's start); what follows stays inline.
    ChainEntry chain[8];
    std::size_t n = 0;
    std::size_t pos = kIp6HeaderSize;
    std::uint8_t next = nh;
    while (opt.use_nhc && n < 8) {
        if (next == IpProto::kUdp) {
            if (pkt.size - pos >= kUdpHeaderSize && pos + kUdpHeaderSize <= budget)
                chain[n++] = {ChainEntry::kUdp, pos, kUdpHeaderSize, 0};
            break;
        }
        if (next == IpProto::kIpv6) {
            if (depth == 0 && pkt.size - pos >= kIp6HeaderSize && pkt[pos] >> 4 == 6 &&
                pos + kIp6HeaderSize <= budget)
                chain[n++] = {ChainEntry::kIp6, pos, 0, ExtHeaderNhc::kIpv6};
            break;
        }
        if (next != IpProto::kHopByHop && next != IpProto::kRouting && next != IpProto::kDestOpts)
            break;
        if (pkt.size - pos < 2)
            break;
        std::size_t hlen = (static_cast<std::size_t>(pkt[pos + 1]) + 1) * 8;
        if (pkt.size - pos < hlen || hlen - 2 > 0xff || pos + hlen > budget)
            break;
        chain[n++] = {ChainEntry::kExt, pos, hlen,
                      static_cast<std::uint8_t>(ExtHeaderNhc::eid_of(next))};
        next = pkt[pos];
        pos += hlen;
    }

    std::uint8_t tf = fl == 0 ? (tc == 0 ? 3 : 2) : (dscp == 0 ? 1 : 0);
    std::uint8_t hl = hlim == 1 ? 1 : hlim == 64 ? 2 : hlim == 255 ? 3 : 0;
    AddrChoice s = choose_unicast(src, link.src, t, true);
    AddrChoice d =
        dst.is_multicast() ? choose_multicast(dst, t) : choose_unicast(dst, link.dst, t, false);
    const bool m = dst.is_multicast();
    const bool cid = (s.ac && s.ctx) || (d.ac && d.ctx);

    const std::size_t start = w.offset();
    w.u8(static_cast<std::uint8_t>(0x60 | tf << 3 | (n ? 4 : 0) | hl));
    w.u8(static_cast<std::uint8_t>((cid ? 0x80 : 0) | s.ac << 6 | s.am << 4 | (m ? 8 : 0) |
                                   d.ac << 2 | d.am));
    if (cid)
        w.u8(static_cast<std::uint8_t>(s.ctx << 4 | d.ctx));
    switch (tf) {
        case 0:
            w.u8(static_cast<std::uint8_t>(ecn << 6 | dscp));
            w.u24(fl);
            break;
        case 1:
            w.u8(static_cast<std::uint8_t>(ecn << 6 | fl >> 16));
            w.u16(static_cast<std::uint16_t>(fl));
            break;
        case 2:
            w.u8(static_cast<std::uint8_t>(ecn << 6 | dscp));
            break;
        default:
            break;
    }
    if (!n)
        w.u8(nh);
    if (!hl)
        w.u8(hlim);
    w.bytes(s.inl, s.inl_len);
    w.bytes(d.inl, d.inl_len);

    std::size_t consumed = kIp6HeaderSize;
    for (std::size_t i = 0; i < n; ++i) {
        const ChainEntry &c = chain[i];
        const std::uint8_t *p = pkt.data + c.pos;
        if (c.kind == ChainEntry::kUdp) {
            UdpNhc u;
            u.src_port = static_cast<std::uint16_t>(p[0] << 8 | p[1]);
            u.dst_port = static_cast<std::uint16_t>(p[2] << 8 | p[3]);
            u.checksum = static_cast<std::uint16_t>(p[6] << 8 | p[7]);
            u.checksum_elided = opt.elide_udp_checksum;
            u.port_mode = UdpNhc::best_port_mode(u.src_port, u.dst_port);
            Status st = u.emit(w);
            if (!st)
                return st.error();
            consumed = c.pos + kUdpHeaderSize;
        } else if (c.kind == ChainEntry::kIp6) {
            ExtHeaderNhc e;
            e.eid = ExtHeaderNhc::kIpv6;
            Status st = e.emit(w);
            if (!st)
                return st.error();
            // Inner addresses are never elided against the link-layer addresses.
            Result<IphcCompressResult> inner = compress_impl(pkt.subspan(c.pos), LinkAddresses(), t,
                                                             w, opt, depth + 1, budget - c.pos);
            if (!inner)
                return inner.error();
            consumed = c.pos + inner->consumed;
        } else {
            ExtHeaderNhc e;
            e.eid = c.eid;
            e.next_header_compressed = i + 1 < n;
            e.next_header = p[0];
            e.data = ByteSpan(p + 2, c.len - 2);
            Status st = e.emit(w);
            if (!st)
                return st.error();
            consumed = c.pos + c.len;
        }
    }
    if (!w.ok())
        return Error::kNoSpace;
    IphcCompressResult res;
    res.written = w.offset() - start;
    res.consumed = consumed;
    return res;
}

}  // namespace

void LowpanContextTable::set(std::uint8_t id, const Ip6Address &prefix, std::uint8_t prefix_len,
                             bool compress) {
    if (id >= kSize)
        return;
    LowpanContext &c = contexts[id];
    c.valid = true;
    c.compress = compress;
    c.prefix_len = prefix_len > 128 ? 128 : prefix_len;
    c.prefix = prefix.masked(c.prefix_len);
}

Result<IphcFields> IphcFields::parse(ByteReader &r) {
    std::uint8_t b0 = r.u8();
    std::uint8_t b1 = r.u8();
    if (!r.ok())
        return Error::kTruncated;
    if (!is_iphc(b0))
        return Error::kMalformed;
    IphcFields f;
    f.tf = (b0 >> 3) & 3;
    f.nh = (b0 >> 2) & 1;
    f.hlim = b0 & 3;
    f.cid = b1 >> 7;
    f.sac = (b1 >> 6) & 1;
    f.sam = (b1 >> 4) & 3;
    f.m = (b1 >> 3) & 1;
    f.dac = (b1 >> 2) & 1;
    f.dam = b1 & 3;
    if (f.cid) {
        std::uint8_t c = r.u8();
        if (!r.ok())
            return Error::kTruncated;
        f.sci = c >> 4;
        f.dci = c & 0xf;
    }
    return f;
}

Result<Ip6Iid> iid_from_mac(const MacAddress &mac) {
    if (mac.mode == MacAddrMode::kShort)
        return Ip6Iid::from_short_address(mac.short_address);
    if (mac.mode == MacAddrMode::kExtended) {
        std::uint8_t eui[8];
        mac.to_eui64(eui);
        return Ip6Iid::from_eui64(eui);
    }
    return Error::kMalformed;  // nothing to derive the address from
}

Result<IphcCompressResult> iphc_compress(ByteSpan ipv6_packet, const LinkAddresses &link,
                                         const LowpanContextTable &contexts, MutableByteSpan out,
                                         const IphcCompressOptions &options) {
    ByteWriter w(out);
    return compress_impl(ipv6_packet, link, contexts, w, options, 0, kIphcMaxUncompressedHeader);
}

Result<IphcDecompressResult> iphc_decompress(ByteSpan payload, const LinkAddresses &link,
                                             const LowpanContextTable &contexts,
                                             MutableByteSpan out, std::size_t datagram_size) {
    Decoder d(payload, link, contexts, out);
    Status s = d.ipv6(0);
    if (!s)
        return s.error();
    IphcDecompressResult res;
    s = d.finish(payload.size, datagram_size, &res);
    if (!s)
        return s.error();
    return res;
}

}  // namespace meshwork::wire
