// An idle Mbed application for bench_sim_node_apps, built with meshwork_add_node_app(): a thread
// sleeping in a loop and a global EventQueue with a periodic event, each counting in a global.
#include "mbed.h"

static unsigned ticks = 0;
static unsigned naps = 0;
EventQueue queue;
Thread sleeper;

static void nap_loop() {
    while (true) {
        ThisThread::sleep_for(1s);
        ++naps;
    }
}

int main() {
    sleeper.start(nap_loop);
    queue.call_every(1s, [] { ++ticks; });
    queue.call_in(59500ms, [] { printf("ticks=%u naps=%u\n", ticks, naps); });
    queue.dispatch_forever();
}
