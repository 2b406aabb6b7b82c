// ICMPSocket: a datagram socket carrying raw ICMP messages (RFC 792 / RFC 4443 payloads).
#pragma once

#include "netsocket/InternetDatagramSocket.h"
#include "netsocket/nsapi_types.h"

class ICMPSocket : public InternetDatagramSocket {
  public:
    /// Call open() before use.
    ICMPSocket();
    ~ICMPSocket() override;

  protected:
    nsapi_protocol_t get_proto() override;
};
