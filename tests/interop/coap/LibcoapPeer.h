// Helpers for running libcoap's command-line tools (Debian libcoap3-bin) on loopback: finding the
// binaries, picking a free UDP port and starting/stopping coap-server.
#pragma once

#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

extern char **environ;

namespace coap_interop {

/// First of `names` found on PATH, or "".
inline std::string find_tool(const std::vector<std::string> &names) {
    const char *path = std::getenv("PATH");
    std::string p = path ? path : "/usr/bin:/bin";
    for (const auto &name : names) {
        std::size_t start = 0;
        while (start <= p.size()) {
            std::size_t colon = p.find(':', start);
            std::string dir =
                p.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
            std::string full = dir + "/" + name;
            if (!dir.empty() && access(full.c_str(), X_OK) == 0)
                return full;
            if (colon == std::string::npos)
                break;
            start = colon + 1;
        }
    }
    return "";
}

inline std::string coap_server_binary() {
    return find_tool(
        {"coap-server", "coap-server-notls", "coap-server-openssl", "coap-server-gnutls"});
}
inline std::string coap_client_binary() {
    return find_tool(
        {"coap-client", "coap-client-notls", "coap-client-openssl", "coap-client-gnutls"});
}

/// A UDP port on 127.0.0.1 that was free a moment ago (the kernel picks it).
inline unsigned short free_udp_port() {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    unsigned short port = 0;
    if (fd >= 0 && bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0 &&
        getsockname(fd, reinterpret_cast<sockaddr *>(&a), &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

/// A child process started with posix_spawn and killed (SIGTERM) on destruction.
class Child {
  public:
    explicit Child(const std::vector<std::string> &argv) {
        std::vector<char *> args;
        for (const auto &a : argv)
            args.push_back(const_cast<char *>(a.c_str()));
        args.push_back(nullptr);
        if (posix_spawn(&pid_, args[0], nullptr, nullptr, args.data(), environ) != 0)
            pid_ = -1;
    }
    ~Child() {
        if (pid_ > 0) {
            kill(pid_, SIGTERM);
            int status = 0;
            waitpid(pid_, &status, 0);
        }
    }
    bool ok() const { return pid_ > 0; }
    Child(const Child &) = delete;
    Child &operator=(const Child &) = delete;

  private:
    pid_t pid_ = -1;
};

/// Runs a shell command and returns its stdout and exit status.
inline std::string run_capture(const std::string &cmd, int *status) {
    std::string out;
    FILE *f = popen(cmd.c_str(), "r");
    if (!f) {
        *status = -1;
        return out;
    }
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        out.append(buf, n);
    int st = pclose(f);
    *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return out;
}

}  // namespace coap_interop
