// The host executor (tasks on std::thread, blocked on the OS), WaitLock's kernel sleep, and
// the adoption of OS threads no executor started. The only platform file that names OS
// threads, mutexes and condition variables for blocking.
#include <linux/futex.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "meshwork/Executor.h"

namespace meshwork {

namespace detail {
__thread Task *tls_current_task __attribute__((tls_model("initial-exec"))) = nullptr;
}  // namespace detail

namespace {

long futex(std::atomic<std::uint32_t> *word, int op, std::uint32_t value) {
    return ::syscall(SYS_futex, reinterpret_cast<std::uint32_t *>(word), op | FUTEX_PRIVATE_FLAG,
                     value, nullptr, nullptr, 0);
}

// One parking spot per task. The flag says a wake came since the last block began.
struct HostTask final : Task {
    using Task::Task;
    ~HostTask() override {
        if (wake_fd >= 0) {
            ::close(wake_fd);
        }
        if (thread.joinable()) {
            if (thread.get_id() == std::this_thread::get_id()) {
                thread.detach();  // the last reference dropped on the task's own thread
            } else {
                thread.join();  // only the end of the thread function remains
            }
        }
    }
    std::mutex mutex;
    std::condition_variable cv;
    std::atomic<bool> woken{false};  // written under mutex, except by a wake in block_on
    // block_on: the task polls a descriptor and wake_fd (made on first use, used by this task
    // alone), and a wake while `polling` writes wake_fd instead of signalling cv;
    // `wake_written` says it has a count to drain. These change only with the guard of the
    // block held, and wakes come under that guard: no mutex on the way into and out of ppoll.
    int wake_fd = -1;
    std::atomic<bool> polling{false};
    std::atomic<bool> wake_written{false};
    std::thread thread;
};

HostTask &host_task(Task &t) {
    return static_cast<HostTask &>(t);
}

// The thread's own record when no executor started it; freed when the thread exits. Code that
// runs after that (static destructors on the main thread) gets a record that is never freed.
__thread bool tls_adopted_gone = false;
struct AdoptedTask {
    std::unique_ptr<HostTask> task;
    ~AdoptedTask() {
        if (detail::tls_current_task == task.get()) {
            detail::tls_current_task = nullptr;
        }
        tls_adopted_gone = true;
    }
};
thread_local AdoptedTask tls_adopted;
__thread Executor *tls_scope_executor = nullptr;

// Compatibility edge: one "interrupt mask" per process, deliberately leaked so it outlives
// every thread that may still enter a critical section during process exit.
std::recursive_mutex &critical_mutex() {
    static auto *m = new std::recursive_mutex;
    return *m;
}

}  // namespace

void WaitLock::lock_slow() {
    // Drepper's three-state mutex: 2 tells the holder that someone sleeps.
    std::uint32_t c = word_.exchange(2, std::memory_order_acquire);
    while (c != 0) {
        futex(&word_, FUTEX_WAIT, 2);
        c = word_.exchange(2, std::memory_order_acquire);
    }
}

void WaitLock::unlock_slow() {
    // The lock may already be destroyed by its next owner: a wake on a stale address is
    // harmless (sleepers re-check the word).
    futex(&word_, FUTEX_WAKE, 1);
}

Task &detail::adopt_current_thread() {
    Executor &e = tls_scope_executor ? *tls_scope_executor : host_executor();
    if (tls_adopted_gone) {
        tls_current_task = new HostTask(e);  // deliberately leaked (thread exit in progress)
    } else {
        tls_adopted.task = std::make_unique<HostTask>(e);
        tls_current_task = tls_adopted.task.get();
    }
    return *tls_current_task;
}

void set_current_task(Task *task) {
    detail::tls_current_task = task;
}

// Here, not beside WaitQueue: seen there, the compiler guesses that a wait's park() is this one.
bool Executor::park(Task &self, Instant deadline) {
    WaitLock lock;
    WaitGuard guard(lock);
    return block(self, guard, deadline);
}

HostExecutor::HostExecutor() : clock_(&steady_), polls_(false) {}

HostExecutor::HostExecutor(const Clock &clock) : clock_(&clock), polls_(true) {}

HostExecutor::~HostExecutor() = default;

std::shared_ptr<Task> HostExecutor::spawn(std::function<void()> body, const char *name) {
    auto task = std::make_shared<HostTask>(*this);
    task->name = name;
    try {
        std::lock_guard<std::mutex> lock(task->mutex);  // thread is written before it runs
        task->thread = std::thread([this, task, body = std::move(body)]() mutable {
            { std::lock_guard<std::mutex> sync(task->mutex); }
            ++started_;
            set_current_task(task.get());
            body();
            body = nullptr;  // its captures die while the task is still current
            set_current_task(nullptr);
            ++finished_;
        });
    } catch (const std::system_error &) {
        return nullptr;
    }
    return task;
}

void HostExecutor::reap(Task &task) {
    HostTask &t = host_task(task);
    if (t.thread.joinable() && t.thread.get_id() != std::this_thread::get_id()) {
        t.thread.join();
    }
}

bool HostExecutor::block(Task &self, WaitGuard &guard, Instant deadline) {
    HostTask &t = host_task(self);
    std::unique_lock<std::mutex> lock(t.mutex);
    t.woken = false;  // wakes for this block come under `guard`, which we still hold
    guard.unlock();
    bool in_time = true;
    while (!t.woken) {
        const Instant now = clock_->now();
        if (deadline != kNever && now >= deadline) {
            in_time = false;
            break;
        }
        if (polls_) {
            t.cv.wait_for(lock, std::chrono::milliseconds(1));
        } else if (deadline == kNever) {
            t.cv.wait(lock);
        } else {
            // On the steady clock the instants are read from, so the two agree.
            t.cv.wait_for(lock, deadline - now);
        }
    }
    lock.unlock();
    guard.lock();
    return in_time || t.woken;
}

bool HostExecutor::block_on(Task &self, WaitGuard &guard, Instant deadline,
                            const KernelWait &kernel) {
    HostTask &t = host_task(self);
    if (polls_ || kernel.fd < 0) {
        return block(self, guard, deadline);
    }
    if (t.wake_fd < 0) {
        t.wake_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);  // only this task's thread
        if (t.wake_fd < 0) {
            return block(self, guard, deadline);  // out of descriptors: the callback wakes us
        }
    }
    t.woken.store(false, std::memory_order_relaxed);  // wakes come under `guard`, still held
    t.polling.store(true, std::memory_order_relaxed);
    guard.unlock();
    pollfd p[2] = {{kernel.fd,
                    static_cast<short>((kernel.readable ? POLLIN | POLLRDHUP : 0) |
                                       (kernel.writable ? POLLOUT : 0)),
                    0},
                   {t.wake_fd, POLLIN, 0}};
    int r;
    do {
        timespec ts{};
        const timespec *limit = nullptr;
        if (deadline != kNever) {
            const Duration left = deadline - clock_->now();
            const auto us = left.count() > 0 ? left.count() : 0;
            ts.tv_sec = static_cast<time_t>(us / 1000000);
            ts.tv_nsec = static_cast<long>(us % 1000000) * 1000;
            limit = &ts;
        }
        r = ::ppoll(p, 2, limit, nullptr);
    } while (r < 0 && errno == EINTR);
    guard.lock();  // from here no wake can run (they come under the guard)
    t.polling.store(false, std::memory_order_relaxed);
    if (t.wake_written.load(std::memory_order_relaxed)) {
        t.wake_written.store(false, std::memory_order_relaxed);
        std::uint64_t count;
        (void)!::read(t.wake_fd, &count, sizeof count);
    }
    return r != 0 || t.woken.load(std::memory_order_relaxed);
}

void HostExecutor::wake(Task &task) {
    HostTask &t = host_task(task);
    if (t.polling.load()) {
        t.woken.store(true);
        if (!t.wake_written.exchange(true)) {
            const std::uint64_t one = 1;
            (void)!::write(t.wake_fd, &one, sizeof one);
        }
        return;
    }
    std::lock_guard<std::mutex> lock(t.mutex);
    t.woken = true;
    t.cv.notify_one();
}

void HostExecutor::yield() {
    std::this_thread::yield();
}

void HostExecutor::sleep_until(Instant deadline) {
    WaitLock lock;
    WaitGuard guard(lock);
    Task &self = current_task();
    while (clock_->now() < deadline) {
        block(self, guard, deadline);
    }
}

void HostExecutor::critical_enter() {
    critical_mutex().lock();
}

void HostExecutor::critical_exit() {
    critical_mutex().unlock();
}

HostExecutor &host_executor() {
    // Never destroyed: detached threads and shared event queues may still wait on it while
    // static destructors run at process exit.
    static HostExecutor *const executor = new HostExecutor;
    return *executor;
}

ExecutorScope::ExecutorScope(HostExecutor &executor)
    : task_(current_task()), previous_(task_.executor), previous_scope_(tls_scope_executor) {
    task_.executor = &executor;
    tls_scope_executor = &executor;
}

ExecutorScope::~ExecutorScope() {
    task_.executor = previous_;
    tls_scope_executor = previous_scope_;
}

}  // namespace meshwork
