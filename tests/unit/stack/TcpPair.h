// Two Nodes (StackTestUtil.h) joined by an in-memory link with latency, in lock-step virtual
// time: frames one node sends reach the other after `latency` (plus a per-frame extra delay),
// unless a filter drops them; another hook duplicates frames. Every frame sent is kept for wire
// checks.
#pragma once
#include <functional>
#include <map>

#include "StackTestUtil.h"
#include "TcpSockets.h"

namespace meshwork::stack::test {

/// The TCP header of a captured frame, if it carries TCP.
inline std::optional<wire::TcpHeader> tcp_of(const Bytes &frame, Bytes *payload = nullptr) {
    if (frame.size() < 54)
        return std::nullopt;
    Decoded d = decode(frame);
    if (d.upper != wire::IpProto::kTcp)
        return std::nullopt;
    wire::PseudoHeader ph{d.ip.src, d.ip.dst};
    ByteSpan seg(d.upper_bytes.data(), d.upper_bytes.size());
    auto h = wire::TcpHeader::parse(seg, &ph);
    if (!h)
        return std::nullopt;
    if (payload) {
        auto v = wire::TcpView::parse(seg);
        payload->assign(v->payload().begin(), v->payload().end());
    }
    return *h;
}

struct TcpPair {
    explicit TcpPair(StackConfig sc = {}, std::size_t pool_bytes = 1 << 21)
        : a(1, sc, {}, pool_bytes, 2048), b(2, sc, {}, pool_bytes, 2048) {
        a.up_and_settle();
        b.up_and_settle();
        EXPECT_TRUE(a.stack.add_address(a.if0, aa, 64, true).ok());
        EXPECT_TRUE(b.stack.add_address(b.if0, ba, 64, true).ok());
    }
    Node &node(int i) { return i == 0 ? a : b; }
    TcpSockets &ta() { return a.stack.tcp(); }
    TcpSockets &tb() { return b.stack.tcp(); }
    Instant now() const { return a.clock.now(); }

    /// Moves frames the nodes sent onto the link.
    void collect() {
        for (int from = 0; from < 2; ++from) {
            for (auto &f : node(from).link.take()) {
                sent[from].push_back(f);
                log.emplace_back(now(), f);
                if (drop && drop(from, f)) {
                    ++dropped;
                    continue;
                }
                Duration d = latency + (extra_delay ? extra_delay(from, f) : Duration(0));
                if (duplicate && duplicate(from, f))
                    inflight.emplace(now() + d + std::chrono::milliseconds(1),
                                     std::make_pair(1 - from, f));
                inflight.emplace(now() + d, std::make_pair(1 - from, std::move(f)));
            }
        }
    }
    /// Runs both nodes and the link for `d` of virtual time, or until `done` holds.
    bool run_for(Duration d, const std::function<bool()> &done = nullptr) {
        const Instant end = now() + d;
        for (int guard = 0; guard < 5000000; ++guard) {
            collect();
            if (done && done())
                return true;
            collect();  // what done() made the nodes send
            Instant next = std::min(a.stack.next_deadline(), b.stack.next_deadline());
            if (!inflight.empty())
                next = std::min(next, inflight.begin()->first);
            if (next > end)
                break;
            if (next > now()) {
                a.clock.set(next);
                b.clock.set(next);
            }
            while (!inflight.empty() && inflight.begin()->first <= now()) {
                auto item = std::move(inflight.begin()->second);
                inflight.erase(inflight.begin());
                node(item.first).rx(item.second);
            }
            for (int i = 0; i < 2; ++i)
                if (node(i).stack.next_deadline() <= now())
                    node(i).stack.poll();
        }
        a.clock.set(end);
        b.clock.set(end);
        a.stack.poll();
        b.stack.poll();
        collect();
        return done ? done() : true;
    }
    /// b listens on `port`, a connects; returns {client on a, accepted on b}.
    std::pair<int, int> establish(std::uint16_t port = 80) {
        listener = *tb().open();
        EXPECT_TRUE(tb().bind(listener, Ip6Address(), port).ok());
        EXPECT_TRUE(tb().listen(listener, 4).ok());
        const int c = *ta().open();
        EXPECT_TRUE(ta().connect(c, ba, port).ok());
        int s = -1;
        run_for(std::chrono::seconds(5), [&] {
            auto r = tb().accept(listener);
            if (r)
                s = *r;
            return s >= 0 && ta().state(c) == TcpState::kEstablished;
        });
        EXPECT_GE(s, 0);
        EXPECT_EQ(ta().state(c), TcpState::kEstablished);
        return {c, s};
    }
    /// Frames node `from` sent carrying TCP.
    std::vector<wire::TcpHeader> tcp_sent(int from) {
        std::vector<wire::TcpHeader> out;
        for (const auto &f : sent[from])
            if (auto h = tcp_of(f))
                out.push_back(*h);
        return out;
    }

    Node a, b;
    Ip6Address aa = addr("2001:db8::1"), ba = addr("2001:db8::2");
    Duration latency = std::chrono::milliseconds(5);
    std::function<bool(int from, const Bytes &)> drop;
    std::function<Duration(int from, const Bytes &)> extra_delay;
    std::function<bool(int from, const Bytes &)> duplicate;  // a second copy 1 ms later
    std::multimap<Instant, std::pair<int, Bytes>> inflight;
    std::vector<Bytes> sent[2];
    std::vector<std::pair<Instant, Bytes>> log;  // every frame of both nodes, in sending order
    std::uint64_t dropped = 0;
    int listener = -1;
};

/// Moves `total` bytes of a pattern from `src` to `dst` (both established), reading as it
/// goes; returns the bytes received.
inline Bytes transfer(TcpPair &p, TcpSockets &tx, int s_tx, TcpSockets &rx, int s_rx,
                      std::size_t total, Duration limit) {
    Bytes out;
    std::size_t sent = 0;
    std::vector<std::uint8_t> buf(8192);
    p.run_for(limit, [&] {
        while (sent < total) {
            std::uint8_t chunk[4096];
            const std::size_t n = std::min(sizeof chunk, total - sent);
            for (std::size_t i = 0; i < n; ++i)
                chunk[i] = static_cast<std::uint8_t>((sent + i) * 7 + (sent + i) / 251);
            auto r = tx.send(s_tx, ByteSpan(chunk, n));
            if (!r || *r == 0)
                break;
            sent += *r;
        }
        for (;;) {
            auto r = rx.recv(s_rx, MutableByteSpan(buf.data(), buf.size()));
            if (!r || *r == 0)
                break;
            out.insert(out.end(), buf.begin(), buf.begin() + static_cast<long>(*r));
        }
        return out.size() >= total;
    });
    return out;
}

inline bool pattern_ok(const Bytes &b, std::size_t total) {
    if (b.size() != total)
        return false;
    for (std::size_t i = 0; i < total; ++i)
        if (b[i] != static_cast<std::uint8_t>(i * 7 + i / 251))
            return false;
    return true;
}

}  // namespace meshwork::stack::test
