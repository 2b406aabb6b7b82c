// The socket layer over a stack that names a kernel descriptor per socket
// (NetworkStack::socket_kernel_fd, a meshwork extension): blocking calls still have one path
// (the socket's wait queue, through the task's executor), and a task of the host executor waits
// on the descriptor there, so the stack's callback is attached only while the application has a
// sigio; a task of an executor that cannot wait on the kernel turns the callback on for good.
#include <gtest/gtest.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

#include "meshwork/Executor.h"
#include "netsocket/TCPSocket.h"
#include "netsocket/UDPSocket.h"
#include "support/FakeStack.h"
#include "support/TestHelpers.h"

namespace meshwork::test {
namespace {

// Every socket's "descriptor" is one eventfd the test makes readable (it is always writable).
class KernelStack : public FakeStack {
  public:
    KernelStack() : fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}
    ~KernelStack() override { ::close(fd_); }
    void make_readable() {
        const std::uint64_t one = 1;
        EXPECT_EQ(::write(fd_, &one, sizeof one), static_cast<ssize_t>(sizeof one));
    }

  protected:
    int socket_kernel_fd(nsapi_socket_t) override { return fd_; }

  private:
    int fd_;
};

nsapi_socket_t handle_of(const KernelStack &stack) {
    return stack.calls(Hook::kAttach).at(0).handle;
}

size_t attaches(const KernelStack &stack, bool with_callback) {
    size_t n = 0;
    for (const auto &c : stack.calls(Hook::kAttach)) {
        n += c.callback_set == with_callback;
    }
    return n;
}

TEST(KernelWait, OpenDetachesTheCallbackUntilSigio) {
    KernelStack stack;
    UDPSocket s;
    ASSERT_EQ(s.open(&stack), NSAPI_ERROR_OK);
    const nsapi_socket_t h = handle_of(stack);
    EXPECT_FALSE(stack.attached(h));
    SigioCounter sigio;
    s.sigio(sigio.callback());
    EXPECT_TRUE(stack.attached(h));
    s.sigio(sigio.callback());  // no change: nothing more to tell the stack
    EXPECT_EQ(attaches(stack, true), 1u);
    s.sigio(nullptr);
    EXPECT_FALSE(stack.attached(h));
    EXPECT_EQ(stack.calls(Hook::kAttach).size(), 3u);
}

TEST(KernelWait, ASigioSetBeforeOpenIsAttachedAtOpen) {
    KernelStack stack;
    UDPSocket s;
    SigioCounter sigio;
    s.sigio(sigio.callback());
    ASSERT_EQ(s.open(&stack), NSAPI_ERROR_OK);
    EXPECT_EQ(attaches(stack, true), 1u);
    stack.raise_event();
    EXPECT_EQ(sigio.value(), 1);
}

TEST(KernelWait, BlockingReceiveWakesOnTheDescriptorWithoutACallback) {
    KernelStack stack;
    UDPSocket s;
    ASSERT_EQ(s.open(&stack), NSAPI_ERROR_OK);
    s.set_timeout(10000);
    stack.script(Hook::kRecvfrom, {Step{NSAPI_ERROR_WOULD_BLOCK}, Step{kAll, "hi"}});
    std::thread maker([&] {
        ASSERT_TRUE(stack.wait_for_calls(Hook::kRecvfrom, 1));
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        stack.make_readable();  // only the descriptor can end the wait: nothing is attached
    });
    char buf[8];
    EXPECT_EQ(s.recvfrom(nullptr, buf, sizeof buf), 2);
    maker.join();
    EXPECT_FALSE(stack.attached(handle_of(stack)));
    EXPECT_EQ(stack.count(Hook::kRecvfrom), 2u);
}

TEST(KernelWait, TheTimeoutExpiresAsWouldBlock) {
    KernelStack stack;
    TCPSocket s;
    ASSERT_EQ(s.open(&stack), NSAPI_ERROR_OK);
    s.set_timeout(30);
    stack.set_default(Hook::kRecv, NSAPI_ERROR_WOULD_BLOCK);
    char buf[4];
    EXPECT_EQ(s.recv(buf, sizeof buf), NSAPI_ERROR_WOULD_BLOCK);
    EXPECT_EQ(stack.count(Hook::kRecv), 1u);
    s.set_blocking(false);  // non-blocking: never waits
    EXPECT_EQ(s.recv(buf, sizeof buf), NSAPI_ERROR_WOULD_BLOCK);
    EXPECT_EQ(stack.count(Hook::kRecv), 2u);
}

TEST(KernelWait, SendAndConnectWaitForWritable) {
    KernelStack stack;  // the eventfd is always writable: each wait ends at once
    TCPSocket s;
    ASSERT_EQ(s.open(&stack), NSAPI_ERROR_OK);
    s.set_timeout(10000);
    stack.script_results(Hook::kConnect, {NSAPI_ERROR_IN_PROGRESS, NSAPI_ERROR_IS_CONNECTED});
    EXPECT_EQ(s.connect(SocketAddress("192.0.2.1", 80)), NSAPI_ERROR_OK);
    stack.script_results(Hook::kSend, {NSAPI_ERROR_WOULD_BLOCK, 4});
    EXPECT_EQ(s.send("abcd", 4), 4);
    EXPECT_EQ(stack.count(Hook::kConnect), 2u);
    EXPECT_EQ(stack.count(Hook::kSend), 2u);
}

TEST(KernelWait, CloseFromAnotherThreadEndsAWaitOnTheDescriptor) {
    KernelStack stack;
    TCPSocket s;
    ASSERT_EQ(s.open(&stack), NSAPI_ERROR_OK);
    stack.set_default(Hook::kRecv, NSAPI_ERROR_WOULD_BLOCK);
    std::atomic<int> result{1};
    std::thread reader([&] {
        char buf[4];
        result = s.recv(buf, sizeof buf);
    });
    ASSERT_TRUE(stack.wait_for_calls(Hook::kRecv, 1));
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // usually in poll() by now
    EXPECT_EQ(s.close(), NSAPI_ERROR_OK);
    reader.join();
    EXPECT_EQ(result.load(), NSAPI_ERROR_NO_SOCKET);
}

// A real-time executor that cannot wait on the kernel, as a simulation's cannot.
class OtherRuntime : public HostExecutor {
  public:
    bool waits_on_kernel() const override { return false; }
};

TEST(KernelWait, ATaskOfAnExecutorThatCannotWaitOnTheKernelTurnsTheCallbackOn) {
    OtherRuntime runtime;
    ExecutorScope scope(runtime);
    KernelStack stack;
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
    EXPECT_TRUE(stack.attached(handle_of(stack)));  // turned on for this wait, and kept on
    s.sigio(nullptr);
    EXPECT_TRUE(stack.attached(handle_of(stack)));
}

}  // namespace
}  // namespace meshwork::test
