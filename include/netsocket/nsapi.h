/*
 * meshwork: the Mbed network socket API umbrella header.
 */
#ifndef NSAPI_H
#define NSAPI_H

#include "netsocket/nsapi_types.h"

#ifdef __cplusplus

#include "netsocket/SocketAddress.h"
#include "netsocket/NetworkStack.h"
#include "netsocket/NetworkInterface.h"
#include "netsocket/EthInterface.h"
#include "netsocket/WiFiInterface.h"
#include "netsocket/CellularInterface.h"
#include "netsocket/MeshInterface.h"
#include "netsocket/nsapi_dns.h"

#include "netsocket/Socket.h"
#include "netsocket/UDPSocket.h"
#include "netsocket/TCPSocket.h"
#include "netsocket/TCPServer.h"
#include "netsocket/ICMPSocket.h"
// The TLS classes need Mbed TLS's headers; without them mbed.h still compiles, minus TLS.
#if __has_include("mbedtls/ssl.h")
#include "netsocket/TLSSocket.h"
#include "netsocket/DTLSSocket.h"
#endif

#endif /* __cplusplus */

#endif /* NSAPI_H */
