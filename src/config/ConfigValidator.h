// Typed validation of the resolved parameters meshwork itself consumes: the Mesh API ranges
// (channels, pages, PAN IDs, key and prefix lengths, the Thread PSKd alphabet, enum tokens),
// nsapi, events, rtos, platform, mbed-trace and meshwork keys. It fills the run-time
// Configuration with the same values the generated header pastes into C.
#pragma once

#include <string>
#include <vector>

#include "ConfigResolver.h"
#include "meshwork/config/Configuration.h"

namespace meshwork::config {

/// Appends one message per invalid value to `errors`; fills `out` with the valid ones.
void build_configuration(const ResolvedConfig &resolved, Configuration &out,
                         std::vector<std::string> &errors);

/// True for a Thread PSKd: 6..32 characters of 0-9 and A-Y without I, O, Q and Z.
bool is_valid_pskd(const std::string &pskd);

}  // namespace meshwork::config
