// Process exit with the shim busy: a global queue dispatched by a global Thread, a periodic
// Ticker posting to it, the shared queue running a periodic event, a Timeout, and a leaked thread
// sleeping in a loop. Returning from main must neither crash nor hang. The test re-runs this
// binary as a child many times and checks each exits with status 0 within a generous bound.
//
// The child runs on the host executor, which is never destroyed (threads still using it at exit
// - a periodic event on a shared queue, a detached thread that sleeps - stay valid).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <thread>

#include "drivers/Ticker.h"
#include "drivers/Timeout.h"
#include "events/EventQueue.h"
#include "events/mbed_shared_queues.h"
#include "rtos/Mutex.h"
#include "rtos/Semaphore.h"
#include "rtos/ThisThread.h"
#include "rtos/Thread.h"

using namespace std::chrono_literals;

namespace {

int child_main() {
    // Declared first, destroyed last: the queue's events use it until the queue is gone.
    static rtos::Mutex mutex;
    static events::EventQueue queue;
    static rtos::Thread dispatcher;
    static mbed::Ticker ticker;
    static mbed::Timeout timeout;
    dispatcher.start(mbed::callback(&queue, &events::EventQueue::dispatch_forever));
    queue.call_every(1ms, [] {
        mutex.lock();
        mutex.unlock();
    });
    ticker.attach([] { queue.call([] {}); }, 1ms);
    timeout.attach([] { mbed::mbed_event_queue()->call([] {}); }, 2ms);
    mbed::mbed_event_queue()->call_every(1ms, [] {});
    auto *forever = new rtos::Thread;  // never joined or destroyed
    forever->start([] {
        for (;;) {
            rtos::ThisThread::sleep_for(1ms);
        }
    });
    // Everything is running before main returns: the dispatcher is inside dispatch_forever()
    // (a thread that has not reached it yet would enter a queue already destroyed, which on
    // Mbed, where static destructors never run, an application may do; here it may not).
    static rtos::Semaphore dispatching;
    queue.call([] { dispatching.release(); });
    dispatching.acquire();
    rtos::ThisThread::sleep_for(10ms);
    return 0;  // static destruction runs with all of the above active
}

// Runs this binary with "--exit-child"; returns its wait status, or -1 after a timeout.
int run_child() {
    const pid_t pid = fork();
    if (pid == 0) {
        setenv("ASAN_OPTIONS", "detect_leaks=0", 1);  // the child leaks on purpose
        execl("/proc/self/exe", "platform_exit", "--exit-child", static_cast<char *>(nullptr));
        _exit(127);
    }
    const auto limit = std::chrono::steady_clock::now() + 30s;
    int status = 0;
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > limit) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return -1;
        }
        std::this_thread::sleep_for(2ms);
    }
    return status;
}

}  // namespace

TEST(ProcessExit, NeitherCrashesNorHangsWithEverythingRunning) {
    for (int i = 0; i < 30; ++i) {
        const int status = run_child();
        ASSERT_NE(status, -1) << "child hung at exit (run " << i << ")";
        ASSERT_TRUE(WIFEXITED(status))
            << "child died by signal " << WTERMSIG(status) << " (run " << i << ")";
        ASSERT_EQ(WEXITSTATUS(status), 0) << "run " << i;
    }
}

int main(int argc, char **argv) {
    if (argc > 1 && std::strcmp(argv[1], "--exit-child") == 0) {
        return child_main();
    }
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
