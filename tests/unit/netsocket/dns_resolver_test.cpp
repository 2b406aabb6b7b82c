// DNS front end: parameter rules, literals, server list, cache, blocking and asynchronous
// queries against a scripted in-memory server, and the nsapi_dns_* entry points.
#include "DnsResolver.h"

#include <gtest/gtest.h>

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "FakeDnsStack.h"
#include "core/Random.h"
#include "nsapi_dns.h"

using meshwork::DnsConfig;
using meshwork::DnsResolver;
using meshwork::test::FakeDnsStack;

namespace {

DnsConfig test_config() {
    DnsConfig c = DnsConfig::from_build_config();
    c.response_wait_ms = 20;  // only silent servers cost this; no timing is asserted
    c.total_attempts = 3;
    c.retries = 1;
    c.cache_size = 3;
    c.max_pending = 5;
    c.default_servers = false;
    return c;
}

const SocketAddress kServer1("192.0.2.53");
const SocketAddress kServer2("198.51.100.53", 5353);

// call_in that queues work for the test thread to run explicitly.
class ManualScheduler {
  public:
    call_in_callback_cb_t cb() {
        return [this](int delay, mbed::Callback<void()> f) -> nsapi_error_t {
            std::lock_guard<std::mutex> lock(mutex_);
            if (refuse) {
                return NSAPI_ERROR_NO_MEMORY;
            }
            (delay == 0 ? now_ : later_).push_back(f);
            delays.push_back(delay);
            return NSAPI_ERROR_OK;
        };
    }
    // Runs immediate work until none is left; returns how many ran.
    int run_now() {
        int ran = 0;
        while (true) {
            mbed::Callback<void()> f;
            {
                std::lock_guard<std::mutex> lock(mutex_);
                if (now_.empty()) {
                    return ran;
                }
                f = now_.front();
                now_.erase(now_.begin());
            }
            f();
            ran++;
        }
    }
    // Fires every pending timer (as if their delays had passed), then the immediate work.
    void fire_timers() {
        std::vector<mbed::Callback<void()>> timers;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            timers.swap(later_);
        }
        for (auto &t : timers) {
            t();
        }
        run_now();
    }
    bool refuse = false;
    std::vector<int> delays;

  private:
    std::mutex mutex_;
    std::vector<mbed::Callback<void()>> now_, later_;
};

struct Result {
    int calls = 0;
    nsapi_value_or_error_t value = 12345;
    std::vector<SocketAddress> addrs;
    NetworkStack::hostbyname_cb_t cb() {
        return [this](nsapi_value_or_error_t r, SocketAddress *a) {
            calls++;
            value = r;
            addrs.clear();
            for (int i = 0; i < r; i++) {
                addrs.push_back(a[i]);
            }
        };
    }
};

class Resolver : public ::testing::Test {
  protected:
    Resolver() : dns(test_config()) {
        stack.zones["host.test"].a = {SocketAddress("203.0.113.7")};
        stack.zones["host.test"].aaaa = {SocketAddress("2001:db8::7")};
        stack.zones["v6only.test"].aaaa = {SocketAddress("2001:db8::66")};
        stack.zones["many.test"].a = {SocketAddress("10.0.0.1"), SocketAddress("10.0.0.2"),
                                      SocketAddress("10.0.0.3")};
        stack.zones["broken.test"].rcode = 2;
        stack.responding = {with53(kServer1), kServer2};
    }
    static SocketAddress with53(SocketAddress a) {
        a.set_port(53);
        return a;
    }

    FakeDnsStack stack;
    DnsResolver dns;
};

TEST_F(Resolver, ParameterRules) {
    SocketAddress a[2];
    EXPECT_EQ(dns.query(&stack, nullptr, a, 1, nullptr, NSAPI_IPv4), NSAPI_ERROR_PARAMETER);
    EXPECT_EQ(dns.query(&stack, "", a, 1, nullptr, NSAPI_IPv4), NSAPI_ERROR_PARAMETER);
    EXPECT_EQ(dns.query(&stack, "host.test", nullptr, 1, nullptr, NSAPI_IPv4),
              NSAPI_ERROR_PARAMETER);
    EXPECT_EQ(dns.query(&stack, "host.test", a, 0, nullptr, NSAPI_IPv4), NSAPI_ERROR_PARAMETER);
    EXPECT_EQ(dns.query(nullptr, "host.test", a, 1, nullptr, NSAPI_IPv4), NSAPI_ERROR_PARAMETER);
    std::string too_long(256, 'a');
    EXPECT_EQ(dns.query(&stack, too_long.c_str(), a, 1, nullptr, NSAPI_IPv4),
              NSAPI_ERROR_PARAMETER);
    std::string longest(255, 'a');
    EXPECT_NE(dns.query(&stack, longest.c_str(), a, 1, nullptr, NSAPI_IPv4), NSAPI_ERROR_PARAMETER)
        << "255 characters pass the length check";
    EXPECT_TRUE(stack.sent.empty()) << "a 255-character label cannot be sent";
}

TEST_F(Resolver, LiteralsNeedNoQuery) {
    SocketAddress a;
    EXPECT_EQ(dns.query(&stack, "192.0.2.9", &a, 1, nullptr, NSAPI_IPv4), 1);
    EXPECT_STREQ(a.get_ip_address(), "192.0.2.9");
    EXPECT_EQ(dns.query(&stack, "2001:db8::9", &a, 1, nullptr, NSAPI_UNSPEC), 1);
    EXPECT_EQ(a.get_ip_version(), NSAPI_IPv6);
    EXPECT_EQ(dns.query(&stack, "192.0.2.9", &a, 1, nullptr, NSAPI_IPv6), NSAPI_ERROR_DNS_FAILURE);
    EXPECT_EQ(dns.query(&stack, "::1", &a, 1, nullptr, NSAPI_IPv4), NSAPI_ERROR_DNS_FAILURE);
    EXPECT_EQ(stack.opens, 0);
}

TEST_F(Resolver, NoServersIsFailure) {
    SocketAddress a;
    EXPECT_EQ(dns.query(&stack, "host.test", &a, 1, nullptr, NSAPI_IPv4), NSAPI_ERROR_DNS_FAILURE);
    EXPECT_TRUE(stack.sent.empty());
}

TEST_F(Resolver, ServerList) {
    EXPECT_EQ(dns.add_server(SocketAddress(), nullptr), NSAPI_ERROR_PARAMETER);
    EXPECT_EQ(dns.add_server(SocketAddress("0.0.0.0"), nullptr), NSAPI_ERROR_PARAMETER);
    ASSERT_EQ(dns.add_server(kServer1, nullptr), NSAPI_ERROR_OK);
    ASSERT_EQ(dns.add_server(kServer2, nullptr), NSAPI_ERROR_OK);
    SocketAddress s;
    ASSERT_EQ(dns.get_server(0, &s, nullptr), NSAPI_ERROR_OK);
    EXPECT_EQ(s, kServer2) << "newest first, port kept";
    ASSERT_EQ(dns.get_server(1, &s, nullptr), NSAPI_ERROR_OK);
    EXPECT_EQ(s, with53(kServer1)) << "port 0 means 53";
    EXPECT_EQ(dns.get_server(2, &s, nullptr), NSAPI_ERROR_NO_ADDRESS);
    EXPECT_EQ(dns.get_server(-1, &s, nullptr), NSAPI_ERROR_PARAMETER);
    // Re-adding moves to the front without duplicating.
    ASSERT_EQ(dns.add_server(kServer1, nullptr), NSAPI_ERROR_OK);
    dns.get_server(0, &s, nullptr);
    EXPECT_EQ(s, with53(kServer1));
    EXPECT_EQ(dns.get_server(2, &s, nullptr), NSAPI_ERROR_NO_ADDRESS);
    // Interface servers come first for that interface only.
    ASSERT_EQ(dns.add_server(SocketAddress("2001:db8::53"), "eth0"), NSAPI_ERROR_OK);
    dns.get_server(0, &s, "eth0");
    EXPECT_STREQ(s.get_ip_address(), "2001:db8::53");
    dns.get_server(1, &s, "eth0");
    EXPECT_EQ(s, with53(kServer1));
    dns.get_server(0, &s, "wlan0");
    EXPECT_EQ(s, with53(kServer1));
    // At most five per list.
    for (int i = 1; i <= 7; i++) {
        dns.add_server(SocketAddress(("10.9.9." + std::to_string(i)).c_str()), nullptr);
    }
    EXPECT_EQ(dns.get_server(4, &s, nullptr), NSAPI_ERROR_OK);
    EXPECT_EQ(dns.get_server(5, &s, nullptr), NSAPI_ERROR_NO_ADDRESS);
    dns.clear_servers();
    EXPECT_EQ(dns.get_server(0, &s, "eth0"), NSAPI_ERROR_NO_ADDRESS);
}

TEST_F(Resolver, BlockingQueryAndCache) {
    dns.add_server(kServer1, nullptr);
    SocketAddress a;
    ASSERT_EQ(dns.query(&stack, "HOST.test", &a, 1, nullptr, NSAPI_IPv4), 1);
    EXPECT_STREQ(a.get_ip_address(), "203.0.113.7");
    ASSERT_EQ(stack.sent.size(), 1u);
    EXPECT_EQ(stack.sent[0].to, with53(kServer1));
    EXPECT_EQ(stack.sent[0].qtype, meshwork::dns::kTypeA);
    EXPECT_EQ(stack.sent[0].name, "host.test");
    EXPECT_EQ(stack.open_sockets(), 0u) << "the query socket is closed";

    // Cached: no second query, case-insensitively.
    SocketAddress b;
    ASSERT_EQ(dns.query(&stack, "host.TEST", &b, 1, nullptr, NSAPI_IPv4), 1);
    EXPECT_EQ(a, b);
    EXPECT_EQ(stack.sent.size(), 1u);

    // Another stack does not share the cache.
    FakeDnsStack other;
    other.zones = stack.zones;
    other.responding = stack.responding;
    ASSERT_EQ(dns.query(&other, "host.test", &b, 1, nullptr, NSAPI_IPv4), 1);
    EXPECT_EQ(other.sent.size(), 1u);

    // reset() forgets the cache.
    dns.reset();
    ASSERT_EQ(dns.query(&stack, "host.test", &b, 1, nullptr, NSAPI_IPv4), 1);
    EXPECT_EQ(stack.sent.size(), 2u);
}

TEST_F(Resolver, CacheKeepsNewestEntries) {
    dns.add_server(kServer1, nullptr);
    for (const char *n : {"a.test", "b.test", "c.test", "d.test"}) {
        stack.zones[n].a = {SocketAddress("10.1.1.1")};
    }
    SocketAddress a;
    for (const char *n : {"a.test", "b.test", "c.test", "d.test"}) {
        ASSERT_EQ(dns.query(&stack, n, &a, 1, nullptr, NSAPI_IPv4), 1);
    }
    EXPECT_EQ(stack.sent.size(), 4u);
    ASSERT_EQ(dns.query(&stack, "d.test", &a, 1, nullptr, NSAPI_IPv4), 1);
    EXPECT_EQ(stack.sent.size(), 4u) << "recent entry cached";
    ASSERT_EQ(dns.query(&stack, "a.test", &a, 1, nullptr, NSAPI_IPv4), 1);
    EXPECT_EQ(stack.sent.size(), 5u) << "the oldest of 3 entries was evicted";
}

TEST_F(Resolver, ZeroTtlIsNotCached) {
    dns.add_server(kServer1, nullptr);
    stack.zones["host.test"].ttl = 0;
    SocketAddress a;
    ASSERT_EQ(dns.query(&stack, "host.test", &a, 1, nullptr, NSAPI_IPv4), 1);
    ASSERT_EQ(dns.query(&stack, "host.test", &a, 1, nullptr, NSAPI_IPv4), 1);
    EXPECT_EQ(stack.sent.size(), 2u);
}

TEST_F(Resolver, NameErrorStopsAtOnce) {
    dns.add_server(kServer1, nullptr);
    SocketAddress a;
    EXPECT_EQ(dns.query(&stack, "missing.test", &a, 1, nullptr, NSAPI_IPv4),
              NSAPI_ERROR_DNS_FAILURE);
    EXPECT_EQ(stack.sent.size(), 1u);
}

TEST_F(Resolver, ServerFailureTriesNextServer) {
    dns.add_server(kServer2, nullptr);
    dns.add_server(kServer1, nullptr);
    stack.responding = {with53(kServer1)};  // answers SERVFAIL for broken.test
    SocketAddress a;
    EXPECT_EQ(dns.query(&stack, "broken.test", &a, 1, nullptr, NSAPI_IPv4), NSAPI_ERROR_TIMEOUT);
    ASSERT_EQ(stack.sent.size(), 3u) << "total attempts";
    EXPECT_EQ(stack.sent[1].to, kServer2);
}

TEST_F(Resolver, SilentServersTimeOutAfterTotalAttempts) {
    dns.add_server(SocketAddress("192.0.2.99"), nullptr);
    dns.add_server(SocketAddress("192.0.2.98"), nullptr);
    SocketAddress a;
    EXPECT_EQ(dns.query(&stack, "host.test", &a, 1, nullptr, NSAPI_IPv4), NSAPI_ERROR_TIMEOUT);
    EXPECT_EQ(stack.sent.size(), 3u);
    EXPECT_EQ(stack.open_sockets(), 0u);
}

TEST_F(Resolver, SecondServerAnswers) {
    dns.add_server(kServer1, nullptr);
    dns.add_server(SocketAddress("192.0.2.99"), nullptr);  // first in the list, silent
    SocketAddress a;
    ASSERT_EQ(dns.query(&stack, "host.test", &a, 1, nullptr, NSAPI_IPv4), 1);
    ASSERT_EQ(stack.sent.size(), 2u);
    EXPECT_EQ(stack.sent[1].to, with53(kServer1));
}

TEST_F(Resolver, StackServersComeFirst) {
    dns.add_server(SocketAddress("192.0.2.99"), nullptr);
    stack.stack_servers = {kServer2};
    SocketAddress a;
    ASSERT_EQ(dns.query(&stack, "host.test", &a, 1, nullptr, NSAPI_IPv4), 1);
    ASSERT_EQ(stack.sent.size(), 1u);
    EXPECT_EQ(stack.sent[0].to, kServer2);
}

TEST_F(Resolver, RepliesFromElsewhereOrWithWrongIdAreIgnored) {
    dns.add_server(kServer1, nullptr);
    stack.wrong_id_first = true;
    SocketAddress a;
    ASSERT_EQ(dns.query(&stack, "host.test", &a, 1, nullptr, NSAPI_IPv4), 1);
    EXPECT_EQ(stack.sent.size(), 1u);

    dns.reset();
    stack.wrong_id_first = false;
    stack.spoof_source = SocketAddress("192.0.2.66", 53);
    EXPECT_EQ(dns.query(&stack, "host.test", &a, 1, nullptr, NSAPI_IPv4), NSAPI_ERROR_TIMEOUT);
}

TEST_F(Resolver, FamilySelection) {
    dns.add_server(kServer1, nullptr);
    SocketAddress a;
    ASSERT_EQ(dns.query(&stack, "host.test", &a, 1, nullptr, NSAPI_IPv6), 1);
    EXPECT_STREQ(a.get_ip_address(), "2001:db8::7");
    EXPECT_EQ(stack.sent.back().qtype, meshwork::dns::kTypeAaaa);
    // No preference: A first; with no A records, AAAA.
    ASSERT_EQ(dns.query(&stack, "v6only.test", &a, 1, nullptr, NSAPI_UNSPEC), 1);
    EXPECT_STREQ(a.get_ip_address(), "2001:db8::66");
    EXPECT_EQ(stack.sent[stack.sent.size() - 2].qtype, meshwork::dns::kTypeA);
    // A name with no records of the asked family.
    EXPECT_EQ(dns.query(&stack, "v6only.test", &a, 1, nullptr, NSAPI_IPv4),
              NSAPI_ERROR_DNS_FAILURE);
}

TEST_F(Resolver, MultipleAddresses) {
    dns.add_server(kServer1, nullptr);
    SocketAddress a[5];
    ASSERT_EQ(dns.query(&stack, "many.test", a, 5, nullptr, NSAPI_IPv4), 3);
    EXPECT_STREQ(a[2].get_ip_address(), "10.0.0.3");
    dns.reset();
    ASSERT_EQ(dns.query(&stack, "many.test", a, 2, nullptr, NSAPI_IPv4), 2);
}

TEST_F(Resolver, SocketErrorsAreReported) {
    dns.add_server(kServer1, nullptr);
    stack.open_result = NSAPI_ERROR_NO_SOCKET;
    SocketAddress a;
    EXPECT_EQ(dns.query(&stack, "host.test", &a, 1, nullptr, NSAPI_IPv4), NSAPI_ERROR_NO_SOCKET);
}

// ---- asynchronous queries ----

TEST_F(Resolver, AsyncAnswer) {
    dns.add_server(kServer1, nullptr);
    ManualScheduler sched;
    Result r;
    nsapi_value_or_error_t id =
        dns.query_async(&stack, "host.test", r.cb(), 1, sched.cb(), nullptr, NSAPI_IPv4);
    ASSERT_GT(id, 0);
    EXPECT_EQ(dns.pending(), 1u);
    EXPECT_EQ(r.calls, 0);
    sched.run_now();  // opens the socket and sends
    ASSERT_EQ(stack.sent.size(), 1u);
    EXPECT_EQ(r.calls, 0);
    stack.raise_events();  // the answer arrived
    sched.run_now();
    ASSERT_EQ(r.calls, 1);
    EXPECT_EQ(r.value, 1);
    EXPECT_STREQ(r.addrs[0].get_ip_address(), "203.0.113.7");
    EXPECT_EQ(dns.pending(), 0u);
    EXPECT_EQ(stack.open_sockets(), 0u);
    // Stale timers do nothing.
    sched.fire_timers();
    EXPECT_EQ(r.calls, 1);

    // Now cached: answered at once, callback already run.
    Result r2;
    EXPECT_EQ(dns.query_async(&stack, "host.test", r2.cb(), 1, sched.cb(), nullptr, NSAPI_IPv4), 0);
    EXPECT_EQ(r2.calls, 1);
    EXPECT_EQ(r2.value, 1);
}

TEST_F(Resolver, AsyncLiteralAndErrors) {
    ManualScheduler sched;
    Result r;
    EXPECT_EQ(dns.query_async(&stack, "10.2.3.4", r.cb(), 1, sched.cb(), nullptr, NSAPI_IPv4), 0);
    EXPECT_EQ(r.calls, 1);
    EXPECT_STREQ(r.addrs[0].get_ip_address(), "10.2.3.4");
    EXPECT_EQ(dns.query_async(&stack, "10.2.3.4", r.cb(), 1, sched.cb(), nullptr, NSAPI_IPv6),
              NSAPI_ERROR_DNS_FAILURE);
    EXPECT_EQ(dns.query_async(&stack, "", r.cb(), 1, sched.cb(), nullptr, NSAPI_IPv4),
              NSAPI_ERROR_PARAMETER);
    EXPECT_EQ(r.calls, 1);
    EXPECT_EQ(dns.cancel(777), NSAPI_ERROR_PARAMETER);
    sched.refuse = true;
    EXPECT_EQ(dns.query_async(&stack, "host.test", r.cb(), 1, sched.cb(), nullptr, NSAPI_IPv4),
              NSAPI_ERROR_NO_MEMORY);
    EXPECT_EQ(dns.pending(), 0u);
}

TEST_F(Resolver, AsyncNameError) {
    dns.add_server(kServer1, nullptr);
    ManualScheduler sched;
    Result r;
    ASSERT_GT(dns.query_async(&stack, "missing.test", r.cb(), 1, sched.cb(), nullptr, NSAPI_IPv4),
              0);
    sched.run_now();
    stack.raise_events();
    sched.run_now();
    ASSERT_EQ(r.calls, 1);
    EXPECT_EQ(r.value, NSAPI_ERROR_DNS_FAILURE);
}

TEST_F(Resolver, AsyncTimeoutWalksServersThenFails) {
    dns.add_server(SocketAddress("192.0.2.99"), nullptr);
    dns.add_server(SocketAddress("192.0.2.98"), nullptr);
    ManualScheduler sched;
    Result r;
    ASSERT_GT(dns.query_async(&stack, "host.test", r.cb(), 1, sched.cb(), nullptr, NSAPI_IPv4), 0);
    sched.run_now();
    EXPECT_EQ(stack.sent.size(), 1u);
    EXPECT_EQ(sched.delays.back(), test_config().response_wait_ms);
    for (int i = 0; i < 10 && r.calls == 0; i++) {
        sched.fire_timers();
    }
    ASSERT_EQ(r.calls, 1);
    EXPECT_EQ(r.value, NSAPI_ERROR_TIMEOUT);
    EXPECT_EQ(stack.sent.size(), 3u);
    EXPECT_EQ(stack.sent[1].to.get_ip_address(), std::string("192.0.2.99"));
    EXPECT_EQ(stack.open_sockets(), 0u);
}

TEST_F(Resolver, AsyncAtMostFivePending) {
    dns.add_server(kServer1, nullptr);
    ManualScheduler sched;
    Result r[6];
    int ids[6];
    for (int i = 0; i < 5; i++) {
        ids[i] =
            dns.query_async(&stack, "host.test", r[i].cb(), 1, sched.cb(), nullptr, NSAPI_IPv4);
        ASSERT_GT(ids[i], 0);
    }
    EXPECT_EQ(dns.query_async(&stack, "host.test", r[5].cb(), 1, sched.cb(), nullptr, NSAPI_IPv4),
              NSAPI_ERROR_NO_MEMORY);
    ASSERT_EQ(dns.cancel(ids[0]), NSAPI_ERROR_OK);
    EXPECT_EQ(dns.cancel(ids[0]), NSAPI_ERROR_PARAMETER);
    ids[5] = dns.query_async(&stack, "host.test", r[5].cb(), 1, sched.cb(), nullptr, NSAPI_IPv4);
    ASSERT_GT(ids[5], 0);
    sched.run_now();
    stack.raise_events();
    sched.run_now();
    EXPECT_EQ(r[0].calls, 0) << "cancelled: never called";
    for (int i = 1; i < 6; i++) {
        EXPECT_EQ(r[i].calls, 1) << i;
        EXPECT_EQ(r[i].value, 1) << i;
    }
    EXPECT_EQ(stack.open_sockets(), 0u);
}

TEST_F(Resolver, AsyncCancelAfterSend) {
    dns.add_server(kServer1, nullptr);
    ManualScheduler sched;
    Result r;
    int id = dns.query_async(&stack, "host.test", r.cb(), 1, sched.cb(), nullptr, NSAPI_IPv4);
    ASSERT_GT(id, 0);
    sched.run_now();
    ASSERT_EQ(stack.sent.size(), 1u);
    ASSERT_EQ(dns.cancel(id), NSAPI_ERROR_OK);
    EXPECT_EQ(stack.open_sockets(), 0u);
    stack.raise_events();
    sched.run_now();
    sched.fire_timers();
    EXPECT_EQ(r.calls, 0);
}

TEST_F(Resolver, ResetDropsPendingAndOverrideScheduler) {
    dns.add_server(kServer1, nullptr);
    ManualScheduler given, override;
    dns.set_call_in(override.cb());
    Result r;
    ASSERT_GT(dns.query_async(&stack, "host.test", r.cb(), 1, given.cb(), nullptr, NSAPI_IPv4), 0);
    EXPECT_EQ(given.run_now(), 0) << "the override is used";
    EXPECT_EQ(override.run_now(), 1);
    dns.reset();
    EXPECT_EQ(dns.pending(), 0u);
    stack.raise_events();
    override.run_now();
    override.fire_timers();
    EXPECT_EQ(r.calls, 0);
    EXPECT_EQ(stack.open_sockets(), 0u);
}

TEST_F(Resolver, AsyncUnspecFallsBackToAaaa) {
    dns.add_server(kServer1, nullptr);
    ManualScheduler sched;
    Result r;
    ASSERT_GT(dns.query_async(&stack, "v6only.test", r.cb(), 2, sched.cb(), nullptr, NSAPI_UNSPEC),
              0);
    sched.run_now();
    stack.raise_events();  // empty A answer; the AAAA query goes out
    sched.run_now();
    ASSERT_EQ(stack.sent.size(), 2u);
    EXPECT_EQ(stack.sent[1].qtype, meshwork::dns::kTypeAaaa);
    stack.raise_events();
    sched.run_now();
    ASSERT_EQ(r.calls, 1);
    EXPECT_EQ(r.value, 1);
    EXPECT_EQ(r.addrs[0].get_ip_version(), NSAPI_IPv6);
}

// ---- the Mbed entry points (process-wide resolver) ----

class EntryPoints : public ::testing::Test {
  protected:
    void SetUp() override {
        nsapi_dns_reset();
        nsapi_dns_clear_servers();  // never the public defaults in tests
        stack.zones["host.test"].a = {SocketAddress("203.0.113.7")};
        stack.responding = {SocketAddress("127.0.0.1", 53)};
    }
    void TearDown() override {
        nsapi_dns_call_in_set(nullptr);
        nsapi_dns_reset();
    }
    FakeDnsStack stack;
};

TEST_F(EntryPoints, DefaultsAndServerList) {
    SocketAddress s;
    EXPECT_EQ(nsapi_dns_get_server(0, &s), NSAPI_ERROR_NO_ADDRESS);
    ASSERT_EQ(nsapi_dns_add_server("127.0.0.1"), NSAPI_ERROR_OK);
    ASSERT_EQ(nsapi_dns_get_server(0, &s), NSAPI_ERROR_OK);
    EXPECT_EQ(s, SocketAddress("127.0.0.1", 53));
    nsapi_addr_t raw = SocketAddress("::1").get_addr();
    ASSERT_EQ(nsapi_dns_add_server(raw), NSAPI_ERROR_OK);
    ASSERT_EQ(nsapi_dns_get_server(0, &s), NSAPI_ERROR_OK);
    EXPECT_STREQ(s.get_ip_address(), "::1");
    EXPECT_EQ(stack.add_dns_server(SocketAddress("127.0.0.2"), "eth9"), NSAPI_ERROR_OK);
    ASSERT_EQ(nsapi_dns_get_server(0, &s, "eth9"), NSAPI_ERROR_OK);
    EXPECT_STREQ(s.get_ip_address(), "127.0.0.2");
}

TEST_F(EntryPoints, QueryThroughStackAndInterfaceForms) {
    nsapi_dns_add_server(SocketAddress("127.0.0.1"), nullptr);
    SocketAddress a;
    EXPECT_EQ(nsapi_dns_query(&stack, "", &a), NSAPI_ERROR_PARAMETER);
    ASSERT_EQ(nsapi_dns_query(&stack, "host.test", &a), NSAPI_ERROR_OK);
    EXPECT_STREQ(a.get_ip_address(), "203.0.113.7");
    ASSERT_EQ(nsapi_dns_query(&stack, "host.test", &a, nullptr, NSAPI_IPv4), NSAPI_ERROR_OK);
    SocketAddress list[3];
    EXPECT_EQ(nsapi_dns_query_multiple(&stack, "host.test", list, 3, nullptr), 1);
    // NetworkStack::gethostbyname goes through the same resolver.
    SocketAddress b;
    ASSERT_EQ(stack.gethostbyname("host.test", &b), NSAPI_ERROR_OK);
    EXPECT_EQ(a, b);
    EXPECT_EQ(stack.gethostbyname("missing.test", &b, NSAPI_IPv4), NSAPI_ERROR_DNS_FAILURE);
}

TEST_F(EntryPoints, AsyncThroughStackWithCallInSet) {
    nsapi_dns_add_server(SocketAddress("127.0.0.1"), nullptr);
    ManualScheduler sched;
    nsapi_dns_call_in_set(sched.cb());
    Result r;
    nsapi_value_or_error_t id = stack.gethostbyname_async("host.test", r.cb(), NSAPI_IPv4);
    ASSERT_GT(id, 0);
    sched.run_now();
    stack.raise_events();
    sched.run_now();
    ASSERT_EQ(r.calls, 1);
    EXPECT_EQ(r.value, 1);
    EXPECT_STREQ(r.addrs[0].get_ip_address(), "203.0.113.7");

    // Cancel through the stack.
    nsapi_dns_reset();
    Result r2;
    id = stack.gethostbyname_async("host.test", r2.cb(), NSAPI_IPv4);
    ASSERT_GT(id, 0);
    EXPECT_EQ(stack.gethostbyname_async_cancel(id), NSAPI_ERROR_OK);
    sched.run_now();
    EXPECT_EQ(r2.calls, 0);
}

}  // namespace

// Message ids come from the random stream of the stack the query goes out on: stacks with the
// same seed give the same ids, another seed other ids (nothing reads OS entropy).
TEST(ResolverRandom, QueryIdsComeFromTheStacksStream) {
    auto ids_of = [](FakeDnsStack &stack) {
        stack.zones["a.test"].a = {SocketAddress("203.0.113.1")};
        stack.zones["b.test"].a = {SocketAddress("203.0.113.2")};
        stack.responding = {SocketAddress("192.0.2.53", 53)};
        DnsResolver dns(test_config());
        dns.add_server(kServer1, nullptr);
        SocketAddress a;
        EXPECT_EQ(dns.query(&stack, "a.test", &a, 1, nullptr, NSAPI_IPv4), 1);
        EXPECT_EQ(dns.query(&stack, "b.test", &a, 1, nullptr, NSAPI_IPv4), 1);
        std::vector<uint16_t> ids;
        for (const auto &s : stack.sent) {
            ids.push_back(s.id);
        }
        return ids;
    };
    FakeDnsStack one, two, reseeded, reference;
    const std::vector<uint16_t> first = ids_of(one);
    ASSERT_EQ(first.size(), 2u);
    EXPECT_EQ(ids_of(two), first);
    // Exactly the stack's draws, in order.
    EXPECT_EQ(first[0], reference.random().next_u16());
    EXPECT_EQ(first[1], reference.random().next_u16());
    reseeded.seed_random(42);
    EXPECT_NE(ids_of(reseeded), first);
}
