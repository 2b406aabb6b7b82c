// ICMPSocket: the protocol; everything else is InternetDatagramSocket.
#include "netsocket/ICMPSocket.h"

ICMPSocket::ICMPSocket() = default;

ICMPSocket::~ICMPSocket() = default;

nsapi_protocol_t ICMPSocket::get_proto() {
    return NSAPI_ICMP;
}
