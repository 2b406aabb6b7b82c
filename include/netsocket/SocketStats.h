/*
 * meshwork: Mbed-compatible socket statistics interface. Statistics are not collected
 * (nsapi.socket-stats-enabled is treated as false): get_socket_stats() always reports 0 entries
 * and the update calls do nothing. The types exist so that applications reading them compile.
 */
#ifndef SOCKET_STATS_H
#define SOCKET_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "SocketAddress.h"
#include "nsapi_types.h"

#ifndef MBED_CONF_NSAPI_SOCKET_STATS_MAX_COUNT
#define MBED_CONF_NSAPI_SOCKET_STATS_MAX_COUNT 10
#endif

class Socket;

typedef uint64_t us_timestamp_t;

/** Life-cycle state of a socket as seen by the statistics. */
typedef enum {
    SOCK_CLOSED,    /*!< closed */
    SOCK_OPEN,      /*!< open, not connected */
    SOCK_CONNECTED, /*!< connected */
    SOCK_LISTEN,    /*!< listening */
} socket_state;

/** Statistics of one socket. */
typedef struct {
    Socket *reference_id;            /*!< the socket */
    SocketAddress peer;              /*!< last peer */
    nsapi_protocol_t proto;          /*!< protocol */
    socket_state state;              /*!< state */
    us_timestamp_t last_change_tick; /*!< time of the last state change, microseconds */
    size_t sent_bytes;               /*!< bytes sent */
    size_t recv_bytes;               /*!< bytes received */
} mbed_stats_socket_t;

/** Socket statistics (not collected in this implementation). */
class SocketStats {
  public:
    /** Copies up to `count` entries into `stats`; returns how many (always 0 here). */
    static size_t get_socket_stats(mbed_stats_socket_t *stats, size_t count) { return 0; }

    void stats_new_socket_entry(Socket *reference_id) {}
    void stats_update_socket_state(Socket *reference_id, socket_state state) {}
    void stats_update_peer(Socket *reference_id, const SocketAddress &peer) {}
    void stats_update_proto(Socket *reference_id, nsapi_protocol_t proto) {}
    void stats_update_sent_bytes(Socket *reference_id, size_t sent_bytes) {}
    void stats_update_recv_bytes(Socket *reference_id, size_t recv_bytes) {}
};

#endif /* SOCKET_STATS_H */
