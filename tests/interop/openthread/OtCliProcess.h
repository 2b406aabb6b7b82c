// An ot-cli-ftd peer run by the interop tests: its own working directory (a TempDir), commands
// on a pipe to its stdin, its stdout read without blocking so the caller keeps the simulation
// running in real time while it waits. stop() closes stdin, then SIGTERM, and reaps it.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace meshwork::test {

class OtCliProcess {
  public:
    OtCliProcess() = default;
    OtCliProcess(const OtCliProcess &) = delete;
    OtCliProcess &operator=(const OtCliProcess &) = delete;
    ~OtCliProcess() { stop(); }

    bool start(const std::string &binary, const std::string &workdir, int node_id,
               int port_offset) {
        int in[2], out[2];
        if (::pipe2(in, O_CLOEXEC) != 0)
            return false;
        if (::pipe2(out, O_CLOEXEC) != 0) {
            ::close(in[0]), ::close(in[1]);
            return false;
        }
        const std::string offset = std::to_string(port_offset);
        const std::string id = std::to_string(node_id);
        const std::string log = workdir + "/ot.log";
        pid_ = ::fork();
        if (pid_ == 0) {
            ::dup2(in[0], 0);
            ::dup2(out[1], 1);
            ::dup2(out[1], 2);
            if (::chdir(workdir.c_str()) != 0)
                ::_exit(126);
            ::setenv("PORT_OFFSET", offset.c_str(), 1);
            ::execl(binary.c_str(), binary.c_str(), "-l", log.c_str(), id.c_str(),
                    static_cast<char *>(nullptr));
            ::_exit(127);
        }
        ::close(in[0]);
        ::close(out[1]);
        in_ = in[1];
        out_ = out[0];
        ::fcntl(out_, F_SETFL, ::fcntl(out_, F_GETFL) | O_NONBLOCK);
        return pid_ > 0;
    }

    void send(const std::string &command) {
        const std::string line = command + "\n";
        if (in_ >= 0 && ::write(in_, line.data(), line.size()) < 0)
            failed_ = true;
    }

    /// Reads what the node printed so far; returns everything it printed since start.
    const std::string &output() {
        char buf[4096];
        for (;;) {
            const ssize_t n = out_ >= 0 ? ::read(out_, buf, sizeof buf) : -1;
            if (n <= 0)
                break;
            text_.append(buf, static_cast<std::size_t>(n));
        }
        return text_;
    }
    /// The output from `mark` (a previous output().size()) on.
    std::string since(std::size_t mark) {
        const std::string &t = output();
        return mark < t.size() ? t.substr(mark) : std::string();
    }

    void stop() {
        if (in_ >= 0)
            ::close(in_);
        in_ = -1;
        if (pid_ > 0) {
            ::kill(pid_, SIGTERM);
            int status = 0;
            ::waitpid(pid_, &status, 0);
            pid_ = -1;
        }
        if (out_ >= 0)
            ::close(out_);
        out_ = -1;
    }

  private:
    pid_t pid_ = -1;
    int in_ = -1;
    int out_ = -1;
    bool failed_ = false;
    std::string text_;
};

}  // namespace meshwork::test
