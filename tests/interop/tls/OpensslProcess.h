// Runs an openssl command (s_server / s_client) as a child process for interop tests: its stdout
// and stderr are collected by a thread, its stdin is a pipe. Loopback addresses only.
#pragma once

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace meshwork::test {

class OpensslProcess {
  public:
    OpensslProcess() = default;
    OpensslProcess(const OpensslProcess &) = delete;
    OpensslProcess &operator=(const OpensslProcess &) = delete;
    ~OpensslProcess() { stop(); }

    /// Starts `openssl <args...>` in `cwd`. False if it could not be started.
    bool start(const std::vector<std::string> &args, const std::string &cwd) {
        // Everything the child needs is prepared before fork(): only exec-safe calls after it.
        std::vector<char *> argv;
        static char name[] = "openssl";
        argv.push_back(name);
        for (const auto &a : args) {
            argv.push_back(const_cast<char *>(a.c_str()));
        }
        argv.push_back(nullptr);
        int in[2], out[2];
        if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) {
            return false;
        }
        pid_ = fork();
        if (pid_ < 0) {
            return false;
        }
        if (pid_ == 0) {
            dup2(in[0], 0);
            dup2(out[1], 1);
            dup2(out[1], 2);
            ::close(in[0]);
            ::close(in[1]);
            ::close(out[0]);
            ::close(out[1]);
            if (chdir(cwd.c_str()) != 0) {
                _exit(126);
            }
            execvp("openssl", argv.data());
            _exit(127);
        }
        ::close(in[0]);
        ::close(out[1]);
        stdin_ = in[1];
        stdout_ = out[0];
        reader_ = std::thread([this] { read_loop(); });
        return true;
    }

    /// Waits until the output contains `text`; false after `limit` (a guard against hangs).
    bool wait_for(const std::string &text, std::chrono::seconds limit = std::chrono::seconds(20)) {
        std::unique_lock<std::mutex> lock(mutex_);
        return cv_.wait_for(lock, limit, [&] {
            return output_.find(text) != std::string::npos || eof_;
        }) && output_.find(text) != std::string::npos;
    }

    void write(const std::string &text) {
        if (stdin_ >= 0) {
            ssize_t n = ::write(stdin_, text.data(), text.size());
            (void)n;
        }
    }

    std::string output() {
        std::lock_guard<std::mutex> lock(mutex_);
        return output_;
    }

    void stop() {
        if (pid_ > 0) {
            kill(pid_, SIGTERM);
            int status;
            waitpid(pid_, &status, 0);
            pid_ = -1;
        }
        if (stdin_ >= 0) {
            ::close(stdin_);
            stdin_ = -1;
        }
        if (reader_.joinable()) {
            reader_.join();
        }
        if (stdout_ >= 0) {
            ::close(stdout_);
            stdout_ = -1;
        }
    }

    /// A port that was free on 127.0.0.1 a moment ago (TCP or UDP).
    static uint16_t free_port(int type) {
        int fd = socket(AF_INET, type, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof(a);
        uint16_t port = 0;
        if (fd >= 0 && bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof(a)) == 0 &&
            getsockname(fd, reinterpret_cast<sockaddr *>(&a), &len) == 0) {
            port = ntohs(a.sin_port);
        }
        if (fd >= 0) {
            ::close(fd);
        }
        return port;
    }

  private:
    void read_loop() {
        char buf[1024];
        for (;;) {
            ssize_t n = ::read(stdout_, buf, sizeof(buf));
            std::lock_guard<std::mutex> lock(mutex_);
            if (n <= 0) {
                eof_ = true;
                cv_.notify_all();
                return;
            }
            output_.append(buf, static_cast<size_t>(n));
            cv_.notify_all();
        }
    }

    pid_t pid_ = -1;
    int stdin_ = -1;
    int stdout_ = -1;
    std::thread reader_;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::string output_;
    bool eof_ = false;
};

}  // namespace meshwork::test
