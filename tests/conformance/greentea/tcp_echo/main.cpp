// A Greentea suite of meshwork's, written as Mbed OS 5.x netsocket suites are and using only
// Mbed's names: TCP echo through the default network interface against the "tcp_echo" host
// test's echo server, whose address the suite asks the host for (host_ip, host_port).
#include "CellularDevice.h"
#include "TCPSocket.h"
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

// A pattern that differs for every offset and round, so a misplaced byte shows.
void fill(char *buffer, size_t size, unsigned round) {
    for (size_t i = 0; i < size; ++i) {
        buffer[i] = static_cast<char>('!' + (i * 7 + round * 13) % 93);
    }
}

void send_all(TCPSocket &sock, const char *data, size_t size) {
    size_t sent = 0;
    while (sent < size) {
        const nsapi_size_or_error_t n = sock.send(data + sent, size - sent);
        TEST_ASSERT_TRUE_MESSAGE(n > 0, "send failed");
        sent += static_cast<size_t>(n);
    }
}

void recv_all(TCPSocket &sock, char *data, size_t size) {
    size_t got = 0;
    while (got < size) {
        const nsapi_size_or_error_t n = sock.recv(data + got, size - got);
        TEST_ASSERT_TRUE_MESSAGE(n > 0, "recv failed or the peer closed");
        got += static_cast<size_t>(n);
    }
}

void TCPSOCKET_ECHOTEST() {
    TCPSocket sock;
    TEST_ASSERT_EQUAL(NSAPI_ERROR_OK, sock.open(net));
    TEST_ASSERT_EQUAL(NSAPI_ERROR_OK, sock.connect(echo_server));
    const size_t sizes[] = {1, 16, 100, 536, kMaxSize};
    for (unsigned round = 0; round < sizeof sizes / sizeof sizes[0]; ++round) {
        const size_t size = sizes[round];
        fill(tx_buffer, size, round);
        send_all(sock, tx_buffer, size);
        recv_all(sock, rx_buffer, size);
        TEST_ASSERT_EQUAL_MEMORY(tx_buffer, rx_buffer, size);
    }
    TEST_ASSERT_EQUAL(NSAPI_ERROR_OK, sock.close());
}

void TCPSOCKET_ECHOTEST_BURST() {
    TCPSocket sock;
    TEST_ASSERT_EQUAL(NSAPI_ERROR_OK, sock.open(net));
    TEST_ASSERT_EQUAL(NSAPI_ERROR_OK, sock.connect(echo_server));
    sock.set_timeout(10000);
    for (unsigned burst = 0; burst < 5; ++burst) {
        fill(tx_buffer, kMaxSize, burst);
        for (int i = 0; i < 4; ++i) {
            send_all(sock, tx_buffer, kMaxSize);
        }
        for (int i = 0; i < 4; ++i) {
            recv_all(sock, rx_buffer, kMaxSize);
            TEST_ASSERT_EQUAL_MEMORY(tx_buffer, rx_buffer, kMaxSize);
        }
    }
    TEST_ASSERT_EQUAL(NSAPI_ERROR_OK, sock.close());
}

// Non-blocking, driven by sigio: attaching calls nothing; each echo is announced.
EventFlags events;
const uint32_t kSigio = 1;
std::atomic<int> sigio_count{0};  // written by the stack's thread

void on_sigio() {
    sigio_count++;
    events.set(kSigio);
}

void TCPSOCKET_ECHOTEST_NONBLOCK() {
    TCPSocket sock;
    TEST_ASSERT_EQUAL(NSAPI_ERROR_OK, sock.open(net));
    TEST_ASSERT_EQUAL(NSAPI_ERROR_OK, sock.connect(echo_server));
    sock.set_blocking(false);
    sigio_count.store(0);
    events.clear();
    sock.sigio(callback(on_sigio));
    ThisThread::sleep_for(100ms);
    TEST_ASSERT_EQUAL_MESSAGE(0, sigio_count.load(), "sigio ran on attach");
    for (unsigned round = 0; round < 10; ++round) {
        const size_t size = 64 + round * 100;
        fill(tx_buffer, size, round);
        TEST_ASSERT_EQUAL(static_cast<int>(size), sock.send(tx_buffer, size));
        size_t got = 0;
        while (got < size) {
            const nsapi_size_or_error_t n = sock.recv(rx_buffer + got, size - got);
            if (n == NSAPI_ERROR_WOULD_BLOCK) {
                const uint32_t flags = events.wait_any(kSigio, 10000);
                TEST_ASSERT_FALSE_MESSAGE(flags & osFlagsError, "no sigio for the echo");
                continue;
            }
            TEST_ASSERT_TRUE(n > 0);
            got += static_cast<size_t>(n);
        }
        TEST_ASSERT_EQUAL_MEMORY(tx_buffer, rx_buffer, size);
    }
    sock.sigio(nullptr);
    TEST_ASSERT_EQUAL(NSAPI_ERROR_OK, sock.close());
}

void TCPSOCKET_OPEN_CLOSE_REPEAT() {
    TCPSocket sock;
    for (int i = 0; i < 100; ++i) {
        TEST_ASSERT_EQUAL(NSAPI_ERROR_OK, sock.open(net));
        TEST_ASSERT_EQUAL(NSAPI_ERROR_OK, sock.close());
    }
    TEST_ASSERT_EQUAL(NSAPI_ERROR_NO_SOCKET, sock.close());
}

status_t greentea_setup(const size_t number_of_cases) {
    GREENTEA_SETUP(60, "tcp_echo");
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
    Case("TCPSOCKET_ECHOTEST", TCPSOCKET_ECHOTEST),
    Case("TCPSOCKET_ECHOTEST_BURST", TCPSOCKET_ECHOTEST_BURST),
    Case("TCPSOCKET_ECHOTEST_NONBLOCK", TCPSOCKET_ECHOTEST_NONBLOCK),
    Case("TCPSOCKET_OPEN_CLOSE_REPEAT", TCPSOCKET_OPEN_CLOSE_REPEAT),
};

Specification specification(greentea_setup, cases, greentea_continue_handlers);

}  // namespace

int main() {
    return !Harness::run(specification);
}
