// The simulated stack as a conformance backend: two nodes on a segment (a router at
// 2001:db8:1::1, the servers' stack, and a SLAAC host, the clients'), each with its own
// stack::Stack under a NodeNetworkStack. The suite's code runs on ordinary threads, so here the
// simulation runs on a thread of its own with virtual time paced to the steady clock (the
// suite's timeouts are wall-clock), and every socket hook takes the lock the simulation thread
// holds while it runs the stacks. Not deterministic: that is the scenario tests' job
// (tests/scenario/nsapi); this checks the adapter behaves as every other backend.
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>

#include "meshwork/sim/Simulation.h"
#include "sim/Segment.h"
#include "support/Backends.h"
#include "testbed/NodeNetwork.h"

namespace meshwork::test {
namespace {

class SimulatedBackend : public Backend {
  public:
    SimulatedBackend() : sim_(1) {
        sim::SegmentConfig sc;
        sc.latency = std::chrono::microseconds(100);
        segment_ = std::make_unique<sim::Segment>(sim_.scheduler(), sc);
        testbed::NodeNetworkConfig rc;
        rc.stack.forwarding = true;
        rc.netif.advertise = true;
        stack::AdvertisedPrefix p;
        p.prefix = *wire::Ip6Address::from_text("2001:db8:1::");
        rc.netif.prefixes.push_back(p);
        rc.static_addresses.push_back(*wire::Ip6Address::from_text("2001:db8:1::1"));
        rc.make_default = false;
        testbed::NodeNetworkConfig hc;
        hc.make_default = false;
        // The suite's ping-pong of small one-way writes would wait for a delayed ACK each round
        // (Nagle holds the next write until the previous one is ACKed): keep that wait short.
        for (testbed::NodeNetworkConfig *c : {&rc, &hc}) {
            c->stack.tcp.delayed_ack = std::chrono::milliseconds(5);
        }
        server_ = &attach(sim_.add_node("server"), rc);
        client_ = &attach(sim_.add_node("client"), hc);
        // Up in virtual time as fast as it goes (DAD, RA, SLAAC), before anyone else calls in.
        for (testbed::NodeNetwork *n : {server_, client_}) {
            n->interface().set_blocking(false);
            n->interface().connect();
        }
        sim_.run_until(
            [&] {
                return server_->interface().get_connection_status() == NSAPI_STATUS_GLOBAL_UP &&
                       client_->interface().get_connection_status() == NSAPI_STATUS_GLOBAL_UP;
            },
            sim_.now() + std::chrono::minutes(1));
        client_->network_stack().get_ip_address(&client_address_);
        for (testbed::NodeNetwork *n : {server_, client_}) {
            n->network_stack().set_lock([this] { mutex_.lock(); }, [this] { mutex_.unlock(); });
        }
        virtual_start_ = sim_.now();
        wall_start_ = std::chrono::steady_clock::now();
        runner_ = std::thread([this] { run(); });
    }
    ~SimulatedBackend() override {
        stop_ = true;
        runner_.join();
        client_->network_stack().get_ip_address(&client_address_);
        for (testbed::NodeNetwork *n : {server_, client_}) {
            n->network_stack().set_lock(nullptr, nullptr);
        }
    }
    NetworkStack &server_stack() override { return server_->network_stack(); }
    NetworkStack &client_stack() override { return client_->network_stack(); }
    SocketAddress server_address() override { return SocketAddress("2001:db8:1::1", 0); }
    SocketAddress client_address() override { return client_address_; }
    uint16_t fresh_port() override { return next_port_++; }

  private:
    testbed::NodeNetwork &attach(sim::Node &n, testbed::NodeNetworkConfig c) {
        const auto mac = n.context().mac_address();
        Link &port = segment_->attach(EthernetAddress::from(ByteSpan(mac.data(), mac.size())));
        return n.attach(std::make_unique<testbed::NodeNetwork>(n, port, std::move(c)));
    }
    // Virtual time follows the steady clock: each round runs what is due by now.
    void run() {
        while (!stop_) {
            {
                std::lock_guard<std::recursive_mutex> hold(mutex_);
                const auto elapsed = std::chrono::steady_clock::now() - wall_start_;
                sim_.run_until(virtual_start_ + std::chrono::duration_cast<Duration>(elapsed));
            }
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
    }

    std::unique_ptr<sim::Segment> segment_;  // outlives the simulation's nodes
    sim::Simulation sim_;
    testbed::NodeNetwork *server_ = nullptr;
    testbed::NodeNetwork *client_ = nullptr;
    std::recursive_mutex mutex_;
    Instant virtual_start_{};
    std::chrono::steady_clock::time_point wall_start_;
    std::atomic<bool> stop_{false};
    std::thread runner_;
    uint16_t next_port_ = 7000;
    SocketAddress client_address_;
};

const BackendRegistrar kSimulated{"SimulatedStack",
                                  [] { return std::make_unique<SimulatedBackend>(); }};

}  // namespace
}  // namespace meshwork::test
