// Rendering a resolved configuration as the C++ source meshwork_configure() adds to an
// application: one constant ConfigurationTable (meshwork/config/ApplicationConfiguration.h)
// and the strong application_configuration_table() that returns it, so that the precompiled
// libraries read the application's values at run time. Deterministic, like the header.
#pragma once

#include <string>

#include "ConfigResolver.h"

namespace meshwork::config {

std::string render_application_source(const ResolvedConfig &config);

/// `text` as a C string literal (quotes included); anything outside printable ASCII, the
/// quote, the backslash and '?' (trigraphs) become three-digit octal escapes.
std::string c_string_literal(const std::string &text);

}  // namespace meshwork::config
