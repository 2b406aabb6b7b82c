// Joins a RadioMedium to an external simulated 802.15.4 medium that carries one UDP/IPv4
// datagram per frame on loopback (docs/radio.md "Joining OpenThread's simulated radio"):
// datagrams go to 224.0.0.116:G from 127.0.0.1:G+id, G = port_base + 1000 * port_offset, and
// carry the channel byte then the PSDU with its FCS.
//
//   * Frames that bridged meshwork nodes put on the medium leave, when they end (not aborted),
//     from that node's own socket (one per node, bound to its id's port).
//   * Datagrams from other ids are injected as transmissions of a proxy radio per foreign id
//     (no CCA), so the medium times them (air time from the length) and they take part in
//     CCA and collisions. Proxies have no position: the bridge wraps the medium's model so
//     that a foreign frame reaches every node at a fixed -20 dBm (at 0 dBm power), whatever
//     the meshwork topology is. A datagram that arrives while its proxy is still on the air
//     waits for it.
//   * The socket is read by a periodic scheduler event (every poll_period of virtual time):
//     meant for real-time pacing at speed 1 (Scheduler::set_real_time), where virtual time
//     follows the wall clock. Nothing else here touches time, and no thread is involved. A run
//     with a bridge is not reproducible: what arrives, and when, comes from outside.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <vector>

#include "core/Error.h"
#include "core/Time.h"
#include "sim/RadioMedium.h"

namespace meshwork::testbed {

struct OtRadioBridgeConfig {
    std::uint16_t port_base = 9000;
    std::uint16_t port_offset = 0;  // G + 999 must stay below 65536: 0..55 with the default base
    /// Ids given to bridged nodes that do not name one, counting down (clear of low peer ids).
    std::uint16_t first_node_id = 900;
    Duration poll_period = std::chrono::milliseconds(1);
};

struct OtRadioBridgeStats {
    std::uint64_t sent = 0;           // datagrams sent for meshwork frames
    std::uint64_t send_errors = 0;    // sendto() failed
    std::uint64_t unsendable = 0;     // meshwork frames on a channel outside page 0, 11..26
    std::uint64_t received = 0;       // datagrams read from the group
    std::uint64_t own = 0;            // ... of which from our own ids (skipped)
    std::uint64_t malformed = 0;      // ... too short/long, bad channel, sender id out of range
    std::uint64_t injected = 0;       // foreign frames put on the medium
    std::uint64_t inject_errors = 0;  // the medium refused one
};

class OtRadioBridge final : private sim::RadioMediumTap {
  public:
    /// Replaces the medium's propagation with `model` plus the proxies' rule. Sockets are
    /// opened by open().
    OtRadioBridge(sim::RadioMedium &medium, std::unique_ptr<sim::Propagation> model,
                  const OtRadioBridgeConfig &config = {});
    ~OtRadioBridge() override;
    OtRadioBridge(const OtRadioBridge &) = delete;
    OtRadioBridge &operator=(const OtRadioBridge &) = delete;

    /// Joins the group and starts polling. kBadState if already open; kInvalidArgument when
    /// G + 999 exceeds 65535; kUnsupported when the socket cannot be created, bound or joined
    /// (no multicast on loopback).
    Status open();
    void close();
    bool is_open() const { return rx_fd_ >= 0; }

    /// Bridges meshwork node `node` under id `id` (1..999; 0: the next from first_node_id
    /// down). Returns the id. kInvalidArgument for an id out of range or already used;
    /// kBadState before open(); kUnsupported when its port cannot be bound (in use).
    Result<std::uint16_t> bridge_node(sim::RadioNodeId node, std::uint16_t id = 0);

    std::uint16_t group_port() const;
    /// The medium node standing for foreign id `id`, kNoRadioNode if none heard yet.
    sim::RadioNodeId proxy(std::uint16_t id) const;
    const OtRadioBridgeStats &stats() const { return stats_; }

    /// Reads what is waiting on the socket now (the periodic event calls it).
    void poll();

  private:
    struct Proxy;
    struct Local {
        std::uint16_t id = 0;
        int fd = -1;
    };
    void on_air_end(const sim::AirFrame &frame, bool aborted) override;
    void inject(std::uint16_t id, std::uint8_t channel, const std::uint8_t *psdu, std::size_t len);
    void proxy_next(Proxy &p);

    sim::RadioMedium &medium_;
    OtRadioBridgeConfig cfg_;
    std::shared_ptr<std::vector<bool>> is_proxy_;  // by medium node id, shared with the model
    int rx_fd_ = -1;
    sim::Scheduler::EventId poll_event_ = 0;
    std::map<sim::RadioNodeId, Local> locals_;
    std::map<std::uint16_t, std::unique_ptr<Proxy>> proxies_;
    std::uint16_t next_id_ = 0;
    OtRadioBridgeStats stats_;
};

}  // namespace meshwork::testbed
