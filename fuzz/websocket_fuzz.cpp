// RFC 6455 frame headers: parse_header is total for both roles; a parsed frame re-encoded with
// its own mask, FIN and opcode parses back to the same header, and masking is its own inverse.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "meshwork/websocket/WebSocketFrame.h"

using namespace meshwork::websocket;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    for (bool expect_masked : {false, true}) {
        FrameHeader h;
        if (parse_header(data, size, expect_masked, h) != FrameError::kOk) {
            continue;
        }
        if (h.header_length > size || h.masked != expect_masked) {
            std::abort();
        }
        const size_t available = size - h.header_length;
        const size_t n = static_cast<size_t>(std::min<uint64_t>(h.payload_length, available));
        if (n != h.payload_length) {
            continue;  // payload not all here: nothing to round-trip
        }
        std::vector<uint8_t> payload(data + h.header_length, data + h.header_length + n);
        if (h.masked) {
            apply_mask(payload.data(), payload.size(), h.mask);  // unmask
        }
        std::vector<uint8_t> out;
        encode_frame(h.opcode, h.fin, payload.data(), payload.size(), h.masked ? h.mask : nullptr,
                     out);
        FrameHeader again;
        if (parse_header(out.data(), out.size(), expect_masked, again) != FrameError::kOk ||
            again.fin != h.fin || again.opcode != h.opcode ||
            again.payload_length != h.payload_length ||
            again.header_length + again.payload_length != out.size() ||
            !std::equal(out.begin() + again.header_length, out.end(), data + h.header_length)) {
            std::abort();  // same masked bytes on the wire
        }
    }
    return 0;
}
