#include "meshwork/coap/CoapEndpoint.h"

#include <algorithm>
#include <cstring>

namespace meshwork::coap {

namespace {

// RFC 7641 3.4: is a notification numbered `fresh` received at `now` newer than the last one
// delivered (`last` at `last_time`)?
bool newer(std::uint32_t fresh, Instant now, std::uint32_t last, Instant last_time) {
    constexpr std::uint32_t k23 = 1u << 23;
    return (last < fresh && fresh - last < k23) || (last > fresh && last - fresh > k23) ||
           now > last_time + std::chrono::seconds(128);
}

Message empty_message(Type type, std::uint16_t mid) {
    Message m;
    m.type = type;
    m.code = Code::kEmpty;
    m.message_id = mid;
    return m;
}

}  // namespace

const char *status_name(Status s) {
    switch (s) {
        case Status::kOk:
            return "ok";
        case Status::kTimeout:
            return "timeout";
        case Status::kReset:
            return "reset";
        case Status::kBadResponse:
            return "bad-response";
        case Status::kTooLarge:
            return "too-large";
        case Status::kCancelled:
            return "cancelled";
    }
    return "?";
}

CoapEndpoint::CoapEndpoint(SendFn send, Random &random, Params params)
    : send_(std::move(send)), random_(random), params_(params) {
    if (params_.block_szx > 6)
        params_.block_szx = 6;
    mid_ = random_.next_u16();  // RFC 7252 4.4: randomised start
    token_counter_ = random_.next_u32();
}

Duration CoapEndpoint::initial_timeout() {
    const std::int64_t base = params_.ack_timeout.count();
    const double span = static_cast<double>(base) * (params_.ack_random_factor - 1.0);
    const std::uint32_t jitter =
        span >= 1.0 ? random_.uniform_range(
                          0, span >= 4294967295.0 ? UINT32_MAX : static_cast<std::uint32_t>(span))
                    : 0;
    return Duration(base + jitter);
}

void CoapEndpoint::transmit(const IpEndpoint &peer, const std::vector<std::uint8_t> &bytes) {
    ++stats_.sent;
    send_(peer, bytes.data(), bytes.size());
}

void CoapEndpoint::send_reset(const IpEndpoint &peer, std::uint16_t mid) {
    ++stats_.rejected;
    transmit(peer, empty_message(Type::kReset, mid).encode());
}

void CoapEndpoint::send_confirmable(const IpEndpoint &peer, Message &msg, std::uint64_t exchange,
                                    Instant now) {
    msg.type = Type::kConfirmable;
    msg.message_id = next_mid();
    erase_transmission(msg.message_id);  // a wrapped-around ID still in flight: replaced
    Transmission t;
    t.peer = peer;
    t.bytes = msg.encode();
    t.timeout = initial_timeout();
    t.exchange = exchange;
    const std::uint16_t mid = msg.message_id;
    t.timer =
        timers_.schedule(saturating_add(now, t.timeout), [this, mid] { retransmit_due(mid); });
    transmit(peer, t.bytes);
    transmissions_[mid] = std::move(t);
}

void CoapEndpoint::erase_transmission(std::uint16_t mid) {
    auto it = transmissions_.find(mid);
    if (it == transmissions_.end())
        return;
    timers_.cancel(it->second.timer);
    transmissions_.erase(it);
}

void CoapEndpoint::retransmit_due(std::uint16_t mid) {
    auto it = transmissions_.find(mid);
    if (it == transmissions_.end())
        return;
    Transmission &t = it->second;
    if (t.retransmits < params_.max_retransmit) {
        // Timeout doubles after each copy (4.8): copies at 0, T, 3T, 7T, 15T.
        ++t.retransmits;
        ++stats_.retransmitted;
        t.timeout *= 2;
        t.timer =
            timers_.schedule(saturating_add(now_, t.timeout), [this, mid] { retransmit_due(mid); });
        transmit(t.peer, t.bytes);
        return;
    }
    const std::uint64_t owner = t.exchange;
    transmissions_.erase(it);
    if (owner == 0)
        return;
    auto ex = exchanges_by_id_.find(owner);
    if (ex != exchanges_by_id_.end())
        ex->second.has_pending = false;
    finish(owner, Status::kTimeout, Message{});
}

void CoapEndpoint::set_response_deadline(ClientExchange &ex, Instant deadline) {
    if (ex.response_timer != 0)
        timers_.cancel(ex.response_timer);
    ex.response_timer = 0;
    if (deadline == kNever)
        return;
    const std::uint64_t id = ex.id;
    ex.response_timer = timers_.schedule(deadline, [this, id] {
        auto it = exchanges_by_id_.find(id);
        if (it == exchanges_by_id_.end())
            return;
        it->second.response_timer = 0;
        finish(id, Status::kTimeout, Message{});
    });
}

// --- client ---

std::uint64_t CoapEndpoint::request(const IpEndpoint &peer, Message req, ResponseHandler handler,
                                    Instant now, bool confirmable) {
    ClientExchange ex;
    ex.id = next_id_++;
    ex.peer = peer;
    ex.handler = std::move(handler);
    ex.confirmable = confirmable;
    ex.observe = req.has_option(Option::kObserve) && req.option_uint(Option::kObserve) == 0;
    req.remove_option(Option::kBlock1);
    req.remove_option(Option::kBlock2);
    std::uint32_t t1 = ++token_counter_, t2 = random_.next_u32();
    for (int i = 3; i >= 0; --i)
        ex.token.push_back(static_cast<std::uint8_t>(t1 >> (8 * i)));
    for (int i = 3; i >= 0; --i)
        ex.token.push_back(static_cast<std::uint8_t>(t2 >> (8 * i)));
    ex.block1_szx = params_.block_szx;
    ex.request = std::move(req);
    const std::uint64_t id = ex.id;
    exchanges_by_token_[ex.token] = id;
    auto &stored = exchanges_by_id_[id] = std::move(ex);
    send_next_request(stored, now);
    return id;
}

std::uint64_t CoapEndpoint::observe(const IpEndpoint &peer, Message req, ResponseHandler handler,
                                    Instant now) {
    req.code = Code::kGet;
    req.remove_option(Option::kObserve);
    req.add_option_uint(Option::kObserve, 0);
    return request(peer, std::move(req), std::move(handler), now, true);
}

void CoapEndpoint::send_next_request(ClientExchange &ex, Instant now) {
    Message m = ex.request;
    m.token = ex.token;
    const std::size_t bsize = std::size_t{16} << ex.block1_szx;
    if (!ex.fetching_blocks && ex.request.payload.size() > bsize) {
        // Block1 (RFC 7959 2.5): send the block at sent_offset.
        Block b;
        b.szx = ex.block1_szx;
        b.num = static_cast<std::uint32_t>(ex.sent_offset / bsize);
        const std::size_t len = std::min(bsize, ex.request.payload.size() - ex.sent_offset);
        b.more = ex.sent_offset + len < ex.request.payload.size();
        m.payload.assign(
            ex.request.payload.begin() + static_cast<std::ptrdiff_t>(ex.sent_offset),
            ex.request.payload.begin() + static_cast<std::ptrdiff_t>(ex.sent_offset + len));
        m.set_block(Option::kBlock1, b);
        if (b.num == 0) {
            m.remove_option(Option::kSize1);
            m.add_option_uint(Option::kSize1,
                              static_cast<std::uint32_t>(ex.request.payload.size()));
        }
        ex.block1_len = len;
    } else if (ex.fetching_blocks) {
        // Block2 continuation (RFC 7959 2.4): same request, no body, next block number.
        Block b;
        b.szx = ex.block1_szx;
        b.num = static_cast<std::uint32_t>(ex.body.size() / (std::size_t{16} << b.szx));
        m.payload.clear();
        m.remove_option(Option::kObserve);
        m.set_block(Option::kBlock2, b);
    }
    set_response_deadline(ex, kNever);
    if (ex.confirmable) {
        send_confirmable(ex.peer, m, ex.id, now);
        ex.pending_mid = m.message_id;
        ex.has_pending = true;
    } else {
        m.type = Type::kNonConfirmable;
        m.message_id = next_mid();
        transmit(ex.peer, m.encode());
        ex.has_pending = false;
        set_response_deadline(ex, saturating_add(now, params_.response_timeout));
    }
}

void CoapEndpoint::finish(std::uint64_t id, Status status, const Message &msg) {
    auto it = exchanges_by_id_.find(id);
    if (it == exchanges_by_id_.end())
        return;
    ResponseHandler handler = std::move(it->second.handler);
    const bool was_cancelling = it->second.cancelling;
    if (it->second.has_pending)
        erase_transmission(it->second.pending_mid);
    if (it->second.response_timer != 0)
        timers_.cancel(it->second.response_timer);
    exchanges_by_token_.erase(it->second.token);
    exchanges_by_id_.erase(it);
    if (handler && !was_cancelling)
        handler(status, msg);
}

void CoapEndpoint::cancel_observe(std::uint64_t id, Instant now) {
    auto it = exchanges_by_id_.find(id);
    if (it == exchanges_by_id_.end())
        return;
    ClientExchange &ex = it->second;
    if (ex.has_pending)
        erase_transmission(ex.pending_mid);
    ex.has_pending = false;
    ex.cancelling = true;
    ex.fetching_blocks = false;
    ex.body.clear();
    // RFC 7641 3.6: a GET with Observe: 1 and the same token deregisters.
    ex.request.remove_option(Option::kObserve);
    ex.request.add_option_uint(Option::kObserve, 1);
    ex.observe = false;
    send_next_request(ex, now);
}

void CoapEndpoint::cancel(std::uint64_t id) {
    auto it = exchanges_by_id_.find(id);
    if (it == exchanges_by_id_.end())
        return;
    it->second.cancelling = true;
    finish(id, Status::kCancelled, Message{});
}

void CoapEndpoint::handle_response(const IpEndpoint &peer, const Message &msg, Instant now) {
    auto tk = exchanges_by_token_.find(msg.token);
    if (tk == exchanges_by_token_.end())
        return;
    auto it = exchanges_by_id_.find(tk->second);
    if (it == exchanges_by_id_.end() || it->second.peer != peer)
        return;
    ClientExchange &ex = it->second;
    const std::uint64_t id = ex.id;
    if (ex.has_pending) {  // a separate response also acknowledges the request (5.2.2)
        erase_transmission(ex.pending_mid);
        ex.has_pending = false;
    }
    set_response_deadline(ex, kNever);
    if (ex.cancelling) {
        finish(id, Status::kCancelled, msg);
        return;
    }

    // Block1 upload in progress: 2.31 Continue asks for the next block.
    Block b1;
    if (!ex.fetching_blocks && ex.request.payload.size() > (std::size_t{16} << ex.block1_szx) &&
        msg.code == Code::kContinue) {
        if (!msg.block(Option::kBlock1, &b1)) {
            finish(id, Status::kBadResponse, msg);
            return;
        }
        ex.sent_offset += ex.block1_len;
        if (b1.szx < ex.block1_szx)
            ex.block1_szx = b1.szx;  // the server asked for smaller blocks (RFC 7959 2.5)
        if (ex.sent_offset >= ex.request.payload.size() ||
            ex.sent_offset % (std::size_t{16} << ex.block1_szx)) {
            finish(id, Status::kBadResponse, msg);
            return;
        }
        send_next_request(ex, now);
        return;
    }

    Block b2;
    const bool has_b2 = msg.block(Option::kBlock2, &b2);
    // A later notification with more blocks delivers its first block only (docs/coap.md).
    const bool first_block_only = ex.observe && ex.established && !ex.fetching_blocks;
    if (has_b2 && (b2.more || ex.fetching_blocks) && !first_block_only) {
        const std::size_t offset = static_cast<std::size_t>(b2.num) * b2.size();
        if (offset != ex.body.size()) {
            finish(id, Status::kBadResponse, msg);
            return;
        }
        ex.body.insert(ex.body.end(), msg.payload.begin(), msg.payload.end());
        if (ex.body.size() > params_.max_body_size) {
            finish(id, Status::kTooLarge, msg);
            return;
        }
        if (b2.more) {
            if (msg.payload.size() != b2.size()) {
                finish(id, Status::kBadResponse, msg);
                return;
            }
            if (ex.observe && !ex.fetching_blocks && msg.observe() >= 0) {
                ex.established = true;  // registration accepted; fetch the rest of this one
            }
            ex.fetching_blocks = true;
            ex.block1_szx = b2.szx;
            send_next_request(ex, now);
            return;
        }
        Message full = msg;
        full.payload = std::move(ex.body);
        full.remove_option(Option::kBlock2);
        ex.body.clear();
        ex.fetching_blocks = false;
        if (ex.observe) {
            ex.handler(Status::kOk, full);
            return;
        }
        finish(id, Status::kOk, full);
        return;
    }

    if (ex.observe) {
        const std::int64_t seq = msg.observe();
        if (seq < 0 || (msg.code >> 5) != 2) {
            // Not (or no longer) an observation: the final response (RFC 7641 3.2).
            finish(id, Status::kOk, msg);
            return;
        }
        const auto v = static_cast<std::uint32_t>(seq);
        if (ex.have_seq && !newer(v, now, ex.last_seq, ex.last_seq_time))
            return;  // reordered: older than what was delivered
        ex.have_seq = true;
        ex.last_seq = v;
        ex.last_seq_time = now;
        ex.established = true;
        ex.handler(Status::kOk, msg);
        return;
    }
    finish(id, Status::kOk, msg);
}

// --- server ---

void CoapEndpoint::add_resource(const std::string &path, ResourceHandler handler) {
    std::string p = path;
    while (!p.empty() && p.front() == '/')
        p.erase(p.begin());
    resources_[p] = std::move(handler);
}

bool CoapEndpoint::unknown_critical_option(const Message &msg) const {
    for (const auto &o : msg.options) {
        if (!Option::is_critical(o.number))
            continue;
        switch (o.number) {
            case Option::kIfMatch:
            case Option::kUriHost:
            case Option::kIfNoneMatch:
            case Option::kUriPort:
            case Option::kUriPath:
            case Option::kUriQuery:
            case Option::kAccept:
            case Option::kBlock2:
            case Option::kBlock1:
                continue;
            default:
                return true;
        }
    }
    return false;
}

void CoapEndpoint::prepare_response(const Message &request, Message &response) {
    response.token = request.token;
    Block want;
    const bool asked = request.block(Option::kBlock2, &want);
    std::uint8_t szx = params_.block_szx;
    if (asked && want.szx < szx)
        szx = want.szx;
    const std::size_t bsize = std::size_t{16} << szx;
    if (response.payload.size() > bsize || (asked && want.num > 0)) {
        Block b;
        b.szx = szx;
        b.num = asked ? static_cast<std::uint32_t>(want.num * want.size() / bsize) : 0;
        const std::size_t offset = static_cast<std::size_t>(b.num) * bsize;
        if (offset >= response.payload.size() && offset > 0) {
            response = Message{};
            response.token = request.token;
            response.code = Code::kBadOption;
            return;
        }
        const std::size_t total = response.payload.size();
        const std::size_t len = std::min(bsize, total - offset);
        b.more = offset + len < total;
        std::vector<std::uint8_t> slice(
            response.payload.begin() + static_cast<std::ptrdiff_t>(offset),
            response.payload.begin() + static_cast<std::ptrdiff_t>(offset + len));
        response.payload = std::move(slice);
        response.set_block(Option::kBlock2, b);
        if (b.num == 0) {
            response.remove_option(Option::kSize2);
            response.add_option_uint(Option::kSize2, static_cast<std::uint32_t>(total));
        }
    }
}

void CoapEndpoint::handle_request(const IpEndpoint &peer, const Message &msg, Instant now,
                                  std::vector<std::uint8_t> *reply) {
    const bool con = msg.type == Type::kConfirmable;
    Message response;
    response.token = msg.token;
    auto send_reply = [&](Message &r) {
        if (con) {
            r.type = Type::kAcknowledgement;
            r.message_id = msg.message_id;
            *reply = r.encode();
        } else {
            r.type = Type::kNonConfirmable;
            r.message_id = next_mid();
            transmit(peer, r.encode());
        }
    };

    if (unknown_critical_option(msg)) {
        response.code = Code::kBadOption;
        send_reply(response);
        return;
    }
    const std::string path = msg.uri_path();
    auto res = resources_.find(path);
    if (res == resources_.end()) {
        response.code = Code::kNotFound;
        send_reply(response);
        return;
    }

    ServerExchange ex;
    ex.peer = peer;
    ex.request = msg;
    Block b1;
    if (msg.block(Option::kBlock1, &b1)) {
        // Block1 reassembly (RFC 7959 2.5), keyed by peer, method and path; forgotten
        // EXCHANGE_LIFETIME after its last block.
        const Block1Key key(peer, msg.code, path);
        auto &buf = block1_[key];
        if (b1.num == 0)
            buf.body.clear();
        const Instant expires = saturating_add(now, params_.exchange_lifetime);
        if (buf.timer == 0 || !timers_.reschedule(buf.timer, expires))
            buf.timer = timers_.schedule(expires, [this, key] { block1_.erase(key); });
        const std::size_t offset = static_cast<std::size_t>(b1.num) * b1.size();
        if (offset != buf.body.size() || (b1.more && msg.payload.size() != b1.size())) {
            erase_block1(key);
            response.code = Code::kRequestEntityIncomplete;
            send_reply(response);
            return;
        }
        if (buf.body.size() + msg.payload.size() > params_.max_body_size) {
            erase_block1(key);
            response.code = Code::kRequestEntityTooLarge;
            send_reply(response);
            return;
        }
        buf.body.insert(buf.body.end(), msg.payload.begin(), msg.payload.end());
        if (b1.more) {
            response.code = Code::kContinue;
            Block echo = b1;
            if (echo.szx > params_.block_szx) {  // we prefer smaller blocks: say so
                echo.szx = params_.block_szx;
            }
            response.set_block(Option::kBlock1, echo);
            send_reply(response);
            return;
        }
        ex.request.payload = std::move(buf.body);
        erase_block1(key);
        ex.request.remove_option(Option::kBlock1);
        ex.request.remove_option(Option::kSize1);
    }

    switch (msg.code) {
        case Code::kGet:
            response.code = Code::kContent;
            break;
        case Code::kDelete:
            response.code = Code::kDeleted;
            break;
        default:
            response.code = Code::kChanged;
            break;
    }
    ex.id = next_id_++;
    res->second(ex, response);
    if (ex.deferred) {
        Deferred d;
        d.peer = peer;
        d.request = msg;
        d.confirmable = con;
        deferred_[ex.id] = std::move(d);
        if (con)
            *reply = empty_message(Type::kAcknowledgement, msg.message_id).encode();
        return;
    }
    if (msg.block(Option::kBlock1, &b1)) {
        b1.more = false;
        response.set_block(Option::kBlock1, b1);
    }
    prepare_response(msg, response);
    send_reply(response);
}

bool CoapEndpoint::respond(std::uint64_t exchange_id, Message response, Instant now) {
    auto it = deferred_.find(exchange_id);
    if (it == deferred_.end())
        return false;
    Deferred d = std::move(it->second);
    deferred_.erase(it);
    Block b1;
    if (d.request.block(Option::kBlock1, &b1)) {
        b1.more = false;
        response.set_block(Option::kBlock1, b1);
    }
    prepare_response(d.request, response);
    if (d.confirmable) {
        send_confirmable(d.peer, response, 0, now);
    } else {
        response.type = Type::kNonConfirmable;
        response.message_id = next_mid();
        transmit(d.peer, response.encode());
    }
    return true;
}

// --- input and time ---

void CoapEndpoint::on_datagram(const IpEndpoint &peer, const std::uint8_t *data, std::size_t size,
                               Instant now) {
    ++stats_.received;
    Message msg;
    if (!Message::decode(data, size, &msg)) {
        ++stats_.malformed;
        // RFC 7252 4.2: a malformed CON we can identify is rejected with RST; others are dropped.
        if (size >= 4 && (data[0] >> 6) == 1 && ((data[0] >> 4) & 3) == 0)
            send_reset(peer, static_cast<std::uint16_t>(data[2] << 8 | data[3]));
        return;
    }

    if (msg.type == Type::kAcknowledgement || msg.type == Type::kReset) {
        auto t = transmissions_.find(msg.message_id);
        if (t == transmissions_.end() || t->second.peer != peer)
            return;
        const std::uint64_t owner = t->second.exchange;
        erase_transmission(msg.message_id);
        if (owner == 0)
            return;
        auto ex = exchanges_by_id_.find(owner);
        if (ex == exchanges_by_id_.end())
            return;
        ex->second.has_pending = false;
        if (msg.type == Type::kReset) {
            finish(owner, Status::kReset, msg);
        } else if (msg.is_empty()) {
            // A separate response follows (5.2.2).
            set_response_deadline(ex->second, saturating_add(now, params_.response_timeout));
        } else if (msg.is_response()) {
            handle_response(peer, msg, now);
        }
        return;
    }

    // CON or NON: deduplicate (RFC 7252 4.5).
    const DedupKey key(peer, msg.message_id);
    auto dup = dedup_.find(key);
    if (dup != dedup_.end() && dup->second.expires > now) {
        ++stats_.duplicates;
        if (!dup->second.reply.empty())
            transmit(peer, dup->second.reply);
        return;
    }
    if (msg.is_empty()) {
        if (msg.type == Type::kConfirmable)
            send_reset(peer, msg.message_id);  // CoAP ping (4.3)
        return;
    }
    const bool con = msg.type == Type::kConfirmable;
    DedupEntry entry;
    entry.expires = saturating_add(now, con ? params_.exchange_lifetime : params_.non_lifetime);
    if (msg.is_request()) {
        handle_request(peer, msg, now, &entry.reply);
    } else if (msg.is_response()) {
        auto tk = exchanges_by_token_.find(msg.token);
        const bool known = tk != exchanges_by_token_.end() && exchanges_by_id_.count(tk->second) &&
                           exchanges_by_id_.at(tk->second).peer == peer;
        if (!known) {
            // Unexpected response (or a notification after deregistration): reject (4.2, 7641 3.6).
            send_reset(peer, msg.message_id);
            return;
        }
        if (con)
            entry.reply = empty_message(Type::kAcknowledgement, msg.message_id).encode();
    } else {
        return;  // reserved code class
    }
    if (!entry.reply.empty())
        transmit(peer, entry.reply);
    auto old = dedup_.find(key);  // expired, its timer not yet run
    if (old != dedup_.end())
        timers_.cancel(old->second.timer);
    entry.timer = timers_.schedule(entry.expires, [this, key] { dedup_.erase(key); });
    dedup_[key] = std::move(entry);
    if (msg.is_response())
        handle_response(peer, msg, now);
}

void CoapEndpoint::poll(Instant now) {
    now_ = now;
    timers_.run_due(now);
}

void CoapEndpoint::erase_block1(const Block1Key &key) {
    auto it = block1_.find(key);
    if (it == block1_.end())
        return;
    timers_.cancel(it->second.timer);
    block1_.erase(it);
}

}  // namespace meshwork::coap
