// Test scaffolding for the node stack: a manual clock, a link that records frames, and frame
// builders that use the src/wire emitters, so tests drive a Stack packet by packet with real
// bytes.
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <optional>
#include <vector>

#include "Stack.h"
#include "UdpSockets.h"
#include "core/Random.h"
#include "wire/Icmp6.h"
#include "wire/Ip6.h"
#include "wire/Ip6Ext.h"
#include "wire/Mld.h"
#include "wire/Nd.h"
#include "wire/Tcp.h"
#include "wire/Udp.h"

namespace meshwork::stack::test {

using Bytes = std::vector<std::uint8_t>;
using wire::Ip6Address;

inline Ip6Address addr(const char *text) {
    return *Ip6Address::from_text(text);
}

class ManualClock final : public Clock {
  public:
    Instant now() const override { return t_; }
    void advance(Duration d) { t_ += d; }
    void set(Instant t) { t_ = t; }

  private:
    Instant t_{std::chrono::seconds(1000)};
};

class CaptureLink final : public LinkOutput {
  public:
    Status send_frame(PacketBuffer frame) override {
        frames.emplace_back(frame.data().begin(), frame.data().end());
        return Status();
    }
    std::vector<Bytes> take() {
        std::vector<Bytes> out;
        out.swap(frames);
        return out;
    }
    std::vector<Bytes> frames;
};

inline LinkAddress mac(std::uint8_t last) {
    return LinkAddress::ethernet(0x02, 0, 0, 0, 0, last);
}

/// Link-local address the stack forms from mac(last): fe80::ff:fe00:<last>.
inline Ip6Address ll_of(std::uint8_t last) {
    const std::uint8_t eui[8] = {0x02, 0, 0, 0xff, 0xfe, 0, 0, last};
    return Ip6Address::link_local(wire::Ip6Iid::from_eui64(eui));
}

inline Bytes ethernet(const LinkAddress &dst, const LinkAddress &src, const Bytes &ip6) {
    Bytes f(dst.bytes, dst.bytes + 6);
    f.insert(f.end(), src.bytes, src.bytes + 6);
    f.push_back(0x86);
    f.push_back(0xdd);
    f.insert(f.end(), ip6.begin(), ip6.end());
    return f;
}

inline LinkAddress multicast_mac(const Ip6Address &g) {
    return LinkAddress::ethernet(0x33, 0x33, g.bytes[12], g.bytes[13], g.bytes[14], g.bytes[15]);
}

inline Bytes ip6(const Ip6Address &src, const Ip6Address &dst, std::uint8_t nh, std::uint8_t hop,
                 const Bytes &payload) {
    wire::Ip6Header h;
    h.src = src;
    h.dst = dst;
    h.next_header = nh;
    h.hop_limit = hop;
    h.payload_length = static_cast<std::uint16_t>(payload.size());
    Bytes out(40);
    EXPECT_TRUE(h.emit(MutableByteSpan(out.data(), out.size())).ok());
    out.insert(out.end(), payload.begin(), payload.end());
    return out;
}

inline Bytes icmp(const Ip6Address &src, const Ip6Address &dst, const wire::Icmp6Message &m) {
    Bytes out(m.emitted_size());
    EXPECT_TRUE(m.emit(MutableByteSpan(out.data(), out.size()), {src, dst}).ok());
    return out;
}

inline Bytes udp(const Ip6Address &src, const Ip6Address &dst, std::uint16_t sport,
                 std::uint16_t dport, const Bytes &payload) {
    wire::UdpHeader h;
    h.src_port = sport;
    h.dst_port = dport;
    h.payload_length = static_cast<std::uint16_t>(payload.size());
    Bytes out(8 + payload.size());
    EXPECT_TRUE(h.emit(MutableByteSpan(out.data(), out.size()),
                       ByteSpan(payload.data(), payload.size()), {src, dst})
                    .ok());
    return out;
}

/// An ND message: fixed part plus options added by `fill`.
template <typename Fixed, typename Fill>
Bytes nd(const Ip6Address &src, const Ip6Address &dst, const Fixed &fixed, Fill fill) {
    Bytes buf(1024);
    wire::NdWriter w(MutableByteSpan(buf.data(), buf.size()), fixed);
    fill(w);
    auto r = w.finish({src, dst});
    EXPECT_TRUE(r.ok());
    buf.resize(r->size);
    return buf;
}

/// What a captured frame holds, decoded.
struct Decoded {
    LinkAddress dst_mac, src_mac;
    wire::Ip6Header ip;
    Bytes payload;           // the IPv6 payload
    std::uint8_t upper = 0;  // protocol after hop-by-hop, if any
    Bytes upper_bytes;       // the upper-layer message
};

inline Decoded decode(const Bytes &frame) {
    Decoded d;
    EXPECT_GE(frame.size(), 54u);
    d.dst_mac = LinkAddress::from(ByteSpan(frame.data(), 6));
    d.src_mac = LinkAddress::from(ByteSpan(frame.data() + 6, 6));
    auto h = wire::Ip6Header::parse(ByteSpan(frame.data() + 14, frame.size() - 14));
    EXPECT_TRUE(h.ok());
    if (!h)
        return d;
    d.ip = *h;
    d.payload.assign(frame.begin() + 54, frame.begin() + 54 + h->payload_length);
    d.upper = h->next_header;
    std::size_t off = 0;
    if (d.upper == wire::IpProto::kHopByHop && d.payload.size() >= 8) {
        d.upper = d.payload[0];
        off = (d.payload[1] + 1u) * 8u;
    }
    d.upper_bytes.assign(d.payload.begin() + static_cast<long>(off), d.payload.end());
    return d;
}

inline bool is_icmp(const Decoded &d, std::uint8_t type) {
    return d.upper == wire::IpProto::kIcmp6 && !d.upper_bytes.empty() && d.upper_bytes[0] == type;
}

/// One node with one Ethernet interface on a recording link.
struct Node {
    explicit Node(std::uint8_t id = 1, StackConfig sc = {}, NetifConfig nc = {},
                  std::size_t pool_bytes = 1 << 20, std::size_t pool_buffers = 1024)
        : rnd(42, id), pool(pool_bytes, pool_buffers), stack(clock, rnd, pool, sc) {
        nc.mac = mac(id);
        if0 = *stack.add_interface(nc, link);
    }
    /// Brings the interface up and lets DAD finish; then forgets the frames sent so far.
    void up_and_settle() {
        EXPECT_TRUE(stack.set_up(if0).ok());
        run_for(std::chrono::seconds(3));
        link.take();
    }
    /// Advances the clock deadline by deadline up to `d`, polling at each.
    void run_for(Duration d) {
        const Instant end = clock.now() + d;
        int stuck = 0;  // polls that left a deadline at or before now
        for (int guard = 0; guard < 100000; ++guard) {
            Instant next = stack.next_deadline();
            if (next > end)
                break;
            if (next > clock.now()) {
                clock.set(next);
                stuck = 0;
            } else if (++stuck > 10) {
                ADD_FAILURE() << "the stack's deadline does not advance past now";
                break;
            }
            stack.poll();
        }
        clock.set(end);
        stack.poll();
    }
    void rx(const Bytes &frame) { stack.receive_frame(if0, ByteSpan(frame.data(), frame.size())); }
    /// An IPv6 packet from a neighbour with MAC mac(from) to our MAC.
    void rx_ip(std::uint8_t from, const Bytes &packet) {
        rx(ethernet(stack.netif(if0).config.mac, mac(from), packet));
    }
    /// Makes neighbour `ip` (MAC mac(from)) known, as if it had sent us an NS.
    void learn(std::uint8_t from, const Ip6Address &ip, const Ip6Address &our) {
        wire::NdNeighborSolicitation ns;
        ns.target = our;
        auto m = nd(ip, our, ns, [&](wire::NdWriter &w) {
            w.add_sllao(wire::NdLinkLayerAddress::from(mac(from).span()));
        });
        rx_ip(from, ip6(ip, our, wire::IpProto::kIcmp6, 255, m));
        link.take();  // the NA
    }
    std::uint64_t drops(StackDrop r) const { return stack.drops()[r]; }

    ManualClock clock;
    SeededRandom rnd;
    PacketPool pool;
    CaptureLink link;
    Stack stack;
    IfIndex if0 = 0;
};

}  // namespace meshwork::stack::test
