// An ordinary Mbed application, written as for a device and built with meshwork_add_node_app():
// its globals (a counter, an EventQueue, a Thread, a Mutex), a worker thread dispatching the
// queue, sleeps, printf, puts and std::cout. The node_apps scenario runs 100 copies of it as 100
// simulated nodes; each copy must count to MBED_CONF_APP_ROUNDS on its own.
#include <iostream>

#include "mbed.h"

static int counter = 0;
EventQueue queue;
Thread worker;
Mutex counter_lock;

static void tick() {
    counter_lock.lock();
    ++counter;
    counter_lock.unlock();
}

static void report() {
    printf("counter=%d after %lld ms\n", counter,
           static_cast<long long>(Kernel::Clock::now().time_since_epoch().count()));
}

int main() {
    printf("%s: %d rounds\n", MBED_CONF_APP_GREETING, MBED_CONF_APP_ROUNDS);
    worker.start(callback(&queue, &EventQueue::dispatch_forever));
    for (int i = 0; i < MBED_CONF_APP_ROUNDS; ++i) {
        queue.call(tick);
        ThisThread::sleep_for(100ms);
    }
    queue.call(report);
    ThisThread::sleep_for(10ms);
    queue.break_dispatch();
    worker.join();
    std::cout << "cout works" << std::endl;
    puts("done");
    return 0;
}
