// A Greentea suite of meshwork's, written as Mbed OS 5.x netsocket suites are and using only
// Mbed's names: UDP echo through the default network interface against the "udp_echo" host
// test's echo server, whose address the suite asks the host for (host_ip, host_port).
#include "UDPSocket.h"
#include "greentea-client/test_env.h"
#include "mbed.h"
#include "unity/unity.h"
#include "utest/utest.h"

#include <atomic>

using namespace utest::v1;

namespace {

NetworkInterface *net;
SocketAddress echo_server;
const size_t kMaxSize = 1200;
char tx_buffer[kMaxSize];
char rx_buffer[kMaxSize];

void fill(char *buffer, size_t size, unsigned round) {
    for (size_t i = 0; i < size; ++i) {
        buffer[i] = static_cast<char>('!' + (i * 11 + round * 5) % 93);
    }
}

void UDPSOCKET_ECHOTEST() {
    UDPSocket sock;
    TEST_ASSERT_EQUAL(NSAPI_ERROR_OK, sock.open(net));
    sock.set_timeout(5000);
    const size_t sizes[] = {1, 32, 256, 512, kMaxSize};
    for (unsigned round = 0; round < sizeof sizes / sizeof sizes[0]; ++round) {
        const size_t size = sizes[round];
        fill(tx_buffer, size, round);
        TEST_ASSERT_EQUAL(static_cast<int>(size), sock.sendto(echo_server, tx_buffer, size));
        SocketAddress from;
        TEST_ASSERT_EQUAL(static_cast<int>(size), sock.recvfrom(&from, rx_buffer, kMaxSize));
        TEST_ASSERT_TRUE_MESSAGE(from == echo_server, "the echo came from elsewhere");
        TEST_ASSERT_EQUAL_MEMORY(tx_buffer, rx_buffer, size);
    }
    TEST_ASSERT_EQUAL(NSAPI_ERROR_OK, sock.close());
}

EventFlags events;
const uint32_t kSigio = 1;
std::atomic<int> sigio_count{0};  // written by the stack's thread

void on_sigio() {
    sigio_count++;
    events.set(kSigio);
}

// Non-blocking, driven by sigio: attaching calls nothing; each echo is announced.
void UDPSOCKET_ECHOTEST_NONBLOCK() {
    UDPSocket sock;
    TEST_ASSERT_EQUAL(NSAPI_ERROR_OK, sock.open(net));
    sock.set_blocking(false);
    sigio_count.store(0);
    events.clear();
    sock.sigio(callback(on_sigio));
    ThisThread::sleep_for(100ms);
    TEST_ASSERT_EQUAL_MESSAGE(0, sigio_count.load(), "sigio ran on attach");
    for (unsigned round = 0; round < 10; ++round) {
        const size_t size = 100 + round * 100;
        fill(tx_buffer, size, round);
        TEST_ASSERT_EQUAL(static_cast<int>(size), sock.sendto(echo_server, tx_buffer, size));
        nsapi_size_or_error_t n;
        while ((n = sock.recvfrom(nullptr, rx_buffer, kMaxSize)) == NSAPI_ERROR_WOULD_BLOCK) {
            const uint32_t flags = events.wait_any(kSigio, 10000);
            TEST_ASSERT_FALSE_MESSAGE(flags & osFlagsError, "no sigio for the echo");
        }
        TEST_ASSERT_EQUAL(static_cast<int>(size), n);
        TEST_ASSERT_EQUAL_MEMORY(tx_buffer, rx_buffer, size);
    }
    sock.sigio(nullptr);
    TEST_ASSERT_EQUAL(NSAPI_ERROR_OK, sock.close());
}

void UDPSOCKET_RECV_TIMEOUT() {
    UDPSocket sock;
    TEST_ASSERT_EQUAL(NSAPI_ERROR_OK, sock.open(net));
    TEST_ASSERT_EQUAL(NSAPI_ERROR_OK, sock.bind(0));
    sock.set_timeout(100);
    Timer timer;
    timer.start();
    TEST_ASSERT_EQUAL(NSAPI_ERROR_WOULD_BLOCK, sock.recvfrom(nullptr, rx_buffer, kMaxSize));
    timer.stop();
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(timer.elapsed_time());
    // At least the timeout; the upper bound only guards against a wait that never ends.
    TEST_ASSERT_GREATER_OR_EQUAL_INT(95, static_cast<int>(waited.count()));
    TEST_ASSERT_LESS_THAN_INT(5000, static_cast<int>(waited.count()));
    TEST_ASSERT_EQUAL(NSAPI_ERROR_OK, sock.close());
}

status_t greentea_setup(const size_t number_of_cases) {
    GREENTEA_SETUP(60, "udp_echo");
    net = NetworkInterface::get_default_instance();
    TEST_ASSERT_NOT_NULL_MESSAGE(net, "no default network interface");
    TEST_ASSERT_EQUAL(NSAPI_ERROR_OK, net->connect());
    SocketAddress own;
    net->get_ip_address(&own);
    greentea_send_kv("target_ip", own.get_ip_address() ? own.get_ip_address() : "");

    char key[16] = {};
    char ip[64] = {};
    char port[16] = {};
    greentea_send_kv("host_ip", " ");
    TEST_ASSERT_TRUE(greentea_parse_kv(key, ip, sizeof key, sizeof ip));
    greentea_send_kv("host_port", " ");
    TEST_ASSERT_TRUE(greentea_parse_kv(key, port, sizeof key, sizeof port));
    echo_server = SocketAddress(ip, static_cast<uint16_t>(atoi(port)));
    printf("echo server at %s:%u\n", ip, echo_server.get_port());
    return greentea_test_setup_handler(number_of_cases);
}

Case cases[] = {
    Case("UDPSOCKET_ECHOTEST", UDPSOCKET_ECHOTEST),
    Case("UDPSOCKET_ECHOTEST_NONBLOCK", UDPSOCKET_ECHOTEST_NONBLOCK),
    Case("UDPSOCKET_RECV_TIMEOUT", UDPSOCKET_RECV_TIMEOUT),
};

Specification specification(greentea_setup, cases, greentea_continue_handlers);

}  // namespace

int main() {
    return !Harness::run(specification);
}
