// The resolver's real UDP exchange over the host backend: a DNS responder on 127.0.0.1 (a
// kernel socket on an ephemeral port) answers the queries the resolver sends through
// HostStack. Loopback only.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>

#include "meshwork/HostStack.h"
#include "DnsResolver.h"
#include "nsapi_dns.h"

namespace {

// Answers A queries for loop.test (127.0.0.42, TTL 60), NXDOMAIN for other names, and never
// answers silent.test.
class Responder {
  public:
    Responder() {
        fd_ = socket(AF_INET, SOCK_DGRAM, 0);
        sockaddr_in sa{};
        sa.sin_family = AF_INET;
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bind(fd_, reinterpret_cast<sockaddr *>(&sa), sizeof(sa));
        socklen_t len = sizeof(sa);
        getsockname(fd_, reinterpret_cast<sockaddr *>(&sa), &len);
        port_ = ntohs(sa.sin_port);
        thread_ = std::thread([this] { run(); });
    }
    ~Responder() {
        stop_ = true;
        thread_.join();
        close(fd_);
    }
    uint16_t port() const { return port_; }
    int queries() const { return queries_; }

  private:
    void run() {
        while (!stop_) {
            pollfd p{fd_, POLLIN, 0};
            if (poll(&p, 1, 20) <= 0) {
                continue;
            }
            uint8_t q[512];
            sockaddr_in from{};
            socklen_t len = sizeof(from);
            ssize_t n = recvfrom(fd_, q, sizeof(q), 0, reinterpret_cast<sockaddr *>(&from), &len);
            if (n < 17) {
                continue;
            }
            queries_++;
            std::string name;
            size_t pos = 12;
            while (pos < size_t(n) && q[pos] != 0) {
                if (!name.empty()) {
                    name += '.';
                }
                name.append(reinterpret_cast<const char *>(q + pos + 1), q[pos]);
                pos += q[pos] + 1;
            }
            size_t qend = pos + 5;
            if (name == "silent.test" || qend > size_t(n)) {
                continue;
            }
            uint16_t qtype = uint16_t((q[pos + 1] << 8) | q[pos + 2]);
            uint8_t r[512];
            memcpy(r, q, qend);
            r[2] = 0x81;
            bool known = name == "loop.test";
            r[3] = known ? 0x80 : 0x83;
            size_t out = qend;
            r[6] = 0;
            r[7] = 0;
            if (known && qtype == 1) {
                r[7] = 1;
                const uint8_t rr[] = {0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 42};
                memcpy(r + out, rr, sizeof(rr));
                out += sizeof(rr);
            }
            sendto(fd_, r, out, 0, reinterpret_cast<sockaddr *>(&from), len);
        }
    }

    int fd_ = -1;
    uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> queries_{0};
    std::thread thread_;
};

class DnsLoopback : public ::testing::Test {
  protected:
    void SetUp() override {
        nsapi_dns_reset();
        nsapi_dns_clear_servers();  // never the public defaults
        ASSERT_EQ(nsapi_dns_add_server(SocketAddress("127.0.0.1", responder.port()), nullptr),
                  NSAPI_ERROR_OK);
    }
    void TearDown() override { nsapi_dns_reset(); }

    Responder responder;
    meshwork::HostStack stack;
};

TEST_F(DnsLoopback, BlockingQueryOverHostStack) {
    SocketAddress a;
    ASSERT_EQ(stack.gethostbyname("loop.test", &a, NSAPI_IPv4), NSAPI_ERROR_OK);
    EXPECT_STREQ(a.get_ip_address(), "127.0.0.42");
    EXPECT_EQ(responder.queries(), 1);
    ASSERT_EQ(stack.gethostbyname("loop.test", &a, NSAPI_IPv4), NSAPI_ERROR_OK);
    EXPECT_EQ(responder.queries(), 1) << "second answer from the cache";
    EXPECT_EQ(stack.gethostbyname("nxdomain.test", &a, NSAPI_IPv4), NSAPI_ERROR_DNS_FAILURE);
    EXPECT_EQ(stack.open_sockets(), 0u);
}

TEST_F(DnsLoopback, AsyncQueryOverHostStack) {
    std::mutex m;
    std::condition_variable cv;
    bool done = false;
    nsapi_value_or_error_t result = 0;
    std::string text;
    nsapi_value_or_error_t id = stack.gethostbyname_async(
        "loop.test",
        [&](nsapi_value_or_error_t r, SocketAddress *addr) {
            std::lock_guard<std::mutex> lock(m);
            result = r;
            text = r > 0 ? addr->get_ip_address() : "";
            done = true;
            cv.notify_all();
        },
        NSAPI_IPv4);
    ASSERT_GT(id, 0);
    std::unique_lock<std::mutex> lock(m);
    // Generous bound: only to turn a hang into a failure.
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(20), [&] { return done; }));
    EXPECT_EQ(result, 1);
    EXPECT_EQ(text, "127.0.0.42");
}

TEST_F(DnsLoopback, SilentServerTimesOut) {
    meshwork::DnsConfig config = meshwork::DnsConfig::from_build_config();
    config.response_wait_ms = 100;
    config.total_attempts = 2;
    config.retries = 1;
    config.default_servers = false;
    meshwork::DnsResolver dns(config);
    dns.add_server(SocketAddress("127.0.0.1", responder.port()), nullptr);
    SocketAddress a;
    EXPECT_EQ(dns.query(&stack, "silent.test", &a, 1, nullptr, NSAPI_IPv4), NSAPI_ERROR_TIMEOUT);
    EXPECT_EQ(responder.queries(), 2);
    EXPECT_EQ(dns.query(&stack, "loop.test", &a, 1, nullptr, NSAPI_IPv4), 1);
}

}  // namespace
