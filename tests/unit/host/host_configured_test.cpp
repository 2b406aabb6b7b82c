// An application configured through its own mbed_app.json (configured/mbed_app.json) and
// meshwork_configure(): meshwork's precompiled libraries must honour the application's values
// at run time, observably - the host stack's pool, the DNS cache size, the shared queues'
// capacity and the default interface type.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>

#include "CellularInterface.h"
#include "EthInterface.h"
#include "MeshInterface.h"
#include "NetworkInterface.h"
#include "UDPSocket.h"
#include "WiFiInterface.h"
#include "events/mbed_shared_queues.h"
#include "meshwork/HostStack.h"
#include "meshwork/config/ApplicationConfiguration.h"
#include "nsapi_dns.h"

static_assert(MBED_CONF_MESHWORK_HOST_SOCKET_MAX == 7, "mbed_config.h is force-included");

namespace {

// The mesh interface this application provides, as a mesh driver would: the library's weak
// MeshInterface::get_target_default_instance() gives way to the definition below.
class FakeMesh : public MeshInterface {
  public:
    nsapi_error_t connect() override { return NSAPI_ERROR_OK; }
    nsapi_error_t disconnect() override { return NSAPI_ERROR_OK; }

  protected:
    NetworkStack *get_stack() override { return nullptr; }
};

MeshInterface *g_mesh = nullptr;  // what the application's mesh driver offers right now

}  // namespace

MeshInterface *MeshInterface::get_target_default_instance() {
    return g_mesh;
}

namespace {

using meshwork::HostStack;
using meshwork::config::application_configuration;

TEST(HostConfigured, TheGeneratedTableIsTheApplicationsConfiguration) {
    ASSERT_NE(meshwork::config::application_configuration_table(), nullptr);
    const meshwork::config::Configuration &c = application_configuration();
    EXPECT_EQ(c.meshwork.host_socket_max, 7u);
    EXPECT_EQ(c.meshwork.host_interface, "lo");
    EXPECT_EQ(c.nsapi.dns_cache_size, 2u);
    EXPECT_EQ(c.nsapi.dns_total_attempts, 10u) << "library default";
    EXPECT_EQ(c.events.shared_eventsize, 240u);
    EXPECT_EQ(c.target.network_default_interface_type, meshwork::config::InterfaceType::kMesh);
    EXPECT_EQ(c.parameters.at("nsapi.dns-cache-size").set_by, "application[*]");
}

TEST(HostConfigured, SocketPoolAndInterfaceComeFromTheApplicationsMbedAppJson) {
    EXPECT_EQ(HostStack::default_socket_max(), 7u);
    HostStack &stack = HostStack::default_instance();
    EXPECT_EQ(stack.socket_max(), 7u);
    HostStack explicit_size(HostStack::Options{5, ""});
    EXPECT_EQ(explicit_size.socket_max(), 5u);

    // The pool really is 7: the eighth socket is refused.
    UDPSocket sockets[8];
    for (int i = 0; i < 7; ++i) {
        EXPECT_EQ(sockets[i].open(&stack), NSAPI_ERROR_OK) << i;
    }
    EXPECT_EQ(sockets[7].open(&stack), NSAPI_ERROR_NO_SOCKET);
    for (auto &s : sockets) {
        s.close();
    }

    // meshwork.host-interface = "lo": the default stack's interface reports the loopback.
    OnboardNetworkStack::Interface *iface = nullptr;
    ASSERT_EQ(stack.add_ethernet_interface(EMAC::get_default_instance(), false, &iface),
              NSAPI_ERROR_OK);
    ASSERT_EQ(iface->bringup(true, nullptr, nullptr, nullptr, IPV4_STACK), NSAPI_ERROR_OK);
    char name[16] = {};
    ASSERT_NE(iface->get_interface_name(name), nullptr);
    EXPECT_STREQ(name, "lo");
    iface->bringdown();
    stack.remove_ethernet_interface(&iface);
}

TEST(HostConfigured, SharedQueuesHoldExactlyTheConfiguredNumberOfEvents) {
    // events.shared-eventsize 240 and shared-highprio-eventsize 96 are 5 and 2 events of
    // EVENTS_EVENT_SIZE bytes; far-future events stay pending, so the queue fills up.
    struct Case {
        events::EventQueue *queue;
        int capacity;
    } cases[] = {{mbed::mbed_event_queue(), 240 / EVENTS_EVENT_SIZE},
                 {mbed::mbed_highprio_event_queue(), 96 / EVENTS_EVENT_SIZE}};
    for (const Case &c : cases) {
        std::vector<int> ids;
        for (int i = 0; i < c.capacity + 3; ++i) {
            const int id = c.queue->call_in(std::chrono::hours(1), [] {});
            if (id == 0) {
                break;
            }
            ids.push_back(id);
        }
        EXPECT_EQ(static_cast<int>(ids.size()), c.capacity);
        for (int id : ids) {
            c.queue->cancel(id);
        }
        EXPECT_NE(c.queue->call_in(std::chrono::hours(1), [] {}), 0) << "room again";
    }
}

// Answers every A query for <name>.test with 127.0.0.42 (TTL 60) and counts the queries.
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
            size_t pos = 12;
            while (pos < size_t(n) && q[pos] != 0) {
                pos += q[pos] + 1;
            }
            const size_t qend = pos + 5;
            if (qend > size_t(n)) {
                continue;
            }
            queries_++;
            uint8_t r[512];
            memcpy(r, q, qend);
            r[2] = 0x81;
            r[3] = 0x80;
            r[6] = 0;
            r[7] = 1;
            const uint8_t rr[] = {0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 42};
            memcpy(r + qend, rr, sizeof(rr));
            sendto(fd_, r, qend + sizeof(rr), 0, reinterpret_cast<sockaddr *>(&from), len);
        }
    }

    int fd_ = -1;
    uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> queries_{0};
    std::thread thread_;
};

TEST(HostConfigured, DnsCacheEvictsAtTheConfiguredSize) {
    Responder responder;
    nsapi_dns_reset();
    nsapi_dns_clear_servers();  // never the public defaults
    ASSERT_EQ(nsapi_dns_add_server(SocketAddress("127.0.0.1", responder.port()), nullptr),
              NSAPI_ERROR_OK);
    HostStack stack;
    auto resolve = [&](const char *name) {
        SocketAddress a;
        EXPECT_EQ(stack.gethostbyname(name, &a, NSAPI_IPv4), NSAPI_ERROR_OK) << name;
        EXPECT_STREQ(a.get_ip_address(), "127.0.0.42") << name;
    };
    resolve("a.test");
    resolve("b.test");
    resolve("c.test");  // nsapi.dns-cache-size 2: a.test (the oldest) leaves the cache
    EXPECT_EQ(responder.queries(), 3);
    resolve("c.test");
    resolve("b.test");
    EXPECT_EQ(responder.queries(), 3) << "b and c are cached";
    resolve("a.test");
    EXPECT_EQ(responder.queries(), 4) << "a was evicted (the default size 3 would keep it)";
    nsapi_dns_reset();
}

TEST(HostConfigured, DefaultInterfaceIsTheConfiguredType) {
    // MESH: the Ethernet default exists but is not the target's default interface.
    ASSERT_NE(EthInterface::get_default_instance(), nullptr);
    g_mesh = nullptr;  // Linux has no mesh interface of its own
    EXPECT_EQ(NetworkInterface::get_default_instance(), nullptr);
    FakeMesh mesh;
    g_mesh = &mesh;  // an application's mesh driver
    EXPECT_EQ(NetworkInterface::get_default_instance(), &mesh);
    g_mesh = nullptr;
}

// Interfaces that record what set_default_parameters() hands them.
class FakeWifi : public WiFiInterface {
  public:
    nsapi_error_t set_credentials(const char *ssid, const char *pass,
                                  nsapi_security_t security) override {
        this->ssid = ssid ? ssid : "(null)";
        this->pass = pass ? pass : "(null)";
        this->security = security;
        return NSAPI_ERROR_OK;
    }
    nsapi_error_t set_channel(uint8_t) override { return NSAPI_ERROR_OK; }
    int8_t get_rssi() override { return 0; }
    nsapi_error_t connect(const char *, const char *, nsapi_security_t, uint8_t) override {
        return NSAPI_ERROR_OK;
    }
    nsapi_error_t connect() override { return NSAPI_ERROR_OK; }
    nsapi_error_t disconnect() override { return NSAPI_ERROR_OK; }
    nsapi_size_or_error_t scan(WiFiAccessPoint *, nsapi_size_t) override { return 0; }
    std::string ssid, pass;
    nsapi_security_t security = NSAPI_SECURITY_UNKNOWN;

  protected:
    NetworkStack *get_stack() override { return nullptr; }
};

class FakeCellular : public CellularInterface {
  public:
    void set_credentials(const char *apn, const char *uname, const char *pwd) override {
        credentials = std::string(apn ? apn : "(null)") + "/" + (uname ? uname : "(null)") + "/" +
                      (pwd ? pwd : "(null)");
    }
    void set_plmn(const char *plmn) override { this->plmn = plmn; }
    void set_sim_pin(const char *pin) override { sim_pin = pin; }
    nsapi_error_t connect(const char *, const char *, const char *, const char *) override {
        return NSAPI_ERROR_OK;
    }
    nsapi_error_t connect() override { return NSAPI_ERROR_OK; }
    nsapi_error_t disconnect() override { return NSAPI_ERROR_OK; }
    bool is_connected() override { return false; }
    std::string credentials, plmn, sim_pin;

  protected:
    NetworkStack *get_stack() override { return nullptr; }
};

TEST(HostConfigured, DefaultParametersAreTheApplicationsCredentials) {
    FakeWifi wifi;
    wifi.set_default_parameters();
    EXPECT_EQ(wifi.ssid, "home-net");
    EXPECT_EQ(wifi.pass, "secret");
    EXPECT_EQ(wifi.security, NSAPI_SECURITY_WPA_WPA2);
    FakeCellular cellular;
    cellular.set_default_parameters();
    EXPECT_EQ(cellular.credentials, "internet/(null)/(null)");
    EXPECT_EQ(cellular.plmn, "24491");
    EXPECT_EQ(cellular.sim_pin, "1234");
}

}  // namespace
