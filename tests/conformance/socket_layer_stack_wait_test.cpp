// The socket layer over a stack that offers NetworkStack::socket_wait (a meshwork extension):
// blocking calls on the host runtime wait in the stack instead of for the callback, the stack
// is told when nobody needs the callback, and a thread on another runtime still waits on the
// callback.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "meshwork/Executor.h"
#include "netsocket/TCPSocket.h"
#include "netsocket/UDPSocket.h"
#include "support/FakeStack.h"
#include "support/TestHelpers.h"

namespace meshwork::test {
namespace {

class WaitingStack : public FakeStack {
  public:
    struct Wait {
        nsapi_socket_t handle;
        bool readable;
        bool writable;
        int timeout_ms;
    };
    struct Notify {
        nsapi_socket_t handle;
        bool wanted;
    };

    std::vector<Wait> waits() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return waits_;
    }
    std::vector<Notify> notifies() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return notifies_;
    }
    int probes() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return probes_;
    }

    /// What a wait answers at once (OK: "retry"), unless `block` makes it wait for a close.
    std::atomic<int> answer{NSAPI_ERROR_OK};
    std::atomic<bool> block{false};

  protected:
    nsapi_error_t socket_wait(nsapi_socket_t handle, bool readable, bool writable,
                              int timeout_ms) override {
        std::unique_lock<std::mutex> lock(mutex_);
        if (!readable && !writable && timeout_ms == 0) {
            ++probes_;
            return NSAPI_ERROR_WOULD_BLOCK;
        }
        waits_.push_back(Wait{handle, readable, writable, timeout_ms});
        changed_.notify_all();
        if (block) {
            changed_.wait(lock, [&] { return closed_.count(handle) != 0; });
            return NSAPI_ERROR_NO_SOCKET;
        }
        return answer.load();
    }
    void socket_notify(nsapi_socket_t handle, bool wanted) override {
        std::lock_guard<std::mutex> lock(mutex_);
        notifies_.push_back(Notify{handle, wanted});
    }
    nsapi_error_t socket_close(nsapi_socket_t handle) override {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            closed_.insert(handle);
        }
        changed_.notify_all();
        return FakeStack::socket_close(handle);
    }

  public:
    bool wait_for_waits(size_t n) {
        std::unique_lock<std::mutex> lock(mutex_);
        return changed_.wait_for(lock, std::chrono::seconds(10),
                                 [&] { return waits_.size() >= n; });
    }

  private:
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<Wait> waits_;
    std::vector<Notify> notifies_;
    std::set<nsapi_socket_t> closed_;
    int probes_ = 0;
};

nsapi_socket_t handle_of(const WaitingStack &stack) {
    return stack.calls(Hook::kAttach).at(0).handle;
}

TEST(StackWait, OpenProbesOnceAndTurnsTheCallbackOffUntilSigio) {
    WaitingStack stack;
    UDPSocket s;
    ASSERT_EQ(s.open(&stack), NSAPI_ERROR_OK);
    const nsapi_socket_t h = handle_of(stack);
    EXPECT_EQ(stack.probes(), 1);
    EXPECT_TRUE(stack.attached(h));  // still attached: a close must wake blocked calls
    auto n = stack.notifies();
    ASSERT_EQ(n.size(), 1u);
    EXPECT_EQ(n[0].handle, h);
    EXPECT_FALSE(n[0].wanted);

    SigioCounter sigio;
    s.sigio(sigio.callback());
    s.sigio(sigio.callback());  // no change: nothing more to tell
    s.sigio(nullptr);
    n = stack.notifies();
    ASSERT_EQ(n.size(), 3u);
    EXPECT_TRUE(n[1].wanted);
    EXPECT_FALSE(n[2].wanted);
}

TEST(StackWait, ASigioSetBeforeOpenKeepsTheCallbackOn) {
    WaitingStack stack;
    UDPSocket s;
    SigioCounter sigio;
    s.sigio(sigio.callback());
    ASSERT_EQ(s.open(&stack), NSAPI_ERROR_OK);
    EXPECT_TRUE(stack.notifies().empty());  // a new handle starts wanted: nothing to change
    stack.raise_event();
    EXPECT_EQ(sigio.value(), 1);
}

TEST(StackWait, BlockingReceiveWaitsInTheStack) {
    WaitingStack stack;
    UDPSocket s;
    ASSERT_EQ(s.open(&stack), NSAPI_ERROR_OK);
    stack.script(Hook::kRecvfrom, {Step{NSAPI_ERROR_WOULD_BLOCK}, Step{kAll, "hi"}});
    char buf[8];
    EXPECT_EQ(s.recvfrom(nullptr, buf, sizeof buf), 2);
    auto w = stack.waits();
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].handle, handle_of(stack));
    EXPECT_TRUE(w[0].readable);
    EXPECT_FALSE(w[0].writable);
    EXPECT_EQ(w[0].timeout_ms, -1);
}

TEST(StackWait, TheTimeoutGoesToTheStackAndItsExpiryIsWouldBlock) {
    WaitingStack stack;
    TCPSocket s;
    ASSERT_EQ(s.open(&stack), NSAPI_ERROR_OK);
    s.set_timeout(250);
    stack.set_default(Hook::kRecv, NSAPI_ERROR_WOULD_BLOCK);
    stack.answer = NSAPI_ERROR_WOULD_BLOCK;
    char buf[4];
    EXPECT_EQ(s.recv(buf, sizeof buf), NSAPI_ERROR_WOULD_BLOCK);
    auto w = stack.waits();
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].timeout_ms, 250);
    EXPECT_EQ(stack.count(Hook::kRecv), 1u);

    s.set_blocking(false);  // non-blocking: never waits
    EXPECT_EQ(s.recv(buf, sizeof buf), NSAPI_ERROR_WOULD_BLOCK);
    EXPECT_EQ(stack.waits().size(), 1u);
}

TEST(StackWait, SendAndConnectWaitForWritable) {
    WaitingStack stack;
    TCPSocket s;
    ASSERT_EQ(s.open(&stack), NSAPI_ERROR_OK);
    stack.script_results(Hook::kConnect, {NSAPI_ERROR_IN_PROGRESS, NSAPI_ERROR_IS_CONNECTED});
    EXPECT_EQ(s.connect(SocketAddress("192.0.2.1", 80)), NSAPI_ERROR_OK);
    stack.script_results(Hook::kSend, {NSAPI_ERROR_WOULD_BLOCK, 4});
    EXPECT_EQ(s.send("abcd", 4), 4);
    auto w = stack.waits();
    ASSERT_EQ(w.size(), 2u);
    for (const auto &x : w) {
        EXPECT_FALSE(x.readable);
        EXPECT_TRUE(x.writable);
    }
}

TEST(StackWait, CloseFromAnotherThreadEndsAWaitInTheStack) {
    WaitingStack stack;
    stack.block = true;
    TCPSocket s;
    ASSERT_EQ(s.open(&stack), NSAPI_ERROR_OK);
    stack.set_default(Hook::kRecv, NSAPI_ERROR_WOULD_BLOCK);
    std::atomic<int> result{1};
    std::thread reader([&] {
        char buf[4];
        result = s.recv(buf, sizeof buf);
    });
    ASSERT_TRUE(stack.wait_for_waits(1));
    EXPECT_EQ(s.close(), NSAPI_ERROR_OK);
    reader.join();
    EXPECT_EQ(result.load(), NSAPI_ERROR_NO_SOCKET);
}

// A real-time executor that is not the host executor, as a simulation's would be for its tasks.
class OtherRuntime : public HostExecutor {};

TEST(StackWait, AThreadOnAnotherRuntimeWaitsOnTheCallback) {
    OtherRuntime runtime;
    ExecutorScope scope(runtime);
    WaitingStack stack;
    UDPSocket s;
    ASSERT_EQ(s.open(&stack), NSAPI_ERROR_OK);
    stack.script(Hook::kRecvfrom, {Step{NSAPI_ERROR_WOULD_BLOCK}, Step{NSAPI_ERROR_WOULD_BLOCK},
                                   Step{kAll, "late"}});
    std::thread raiser([&] {
        // The third attempt only comes after a callback: the second found nothing and waited.
        ASSERT_TRUE(stack.wait_for_calls(Hook::kRecvfrom, 2));
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        stack.raise_event();
    });
    char buf[8];
    EXPECT_EQ(s.recvfrom(nullptr, buf, sizeof buf), 4);
    raiser.join();
    EXPECT_TRUE(stack.waits().empty());
    auto n = stack.notifies();
    ASSERT_EQ(n.size(), 2u);
    EXPECT_FALSE(n[0].wanted);
    EXPECT_TRUE(n[1].wanted);  // turned back on for this wait, and kept on
    s.sigio(nullptr);
    EXPECT_EQ(stack.notifies().size(), 2u);
}

}  // namespace
}  // namespace meshwork::test
