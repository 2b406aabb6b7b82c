#include "support/Backends.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>

namespace meshwork::test {
namespace {

// Constructed on first use, so registrars in any translation unit may run before this one's
// static initialisation.
std::vector<BackendFactory> &registry() {
    static std::vector<BackendFactory> backends;
    return backends;
}

bool valid_name(const std::string &name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    });
}

}  // namespace

BackendRegistrar::BackendRegistrar(std::string name,
                                   std::function<std::unique_ptr<Backend>()> make) {
    std::vector<BackendFactory> &backends = registry();
    const bool taken = std::any_of(backends.begin(), backends.end(),
                                   [&](const BackendFactory &b) { return b.name == name; });
    if (!valid_name(name) || taken || !make) {
        std::fprintf(stderr, "conformance backend \"%s\": %s\n", name.c_str(),
                     taken ? "registered twice" : "invalid name or factory");
        std::abort();
    }
    backends.push_back(BackendFactory{std::move(name), std::move(make)});
}

std::vector<BackendFactory> all_backends() {
    std::vector<BackendFactory> backends = registry();
    std::sort(backends.begin(), backends.end(),
              [](const BackendFactory &a, const BackendFactory &b) { return a.name < b.name; });
    return backends;
}

}  // namespace meshwork::test
