// An Mbed application that never finishes: main() waits on a semaphore nobody releases. Run as
// nodes, the runner must report the deadlock (each node's blocked fiber), not hang, and unwind
// the fibers through the module's code at the end.
#include "mbed.h"

Semaphore never_released(0);

int main() {
    printf("waiting\n");
    never_released.acquire();
    printf("unreachable\n");
    return 0;
}
