// A test's own temporary directory: created fresh (mkdtemp) under $TMPDIR, or /tmp when that is
// unset, and removed with everything in it when the object goes out of scope. Every test that
// writes a file writes it here, so a run leaves nothing behind in /tmp or the working directory.
#pragma once

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

namespace meshwork::test {

class TempDir {
  public:
    /// `prefix` names the directory (<prefix>-XXXXXX) so a leftover shows whose it was.
    explicit TempDir(const std::string &prefix = "meshwork-test") {
        const char *base = std::getenv("TMPDIR");
        std::string pattern = std::string(base && *base ? base : "/tmp") + "/" + prefix + "-XXXXXX";
        std::vector<char> buf(pattern.begin(), pattern.end());
        buf.push_back('\0');
        if (::mkdtemp(buf.data()) != nullptr) {
            path_ = buf.data();
        }
    }
    ~TempDir() {
        if (!path_.empty()) {
            std::error_code ec;  // nothing to report from a destructor
            std::filesystem::remove_all(path_, ec);
        }
    }
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;

    /// False when the directory could not be created (path() is then empty).
    bool ok() const { return !path_.empty(); }
    const std::string &path() const { return path_; }
    /// The path of `name` inside the directory.
    std::string file(const std::string &name) const { return path_ + "/" + name; }

  private:
    std::string path_;
};

}  // namespace meshwork::test
