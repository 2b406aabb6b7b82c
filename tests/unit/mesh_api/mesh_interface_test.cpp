// LoWPANNDInterface's connection state machine over a fake MeshBackend (docs/mesh-api.md):
// blocking and non-blocking connect, the status events and their order, errors and connecting
// again, disconnect then connect, connect twice, the status mapping, MAC address and border
// router, and an interface without a backend. Blocking calls run on host threads through the
// host executor.
#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "FakeBackend.h"
#include "LoWPANNDInterface.h"
#include "NanostackInterface.h"
#include "mesh/api/BackendRfPhy.h"
#include "mesh/api/MeshConnection.h"

namespace meshwork::meshapi {
namespace {

using test::FakeBackend;

/// The events an interface reports, in order.
struct Events {
    void operator()(nsapi_event_t e, intptr_t s) {
        std::lock_guard<std::mutex> lock(m);
        EXPECT_EQ(e, NSAPI_EVENT_CONNECTION_STATUS_CHANGE);
        seen.push_back(static_cast<nsapi_connection_status_t>(s));
    }
    std::vector<nsapi_connection_status_t> get() {
        std::lock_guard<std::mutex> lock(m);
        return seen;
    }
    std::mutex m;
    std::vector<nsapi_connection_status_t> seen;
};

struct MeshFixture : ::testing::Test {
    FakeBackend backend;
    BackendRfPhy phy{&backend};
    LoWPANNDInterface mesh{&phy};
    Events events;
    void SetUp() override { mesh.attach(mbed::callback(&events, &Events::operator())); }
};

using Status = std::vector<nsapi_connection_status_t>;

TEST_F(MeshFixture, BlockingConnectReturnsWhenTheMeshReportsConnected) {
    EXPECT_EQ(mesh.get_connection_status(), NSAPI_STATUS_DISCONNECTED);
    std::atomic<bool> returned{false};
    std::thread reporter([&] {
        backend.wait_started(1);
        // The application is still waiting while the mesh forms.
        backend.report(MESH_BOOTSTRAP_STARTED);
        EXPECT_FALSE(returned.load());
        EXPECT_EQ(mesh.get_connection_status(), NSAPI_STATUS_CONNECTING);
        backend.join();
    });
    EXPECT_EQ(mesh.connect(), NSAPI_ERROR_OK);
    returned = true;
    reporter.join();
    EXPECT_EQ(mesh.get_connection_status(), NSAPI_STATUS_GLOBAL_UP);
    EXPECT_EQ(events.get(), (Status{NSAPI_STATUS_CONNECTING, NSAPI_STATUS_GLOBAL_UP}));
    SocketAddress ip;
    ASSERT_EQ(mesh.get_ip_address(&ip), NSAPI_ERROR_OK);
    EXPECT_STREQ(ip.get_ip_address(), "2001:db8::ff:fe00:1");
    SocketAddress ll;
    ASSERT_EQ(mesh.get_ipv6_link_local_address(&ll), NSAPI_ERROR_OK);
    EXPECT_STREQ(ll.get_ip_address(), "fe80::ff:fe00:1");
    EXPECT_EQ(mesh.meshwork_connection().mesh_status(), MESH_CONNECTED);
}

TEST_F(MeshFixture, NonBlockingConnectReturnsAtOnceAndReportsInOrder) {
    Events listener;
    mesh.add_event_listener(mbed::callback(&listener, &Events::operator()));
    ASSERT_EQ(mesh.set_blocking(false), NSAPI_ERROR_OK);
    EXPECT_EQ(mesh.connect(), NSAPI_ERROR_OK);
    EXPECT_TRUE(backend.running());
    EXPECT_EQ(mesh.get_connection_status(), NSAPI_STATUS_CONNECTING);
    SocketAddress ip;
    EXPECT_EQ(mesh.get_ip_address(&ip), NSAPI_ERROR_NO_ADDRESS);
    backend.report(MESH_BOOTSTRAP_STARTED);  // no change: no event
    backend.local = SocketAddress("fe80::1");
    backend.report(MESH_CONNECTED_LOCAL);
    EXPECT_EQ(mesh.get_connection_status(), NSAPI_STATUS_LOCAL_UP);
    backend.join(MESH_CONNECTED_GLOBAL);
    EXPECT_EQ(mesh.get_ip_address(&ip), NSAPI_ERROR_OK);
    EXPECT_EQ(mesh.disconnect(), NSAPI_ERROR_OK);
    const Status expected = {NSAPI_STATUS_CONNECTING, NSAPI_STATUS_LOCAL_UP, NSAPI_STATUS_GLOBAL_UP,
                             NSAPI_STATUS_DISCONNECTED};
    // add_event_listener replaced the attach()ed callback, as on Mbed: only the listener.
    EXPECT_EQ(listener.get(), expected);
    EXPECT_EQ(events.get(), Status{});
}

TEST_F(MeshFixture, ConnectWhileJoiningOrJoinedIsIsConnected) {
    mesh.set_blocking(false);
    ASSERT_EQ(mesh.connect(), NSAPI_ERROR_OK);
    EXPECT_EQ(mesh.connect(), NSAPI_ERROR_IS_CONNECTED);  // joining (Nanostack MESH_ERROR_STATE)
    backend.join();
    EXPECT_EQ(mesh.connect(), NSAPI_ERROR_IS_CONNECTED);  // joined
    mesh.set_blocking(true);
    EXPECT_EQ(mesh.connect(), NSAPI_ERROR_IS_CONNECTED);  // blocking too, without waiting
    EXPECT_EQ(backend.starts, 1);
    EXPECT_EQ(events.get(), (Status{NSAPI_STATUS_CONNECTING, NSAPI_STATUS_GLOBAL_UP}));
}

TEST_F(MeshFixture, DisconnectThenConnectAgain) {
    EXPECT_EQ(mesh.disconnect(), NSAPI_ERROR_NO_CONNECTION);  // never connected
    mesh.set_blocking(false);
    for (int round = 1; round <= 3; ++round) {
        ASSERT_EQ(mesh.connect(), NSAPI_ERROR_OK) << round;
        MeshStatusCallback old = backend.callback();
        backend.join();
        EXPECT_EQ(mesh.get_connection_status(), NSAPI_STATUS_GLOBAL_UP);
        ASSERT_EQ(mesh.disconnect(), NSAPI_ERROR_OK);
        EXPECT_EQ(mesh.get_connection_status(), NSAPI_STATUS_DISCONNECTED);
        EXPECT_EQ(mesh.disconnect(), NSAPI_ERROR_NO_CONNECTION);
        SocketAddress ip;
        EXPECT_EQ(mesh.get_ip_address(&ip), NSAPI_ERROR_NO_ADDRESS);
        // A report of the stopped start changes nothing.
        old(MESH_CONNECTED_GLOBAL);
        EXPECT_EQ(mesh.get_connection_status(), NSAPI_STATUS_DISCONNECTED);
        EXPECT_EQ(backend.starts, round);
        EXPECT_EQ(backend.stops, round);
    }
    const Status one = {NSAPI_STATUS_CONNECTING, NSAPI_STATUS_GLOBAL_UP, NSAPI_STATUS_DISCONNECTED};
    Status three;
    for (int i = 0; i < 3; ++i) {
        three.insert(three.end(), one.begin(), one.end());
    }
    EXPECT_EQ(events.get(), three);
}

TEST_F(MeshFixture, DisconnectEndsABlockingConnect) {
    nsapi_error_t result = 1;
    std::thread app([&] { result = mesh.connect(); });
    backend.wait_started(1);
    EXPECT_EQ(mesh.disconnect(), NSAPI_ERROR_OK);
    app.join();
    EXPECT_EQ(result, NSAPI_ERROR_NO_CONNECTION);
    EXPECT_EQ(backend.stops, 1);
    // And the interface connects again, blocking.
    std::thread reporter([&] {
        backend.wait_started(2);
        backend.join();
    });
    EXPECT_EQ(mesh.connect(), NSAPI_ERROR_OK);
    reporter.join();
    EXPECT_EQ(mesh.get_connection_status(), NSAPI_STATUS_GLOBAL_UP);
}

TEST_F(MeshFixture, StartErrorsMapAndConnectMayBeCalledAgain) {
    backend.start_result = MESH_ERROR_MEMORY;
    EXPECT_EQ(mesh.connect(), NSAPI_ERROR_NO_MEMORY);
    EXPECT_EQ(mesh.get_connection_status(), NSAPI_STATUS_DISCONNECTED);
    EXPECT_EQ(mesh.meshwork_connection().mesh_status(), MESH_BOOTSTRAP_START_FAILED);
    backend.start_result = MESH_ERROR_PARAM;
    EXPECT_EQ(mesh.connect(), NSAPI_ERROR_PARAMETER);
    backend.start_result = MESH_ERROR_STATE;
    EXPECT_EQ(mesh.connect(), NSAPI_ERROR_IS_CONNECTED);
    backend.start_result = MESH_ERROR_UNKNOWN;
    EXPECT_EQ(mesh.connect(), NSAPI_ERROR_DEVICE_ERROR);
    EXPECT_EQ(mesh.disconnect(), NSAPI_ERROR_NO_CONNECTION);  // nothing runs
    backend.start_result = MESH_ERROR_NONE;
    mesh.set_blocking(false);
    EXPECT_EQ(mesh.connect(), NSAPI_ERROR_OK);
    EXPECT_EQ(backend.starts, 5);
    const Status each = {NSAPI_STATUS_CONNECTING, NSAPI_STATUS_DISCONNECTED};
    Status expected;
    for (int i = 0; i < 4; ++i) {
        expected.insert(expected.end(), each.begin(), each.end());
    }
    expected.push_back(NSAPI_STATUS_CONNECTING);
    EXPECT_EQ(events.get(), expected);
}

TEST_F(MeshFixture, BootstrapStartFailedIsAnErrorStateToConnectFrom) {
    mesh.set_blocking(false);
    ASSERT_EQ(mesh.connect(), NSAPI_ERROR_OK);
    backend.report(MESH_BOOTSTRAP_START_FAILED);
    // DISCONNECTED, and Nanostack keeps CONNECTING -> START_FAILED quiet.
    EXPECT_EQ(mesh.get_connection_status(), NSAPI_STATUS_DISCONNECTED);
    EXPECT_EQ(mesh.meshwork_connection().mesh_status(), MESH_BOOTSTRAP_START_FAILED);
    EXPECT_FALSE(mesh.meshwork_connection().started());
    EXPECT_EQ(mesh.connect(), NSAPI_ERROR_OK);  // again, without disconnect()
    EXPECT_EQ(backend.starts, 2);
    backend.join();
    EXPECT_EQ(events.get(),
              (Status{NSAPI_STATUS_CONNECTING, NSAPI_STATUS_CONNECTING, NSAPI_STATUS_GLOBAL_UP}));
}

TEST_F(MeshFixture, BlockingConnectEndsWithDeviceErrorWhenTheStartFails) {
    std::thread reporter([&] {
        backend.wait_started(1);
        backend.report(MESH_BOOTSTRAP_FAILED);  // an attempt failed: still waiting
        backend.report(MESH_BOOTSTRAP_START_FAILED);
    });
    EXPECT_EQ(mesh.connect(), NSAPI_ERROR_DEVICE_ERROR);
    reporter.join();
    EXPECT_EQ(mesh.get_connection_status(), NSAPI_STATUS_DISCONNECTED);
}

TEST_F(MeshFixture, BootstrapFailedKeepsConnectingAndConnectRestarts) {
    mesh.set_blocking(false);
    ASSERT_EQ(mesh.connect(), NSAPI_ERROR_OK);
    backend.report(MESH_BOOTSTRAP_FAILED);
    EXPECT_EQ(mesh.get_connection_status(), NSAPI_STATUS_CONNECTING);
    EXPECT_TRUE(mesh.meshwork_connection().started());
    EXPECT_EQ(mesh.connect(), NSAPI_ERROR_OK);  // the error state: starts over
    EXPECT_EQ(backend.stops, 1);
    EXPECT_EQ(backend.starts, 2);
    backend.join();
    EXPECT_EQ(events.get(), (Status{NSAPI_STATUS_CONNECTING, NSAPI_STATUS_GLOBAL_UP}));
}

TEST_F(MeshFixture, StatusMappingAndQuietTransitions) {
    mesh.set_blocking(false);
    ASSERT_EQ(mesh.connect(), NSAPI_ERROR_OK);
    // MESH_CONNECTED without a global address is LOCAL_UP.
    backend.report(MESH_CONNECTED);
    EXPECT_EQ(mesh.get_connection_status(), NSAPI_STATUS_LOCAL_UP);
    backend.join(MESH_CONNECTED);
    EXPECT_EQ(mesh.get_connection_status(), NSAPI_STATUS_GLOBAL_UP);
    backend.report(MESH_CONNECTED);  // every global-up is reported
    // GLOBAL_UP -> bootstrap started again: CONNECTING, quietly.
    backend.report(MESH_BOOTSTRAP_STARTED);
    EXPECT_EQ(mesh.get_connection_status(), NSAPI_STATUS_CONNECTING);
    backend.report(MESH_CONNECTED_GLOBAL);
    // The mesh stack leaving on its own: DISCONNECTED, and connect() starts again.
    backend.report(MESH_DISCONNECTED);
    EXPECT_EQ(mesh.get_connection_status(), NSAPI_STATUS_DISCONNECTED);
    EXPECT_FALSE(mesh.meshwork_connection().started());
    EXPECT_EQ(mesh.connect(), NSAPI_ERROR_OK);
    EXPECT_EQ(events.get(),
              (Status{NSAPI_STATUS_CONNECTING, NSAPI_STATUS_LOCAL_UP, NSAPI_STATUS_GLOBAL_UP,
                      NSAPI_STATUS_GLOBAL_UP, NSAPI_STATUS_GLOBAL_UP, NSAPI_STATUS_DISCONNECTED,
                      NSAPI_STATUS_CONNECTING}));
}

TEST(MeshStatusMapping, NanostackTables) {
    EXPECT_EQ(to_nsapi_status(MESH_CONNECTED, true), NSAPI_STATUS_GLOBAL_UP);
    EXPECT_EQ(to_nsapi_status(MESH_CONNECTED, false), NSAPI_STATUS_LOCAL_UP);
    EXPECT_EQ(to_nsapi_status(MESH_CONNECTED_LOCAL, true), NSAPI_STATUS_LOCAL_UP);
    EXPECT_EQ(to_nsapi_status(MESH_CONNECTED_GLOBAL, false), NSAPI_STATUS_GLOBAL_UP);
    EXPECT_EQ(to_nsapi_status(MESH_BOOTSTRAP_STARTED, false), NSAPI_STATUS_CONNECTING);
    EXPECT_EQ(to_nsapi_status(MESH_BOOTSTRAP_FAILED, false), NSAPI_STATUS_CONNECTING);
    EXPECT_EQ(to_nsapi_status(MESH_BOOTSTRAP_START_FAILED, false), NSAPI_STATUS_DISCONNECTED);
    EXPECT_EQ(to_nsapi_status(MESH_DISCONNECTED, true), NSAPI_STATUS_DISCONNECTED);
    EXPECT_EQ(to_nsapi(MESH_ERROR_NONE), NSAPI_ERROR_OK);
    EXPECT_EQ(to_nsapi(MESH_ERROR_MEMORY), NSAPI_ERROR_NO_MEMORY);
    EXPECT_EQ(to_nsapi(MESH_ERROR_PARAM), NSAPI_ERROR_PARAMETER);
    EXPECT_EQ(to_nsapi(MESH_ERROR_STATE), NSAPI_ERROR_IS_CONNECTED);
    EXPECT_EQ(to_nsapi(MESH_ERROR_UNKNOWN), NSAPI_ERROR_DEVICE_ERROR);
}

TEST(MeshInterfaceTypes, MbedValues) {
    static_assert(MESH_CONNECTED == 0 && MESH_CONNECTED_LOCAL == 1 && MESH_CONNECTED_GLOBAL == 2 &&
                      MESH_DISCONNECTED == 3 && MESH_BOOTSTRAP_START_FAILED == 4 &&
                      MESH_BOOTSTRAP_FAILED == 5 && MESH_BOOTSTRAP_STARTED == 6,
                  "mesh_connection_status_t");
    static_assert(MESH_ERROR_NONE == 0 && MESH_ERROR_UNKNOWN == 1 && MESH_ERROR_MEMORY == 2 &&
                      MESH_ERROR_STATE == 3 && MESH_ERROR_PARAM == 4,
                  "mesh_error_t");
    static_assert(MESH_TYPE_6LOWPAN_ND == 0 && MESH_TYPE_THREAD == 1, "mesh_network_type_t");
    static_assert(
        MESH_DEVICE_TYPE_THREAD_ROUTER == 0 && MESH_DEVICE_TYPE_THREAD_SLEEPY_END_DEVICE == 1 &&
            MESH_DEVICE_TYPE_THREAD_MINIMAL_END_DEVICE == 2 && MESH_DEVICE_TYPE_WISUN_ROUTER == 3 &&
            MESH_DEVICE_TYPE_WISUN_BORDER_ROUTER == 4,
        "mesh_device_type_t");
    static_assert(NET_6LOWPAN_BORDER_ROUTER == 0 && NET_6LOWPAN_ROUTER == 1 &&
                      NET_6LOWPAN_HOST == 2 && NET_6LOWPAN_SLEEPY_HOST == 3,
                  "net_6lowpan_mode_e");
    static_assert(SOCKET_IPPROTO_IPV6 == 41 && SOCKET_IPV6_MULTICAST_HOPS == 3 &&
                      SOCKET_IPV6_JOIN_GROUP == 15 && SOCKET_IPV6_LEAVE_GROUP == 16 &&
                      sizeof(ns_ipv6_mreq_t) == 17,
                  "socket_api.h");
    SUCCEED();
}

TEST_F(MeshFixture, MacAddressAndBorderRouter) {
    EXPECT_STREQ(mesh.get_mac_address(), "02:11:22:33:00:00:00:07");
    uint8_t six[6] = {};
    EXPECT_EQ(mesh.set_mac_address(six, 6), NSAPI_ERROR_PARAMETER);
    uint8_t mine[8] = {0x0a, 1, 2, 3, 4, 5, 6, 7};
    EXPECT_EQ(mesh.set_mac_address(mine, 8), NSAPI_ERROR_OK);
    EXPECT_STREQ(mesh.get_mac_address(), "0a:01:02:03:04:05:06:07");
    char text[40] = {};
    EXPECT_FALSE(mesh.getRouterIpAddress(text, sizeof text));
    mesh.set_blocking(false);
    ASSERT_EQ(mesh.connect(), NSAPI_ERROR_OK);
    ASSERT_TRUE(backend.last_request && backend.last_request->eui64);
    EXPECT_EQ(backend.last_request->eui64->at(0), 0x0a);
    EXPECT_EQ(mesh.set_mac_address(mine, 8), NSAPI_ERROR_BUSY);  // the radio is registered
    EXPECT_EQ(mesh.get_interface_id(), 0);
    char name[NSAPI_INTERFACE_NAME_MAX_SIZE] = {};
    EXPECT_STREQ(mesh.get_interface_name(name), "MES0");
    backend.join();
    EXPECT_TRUE(mesh.getRouterIpAddress(text, sizeof text));
    EXPECT_STREQ(text, "2001:db8::1");
    char small[5] = {};
    EXPECT_FALSE(mesh.getRouterIpAddress(small, sizeof small));
    SocketAddress gw;
    EXPECT_EQ(mesh.get_gateway(&gw), NSAPI_ERROR_OK);
    EXPECT_EQ(gw, SocketAddress("2001:db8::1"));
    EXPECT_EQ(mesh.get_netmask(&gw), NSAPI_ERROR_UNSUPPORTED);
    EXPECT_NE(mesh.meshInterface(), nullptr);
    EXPECT_EQ(mesh.ethInterface(), nullptr);
    EXPECT_EQ(mesh.set_file_system_root_path("/fs"), NSAPI_ERROR_OK);
}

TEST(MeshWithoutBackend, ConnectIsUnsupportedOrNeedsARadio) {
    BackendRfPhy absent(nullptr);
    LoWPANNDInterface no_stack(&absent);
    EXPECT_EQ(no_stack.connect(), NSAPI_ERROR_UNSUPPORTED);
    EXPECT_EQ(no_stack.disconnect(), NSAPI_ERROR_NO_CONNECTION);
    SocketAddress ip;
    EXPECT_EQ(no_stack.get_ip_address(&ip), NSAPI_ERROR_NO_CONNECTION);
    EXPECT_EQ(no_stack.get_connection_status(), NSAPI_STATUS_DISCONNECTED);
    EXPECT_EQ(absent.rf_register(), -1);

    LoWPANNDInterface no_radio;
    EXPECT_EQ(no_radio.connect(), NSAPI_ERROR_PARAMETER);
    EXPECT_EQ(no_radio.initialize(nullptr), NSAPI_ERROR_PARAMETER);
    EXPECT_EQ(no_radio.get_mac_address(), nullptr);
    FakeBackend backend;
    BackendRfPhy a(&backend), b(&backend);
    EXPECT_EQ(no_radio.initialize(&a), NSAPI_ERROR_OK);
    EXPECT_EQ(no_radio.initialize(&a), NSAPI_ERROR_OK);
    EXPECT_EQ(no_radio.initialize(&b), NSAPI_ERROR_IS_CONNECTED);  // another radio
    EXPECT_TRUE(a.registered());
}

TEST_F(MeshFixture, ImposedSettingsAreValidatedAndPassedOn) {
    LowpanNdSettings s;
    s.channel = 5;  // not a 2.4 GHz channel
    s.sec_level = 0;
    mesh.meshwork_connection().set_settings_override(s);
    EXPECT_EQ(mesh.connect(), NSAPI_ERROR_PARAMETER);
    const std::vector<std::string> &errors = mesh.meshwork_connection().settings_errors();
    ASSERT_EQ(errors.size(), 2u);
    EXPECT_NE(errors[0].find("\"mbed-mesh-api.6lowpan-nd-channel\" = 5"), std::string::npos)
        << errors[0];
    EXPECT_NE(errors[0].find("11..26"), std::string::npos) << errors[0];
    EXPECT_NE(errors[1].find("\"mbed-mesh-api.6lowpan-nd-sec-level\" = 0"), std::string::npos)
        << errors[1];
    EXPECT_NE(errors[1].find("1..7"), std::string::npos) << errors[1];
    EXPECT_EQ(backend.starts, 0);
    s.channel = 15;
    s.sec_level = 6;
    s.device_type = NET_6LOWPAN_HOST;
    mesh.meshwork_connection().set_settings_override(s);
    mesh.set_blocking(false);
    EXPECT_EQ(mesh.connect(), NSAPI_ERROR_OK);
    ASSERT_TRUE(backend.last_request);
    EXPECT_EQ(backend.last_request->settings.channels(), std::vector<std::uint8_t>{15});
    EXPECT_EQ(backend.last_request->settings.device_type, NET_6LOWPAN_HOST);
    EXPECT_FALSE(backend.last_request->settings.routes());
}

TEST_F(MeshFixture, DefaultSettingsComeFromTheConfiguration) {
    mesh.set_blocking(false);
    ASSERT_EQ(mesh.connect(), NSAPI_ERROR_OK);
    ASSERT_TRUE(backend.last_request);
    // No generated configuration in this test: mbed-mesh-api's defaults.
    const LowpanNdSettings &s = backend.last_request->settings;
    EXPECT_EQ(s.channel_mask, 0x07fff800u);
    EXPECT_EQ(s.channels().size(), 16u);
    EXPECT_EQ(s.channels().front(), 11);
    EXPECT_EQ(s.panid_filter, 0xffff);
    EXPECT_EQ(s.security, LowpanSecurity::kNone);
    EXPECT_EQ(s.sec_level, 5);
    EXPECT_EQ(s.device_type, NET_6LOWPAN_ROUTER);
    EXPECT_EQ(s.heap_size, 32500u);
}

}  // namespace
}  // namespace meshwork::meshapi
