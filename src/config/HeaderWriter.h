// Rendering a resolved configuration as mbed_config.h: one "#define NAME value // set by ..."
// line per non-null parameter, TARGET_/FEATURE_/DEVICE_/COMPONENT_ macros, then the "macros"
// lists. Every section is sorted by macro name so the output is deterministic.
#pragma once

#include <string>

#include "ConfigResolver.h"

namespace meshwork::config {

std::string render_header(const ResolvedConfig &config);

}  // namespace meshwork::config
