// Fuzz target for the configuration loader and header generator: any bytes as mbed_app.json
// must give either a header or at least one error, never a crash, hang or exception. The same
// bytes also exercise the integer-expression evaluator and the value-text parsers.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "IntExpression.h"
#include "ValueText.h"
#include "meshwork/config/ConfigLoader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    std::string text(reinterpret_cast<const char *>(data), size);

    meshwork::config::LoadOptions options;
    options.app_config_path = "mbed_app.json";
    options.app_config_text = text;
    options.labels = {"LINUX", "K64F"};
    meshwork::config::LoadResult r = meshwork::config::load_configuration(options);
    if (r.ok() == r.header.empty()) {
        std::abort();  // exactly one of: a header, or errors
    }
    if (r.ok() && r.header.find("#endif\n") == std::string::npos) {
        std::abort();
    }
    for (const auto &e : r.errors) {
        if (e.empty()) {
            std::abort();
        }
    }

    meshwork::config::IntExpressionResult v = meshwork::config::evaluate_int_expression(text);
    if (v.ok == !v.error.empty()) {
        std::abort();
    }
    (void)meshwork::config::parse_byte_list(text);
    (void)meshwork::config::parse_c_string_literal(text);
    return 0;
}
