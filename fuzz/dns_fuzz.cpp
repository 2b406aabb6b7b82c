// DNS message codec (src/netsocket/DnsMessage): responses are parsed for both record types,
// and a query built from the input name, echoed back as a response, must parse as an answer
// to itself.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "DnsMessage.h"

using namespace meshwork::dns;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    Record records[4];
    size_t count = 0;
    uint16_t id = size >= 2 ? uint16_t((data[0] << 8) | data[1]) : 0;
    parse_response(data, size, id, "example.com", kTypeA, records, 4, &count);
    if (count > 4) {
        abort();
    }
    parse_response(data, size, id, "example.com", kTypeAaaa, records, 4, &count);
    if (count > 4) {
        abort();
    }

    // Round trip: the input as a host name.
    char name[300];
    size_t n = size < sizeof(name) - 1 ? size : sizeof(name) - 1;
    memcpy(name, data, n);
    name[n] = '\0';
    uint8_t msg[kMaxUdpMessage];
    size_t len = 0;
    if (encode_query(id, name, kTypeAaaa, msg, sizeof(msg), &len) == EncodeStatus::kOk) {
        if (len > sizeof(msg)) {
            abort();
        }
        msg[2] |= 0x80;  // QR: the server's echo of the question, no answers
        if (parse_response(msg, len, id, name, kTypeAaaa, records, 4, &count) != ParseStatus::kOk ||
            count != 0) {
            abort();
        }
    }
    return 0;
}
