// The per-device Mbed state read through the current task's node (docs/sim.md "Per-node
// context"): mbed_mac_address(), the error history, critical-section depth, the shared event
// queues and the default onboard stack are each node's own on its fibers, and the process's on
// a thread no node owns.
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include "OnboardNetworkStack.h"
#include "UnsupportedStack.h"
#include "events/mbed_shared_queues.h"
#include "meshwork/Executor.h"
#include "meshwork/HostStack.h"
#include "meshwork/sim/Simulation.h"
#include "platform/mbed_critical.h"
#include "platform/mbed_error.h"
#include "platform/mbed_interface.h"
#include "rtos/ThisThread.h"
#include "sim/fiber/FiberExecutor.h"
#include "testbed/NodeNetwork.h"

namespace meshwork::testbed {
namespace {

using namespace std::chrono_literals;

std::array<std::uint8_t, 6> mac_now() {
    char mac[6] = {};
    mbed_mac_address(mac);
    std::array<std::uint8_t, 6> a{};
    std::memcpy(a.data(), mac, 6);
    return a;
}

// What the host's mbed_mac_address() gives: FNV-1a over the host name, unicast, local.
std::array<std::uint8_t, 6> host_mac() {
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    std::uint64_t h = 1469598103934665603ull;
    for (const char *p = host; *p; ++p)
        h = (h ^ static_cast<unsigned char>(*p)) * 1099511628211ull;
    std::array<std::uint8_t, 6> a{};
    for (int i = 0; i < 6; ++i)
        a[i] = static_cast<std::uint8_t>(h >> (8 * i));
    a[0] = static_cast<std::uint8_t>((a[0] & 0xfe) | 0x02);
    return a;
}

// Two nodes' MACs, read by their own fibers.
std::vector<std::array<std::uint8_t, 6>> node_macs(std::uint64_t seed) {
    sim::Simulation sim(seed);
    std::vector<std::array<std::uint8_t, 6>> macs(2);
    for (int i = 0; i < 2; ++i) {
        sim::Node &n = sim.add_node();
        n.attach(std::make_unique<NodeFibers>(n)).spawn([&macs, i] { macs[i] = mac_now(); });
    }
    sim.run_until_idle();
    EXPECT_EQ(macs[0], sim.node(1)->context().mac_address());
    EXPECT_EQ(macs[1], sim.node(2)->context().mac_address());
    return macs;
}

TEST(NodeContext, MacAddressIsTheNodesOwn) {
    const auto a = node_macs(11);
    EXPECT_NE(a[0], a[1]);
    EXPECT_EQ(node_macs(11), a);        // the same seed, the same addresses
    EXPECT_NE(node_macs(12)[0], a[0]);  // another seed, another prefix
    // No node current: the host's.
    EXPECT_EQ(mac_now(), host_mac());
    EXPECT_NE(mac_now(), a[0]);
}

TEST(NodeContext, ErrorHistoryIsPerNode) {
    const int host_count = mbed_get_error_count();
    const mbed_error_status_t host_last = mbed_get_last_error();
    const auto status = [](int code) {
        return MBED_MAKE_ERROR(MBED_MODULE_APPLICATION, MBED_ERROR_CODE_UNKNOWN + code);
    };
    sim::Simulation sim(3);
    sim::Node &a = sim.add_node("a");
    sim::Node &b = sim.add_node("b");
    int a_count = -1, a_after_clear = -1, b_count = -1;
    mbed_error_status_t a_first = 0, b_first = 0, b_last = 0;
    a.attach(std::make_unique<NodeFibers>(a)).spawn([&] {
        mbed_warning(status(1), "a", 0, __FILE__, __LINE__);
        rtos::ThisThread::sleep_for(10ms);  // b records two meanwhile
        a_count = mbed_get_error_count();
        a_first = mbed_get_first_error();
        mbed_clear_all_errors();
        a_after_clear = mbed_get_error_count();
    });
    b.attach(std::make_unique<NodeFibers>(b)).spawn([&] {
        mbed_warning(status(2), "b", 0, __FILE__, __LINE__);
        mbed_warning(status(3), "b", 0, __FILE__, __LINE__);
        rtos::ThisThread::sleep_for(20ms);  // after a cleared its own
        b_count = mbed_get_error_count();
        b_first = mbed_get_first_error();
        b_last = mbed_get_last_error();
    });
    sim.run_until_idle();
    EXPECT_EQ(a_count, 1);
    EXPECT_EQ(a_first, status(1));
    EXPECT_EQ(a_after_clear, 0);
    EXPECT_EQ(b_count, 2);
    EXPECT_EQ(b_first, status(2));
    EXPECT_EQ(b_last, status(3));
    EXPECT_EQ(b.context().errors.error_count, 2);
    EXPECT_EQ(a.context().errors.error_count, 0);
    // The host's history saw none of it, and keeps its own.
    EXPECT_EQ(mbed_get_error_count(), host_count);
    EXPECT_EQ(mbed_get_last_error(), host_last);
    mbed_warning(status(4), "host", 0, __FILE__, __LINE__);
    EXPECT_EQ(mbed_get_error_count(), host_count + 1);
    EXPECT_EQ(mbed_get_last_error(), status(4));
    EXPECT_EQ(b.context().errors.error_count, 2);
}

TEST(NodeContext, CriticalSectionDepthIsTheNodes) {
    sim::Simulation sim(3);
    sim::Node &a = sim.add_node("a");
    sim::Node &b = sim.add_node("b");
    NodeFibers &fa = a.attach(std::make_unique<NodeFibers>(a));
    NodeFibers &fb = b.attach(std::make_unique<NodeFibers>(b));
    bool a_other_in = false, a_other_enabled = true, a_other_later = true, b_in = true;
    std::uint32_t depth_inside = 0;
    fa.spawn([&] {
        core_util_critical_section_enter();
        core_util_critical_section_enter();
        depth_inside = a.context().critical_depth;
        rtos::ThisThread::sleep_for(10ms);  // (not allowed on Mbed; here it shows the depth)
        core_util_critical_section_exit();
        core_util_critical_section_exit();
    });
    fa.spawn([&] {
        rtos::ThisThread::sleep_for(5ms);
        // Another task of the same device: its interrupts are off too.
        a_other_in = core_util_in_critical_section();
        a_other_enabled = core_util_are_interrupts_enabled();
        rtos::ThisThread::sleep_for(10ms);
        a_other_later = core_util_in_critical_section();
    });
    fb.spawn([&] {
        rtos::ThisThread::sleep_for(5ms);
        b_in = core_util_in_critical_section();  // another device: not
    });
    sim.run_until_idle();
    EXPECT_EQ(depth_inside, 2u);
    EXPECT_TRUE(a_other_in);
    EXPECT_FALSE(a_other_enabled);
    EXPECT_FALSE(a_other_later);
    EXPECT_FALSE(b_in);
    EXPECT_EQ(a.context().critical_depth, 0u);

    // No node current: the depth is the host task's (the host lock keeps the others out).
    core_util_critical_section_enter();
    EXPECT_TRUE(core_util_in_critical_section());
    EXPECT_EQ(a.context().critical_depth, 0u);
    core_util_critical_section_exit();
    EXPECT_FALSE(core_util_in_critical_section());
}

// How many events `queue` takes before it is full (cancelled again).
int capacity(events::EventQueue *queue) {
    std::vector<int> ids;
    for (int id; ids.size() < 100 && (id = queue->call_in(1h, [] {})) != 0;)
        ids.push_back(id);
    for (int id : ids)
        queue->cancel(id);
    return static_cast<int>(ids.size());
}

TEST(NodeContext, SharedQueuesAreTheNodesOwn) {
    events::EventQueue *host_queue = mbed::mbed_event_queue();
    sim::Simulation sim(3);
    config::Configuration small;
    small.events.shared_eventsize = 3 * EVENTS_EVENT_SIZE;
    small.events.shared_highprio_eventsize = 2 * EVENTS_EVENT_SIZE;
    sim::Node &a = sim.add_node("a", small);
    sim::Node &b = sim.add_node("b");
    // Two executors on node a: one device, one queue of each kind.
    NodeFibers &fa1 = a.attach(std::make_unique<NodeFibers>(a));
    NodeFibers &fa2 = a.attach(std::make_unique<NodeFibers>(a));
    NodeFibers &fb = b.attach(std::make_unique<NodeFibers>(b));
    events::EventQueue *qa1 = nullptr, *qa2 = nullptr, *qb = nullptr, *ha = nullptr;
    int cap_a = 0, cap_ha = 0, cap_b = 0;
    sim::NodeContext *ran_on = nullptr, *ran_on_b = nullptr;
    fa1.spawn([&] {
        qa1 = mbed::mbed_event_queue();
        ha = mbed::mbed_highprio_event_queue();
        cap_a = capacity(qa1);
        cap_ha = capacity(ha);
        qa1->call([&] { ran_on = current_node_context(); });
    });
    fa2.spawn([&] {
        rtos::ThisThread::sleep_for(1ms);
        qa2 = mbed::mbed_event_queue();
    });
    fb.spawn([&] {
        qb = mbed::mbed_event_queue();
        cap_b = capacity(qb);
        qb->call([&] { ran_on_b = current_node_context(); });
    });
    sim.run_until_idle();
    ASSERT_NE(qa1, nullptr);
    EXPECT_EQ(qa2, qa1);
    EXPECT_EQ(a.context().shared_event_queue, qa1);
    EXPECT_EQ(a.context().shared_highprio_event_queue, ha);
    EXPECT_NE(qb, qa1);
    EXPECT_EQ(b.context().shared_event_queue, qb);
    EXPECT_EQ(b.context().shared_highprio_event_queue, nullptr);  // made on first use only
    EXPECT_NE(qa1, host_queue);
    EXPECT_NE(qb, host_queue);
    // Sized from each node's configuration.
    EXPECT_EQ(cap_a, 3);
    EXPECT_EQ(cap_ha, 2);
    EXPECT_EQ(cap_b, 768 / EVENTS_EVENT_SIZE);
    // Dispatched by a fiber of the node.
    EXPECT_EQ(ran_on, &a.context());
    EXPECT_EQ(ran_on_b, &b.context());
    // No node current: still the host's.
    EXPECT_EQ(mbed::mbed_event_queue(), host_queue);
}

TEST(NodeContext, ANodesQueueGoesWithTheExecutorThatMadeIt) {
    sim::Simulation sim(3);
    sim::Node &a = sim.add_node("a");
    sim::FiberOptions options;
    options.context = &a.context();
    auto executor = std::make_unique<sim::FiberExecutor>(sim.scheduler(), "a", options);
    bool ran = false;
    executor->spawn([&] { mbed::mbed_event_queue()->call([&] { ran = true; }); }, "main");
    sim.run_until_idle();
    EXPECT_TRUE(ran);
    EXPECT_NE(a.context().shared_event_queue, nullptr);
    executor.reset();  // stops its dispatcher and frees the queue (ASan: no leak)
    EXPECT_EQ(a.context().shared_event_queue, nullptr);
    // The node's next executor makes a new one.
    NodeFibers &f = a.attach(std::make_unique<NodeFibers>(a));
    events::EventQueue *again = nullptr;
    f.spawn([&] { again = mbed::mbed_event_queue(); });
    sim.run_until_idle();
    EXPECT_NE(again, nullptr);
    EXPECT_EQ(a.context().shared_event_queue, again);
}

TEST(NodeContext, OnboardStackIsTheNodesNeverTheHosts) {
    sim::Simulation sim(3);
    sim::Node &a = sim.add_node("a");
    test::UnsupportedStack stack;
    a.context().default_stack = &stack;
    OnboardNetworkStack *got = nullptr;
    a.attach(std::make_unique<NodeFibers>(a)).spawn([&] {
        got = &OnboardNetworkStack::get_default_instance();
    });
    sim.run_until_idle();
    EXPECT_EQ(got, &stack);
    a.context().default_stack = nullptr;
    // No node current: the host's.
    EXPECT_EQ(&OnboardNetworkStack::get_default_instance(), &HostStack::default_instance());
}

TEST(NodeContextDeathTest, ANodeWithoutAnOnboardStackIsStopped) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_DEATH(
        {
            sim::Simulation sim(3);
            sim::Node &a = sim.add_node("lonely");
            a.attach(std::make_unique<NodeFibers>(a)).spawn([] {
                (void)OnboardNetworkStack::get_default_instance();
            });
            sim.run_until_idle();
        },
        "node lonely asked for its onboard network stack");
}

}  // namespace
}  // namespace meshwork::testbed
