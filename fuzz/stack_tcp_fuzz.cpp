// TCP's state machine fed arbitrary segments (issue 12: every ingress path). Node A has a
// listener on port 80 and an established connection with node B (B connected to it); the two
// exchange frames in memory as they run. The input is a list of records, each a segment the
// harness builds and gives A as if from B, with a correct checksum so it reaches TcpSockets:
//   [ctl][flags][seq delta: 2][ack delta: 2][window: 2][option length][options][payload length]
//   [payload]
// ctl bits 0-1 pick the destination (the connection, the listener, a closed port, the
// connection's port from another source port), bits 2-4 advance virtual time (in 300 ms steps),
// bit 5 makes A's socket read, bit 6 makes A's socket write, bit 7 closes or aborts it. The
// sequence and acknowledgment numbers are A's RCV.NXT and SND.NXT plus the signed deltas, so
// the fuzzer reaches the window checks. Checks: nothing crashes, each poll leaves no deadline
// at or before now, drops are counted, and every buffer is back in the pool at the end.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <vector>

#include "Stack.h"
#include "TcpSockets.h"
#include "core/Random.h"
#include "wire/Ip6.h"
#include "wire/Tcp.h"

namespace {

using namespace meshwork;
using namespace meshwork::stack;

class FuzzClock final : public Clock {
  public:
    Instant now() const override { return t; }
    Instant t{std::chrono::seconds(1)};
};

struct Wire {
    std::deque<std::pair<int, std::vector<std::uint8_t>>> q;
};

class QueueLink final : public LinkOutput {
  public:
    QueueLink(Wire &w, int to) : w_(w), to_(to) {}
    Status send_frame(PacketBuffer frame) override {
        if (w_.q.size() < 4096)
            w_.q.emplace_back(to_,
                              std::vector<std::uint8_t>(frame.data().begin(), frame.data().end()));
        return Status();
    }

  private:
    Wire &w_;
    int to_;
};

void check(bool ok) {
    if (!ok)
        std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    FuzzClock clock;
    SeededRandom ra(1, 1), rb(1, 2);
    PacketPool pa(256 * 1024, 256), pb(256 * 1024, 256);
    {
        StackConfig sc;
        sc.tcp.receive_buffer = 8192;
        sc.tcp.send_buffer = 8192;
        sc.tcp.max_connections = 16;
        Stack a(clock, ra, pa, sc), b(clock, rb, pb, sc);
        Wire w;
        QueueLink la(w, 1), lb(w, 0);
        NetifConfig ca, cb;
        ca.mac = LinkAddress::ethernet(0x02, 0, 0, 0, 0, 1);
        cb.mac = LinkAddress::ethernet(0x02, 0, 0, 0, 0, 2);
        const IfIndex ia = *a.add_interface(ca, la);
        const IfIndex ib = *b.add_interface(cb, lb);
        (void)a.set_up(ia);
        (void)b.set_up(ib);
        const auto aa = *wire::Ip6Address::from_text("2001:db8::1");
        const auto ba = *wire::Ip6Address::from_text("2001:db8::2");
        (void)a.add_address(ia, aa, 64, true);
        (void)b.add_address(ib, ba, 64, true);
        auto pump = [&] {
            for (int guard = 0; guard < 10000 && !w.q.empty(); ++guard) {
                auto item = std::move(w.q.front());
                w.q.pop_front();
                Stack &to = item.first == 0 ? a : b;
                to.receive_frame(0, ByteSpan(item.second.data(), item.second.size()));
            }
            for (Stack *s : {&a, &b})
                if (s->next_deadline() <= clock.t)
                    s->poll();
        };
        auto advance = [&](Duration d) {
            const Instant end = clock.t + d;
            for (int guard = 0; guard < 10000; ++guard) {
                pump();
                Instant next = std::min(a.next_deadline(), b.next_deadline());
                if (!w.q.empty())
                    next = clock.t;
                if (next > end)
                    break;
                if (next > clock.t)
                    clock.t = next;
            }
            clock.t = end;
            pump();
        };
        advance(std::chrono::seconds(3));
        TcpSockets &ta = a.tcp(), &tb = b.tcp();
        const auto l = *ta.open();
        (void)ta.bind(l, wire::Ip6Address(), 80);
        (void)ta.listen(l, 2);
        const auto cbs = *tb.open();
        (void)tb.connect(cbs, aa, 80);
        advance(std::chrono::milliseconds(100));
        auto acc = ta.accept(l);
        int s = acc ? *acc : -1;
        std::uint64_t events = 0;
        if (s >= 0)
            ta.set_callback(s, [&](SocketEvent) { ++events; });
        const std::uint16_t bport = tb.local_port(cbs);
        std::size_t pos = 0;
        std::vector<std::uint8_t> seg;
        std::uint8_t buf[4096];
        while (pos + 10 <= size) {
            const std::uint8_t ctl = data[pos];
            const std::uint8_t flags = data[pos + 1];
            const auto dseq = static_cast<std::int16_t>(data[pos + 2] << 8 | data[pos + 3]);
            const auto dack = static_cast<std::int16_t>(data[pos + 4] << 8 | data[pos + 5]);
            const auto window = static_cast<std::uint16_t>(data[pos + 6] << 8 | data[pos + 7]);
            std::size_t olen = data[pos + 8] & 0x3c;  // a multiple of 4, at most 40 (60 max)
            if (olen > 40)
                olen = 40;
            pos += 9;
            if (olen > size - pos)
                olen = size - pos;
            const std::uint8_t *opts = data + pos;
            pos += olen;
            std::size_t plen = pos < size ? data[pos] * 8u : 0;
            pos += pos < size ? 1 : 0;
            if (plen > size - pos)
                plen = size - pos;
            const std::uint8_t *payload = data + pos;
            pos += plen;

            clock.t += std::chrono::milliseconds(300) * ((ctl >> 2) & 7);
            pump();
            const TcpInfo info = s >= 0 ? ta.info(s) : TcpInfo{};
            std::uint16_t sport = bport, dport = 80;
            switch (ctl & 3) {
                case 1:
                    sport = static_cast<std::uint16_t>(bport + 1);  // to the listener
                    break;
                case 2:
                    dport = 81;  // closed
                    break;
                case 3:
                    sport = static_cast<std::uint16_t>(window | 1);
                    break;
                default:
                    break;
            }
            // The segment: header, raw options, payload; the checksum over the pseudo-header.
            const std::size_t hlen = 20 + olen;
            seg.assign(hlen + plen, 0);
            auto put16 = [&](std::size_t i, std::uint32_t v) {
                seg[i] = static_cast<std::uint8_t>(v >> 8);
                seg[i + 1] = static_cast<std::uint8_t>(v);
            };
            const std::uint32_t sq = info.rcv_nxt + static_cast<std::uint32_t>(dseq);
            const std::uint32_t ak = info.snd_nxt + static_cast<std::uint32_t>(dack);
            put16(0, sport);
            put16(2, dport);
            put16(4, sq >> 16);
            put16(6, sq);
            put16(8, ak >> 16);
            put16(10, ak);
            seg[12] = static_cast<std::uint8_t>((hlen / 4) << 4);
            seg[13] = flags;
            put16(14, window);
            for (std::size_t i = 0; i < olen; ++i)
                seg[20 + i] = opts[i];
            for (std::size_t i = 0; i < plen; ++i)
                seg[hlen + i] = payload[i];
            wire::PseudoHeader ph{ba, aa};
            const std::uint16_t sum = wire::Checksum::compute_upper(
                ph, wire::IpProto::kTcp, ByteSpan(seg.data(), seg.size()), 16);
            put16(16, sum);
            // IPv6 and Ethernet around it.
            wire::Ip6Header ih;
            ih.src = ba;
            ih.dst = aa;
            ih.next_header = wire::IpProto::kTcp;
            ih.hop_limit = 64;
            ih.payload_length = static_cast<std::uint16_t>(seg.size());
            std::vector<std::uint8_t> frame(14 + 40 + seg.size());
            for (int i = 0; i < 6; ++i) {
                frame[i] = ca.mac.bytes[i];
                frame[6 + i] = cb.mac.bytes[i];
            }
            frame[12] = 0x86;
            frame[13] = 0xdd;
            (void)ih.emit(MutableByteSpan(frame.data() + 14, 40));
            for (std::size_t i = 0; i < seg.size(); ++i)
                frame[54 + i] = seg[i];
            a.receive_frame(ia, ByteSpan(frame.data(), frame.size()));
            if (s >= 0) {
                if (ctl & 0x20)
                    (void)ta.recv(s, MutableByteSpan(buf, sizeof buf));
                if (ctl & 0x40)
                    (void)ta.send(s, ByteSpan(payload, plen));
                if (ctl & 0x80) {
                    (void)((flags & 1) ? ta.abort(s) : ta.close(s));
                    s = -1;
                }
            }
            for (int i = 0; i < 64; ++i) {
                auto r = tb.recv(cbs, MutableByteSpan(buf, sizeof buf));
                if (!r || *r == 0)
                    break;
            }
            if (auto more = ta.accept(l))
                (void)ta.close(*more);
            pump();
            check(a.next_deadline() > clock.t || !w.q.empty());
        }
        // Let every timer run out (retransmissions give up, TIME-WAIT ends).
        advance(std::chrono::seconds(600));
        check(a.drops().total() >= a.stats().rx_dropped);
        if (s >= 0)
            (void)ta.close(s);
        (void)ta.close(l);
        (void)tb.close(cbs);
    }
    check(pa.stats().buffers_in_use == 0 && pb.stats().buffers_in_use == 0);
    return 0;
}
