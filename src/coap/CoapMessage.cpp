#include "meshwork/coap/CoapMessage.h"

#include <algorithm>
#include <cstdio>

namespace meshwork::coap {

std::string code_string(std::uint8_t c) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%u.%02u", static_cast<unsigned>(c >> 5),
                  static_cast<unsigned>(c & 0x1f));
    return buf;
}

Result<Message> Message::parse(ByteSpan bytes) {
    auto parsed = wire::CoapMessage::parse(bytes);
    if (!parsed)
        return parsed.error();
    const wire::CoapMessage &m = *parsed;
    Message msg;
    msg.type = m.type();
    msg.code = m.code();
    msg.message_id = m.message_id();
    msg.token.assign(m.token().begin(), m.token().end());
    m.for_each_option([&](const wire::CoapOptionValue &o) {
        msg.options.push_back(
            OptionEntry{o.number, std::vector<std::uint8_t>(o.value.begin(), o.value.end())});
    });
    msg.payload.assign(m.payload().begin(), m.payload().end());
    return msg;
}

bool Message::decode(const std::uint8_t *data, std::size_t size, Message *out) {
    Result<Message> m = parse(ByteSpan(data, size));
    if (!m)
        return false;
    *out = std::move(*m);
    return true;
}

std::size_t Message::encode(std::uint8_t *out, std::size_t size) const {
    if (token.size() > 8)
        return 0;
    wire::CoapBuilder b(MutableByteSpan(out, size), type, code, message_id,
                        ByteSpan(token.data(), token.size()));
    for (const auto &o : options)
        b.option(o.number, ByteSpan(o.value.data(), o.value.size()));
    if (!payload.empty())
        b.payload(ByteSpan(payload.data(), payload.size()));
    auto n = b.finish();
    return n ? *n : 0;
}

std::vector<std::uint8_t> Message::encode() const {
    std::size_t cap = 4 + token.size() + 1 + payload.size();
    for (const auto &o : options)
        cap += 5 + o.value.size();
    std::vector<std::uint8_t> buf(cap);
    buf.resize(encode(buf.data(), buf.size()));
    return buf;
}

void Message::add_option(std::uint16_t number, const std::vector<std::uint8_t> &value) {
    auto it = std::upper_bound(options.begin(), options.end(), number,
                               [](std::uint16_t n, const OptionEntry &o) { return n < o.number; });
    options.insert(it, OptionEntry{number, value});
}

void Message::add_option_uint(std::uint16_t number, std::uint32_t value) {
    std::uint8_t b[4];
    add_option(number, std::vector<std::uint8_t>(b, b + wire::coap_encode_uint(value, b)));
}

void Message::add_option_string(std::uint16_t number, const std::string &value) {
    add_option(number, std::vector<std::uint8_t>(value.begin(), value.end()));
}

void Message::remove_option(std::uint16_t number) {
    options.erase(std::remove_if(options.begin(), options.end(),
                                 [&](const OptionEntry &o) { return o.number == number; }),
                  options.end());
}

const OptionEntry *Message::find_option(std::uint16_t number) const {
    for (const auto &o : options)
        if (o.number == number)
            return &o;
    return nullptr;
}

std::uint32_t Message::option_uint(std::uint16_t number, std::uint32_t fallback) const {
    const OptionEntry *o = find_option(number);
    return o ? wire::coap_decode_uint(ByteSpan(o->value.data(), o->value.size())) : fallback;
}

void Message::set_uri(const std::string &uri) {
    remove_option(Option::kUriPath);
    std::string path = uri;
    auto q = uri.find('?');
    if (q != std::string::npos) {
        path = uri.substr(0, q);
        remove_option(Option::kUriQuery);
        std::string rest = uri.substr(q + 1);
        std::size_t start = 0;
        while (start <= rest.size()) {
            auto amp = rest.find('&', start);
            std::string part =
                rest.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
            if (!part.empty())
                add_uri_query(part);
            if (amp == std::string::npos)
                break;
            start = amp + 1;
        }
    }
    std::size_t start = 0;
    while (start < path.size()) {
        auto slash = path.find('/', start);
        std::string seg =
            path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
        if (!seg.empty())
            add_option_string(Option::kUriPath, seg);
        if (slash == std::string::npos)
            break;
        start = slash + 1;
    }
}

std::string Message::uri_path() const {
    std::string s;
    for (const auto &o : options) {
        if (o.number != Option::kUriPath)
            continue;
        if (!s.empty())
            s += '/';
        s.append(o.value.begin(), o.value.end());
    }
    return s;
}

void Message::add_uri_query(const std::string &query) {
    add_option_string(Option::kUriQuery, query);
}

std::vector<std::string> Message::uri_queries() const {
    std::vector<std::string> out;
    for (const auto &o : options)
        if (o.number == Option::kUriQuery)
            out.emplace_back(o.value.begin(), o.value.end());
    return out;
}

void Message::set_content_format(std::uint16_t format) {
    remove_option(Option::kContentFormat);
    add_option_uint(Option::kContentFormat, format);
}

int Message::content_format() const {
    const OptionEntry *o = find_option(Option::kContentFormat);
    return o ? static_cast<int>(option_uint(Option::kContentFormat)) : -1;
}

bool Message::block(std::uint16_t number, Block *out) const {
    const OptionEntry *o = find_option(number);
    if (!o)
        return false;
    Result<Block> b = Block::parse(ByteSpan(o->value.data(), o->value.size()));
    if (!b)
        return false;
    *out = *b;
    return true;
}

void Message::set_block(std::uint16_t number, const Block &b) {
    remove_option(number);
    add_option_uint(number, b.to_uint());
}

std::int64_t Message::observe() const {
    const OptionEntry *o = find_option(Option::kObserve);
    if (!o || o->value.size() > 3)
        return -1;
    return option_uint(Option::kObserve);
}

}  // namespace meshwork::coap
