// A whole node fed arbitrary frames (issue 12: every ingress path of the stack). The node is a
// router with two Ethernet interfaces, link-local and static addresses, a bound UDP socket and a
// joined group, so input reaches ND, MLD, ICMPv6, UDP, reassembly and forwarding. The input is
// a list of records: [control][length: 2 bytes][frame]. Control bit 0 picks the interface,
// bits 1-3 advance virtual time (in 700 ms steps) before the frame, and bit 4 asks the harness
// to fix the ICMPv6 / UDP checksum of a frame whose upper layer follows the fixed header, so the
// fuzzer gets past the checksums. Checks: nothing crashes, every received frame has exactly one
// verdict, drops are counted, one poll leaves no deadline at or before now, and every buffer
// is back in the pool when the node is gone.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "Stack.h"
#include "UdpSockets.h"
#include "core/Random.h"
#include "wire/Checksum.h"
#include "wire/Ip6.h"

namespace {

using namespace meshwork;
using namespace meshwork::stack;

class FuzzClock final : public Clock {
  public:
    Instant now() const override { return t; }
    Instant t{std::chrono::seconds(1)};
};

class CountingLink final : public LinkOutput {
  public:
    Status send_frame(PacketBuffer frame) override {
        ++frames;
        return Status();
    }
    std::uint64_t frames = 0;
};

void fix_checksum(std::vector<std::uint8_t> &f) {
    if (f.size() < 14 + 40 + 8)
        return;
    std::uint8_t *ip = f.data() + 14;
    const std::size_t avail = f.size() - 14 - 40;
    std::size_t plen = static_cast<std::size_t>(ip[4] << 8 | ip[5]);
    if (plen > avail)
        plen = avail;
    const std::uint8_t nh = ip[6];
    std::uint8_t *up = ip + 40;
    wire::PseudoHeader ph{wire::Ip6Address::from_bytes(ip + 8),
                          wire::Ip6Address::from_bytes(ip + 24)};
    if (nh == wire::IpProto::kIcmp6 && plen >= 4) {
        up[2] = up[3] = 0;
        const std::uint16_t c = wire::Checksum::compute_upper(ph, nh, ByteSpan(up, plen), 2);
        up[2] = static_cast<std::uint8_t>(c >> 8);
        up[3] = static_cast<std::uint8_t>(c);
    } else if (nh == wire::IpProto::kUdp && plen >= 8) {
        std::size_t ulen = static_cast<std::size_t>(up[4] << 8 | up[5]);
        if (ulen < 8 || ulen > plen)
            return;
        std::uint16_t c = wire::Checksum::compute_upper(ph, nh, ByteSpan(up, ulen), 6);
        if (c == 0)
            c = 0xffff;
        up[6] = static_cast<std::uint8_t>(c >> 8);
        up[7] = static_cast<std::uint8_t>(c);
    }
}

void check(bool ok) {
    if (!ok)
        std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    FuzzClock clock;
    SeededRandom rnd(1);
    PacketPool pool(96 * 1024, 96);
    {
        StackConfig sc;
        sc.forwarding = true;
        sc.reassembly.max_bytes = 16 * 1024;
        sc.reassembly.max_datagrams = 4;
        Stack st(clock, rnd, pool, sc);
        CountingLink l0, l1;
        NetifConfig c0;
        c0.mac = LinkAddress::ethernet(0x02, 0, 0, 0, 0, 1);
        c0.advertise = true;
        AdvertisedPrefix p;
        p.prefix = *wire::Ip6Address::from_text("2001:db8:1::");
        c0.prefixes.push_back(p);
        NetifConfig c1;
        c1.mac = LinkAddress::ethernet(0x02, 0, 0, 0, 0, 2);
        c1.mtu = 1280;
        const IfIndex i0 = *st.add_interface(c0, l0);
        const IfIndex i1 = *st.add_interface(c1, l1);
        (void)st.set_up(i0);
        (void)st.set_up(i1);
        (void)st.add_address(i0, *wire::Ip6Address::from_text("2001:db8:1::1"), 64, true);
        (void)st.add_address(i1, *wire::Ip6Address::from_text("2001:db8:2::1"), 64, true);
        auto sock = *st.udp().open();
        (void)st.udp().bind(sock, wire::Ip6Address(), 5000);
        (void)st.udp().join_group(sock, *wire::Ip6Address::from_text("ff02::1:3"), i0);
        std::uint64_t events = 0;
        st.udp().set_callback(sock, [&](SocketEvent) { ++events; });
        // Let DAD finish so the link-local addresses are usable.
        for (int i = 0; i < 4; ++i) {
            clock.t += std::chrono::seconds(1);
            st.poll();
        }
        std::size_t pos = 0;
        std::vector<std::uint8_t> frame;
        while (pos + 3 <= size) {
            const std::uint8_t ctl = data[pos];
            std::size_t len = static_cast<std::size_t>(data[pos + 1] << 8 | data[pos + 2]);
            pos += 3;
            if (len > size - pos)
                len = size - pos;
            frame.assign(data + pos, data + pos + len);
            pos += len;
            clock.t += std::chrono::milliseconds(700) * ((ctl >> 1) & 7);
            if (st.next_deadline() <= clock.t)
                st.poll();
            if (ctl & 0x10)
                fix_checksum(frame);
            st.receive_frame(ctl & 1 ? i1 : i0, ByteSpan(frame.data(), frame.size()));
            // Whatever is due now runs in one poll: the deadline must move past now.
            if (st.next_deadline() <= clock.t)
                st.poll();
            check(st.next_deadline() > clock.t);
            std::uint8_t buf[2048];
            while (st.udp().recv_from(sock, MutableByteSpan(buf), nullptr)) {
            }
        }
        // Let every timer run out (reassembly, ND, MLD) and check the books.
        clock.t += std::chrono::seconds(120);
        st.poll();
        const StackStats &s = st.stats();
        check(s.rx_frames == s.rx_delivered + s.rx_forwarded + s.rx_fragments + s.rx_dropped);
        check(st.drops().total() >= s.rx_dropped);
        check(st.reassembler().datagrams() == 0 && st.reassembler().bytes() == 0);
        check(pool.stats().bytes_in_use <= pool.byte_budget());
        (void)st.udp().close(sock);
    }
    check(pool.stats().buffers_in_use == 0);
    return 0;
}
