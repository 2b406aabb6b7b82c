// MQTT 3.1.1 decoder: total on any input; a decoded packet re-encodes to exactly the bytes it
// came from (the encoding is canonical), and those bytes decode to the same packet again.
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "meshwork/mqtt/MqttCodec.h"

using namespace meshwork::mqtt;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    Packet packet;
    size_t consumed = 0;
    if (decode(data, size, packet, &consumed) != CodecError::kOk) {
        return 0;
    }
    if (consumed == 0 || consumed > size) {
        std::abort();
    }
    std::vector<uint8_t> out;
    if (encode(packet, out) != CodecError::kOk) {
        std::abort();  // every decoded packet is encodable
    }
    if (out.size() != consumed || !std::equal(out.begin(), out.end(), data)) {
        std::abort();
    }
    Packet again;
    size_t consumed_again = 0;
    if (decode(out.data(), out.size(), again, &consumed_again) != CodecError::kOk ||
        consumed_again != out.size() || again.type != packet.type || again.topic != packet.topic ||
        again.payload != packet.payload || again.packet_id != packet.packet_id) {
        std::abort();
    }
    return 0;
}
