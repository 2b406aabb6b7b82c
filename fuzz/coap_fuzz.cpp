// CoAP: parse -> rebuild with CoapBuilder -> identical bytes (the option encoding is canonical)
// -> parse again; and the owning value type coap::Message parses the same input and emits the
// same bytes, so the view, the emitter and the message model agree.
#include <cstdint>
#include <vector>

#include "meshwork/coap/CoapMessage.h"
#include "wire/Coap.h"

using namespace meshwork;
using namespace meshwork::wire;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    Result<CoapMessage> m = CoapMessage::parse(ByteSpan(data, size));
    Result<coap::Message> value = coap::Message::parse(ByteSpan(data, size));
    if (m.ok() != value.ok())
        __builtin_trap();
    if (!m)
        return 0;
    std::vector<std::uint8_t> out(size + 1);
    CoapBuilder b(MutableByteSpan(out.data(), out.size()), m->type(), m->code(), m->message_id(),
                  m->token());
    m->for_each_option([&](const CoapOptionValue &o) {
        b.option(o.number, o.value);
        if (o.number == CoapOption::kBlock1 || o.number == CoapOption::kBlock2) {
            Result<CoapBlock> k = CoapBlock::parse(o.value);
            // A valid block re-encodes to the same uint.
            if (k && k->to_uint() != o.as_uint())
                __builtin_trap();
        }
    });
    b.payload(m->payload());
    Result<std::size_t> n = b.finish();
    if (!n || *n != size || !ByteSpan(out.data(), *n).equals(ByteSpan(data, size)))
        __builtin_trap();
    Result<CoapMessage> m2 = CoapMessage::parse(ByteSpan(out.data(), *n));
    if (!m2 || m2->option_count() != m->option_count())
        __builtin_trap();
    char path[64];
    (void)m->uri_path(path, sizeof path);

    const std::vector<std::uint8_t> again = value->encode();
    if (!ByteSpan(again.data(), again.size()).equals(ByteSpan(data, size)))
        __builtin_trap();
    if (value->options.size() != m->option_count() || value->type != m->type() ||
        value->payload.size() != m->payload().size)
        __builtin_trap();
    coap::Block block;
    (void)value->block(CoapOption::kBlock2, &block);
    (void)value->observe();
    (void)value->uri_path();
    return 0;
}
