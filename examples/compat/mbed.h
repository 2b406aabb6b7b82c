// Used only while the tree has no include/mbed.h yet (examples/CMakeLists.txt adds this folder
// to the include path in that case): the subset of mbed.h the examples use.
#pragma once

#include "EthernetInterface.h"
#include "NetworkInterface.h"
#include "SocketAddress.h"
#include "TCPServer.h"
#include "TCPSocket.h"
#include "UDPSocket.h"
#include "netsocket/nsapi.h"
#include "platform/Callback.h"
#include "platform/mbed_wait_api.h"
#include "drivers/Timer.h"
#include "rtos/ThisThread.h"
#include "rtos/Thread.h"

#include <cstdio>
#include <cstring>

using namespace mbed;
using namespace rtos;
