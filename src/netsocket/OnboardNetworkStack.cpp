// OnboardNetworkStack has no default here: the backend an application links defines
// OnboardNetworkStack::get_default_instance() (the host backend's is src/host/DefaultStack.cpp,
// weak so that an application may define its own, as on Mbed).
#include "OnboardNetworkStack.h"
