// Both directions against libcoap 4.3 on loopback: our client against coap-server (GET, PUT,
// block-wise 100 kB each way, observe /time), and coap-client against our server (GET, PUT,
// block-wise 100 kB each way, separate response). Skips when the binaries are absent.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "LibcoapPeer.h"
#include "TempDir.h"
#include "meshwork/coap/CoapNode.h"

using namespace meshwork::coap;
using namespace coap_interop;

namespace {

std::vector<std::uint8_t> pattern(std::size_t n) {
    std::vector<std::uint8_t> v(n);
    std::uint32_t x = 12345;
    for (auto &b : v) {
        x = x * 1103515245u + 12345u;
        b = static_cast<std::uint8_t>(x >> 16);
    }
    return v;
}

/// Waits until the server answers a GET on "/" (it may take a moment to bind).
bool wait_ready(CoapNode &client, const SocketAddress &peer) {
    for (int i = 0; i < 50; ++i) {
        Message resp;
        if (client.get(peer, "/", &resp) == NSAPI_ERROR_OK)
            return true;
    }
    return false;
}

Params fast_retry() {
    Params p;
    p.ack_timeout = std::chrono::milliseconds(200);
    return p;
}

}  // namespace

class OurClientAgainstCoapServer : public ::testing::Test {
  protected:
    void SetUp() override {
        binary_ = coap_server_binary();
        if (binary_.empty())
            GTEST_SKIP() << "libcoap coap-server not installed (Debian libcoap3-bin)";
        port_ = free_udp_port();
        ASSERT_NE(port_, 0);
        server_ = std::make_unique<Child>(std::vector<std::string>{
            binary_, "-A", "127.0.0.1", "-p", std::to_string(port_), "-v", "0"});
        ASSERT_TRUE(server_->ok());
        ASSERT_EQ(client_.open(), NSAPI_ERROR_OK);
        peer_ = SocketAddress("127.0.0.1", port_);
        ASSERT_TRUE(wait_ready(client_, peer_)) << "coap-server did not answer";
    }
    std::string binary_;
    unsigned short port_ = 0;
    std::unique_ptr<Child> server_;
    CoapNode client_{nullptr, fast_retry()};
    SocketAddress peer_;
};

TEST_F(OurClientAgainstCoapServer, GetRootAndWellKnownCore) {
    Message resp;
    ASSERT_EQ(client_.get(peer_, "/", &resp), NSAPI_ERROR_OK);
    EXPECT_EQ(resp.code, Code::kContent);
    EXPECT_NE(resp.payload_string().find("libcoap"), std::string::npos);
    ASSERT_EQ(client_.get(peer_, ".well-known/core", &resp), NSAPI_ERROR_OK);
    EXPECT_EQ(resp.content_format(), ContentFormat::kLinkFormat);
    EXPECT_NE(resp.payload_string().find("</time>"), std::string::npos);
    ASSERT_EQ(client_.get(peer_, "no/such/thing", &resp), NSAPI_ERROR_OK);
    EXPECT_EQ(resp.code, Code::kNotFound);
}

TEST_F(OurClientAgainstCoapServer, PutSmallThenGetItBack) {
    Message resp;
    ASSERT_EQ(client_.put(peer_, "example_data", "hello libcoap", ContentFormat::kTextPlain, &resp),
              NSAPI_ERROR_OK);
    EXPECT_TRUE(resp.code == Code::kChanged || resp.code == Code::kCreated)
        << code_string(resp.code);
    ASSERT_EQ(client_.get(peer_, "example_data", &resp), NSAPI_ERROR_OK);
    EXPECT_EQ(resp.code, Code::kContent);
    EXPECT_EQ(resp.payload_string(), "hello libcoap");
}

TEST_F(OurClientAgainstCoapServer, BlockwisePutAndGet100k) {
    const auto body = pattern(100 * 1024);
    Message put;
    put.code = Code::kPut;
    put.set_uri("example_data");
    put.set_content_format(ContentFormat::kOctetStream);
    put.payload = body;
    Message resp;
    ASSERT_EQ(client_.request(peer_, put, &resp), NSAPI_ERROR_OK);
    EXPECT_TRUE(resp.code == Code::kChanged || resp.code == Code::kCreated)
        << code_string(resp.code);
    ASSERT_EQ(client_.get(peer_, "example_data", &resp), NSAPI_ERROR_OK);
    EXPECT_EQ(resp.code, Code::kContent);
    EXPECT_EQ(resp.payload.size(), body.size());
    EXPECT_TRUE(resp.payload == body);
}

TEST_F(OurClientAgainstCoapServer, ObserveTimeThenDeregister) {
    std::mutex m;
    std::vector<std::string> values;
    std::vector<std::int64_t> seqs;
    std::uint64_t id = client_.observe(peer_, "time", [&](Status s, const Message &msg) {
        std::lock_guard<std::mutex> lock(m);
        EXPECT_EQ(s, Status::kOk);
        values.push_back(msg.payload_string());
        seqs.push_back(msg.observe());
    });
    ASSERT_NE(id, 0u);
    for (int i = 0; i < 100; ++i) {
        client_.process(100);
        std::lock_guard<std::mutex> lock(m);
        if (values.size() >= 3)
            break;
    }
    ASSERT_GE(values.size(), 3u);
    for (auto s : seqs)
        EXPECT_GE(s, 0);              // every delivery is a notification
    EXPECT_NE(values[0], values[2]);  // the clock ticked
    client_.cancel_observe(id);
    client_.process(500);
    EXPECT_FALSE(client_.with_endpoint([&](CoapEndpoint &ep) { return ep.active(id); }));
    const std::size_t after_cancel = values.size();
    client_.process(2500);
    EXPECT_EQ(values.size(), after_cancel);  // no more deliveries after deregistration
}

class CoapClientAgainstOurServer : public ::testing::Test {
  protected:
    void SetUp() override {
        client_binary_ = coap_client_binary();
        if (client_binary_.empty())
            GTEST_SKIP() << "libcoap coap-client not installed (Debian libcoap3-bin)";
        for (int i = 0; i < 20 && port_ == 0; ++i) {
            unsigned short p = free_udp_port();
            if (p != 0 && server_.open(p) == NSAPI_ERROR_OK)
                port_ = p;
        }
        ASSERT_NE(port_, 0);
        server_.add_resource("hello", [](ServerExchange &, Message &r) {
            r.set_content_format(ContentFormat::kTextPlain);
            r.set_payload("world");
        });
        server_.add_resource("store", [this](ServerExchange &ex, Message &r) {
            if (ex.request.code == Code::kPut) {
                stored_ = ex.request.payload;
                r.code = Code::kChanged;
            } else if (ex.request.code == Code::kGet) {
                r.set_content_format(ContentFormat::kOctetStream);
                r.payload = stored_;
            } else {
                r.code = Code::kMethodNotAllowed;
            }
        });
        server_.add_resource("later", [this](ServerExchange &ex, Message &) {
            ex.defer();
            deferred_ = ex.id;
        });
        thread_ = std::thread([this] {
            while (!stop_) {
                server_.process(20);
                std::uint64_t d = deferred_.exchange(0);
                if (d != 0) {
                    Message r;
                    r.code = Code::kContent;
                    r.set_payload("separate");
                    server_.respond(d, r);
                }
            }
        });
    }
    void TearDown() override {
        stop_ = true;
        if (thread_.joinable())
            thread_.join();
    }
    std::string uri(const char *path) const {
        return "coap://127.0.0.1:" + std::to_string(port_) + "/" + path;
    }
    std::string client_binary_;
    CoapNode server_;
    unsigned short port_ = 0;
    std::vector<std::uint8_t> stored_;
    std::atomic<std::uint64_t> deferred_{0};
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

TEST_F(CoapClientAgainstOurServer, GetAndNotFound) {
    int st = 0;
    std::string out = run_capture(client_binary_ + " -m get -B 10 " + uri("hello"), &st);
    EXPECT_EQ(st, 0);
    EXPECT_EQ(out, "world\n");  // coap-client ends the payload with a newline
    out = run_capture(client_binary_ + " -m get -B 10 " + uri("missing") + " 2>&1", &st);
    EXPECT_NE(out.find("4.04"), std::string::npos) << out;
}

TEST_F(CoapClientAgainstOurServer, NonConfirmableGet) {
    int st = 0;
    std::string out = run_capture(client_binary_ + " -N -m get -B 10 " + uri("hello"), &st);
    EXPECT_EQ(st, 0);
    EXPECT_EQ(out, "world\n");  // coap-client ends the payload with a newline
}

TEST_F(CoapClientAgainstOurServer, SeparateResponse) {
    int st = 0;
    std::string out = run_capture(client_binary_ + " -m get -B 10 " + uri("later"), &st);
    EXPECT_EQ(st, 0);
    EXPECT_EQ(out, "separate\n");
}

TEST_F(CoapClientAgainstOurServer, BlockwisePutAndGet100k) {
    const auto body = pattern(100 * 1024);
    meshwork::test::TempDir tmp("meshwork-coap");
    ASSERT_TRUE(tmp.ok());
    const std::string in = tmp.file("in.bin"), out_file = tmp.file("out.bin");
    {
        std::ofstream f(in, std::ios::binary);
        f.write(reinterpret_cast<const char *>(body.data()),
                static_cast<std::streamsize>(body.size()));
    }
    int st = 0;
    run_capture(client_binary_ + " -m put -b 1024 -B 30 -f " + in + " " + uri("store"), &st);
    EXPECT_EQ(st, 0);
    // The server thread wrote stored_ before answering the last block; coap-client has exited.
    stop_ = true;
    thread_.join();
    EXPECT_EQ(stored_.size(), body.size());
    EXPECT_TRUE(stored_ == body);
    stop_ = false;
    thread_ = std::thread([this] {
        while (!stop_)
            server_.process(20);
    });
    run_capture(client_binary_ + " -m get -b 1024 -B 30 -o " + out_file + " " + uri("store"), &st);
    EXPECT_EQ(st, 0);
    std::ifstream f(out_file, std::ios::binary);
    std::vector<std::uint8_t> got((std::istreambuf_iterator<char>(f)),
                                  std::istreambuf_iterator<char>());
    EXPECT_EQ(got.size(), body.size());
    EXPECT_TRUE(got == body);
}
