// CoAP: parse -> rebuild with CoapBuilder -> identical bytes (the option encoding is canonical)
// -> parse again.
#include <cstdint>
#include <vector>

#include "wire/Coap.h"

using namespace meshwork;
using namespace meshwork::wire;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    Result<CoapMessage> m = CoapMessage::parse(ByteSpan(data, size));
    if (!m)
        return 0;
    std::vector<std::uint8_t> out(size + 1);
    CoapBuilder b(MutableByteSpan(out.data(), out.size()), m->type(), m->code(), m->message_id(),
                  m->token());
    m->for_each_option([&](const CoapOptionValue &o) {
        b.option(o.number, o.value);
        if (o.number == CoapOption::kBlock1 || o.number == CoapOption::kBlock2)
            (void)CoapBlock::from_uint(o.as_uint());
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
    return 0;
}
