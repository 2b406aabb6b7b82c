// Exchanges between two CoapEndpoints (or an endpoint and a scripted raw peer) over an in-memory
// link in fake time: nothing sleeps. This test links only meshwork::coap_endpoint (core and wire
// below it): the endpoint builds and runs without netsocket.
#include <gtest/gtest.h>

#include <deque>
#include <set>
#include <type_traits>

#include "meshwork/coap/CoapEndpoint.h"

// Not `using namespace meshwork`: core's meshwork::Status would make coap::Status ambiguous.
using namespace meshwork::coap;
using meshwork::Duration;
using meshwork::Instant;
using meshwork::IpEndpoint;
using meshwork::kNever;
using meshwork::Random;
using meshwork::SeededRandom;
using namespace std::chrono_literals;

// The endpoint's headers must not bring in netsocket: SocketAddress stays an incomplete type.
class SocketAddress;
namespace {
template <typename T, typename = void>
struct is_complete : std::false_type {};
template <typename T>
struct is_complete<T, decltype(void(sizeof(T)))> : std::true_type {};
static_assert(!is_complete<::SocketAddress>::value, "CoapEndpoint.h must not include netsocket");
}  // namespace

namespace {

struct Datagram {
    IpEndpoint from, to;
    std::vector<std::uint8_t> bytes;
    Instant at;
};

const IpEndpoint kClientAddr = IpEndpoint::v4(127, 0, 0, 1, 40001);
const IpEndpoint kServerAddr = IpEndpoint::v4(127, 0, 0, 1, 5683);

/// Returns the same 64 bits forever: pins the jitter to one end of its range.
class FixedRandom final : public Random {
  public:
    explicit FixedRandom(std::uint64_t v) : v_(v) {}
    std::uint64_t next_u64() override { return v_; }

  private:
    std::uint64_t v_;
};

/// Two endpoints joined by a queue; `drop` decides per datagram (by index) whether it is lost.
struct Net {
    Instant now = Instant(Duration(1'000'000));
    std::deque<Datagram> queue;
    std::vector<Datagram> log;  // every datagram sent, lost or not
    std::function<bool(std::size_t index, const Datagram &)> drop;
    SeededRandom client_random;
    SeededRandom server_random;
    CoapEndpoint client;
    CoapEndpoint server;

    explicit Net(Params cp = {}, Params sp = {}, std::uint64_t client_seed = 1,
                 std::uint64_t server_seed = 2)
        : client_random(client_seed),
          server_random(server_seed),
          client([this](const IpEndpoint &to, const std::uint8_t *d,
                        std::size_t n) { sent(kClientAddr, to, d, n); },
                 client_random, cp),
          server([this](const IpEndpoint &to, const std::uint8_t *d,
                        std::size_t n) { sent(kServerAddr, to, d, n); },
                 server_random, sp) {}

    void sent(const IpEndpoint &from, const IpEndpoint &to, const std::uint8_t *d, std::size_t n) {
        Datagram g{from, to, std::vector<std::uint8_t>(d, d + n), now};
        const std::size_t index = log.size();
        log.push_back(g);
        if (!drop || !drop(index, g))
            queue.push_back(std::move(g));
    }

    /// Delivers datagrams and advances fake time to the next deadline until `done` or idle.
    void run(const std::function<bool()> &done, Duration limit = 600s) {
        const Instant end = now + limit;
        while (!done() && now < end) {
            if (!queue.empty()) {
                Datagram g = std::move(queue.front());
                queue.pop_front();
                CoapEndpoint &to = g.to == kServerAddr ? server : client;
                to.on_datagram(g.from, g.bytes.data(), g.bytes.size(), now);
                continue;
            }
            Instant next = std::min(client.next_deadline(), server.next_deadline());
            if (next == kNever)
                break;
            now = std::max(now, next);
            client.poll(now);
            server.poll(now);
        }
    }
};

Message get(const std::string &uri) {
    Message m;
    m.code = Code::kGet;
    m.set_uri(uri);
    return m;
}

std::vector<std::uint8_t> pattern(std::size_t n) {
    std::vector<std::uint8_t> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = static_cast<std::uint8_t>(i * 7 + i / 251);
    return v;
}

Message decode(const std::vector<std::uint8_t> &b) {
    Message m;
    EXPECT_TRUE(Message::decode(b.data(), b.size(), &m));
    return m;
}

}  // namespace

TEST(CoapEndpoint, PiggybackedResponseToConfirmableGet) {
    Net net;
    net.server.add_resource("hello", [](ServerExchange &ex, Message &r) {
        EXPECT_EQ(ex.request.uri_queries(), (std::vector<std::string>{"lang=en"}));
        r.set_content_format(ContentFormat::kTextPlain);
        r.set_payload("world");
    });
    bool done = false;
    net.client.request(
        kServerAddr, get("/hello?lang=en"),
        [&](Status s, const Message &m) {
            EXPECT_EQ(s, Status::kOk);
            EXPECT_EQ(m.code, Code::kContent);
            EXPECT_EQ(m.payload_string(), "world");
            EXPECT_EQ(m.content_format(), 0);
            done = true;
        },
        net.now);
    net.run([&] { return done; });
    ASSERT_TRUE(done);
    ASSERT_EQ(net.log.size(), 2u);  // CON request, ACK with the response
    Message req = decode(net.log[0].bytes), ack = decode(net.log[1].bytes);
    EXPECT_EQ(req.type, Type::kConfirmable);
    EXPECT_EQ(ack.type, Type::kAcknowledgement);
    EXPECT_EQ(ack.message_id, req.message_id);
    EXPECT_EQ(ack.token, req.token);
    EXPECT_FALSE(req.token.empty());
    EXPECT_EQ(net.client.next_deadline(), kNever);
}

TEST(CoapEndpoint, NonConfirmableRequestGetsNonResponse) {
    Net net;
    net.server.add_resource("n", [](ServerExchange &, Message &r) { r.set_payload("x"); });
    Status status = Status::kCancelled;
    net.client.request(
        kServerAddr, get("n"), [&](Status s, const Message &) { status = s; }, net.now, false);
    net.run([&] { return status != Status::kCancelled; });
    EXPECT_EQ(status, Status::kOk);
    ASSERT_EQ(net.log.size(), 2u);
    EXPECT_EQ(decode(net.log[0].bytes).type, Type::kNonConfirmable);
    EXPECT_EQ(decode(net.log[1].bytes).type, Type::kNonConfirmable);
}

TEST(CoapEndpoint, RetransmissionScheduleFollowsRfc7252) {
    Net net;
    net.drop = [](std::size_t, const Datagram &) { return true; };  // black hole
    Status status = Status::kOk;
    bool called = false;
    const Instant start = net.now;
    Instant failed_at{};
    net.client.request(
        kServerAddr, get("x"),
        [&](Status s, const Message &) {
            status = s;
            called = true;
            failed_at = net.now;
        },
        net.now);
    net.run([&] { return called; });
    ASSERT_TRUE(called);
    EXPECT_EQ(status, Status::kTimeout);
    ASSERT_EQ(net.log.size(), 5u);  // 1 + MAX_RETRANSMIT
    const Duration t0 = net.log[1].at - net.log[0].at;
    EXPECT_GE(t0, 2s);
    EXPECT_LE(t0, 3s);  // ACK_TIMEOUT * ACK_RANDOM_FACTOR
    for (std::size_t i = 2; i < 5; ++i)
        EXPECT_EQ(net.log[i].at - net.log[i - 1].at, t0 * (1 << (i - 1)));
    EXPECT_EQ(failed_at - start, t0 * 31);  // gives up 16 * timeout after the last copy
    for (auto &g : net.log)
        EXPECT_EQ(g.bytes, net.log[0].bytes);  // same message ID each time
    EXPECT_EQ(net.client.stats().retransmitted, 4u);
}

TEST(CoapEndpoint, InitialTimeoutIsRandomisedPerSeed) {
    std::set<std::int64_t> seen;
    for (std::uint64_t seed = 1; seed < 20; ++seed) {
        std::vector<Instant> sends;
        Instant now{};
        SeededRandom random(seed);
        CoapEndpoint ep(
            [&](const IpEndpoint &, const std::uint8_t *, std::size_t) { sends.push_back(now); },
            random);
        ep.request(kServerAddr, get("x"), nullptr, now);
        now = ep.next_deadline();
        ep.poll(now);
        ASSERT_EQ(sends.size(), 2u);
        seen.insert((sends[1] - sends[0]).count());
    }
    EXPECT_GT(seen.size(), 10u);
}

TEST(CoapEndpoint, LostAckIsAnsweredFromDedupCacheWithoutRerunningHandler) {
    Net net;
    int calls = 0;
    net.server.add_resource(
        "counter", [&](ServerExchange &, Message &r) { r.set_payload(std::to_string(++calls)); });
    // Lose the first response (datagram 1).
    net.drop = [](std::size_t i, const Datagram &) { return i == 1; };
    std::string got;
    Message put;
    put.code = Code::kPost;
    put.set_uri("counter");
    net.client.request(
        kServerAddr, put, [&](Status s, const Message &m) { got = m.payload_string(); }, net.now);
    net.run([&] { return !got.empty(); });
    EXPECT_EQ(got, "1");
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(net.server.stats().duplicates, 1u);
    ASSERT_EQ(net.log.size(), 4u);
    EXPECT_EQ(net.log[3].bytes, net.log[1].bytes);  // the cached ACK, byte for byte

    // After EXCHANGE_LIFETIME the same message ID is new again.
    net.now += 248s;
    net.server.poll(net.now);
    net.queue.clear();
    net.server.on_datagram(kClientAddr, net.log[0].bytes.data(), net.log[0].bytes.size(), net.now);
    EXPECT_EQ(calls, 2);
}

TEST(CoapEndpoint, SeparateResponseAfterEmptyAck) {
    Net net;
    std::uint64_t deferred = 0;
    net.server.add_resource("slow", [&](ServerExchange &ex, Message &) {
        ex.defer();
        deferred = ex.id;
    });
    std::string got;
    net.client.request(
        kServerAddr, get("slow"),
        [&](Status s, const Message &m) {
            EXPECT_EQ(s, Status::kOk);
            got = m.payload_string();
        },
        net.now);
    net.run([&] { return net.queue.empty() && deferred != 0; }, 1s);
    ASSERT_NE(deferred, 0u);
    ASSERT_EQ(net.log.size(), 2u);
    Message ack = decode(net.log[1].bytes);
    EXPECT_EQ(ack.type, Type::kAcknowledgement);
    EXPECT_TRUE(ack.is_empty());
    // The client stopped retransmitting and waits for the response.
    net.now += 10s;
    net.client.poll(net.now);
    EXPECT_EQ(net.log.size(), 2u);

    Message r;
    r.code = Code::kContent;
    r.set_payload("late");
    EXPECT_TRUE(net.server.respond(deferred, r, net.now));
    EXPECT_FALSE(net.server.respond(deferred, r, net.now));
    net.run([&] { return !got.empty() && net.queue.empty(); });
    EXPECT_EQ(got, "late");
    ASSERT_EQ(net.log.size(), 4u);
    Message sep = decode(net.log[2].bytes), sep_ack = decode(net.log[3].bytes);
    EXPECT_EQ(sep.type, Type::kConfirmable);
    EXPECT_EQ(sep.token, decode(net.log[0].bytes).token);
    EXPECT_EQ(sep_ack.type, Type::kAcknowledgement);
    EXPECT_EQ(sep_ack.message_id, sep.message_id);
    // ACKed: no retransmission pending, only the duplicate cache's EXCHANGE_LIFETIME for the
    // request received at the start.
    EXPECT_EQ(net.server.next_deadline(), net.log[0].at + 247s);

    // A duplicate of the separate response is ACKed again but not delivered again.
    got.clear();
    net.client.on_datagram(kServerAddr, net.log[2].bytes.data(), net.log[2].bytes.size(), net.now);
    EXPECT_TRUE(got.empty());
    EXPECT_EQ(decode(net.log.back().bytes).type, Type::kAcknowledgement);
}

TEST(CoapEndpoint, SeparateResponseTimesOutWhenNeverSent) {
    Net net;
    net.server.add_resource("never", [&](ServerExchange &ex, Message &) { ex.defer(); });
    Status status = Status::kOk;
    bool called = false;
    net.client.request(
        kServerAddr, get("never"),
        [&](Status s, const Message &) {
            status = s;
            called = true;
        },
        net.now);
    net.run([&] { return called; });
    EXPECT_TRUE(called);
    EXPECT_EQ(status, Status::kTimeout);
}

TEST(CoapEndpoint, Block2LargeResponseIsReassembled) {
    Net net;
    const auto body = pattern(100 * 1024);
    int handler_calls = 0;
    net.server.add_resource("big", [&](ServerExchange &, Message &r) {
        ++handler_calls;
        r.payload = body;
    });
    std::vector<std::uint8_t> got;
    net.client.request(
        kServerAddr, get("big"),
        [&](Status s, const Message &m) {
            EXPECT_EQ(s, Status::kOk);
            EXPECT_FALSE(m.has_option(Option::kBlock2));
            got = m.payload;
        },
        net.now);
    net.run([&] { return !got.empty(); });
    EXPECT_EQ(got, body);
    EXPECT_EQ(handler_calls, 100);  // 100 blocks of 1024
    Message first = decode(net.log[1].bytes);
    EXPECT_EQ(first.option_uint(Option::kSize2), body.size());
}

TEST(CoapEndpoint, Block2SurvivesLossAndSmallerClientBlocks) {
    Params small;
    small.block_szx = 2;  // the client asks for 64-byte blocks after the first
    Net net(small);
    const auto body = pattern(3000);
    net.server.add_resource("big", [&](ServerExchange &, Message &r) { r.payload = body; });
    net.drop = [](std::size_t i, const Datagram &) { return i % 5 == 3; };
    std::vector<std::uint8_t> got;
    net.client.request(
        kServerAddr, get("big"),
        [&](Status s, const Message &m) {
            EXPECT_EQ(s, Status::kOk);
            got = m.payload;
        },
        net.now, true);
    net.run([&] { return !got.empty(); }, 10000s);
    EXPECT_EQ(got, body);
}

TEST(CoapEndpoint, Block1LargeRequestIsReassembledByServer) {
    Params server_params;
    server_params.block_szx = 4;  // server prefers 256-byte blocks: the client must follow
    Net net({}, server_params);
    const auto body = pattern(100 * 1024 + 17);
    std::vector<std::uint8_t> stored;
    net.server.add_resource("store", [&](ServerExchange &ex, Message &r) {
        EXPECT_EQ(ex.request.code, Code::kPut);
        EXPECT_EQ(ex.request.content_format(), ContentFormat::kOctetStream);
        stored = ex.request.payload;
        r.code = Code::kChanged;
    });
    Message put;
    put.code = Code::kPut;
    put.set_uri("store");
    put.set_content_format(ContentFormat::kOctetStream);
    put.payload = body;
    Status status = Status::kTimeout;
    std::uint8_t code = 0;
    net.client.request(
        kServerAddr, put,
        [&](Status s, const Message &m) {
            status = s;
            code = m.code;
        },
        net.now);
    net.run([&] { return code != 0; });
    EXPECT_EQ(status, Status::kOk);
    EXPECT_EQ(code, Code::kChanged);
    EXPECT_EQ(stored, body);
    Message first = decode(net.log[0].bytes);
    Block b;
    ASSERT_TRUE(first.block(Option::kBlock1, &b));
    EXPECT_EQ(b.szx, 6);
    EXPECT_EQ(first.option_uint(Option::kSize1), body.size());
    Message later = decode(net.log[2].bytes);
    ASSERT_TRUE(later.block(Option::kBlock1, &b));
    EXPECT_EQ(b.szx, 4);
    EXPECT_EQ(b.num, 4u);  // 1024 bytes sent = four 256-byte blocks
}

TEST(CoapEndpoint, Block1OutOfOrderIsRequestEntityIncomplete) {
    Net net;
    net.server.add_resource("store",
                            [&](ServerExchange &, Message &) { FAIL() << "handler must not run"; });
    Message m;
    m.type = Type::kConfirmable;
    m.code = Code::kPut;
    m.message_id = 7;
    m.token = {9};
    m.set_uri("store");
    m.set_block(Option::kBlock1, Block{3, true, 0});
    m.payload.assign(16, 1);
    auto bytes = m.encode();
    net.server.on_datagram(kClientAddr, bytes.data(), bytes.size(), net.now);
    ASSERT_EQ(net.log.size(), 1u);
    EXPECT_EQ(decode(net.log[0].bytes).code, Code::kRequestEntityIncomplete);
}

TEST(CoapEndpoint, ServerRejectsUnknownPathCriticalOptionAndMalformedInput) {
    Net net;
    net.server.add_resource("a", [](ServerExchange &, Message &) {});
    auto send = [&](Message m) {
        m.type = Type::kConfirmable;
        m.message_id = static_cast<std::uint16_t>(net.log.size() + 100);
        m.token = {1};
        auto b = m.encode();
        net.server.on_datagram(kClientAddr, b.data(), b.size(), net.now);
        return decode(net.log.back().bytes);
    };
    EXPECT_EQ(send(get("missing")).code, Code::kNotFound);
    Message crit = get("a");
    crit.add_option_uint(9, 1);  // unknown critical option
    EXPECT_EQ(send(crit).code, Code::kBadOption);
    Message elective = get("a");
    elective.add_option_uint(292, 1);  // unknown elective option is ignored
    EXPECT_EQ(send(elective).code, Code::kContent);

    // Malformed CON (token length 9) is rejected with RST; garbage is dropped silently.
    const std::size_t before = net.log.size();
    const std::uint8_t bad_con[] = {0x49, 0x01, 0x12, 0x34, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    net.server.on_datagram(kClientAddr, bad_con, sizeof bad_con, net.now);
    ASSERT_EQ(net.log.size(), before + 1);
    Message rst = decode(net.log.back().bytes);
    EXPECT_EQ(rst.type, Type::kReset);
    EXPECT_EQ(rst.message_id, 0x1234);
    const std::uint8_t garbage[] = {0xff, 0x00};
    net.server.on_datagram(kClientAddr, garbage, sizeof garbage, net.now);
    net.server.on_datagram(kClientAddr, nullptr, 0, net.now);
    EXPECT_EQ(net.log.size(), before + 1);
    EXPECT_EQ(net.server.stats().malformed, 3u);

    // CoAP ping: an empty CON is answered with RST.
    Message ping;
    ping.type = Type::kConfirmable;
    ping.message_id = 4242;
    auto pb = ping.encode();
    net.server.on_datagram(kClientAddr, pb.data(), pb.size(), net.now);
    EXPECT_EQ(decode(net.log.back().bytes).type, Type::kReset);
    EXPECT_EQ(decode(net.log.back().bytes).message_id, 4242);
}

TEST(CoapEndpoint, ResetFailsTheRequestAndStrayResponsesAreRejected) {
    Net net;
    Status status = Status::kOk;
    net.client.request(
        kServerAddr, get("x"), [&](Status s, const Message &) { status = s; }, net.now);
    Message req = decode(net.log[0].bytes);
    Message rst;
    rst.type = Type::kReset;
    rst.message_id = req.message_id;
    auto b = rst.encode();
    // An RST from another address is ignored.
    net.client.on_datagram(IpEndpoint::v4(127, 0, 0, 2, 5683), b.data(), b.size(), net.now);
    EXPECT_EQ(status, Status::kOk);
    net.client.on_datagram(kServerAddr, b.data(), b.size(), net.now);
    EXPECT_EQ(status, Status::kReset);
    EXPECT_EQ(net.client.next_deadline(), kNever);

    // A CON response with an unknown token is rejected with RST.
    Message stray;
    stray.type = Type::kConfirmable;
    stray.code = Code::kContent;
    stray.message_id = 99;
    stray.token = {0xde, 0xad};
    auto sb = stray.encode();
    net.client.on_datagram(kServerAddr, sb.data(), sb.size(), net.now);
    Message reply = decode(net.log.back().bytes);
    EXPECT_EQ(reply.type, Type::kReset);
    EXPECT_EQ(reply.message_id, 99);
}

TEST(CoapEndpoint, ObserveOrdersNotificationsAndDeregisters) {
    Net net;
    std::vector<std::string> seen;
    std::uint64_t id = net.client.observe(
        kServerAddr, get("time"),
        [&](Status s, const Message &m) {
            EXPECT_EQ(s, Status::kOk);
            seen.push_back(m.payload_string());
        },
        net.now);
    Message reg = decode(net.log[0].bytes);
    EXPECT_EQ(reg.observe(), 0);
    EXPECT_EQ(reg.code, Code::kGet);
    // Scripted server: piggybacked registration response, then CON/NON notifications.
    auto deliver = [&](Type type, std::uint16_t mid, std::uint32_t seq,
                       const std::string &payload) {
        Message n;
        n.type = type;
        n.code = Code::kContent;
        n.message_id = mid;
        n.token = reg.token;
        n.add_option_uint(Option::kObserve, seq);
        n.set_payload(payload);
        auto b = n.encode();
        net.client.on_datagram(kServerAddr, b.data(), b.size(), net.now);
    };
    deliver(Type::kAcknowledgement, reg.message_id, 5, "v5");
    net.now += 1s;
    deliver(Type::kConfirmable, 1000, 7, "v7");
    Message ack = decode(net.log.back().bytes);
    EXPECT_EQ(ack.type, Type::kAcknowledgement);
    EXPECT_EQ(ack.message_id, 1000);
    deliver(Type::kNonConfirmable, 1001, 6, "v6-late");  // older: dropped
    deliver(Type::kConfirmable, 1000, 7, "v7");          // duplicate: ACKed, not delivered
    deliver(Type::kNonConfirmable, 1002, (1u << 23) + 9, "wrapped-old");  // older: 7 - x mod 2^24
    deliver(Type::kNonConfirmable, 1003, 8, "v8");
    net.now += 200s;
    deliver(Type::kNonConfirmable, 1004, 2, "v2-after-128s");  // newer: more than 128 s later
    EXPECT_EQ(seen, (std::vector<std::string>{"v5", "v7", "v8", "v2-after-128s"}));
    EXPECT_TRUE(net.client.active(id));

    net.client.cancel_observe(id, net.now);
    Message dereg = decode(net.log.back().bytes);
    EXPECT_EQ(dereg.observe(), 1);
    EXPECT_EQ(dereg.token, reg.token);
    Message resp;
    resp.type = Type::kAcknowledgement;
    resp.code = Code::kContent;
    resp.message_id = dereg.message_id;
    resp.token = reg.token;
    auto rb = resp.encode();
    net.client.on_datagram(kServerAddr, rb.data(), rb.size(), net.now);
    EXPECT_FALSE(net.client.active(id));
    deliver(Type::kConfirmable, 1005, 9, "after-cancel");
    EXPECT_EQ(decode(net.log.back().bytes).type, Type::kReset);
    EXPECT_EQ(seen.size(), 4u);
}

TEST(CoapEndpoint, ObserveRegistrationRefusedEndsTheObservation) {
    Net net;
    net.server.add_resource("plain",
                            [](ServerExchange &, Message &r) { r.set_payload("no observe"); });
    int calls = 0;
    std::uint64_t id = net.client.observe(
        kServerAddr, get("plain"),
        [&](Status, const Message &m) {
            ++calls;
            EXPECT_EQ(m.observe(), -1);
        },
        net.now);
    net.run([&] { return calls > 0; });
    EXPECT_EQ(calls, 1);
    EXPECT_FALSE(net.client.active(id));
}

TEST(CoapEndpoint, ObserveRegistrationWithBlock2IsFetchedWhole) {
    Net net;
    const auto body = pattern(1500);
    std::vector<std::vector<std::uint8_t>> seen;
    std::uint64_t id = net.client.observe(
        kServerAddr, get("big"),
        [&](Status s, const Message &m) {
            EXPECT_EQ(s, Status::kOk);
            seen.push_back(m.payload);
        },
        net.now);
    Message reg = decode(net.log[0].bytes);
    Message first;
    first.type = Type::kAcknowledgement;
    first.code = Code::kContent;
    first.message_id = reg.message_id;
    first.token = reg.token;
    first.add_option_uint(Option::kObserve, 1);
    first.set_block(Option::kBlock2, Block{0, true, 6});
    first.payload.assign(body.begin(), body.begin() + 1024);
    auto fb = first.encode();
    net.client.on_datagram(kServerAddr, fb.data(), fb.size(), net.now);
    EXPECT_TRUE(seen.empty());
    Message next = decode(net.log.back().bytes);
    Block b;
    ASSERT_TRUE(next.block(Option::kBlock2, &b));
    EXPECT_EQ(b.num, 1u);
    EXPECT_EQ(next.observe(), -1);  // block requests do not re-register
    Message second;
    second.type = Type::kAcknowledgement;
    second.code = Code::kContent;
    second.message_id = next.message_id;
    second.token = next.token;
    second.set_block(Option::kBlock2, Block{1, false, 6});
    second.payload.assign(body.begin() + 1024, body.end());
    auto sb = second.encode();
    net.client.on_datagram(kServerAddr, sb.data(), sb.size(), net.now);
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0], body);
    EXPECT_TRUE(net.client.active(id));  // still observing
}

// RFC 7252 4.8 with a seeded Random: next_deadline() names each retransmission instant exactly
// (t0 + T, 3T, 7T, 15T, and the failure at 31T), and a poll at any earlier instant does nothing.
TEST(CoapEndpoint, NextDeadlineIsExactRetransmissionSchedule) {
    SeededRandom random(42);
    std::vector<Instant> sends;
    Instant now = Instant(Duration(5'000'000));
    CoapEndpoint ep(
        [&](const IpEndpoint &, const std::uint8_t *, std::size_t) { sends.push_back(now); },
        random);
    const Instant t0 = now;
    bool failed = false;
    Instant failed_at{};
    ep.request(
        kServerAddr, get("x"),
        [&](Status s, const Message &) {
            EXPECT_EQ(s, Status::kTimeout);
            failed = true;
            failed_at = now;
        },
        now);
    ASSERT_EQ(sends.size(), 1u);
    const Duration t = ep.next_deadline() - t0;
    EXPECT_GE(t, 2s);  // ACK_TIMEOUT
    EXPECT_LE(t, 3s);  // ACK_TIMEOUT * ACK_RANDOM_FACTOR
    const std::int64_t multiples[] = {1, 3, 7, 15, 31};
    Instant previous = t0;
    for (std::size_t i = 0; i < 5; ++i) {
        const Instant due = t0 + t * multiples[i];
        ASSERT_EQ(ep.next_deadline(), due) << i;
        // Between deadlines there is no work: nothing sent, nothing counted, deadline unchanged.
        for (Instant probe : {previous, previous + (due - previous) / 2, due - 1us}) {
            now = probe;
            ep.poll(now);
            EXPECT_EQ(sends.size(), i + 1) << i;
            EXPECT_EQ(ep.stats().retransmitted, i) << i;
            EXPECT_EQ(ep.next_deadline(), due) << i;
            EXPECT_FALSE(failed);
        }
        now = due;
        ep.poll(now);
        previous = due;
        if (i < 4) {
            ASSERT_EQ(sends.size(), i + 2) << i;
            EXPECT_EQ(sends.back(), due);
        }
    }
    EXPECT_TRUE(failed);
    EXPECT_EQ(failed_at, t0 + t * 31);
    EXPECT_EQ(sends.size(), 5u);
    EXPECT_EQ(ep.next_deadline(), kNever);
}

// The jitter spans exactly [ACK_TIMEOUT, ACK_TIMEOUT * ACK_RANDOM_FACTOR]: the lowest and the
// highest draw of the Random give the two ends, and a factor of 1 gives ACK_TIMEOUT.
TEST(CoapEndpoint, InitialTimeoutRangeEnds) {
    auto first_timeout = [](Random &random, Params params) {
        Instant now{};
        CoapEndpoint ep([](const IpEndpoint &, const std::uint8_t *, std::size_t) {}, random,
                        params);
        ep.request(kServerAddr, get("x"), nullptr, now);
        return ep.next_deadline() - now;
    };
    FixedRandom low(std::uint64_t{1} << 32);  // next_u32() == 1: uniform() yields 0
    FixedRandom high(~std::uint64_t{0});      // next_u32() == max: uniform() yields bound - 1
    EXPECT_EQ(first_timeout(low, {}), 2s);
    EXPECT_EQ(first_timeout(high, {}), 3s);
    Params p;
    p.ack_timeout = 500ms;
    p.ack_random_factor = 2.0;
    EXPECT_EQ(first_timeout(high, p), 1s);
    p.ack_random_factor = 1.0;
    SeededRandom seeded(3);
    EXPECT_EQ(first_timeout(seeded, p), 500ms);
}

// next_deadline() also names the response timeout after an empty ACK (MAX_TRANSMIT_WAIT by
// default) and the lifetimes of the duplicate cache (EXCHANGE_LIFETIME for CON, NON_LIFETIME for
// NON); when they pass the endpoint is idle again.
TEST(CoapEndpoint, NextDeadlineCoversResponseTimeoutAndLifetimes) {
    Net net;
    net.server.add_resource("slow", [](ServerExchange &ex, Message &) { ex.defer(); });
    net.server.add_resource("n", [](ServerExchange &, Message &r) { r.set_payload("x"); });
    const Instant t0 = net.now;
    net.client.request(kServerAddr, get("slow"), nullptr, net.now);
    net.run([&] { return net.queue.empty(); }, 1s);
    ASSERT_EQ(net.log.size(), 2u);  // CON request, empty ACK
    EXPECT_EQ(net.now, t0);         // no time passed
    EXPECT_EQ(net.client.next_deadline(), t0 + 93s);
    EXPECT_EQ(net.server.next_deadline(), t0 + 247s);

    net.now = t0 + 10s;
    net.client.request(kServerAddr, get("n"), nullptr, net.now, false);
    net.run([&] { return net.queue.empty(); }, 1s);
    ASSERT_EQ(net.log.size(), 4u);                     // NON request, NON response
    EXPECT_EQ(net.server.next_deadline(), t0 + 155s);  // the NON's lifetime comes first
    EXPECT_EQ(net.client.next_deadline(), t0 + 93s);   // the response timeout comes first

    net.server.poll(t0 + 155s);
    EXPECT_EQ(net.server.next_deadline(), t0 + 247s);
    net.server.poll(t0 + 247s);
    EXPECT_EQ(net.server.next_deadline(), kNever);
    net.client.poll(t0 + 93s);  // the separate response never came
    EXPECT_EQ(net.client.next_deadline(), t0 + 155s);
    net.client.poll(t0 + 155s);
    EXPECT_EQ(net.client.next_deadline(), kNever);
    EXPECT_EQ(net.log.size(), 4u);  // expiry sends nothing
}

namespace {

/// A fixed scenario with loss, block-wise transfer in both directions and a separate response;
/// returns every datagram with its instant.
std::vector<Datagram> scripted_run(std::uint64_t client_seed, std::uint64_t server_seed) {
    Params p;
    p.block_szx = 3;  // 128-byte blocks: many exchanges
    Net net(p, p, client_seed, server_seed);
    net.drop = [](std::size_t i, const Datagram &) { return i % 7 == 2; };
    const auto body = pattern(2000);
    std::vector<std::uint8_t> stored;
    std::uint64_t deferred = 0;
    net.server.add_resource("big", [&](ServerExchange &, Message &r) { r.payload = body; });
    net.server.add_resource("store",
                            [&](ServerExchange &ex, Message &) { stored = ex.request.payload; });
    net.server.add_resource("slow", [&](ServerExchange &ex, Message &) {
        ex.defer();
        deferred = ex.id;
    });
    int done = 0;
    auto count = [&](Status, const Message &) { ++done; };
    net.client.request(kServerAddr, get("big"), count, net.now);
    Message put;
    put.code = Code::kPut;
    put.set_uri("store");
    put.payload = pattern(700);
    net.client.request(kServerAddr, put, count, net.now);
    net.client.request(kServerAddr, get("slow"), count, net.now);
    net.run([&] { return deferred != 0 && net.queue.empty(); }, 100s);
    Message late;
    late.code = Code::kContent;
    late.set_payload("late");
    net.server.respond(deferred, late, net.now);
    net.run([&] { return done == 3 && net.queue.empty(); });
    EXPECT_EQ(done, 3);
    EXPECT_EQ(stored, pattern(700));
    return net.log;
}

}  // namespace

// Same seeds, same bytes at the same instants (ARCHITECTURE rule 2); another seed changes the
// message IDs and tokens.
TEST(CoapEndpoint, SameSeedGivesByteIdenticalDatagrams) {
    const std::vector<Datagram> a = scripted_run(11, 12);
    const std::vector<Datagram> b = scripted_run(11, 12);
    ASSERT_GT(a.size(), 30u);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].bytes, b[i].bytes) << i;
        EXPECT_EQ(a[i].at, b[i].at) << i;
        EXPECT_EQ(a[i].from, b[i].from) << i;
    }
    const std::vector<Datagram> c = scripted_run(13, 12);
    ASSERT_FALSE(c.empty());
    EXPECT_NE(c[0].bytes, a[0].bytes);  // another message ID and token
}
