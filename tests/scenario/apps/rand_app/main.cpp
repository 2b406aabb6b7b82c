// An Mbed application drawing from the C library's generator, run as several nodes: each node
// draws three values unseeded and three after srand(7), sleeping between draws so that the nodes'
// draws interleave. With one generator per node, each node's values are consecutive values of
// its own generator.
#include <cstdlib>

#include "mbed.h"

int main() {
    for (int i = 0; i < 3; ++i) {
        printf("unseeded %d\n", rand());
        ThisThread::sleep_for(1ms);
    }
    srand(7);
    for (int i = 0; i < 3; ++i) {
        printf("seeded %d\n", rand());
        ThisThread::sleep_for(1ms);
    }
    srandom(7);
    printf("random %ld\n", random());
    return 0;
}
