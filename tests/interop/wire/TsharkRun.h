// Helpers shared by the tshark oracle tests (tests/interop/wire and tests/interop/wire_ip6):
// whether tshark is installed, running a shell command for its standard output, and splitting
// tshark's `-T fields` output into rows and columns.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace meshwork::interop {

inline bool have_tshark() {
    return std::system("tshark --version > /dev/null 2>&1") == 0;
}

/// Runs `cmd` through the shell and returns everything it wrote to standard output.
inline std::string run(const std::string &cmd) {
    std::string out;
    FILE *p = popen(cmd.c_str(), "r");
    if (!p)
        return out;
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
        out.append(buf, n);
    pclose(p);
    return out;
}

/// Splits at every `sep`; n separators give n + 1 pieces (empty ones kept).
inline std::vector<std::string> split(const std::string &s, char sep) {
    std::vector<std::string> v(1);
    for (char c : s) {
        if (c == sep) {
            v.emplace_back();
        } else {
            v.back().push_back(c);
        }
    }
    return v;
}

}  // namespace meshwork::interop
