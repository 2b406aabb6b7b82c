// The frames of the tshark oracle test: each one built with our emitters, with the tshark field
// values we meant it to have.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace meshwork::interop {

struct ExpectedFrame {
    std::string name;
    std::vector<std::uint8_t> psdu;  // with FCS
    std::uint16_t channel = 15;
    float rssi = -40;
    /// tshark field -> value as `tshark -T fields` prints it (occurrences joined with ',').
    std::map<std::string, std::string> fields;
};

/// Builds the whole set. Returns false (and a message) if an emitter failed.
bool build_frame_set(std::vector<ExpectedFrame> *frames, std::string *error);

/// The 6LoWPAN context 0 prefix the set uses (pass to tshark as 6lowpan.context0).
inline constexpr const char *kContext0 = "fd00:db8::/64";

}  // namespace meshwork::interop
