// The resolver used from several threads at once: blocking queries in parallel, and
// asynchronous queries driven by a scheduler thread while socket events arrive from another
// thread (run under ThreadSanitizer in CI's sanitizer job).
#include "DnsResolver.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "FakeDnsStack.h"

using meshwork::DnsConfig;
using meshwork::DnsResolver;
using meshwork::test::FakeDnsStack;

namespace {

// call_in on a worker thread; delayed work waits on a real clock (delays here are short).
class ThreadedScheduler {
  public:
    ThreadedScheduler() : worker_([this] { run(); }) {}
    ~ThreadedScheduler() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stop_ = true;
        }
        cv_.notify_all();
        worker_.join();
    }
    call_in_callback_cb_t cb() {
        return [this](int delay, mbed::Callback<void()> f) -> nsapi_error_t {
            {
                std::lock_guard<std::mutex> lock(mutex_);
                queue_.push_back(
                    {std::chrono::steady_clock::now() + std::chrono::milliseconds(delay), f});
            }
            cv_.notify_all();
            return NSAPI_ERROR_OK;
        };
    }

  private:
    struct Item {
        std::chrono::steady_clock::time_point due;
        mbed::Callback<void()> f;
    };
    void run() {
        std::unique_lock<std::mutex> lock(mutex_);
        while (!stop_) {
            auto next = queue_.end();
            for (auto it = queue_.begin(); it != queue_.end(); ++it) {
                if (next == queue_.end() || it->due < next->due) {
                    next = it;
                }
            }
            if (next == queue_.end()) {
                cv_.wait(lock);
                continue;
            }
            if (next->due > std::chrono::steady_clock::now()) {
                cv_.wait_until(lock, next->due);
                continue;
            }
            mbed::Callback<void()> f = next->f;
            queue_.erase(next);
            lock.unlock();
            f();
            lock.lock();
        }
    }
    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<Item> queue_;
    bool stop_ = false;
    std::thread worker_;
};

DnsConfig config() {
    DnsConfig c = DnsConfig::from_build_config();
    c.response_wait_ms = 50;
    c.total_attempts = 2;
    c.retries = 0;
    c.default_servers = false;
    c.cache_size = 0;  // every query goes to the (fake) wire
    return c;
}

TEST(DnsThreads, ParallelBlockingQueries) {
    FakeDnsStack stack;
    stack.zones["a.test"].a = {SocketAddress("10.0.0.1")};
    stack.zones["b.test"].aaaa = {SocketAddress("2001:db8::b")};
    stack.responding = {SocketAddress("127.0.0.1", 53)};
    DnsResolver dns(config());
    dns.add_server(SocketAddress("127.0.0.1"), nullptr);
    std::atomic<int> ok{0};
    auto worker = [&](const char *name, nsapi_version_t v) {
        for (int i = 0; i < 50; i++) {
            SocketAddress a;
            if (dns.query(&stack, name, &a, 1, nullptr, v) == 1) {
                ok++;
            }
        }
    };
    std::thread t1(worker, "a.test", NSAPI_IPv4);
    std::thread t2(worker, "b.test", NSAPI_IPv6);
    t1.join();
    t2.join();
    EXPECT_EQ(ok.load(), 100);
    EXPECT_EQ(stack.open_sockets(), 0u);
}

TEST(DnsThreads, AsyncWithEventsFromAnotherThread) {
    FakeDnsStack stack;
    stack.zones["a.test"].a = {SocketAddress("10.0.0.1")};
    stack.responding = {SocketAddress("127.0.0.1", 53)};
    DnsResolver dns(config());
    dns.add_server(SocketAddress("127.0.0.1"), nullptr);
    std::atomic<int> answered{0}, failed{0};
    std::atomic<bool> stop{false};
    int started = 0;
    std::thread raiser([&] {
        while (!stop) {
            stack.raise_events();
            std::this_thread::yield();
        }
    });
    {
        ThreadedScheduler sched;
        for (int round = 0; round < 20; round++) {
            std::vector<int> ids;
            for (int i = 0; i < 5; i++) {
                int id = dns.query_async(
                    &stack, "a.test",
                    [&](nsapi_value_or_error_t r, SocketAddress *) {
                        (r == 1 ? answered : failed)++;
                    },
                    1, sched.cb(), nullptr, NSAPI_IPv4);
                if (id > 0) {
                    ids.push_back(id);
                    started++;
                }
            }
            if (round % 4 == 0 && !ids.empty()) {
                if (dns.cancel(ids.back()) == NSAPI_ERROR_OK) {
                    started--;
                }
            }
            // Wait (bounded, to catch hangs only) until this round has drained.
            for (int spin = 0; spin < 10000 && dns.pending() > 0; spin++) {
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
            ASSERT_EQ(dns.pending(), 0u);
        }
        dns.reset();
        EXPECT_EQ(dns.pending(), 0u);
    }  // joins the scheduler: every callback has returned
    stop = true;
    raiser.join();
    EXPECT_EQ(answered.load() + failed.load(), started);
    EXPECT_GT(answered.load(), 0);
    EXPECT_EQ(stack.open_sockets(), 0u);
}

}  // namespace
