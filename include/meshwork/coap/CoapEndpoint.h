// CoAP endpoint state machine (RFC 7252), transport- and time-agnostic: datagrams come in through
// on_datagram(), go out through a send callback, peers are core IpEndpoints, time is an argument
// and randomness an injected Random (ARCHITECTURE rule 2). It depends on core and wire only (no
// sockets, no threads), so a node's stack can run it for Thread management traffic (TMF) and
// tests drive it in fake time. One endpoint is both client and server.
//
// Time: every deadline (retransmission, response timeout, duplicate-cache and Block1 lifetimes)
// is a timer in one TimerQueue. next_deadline() is the earliest of them, exactly; poll(now) does
// the work due at `now` and nothing else, so the owner sleeps until next_deadline() or the next
// datagram and never ticks.
//
// Message layer (RFC 7252 4): confirmable messages are retransmitted with an initial timeout
// drawn from [ACK_TIMEOUT, ACK_TIMEOUT * ACK_RANDOM_FACTOR] and doubled each time, at most
// MAX_RETRANSMIT times (4.8); duplicates of received CON/NON messages are detected by
// (peer, message ID) for EXCHANGE_LIFETIME / NON_LIFETIME (4.5) and answered from the cache.
// Request/response layer (5): tokens match responses to requests; piggybacked responses in the
// ACK, or an empty ACK then a separate response (5.2.2).
// Block-wise transfer (RFC 7959): the client sends large request bodies with Block1 and fetches
// large response bodies with Block2; the server reassembles Block1 and slices Block2.
// Observe (RFC 7641) on the client: register, notifications ordered by 3.4, deregister (3.6).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/IpEndpoint.h"
#include "core/Random.h"
#include "core/TimerQueue.h"
#include "meshwork/Time.h"
#include "meshwork/coap/CoapMessage.h"

namespace meshwork::coap {

/// RFC 7252 4.8 / 4.8.2 transmission parameters and local limits.
struct Params {
    Duration ack_timeout = std::chrono::seconds(2);
    double ack_random_factor = 1.5;
    unsigned max_retransmit = 4;
    Duration exchange_lifetime = std::chrono::seconds(247);
    Duration non_lifetime = std::chrono::seconds(145);
    /// How long a client waits for a separate or NON response (default MAX_TRANSMIT_WAIT).
    Duration response_timeout = std::chrono::seconds(93);
    /// Preferred block size exponent: 16 << szx bytes (6: 1024).
    std::uint8_t block_szx = 6;
    /// Largest body reassembled from blocks, either direction.
    std::size_t max_body_size = 4 * 1024 * 1024;
};

enum class Status : std::uint8_t {
    kOk,
    kTimeout,      // no ACK after MAX_RETRANSMIT, or no response within response_timeout
    kReset,        // the peer answered with RST
    kBadResponse,  // block-wise sequence the client cannot continue
    kTooLarge,     // body larger than Params::max_body_size
    kCancelled,
};
const char *status_name(Status s);

/// Called with the complete response (Block2 reassembled). For an observation, once per
/// delivered notification, then once more with a non-kOk status if the observation fails.
using ResponseHandler = std::function<void(Status, const Message &)>;

/// A request as the server's resource handler sees it; body reassembled from Block1.
struct ServerExchange {
    IpEndpoint peer;
    Message request;
    std::uint64_t id = 0;
    /// Call to answer later with CoapEndpoint::respond(id, ...) (a separate response).
    void defer() { deferred = true; }
    bool deferred = false;
};
/// Fills `response` (code preset to 2.05 for GET, 2.04 for PUT/POST, 2.02 for DELETE).
using ResourceHandler = std::function<void(ServerExchange &, Message &response)>;

struct EndpointStats {
    std::uint64_t sent = 0;
    std::uint64_t retransmitted = 0;
    std::uint64_t received = 0;
    std::uint64_t duplicates = 0;
    std::uint64_t malformed = 0;
    std::uint64_t rejected = 0;  // RST sent
};

class CoapEndpoint {
  public:
    using SendFn =
        std::function<void(const IpEndpoint &peer, const std::uint8_t *data, std::size_t size)>;

    /// `random` supplies message IDs, tokens and the ACK_RANDOM_FACTOR jitter; it must outlive
    /// the endpoint and is used only from the endpoint's calls.
    CoapEndpoint(SendFn send, Random &random, Params params = {});
    CoapEndpoint(const CoapEndpoint &) = delete;
    CoapEndpoint &operator=(const CoapEndpoint &) = delete;

    // --- client ---
    /// Sends `request` (code, options, payload; type, message ID and token are assigned).
    /// Returns an exchange id (never 0).
    std::uint64_t request(const IpEndpoint &peer, Message request, ResponseHandler handler,
                          Instant now, bool confirmable = true);
    /// Registers an observation (adds Observe: 0 to a GET).
    std::uint64_t observe(const IpEndpoint &peer, Message request, ResponseHandler handler,
                          Instant now);
    /// Deregisters (GET with Observe: 1, same token) and stops delivery; the handler is not called
    /// again.
    void cancel_observe(std::uint64_t id, Instant now);
    /// Forgets an exchange without telling the peer.
    void cancel(std::uint64_t id);
    bool active(std::uint64_t id) const { return exchanges_by_id_.count(id) != 0; }

    // --- server ---
    /// Handler for an exact Uri-Path ("sensors/temp"; "" is the root).
    void add_resource(const std::string &path, ResourceHandler handler);
    /// Sends the separate response to a deferred exchange. False if the id is unknown.
    bool respond(std::uint64_t exchange_id, Message response, Instant now);

    // --- input and time ---
    void on_datagram(const IpEndpoint &peer, const std::uint8_t *data, std::size_t size,
                     Instant now);
    /// Does what is due at `now`: retransmissions, timeouts, expiry of cached state.
    void poll(Instant now);
    /// The instant poll() next has work (the earliest pending deadline); kNever if none.
    /// Anything else the endpoint does is caused by a call (a datagram, a request).
    Instant next_deadline() const { return timers_.next_deadline(); }

    const EndpointStats &stats() const { return stats_; }
    const Params &params() const { return params_; }

  private:
    struct Transmission {
        IpEndpoint peer;
        std::vector<std::uint8_t> bytes;
        unsigned retransmits = 0;
        Duration timeout{};
        TimerQueue::Id timer = 0;
        std::uint64_t exchange = 0;  // client exchange that owns it, 0 for none
    };
    struct DedupEntry {
        Instant expires{};
        std::vector<std::uint8_t> reply;  // resent on a duplicate; empty: ignore duplicate
        TimerQueue::Id timer = 0;
    };
    struct ClientExchange {
        std::uint64_t id = 0;
        IpEndpoint peer;
        Message request;  // as given, without block options
        ResponseHandler handler;
        std::vector<std::uint8_t> token;
        bool confirmable = true;
        bool observe = false;
        bool established = false;  // observation accepted by the server
        bool cancelling = false;
        TimerQueue::Id response_timer = 0;  // waiting for a separate/NON response
        std::uint16_t pending_mid = 0;
        bool has_pending = false;
        // Block1 upload progress.
        std::size_t sent_offset = 0;
        std::uint8_t block1_szx = 6;
        std::size_t block1_len = 0;
        // Block2 download.
        std::vector<std::uint8_t> body;
        bool fetching_blocks = false;
        // Observe ordering (RFC 7641 3.4).
        bool have_seq = false;
        std::uint32_t last_seq = 0;
        Instant last_seq_time{};
    };
    struct Block1Buffer {
        std::vector<std::uint8_t> body;
        TimerQueue::Id timer = 0;
    };
    struct Deferred {
        IpEndpoint peer;
        Message request;
        bool confirmable = true;
    };
    using DedupKey = std::pair<IpEndpoint, std::uint16_t>;                // peer, message ID
    using Block1Key = std::tuple<IpEndpoint, std::uint8_t, std::string>;  // peer, method, path

    std::uint16_t next_mid() { return mid_++; }
    /// The initial ACK timeout, uniform in [ACK_TIMEOUT, ACK_TIMEOUT * ACK_RANDOM_FACTOR] (4.8).
    Duration initial_timeout();
    void transmit(const IpEndpoint &peer, const std::vector<std::uint8_t> &bytes);
    void send_confirmable(const IpEndpoint &peer, Message &msg, std::uint64_t exchange,
                          Instant now);
    void send_reset(const IpEndpoint &peer, std::uint16_t mid);
    void erase_transmission(std::uint16_t mid);
    void retransmit_due(std::uint16_t mid);
    void set_response_deadline(ClientExchange &ex, Instant deadline);
    void send_next_request(ClientExchange &ex, Instant now);
    void finish(std::uint64_t id, Status status, const Message &msg);
    void handle_response(const IpEndpoint &peer, const Message &msg, Instant now);
    void handle_request(const IpEndpoint &peer, const Message &msg, Instant now,
                        std::vector<std::uint8_t> *reply);
    /// Applies Block2 slicing to `response` for `request`, sets type/mid/token for the reply.
    void prepare_response(const Message &request, Message &response);
    bool unknown_critical_option(const Message &msg) const;
    void erase_block1(const Block1Key &key);

    SendFn send_;
    Random &random_;
    Params params_;
    std::uint16_t mid_;
    std::uint64_t next_id_ = 1;
    std::uint32_t token_counter_;
    Instant now_{};  // the `now` of the poll() running timers
    TimerQueue timers_;
    std::map<std::uint16_t, Transmission> transmissions_;  // by message ID
    std::map<DedupKey, DedupEntry> dedup_;
    std::map<std::uint64_t, ClientExchange> exchanges_by_id_;
    std::map<std::vector<std::uint8_t>, std::uint64_t> exchanges_by_token_;
    std::map<std::string, ResourceHandler> resources_;
    std::map<Block1Key, Block1Buffer> block1_;
    std::map<std::uint64_t, Deferred> deferred_;
    EndpointStats stats_;
};

}  // namespace meshwork::coap
