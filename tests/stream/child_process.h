// Test support for the stream tests that drive the real `cryptomood` binary as a child
// process (`cryptomood sandbox`, with or without `--control`): start it with its stdout (and,
// if asked, its stdin) on a pipe, read its lines under a time limit, write commands to it, and
// stop it with a signal under a time limit. Every wait is bounded, so a hung child fails a
// test instead of hanging it.
//
// Ownership: a ChildProcess owns the process and its pipe ends. The destructor kills the
// process (SIGKILL) if it has not been reaped yet, reaps it, and closes the pipes, so no test
// leaves a child or a zombie behind. Not copyable or movable.
//
// Thread-safety: none. One ChildProcess is used from one thread (the test's). Write to a
// child that has exited raises SIGPIPE: a test that may do so ignores SIGPIPE first.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstddef>
#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace cryptomood::testing_support {

// Where the child's stdin comes from: this process's stdin, or a pipe fed by Write.
enum class ChildStdin { kInherit, kPipe };

class ChildProcess {
 public:
  // Starts `arguments` (argv[0] is the executable's path, no PATH search) with its stdout on a
  // pipe. If a pipe or the fork fails, there is no child: ReadLine gives "" after its timeout
  // and Stop gives -1.
  explicit ChildProcess(std::vector<std::string> arguments,
                        ChildStdin stdin_mode = ChildStdin::kInherit) {
    std::vector<char*> argv;  // built before fork: the child only calls async-signal-safe code
    for (std::string& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);
    const bool pipe_stdin = stdin_mode == ChildStdin::kPipe;
    int in[2] = {-1, -1};
    int out[2] = {-1, -1};
    if (pipe_stdin && ::pipe2(in, O_CLOEXEC) != 0) return;
    if (::pipe2(out, O_CLOEXEC) != 0) {
      CloseBoth(in);
      return;
    }
    pid_ = ::fork();
    if (pid_ == 0) {
      if (pipe_stdin) ::dup2(in[0], STDIN_FILENO);  // dup2 clears close-on-exec on the copies
      ::dup2(out[1], STDOUT_FILENO);
      ::execv(argv[0], argv.data());
      std::_Exit(127);
    }
    if (pid_ < 0) {
      CloseBoth(in);
      CloseBoth(out);
      return;
    }
    if (pipe_stdin) ::close(in[0]);
    ::close(out[1]);
    stdin_ = in[1];
    stdout_ = out[0];
  }
  ~ChildProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    CloseStdin();
    if (stdout_ >= 0) ::close(stdout_);
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Writes `text` to the child's stdin; false if it could not (no stdin pipe, stdin closed,
  // or the child has exited).
  bool Write(std::string_view text) {
    while (!text.empty()) {
      const ssize_t written = ::write(stdin_, text.data(), text.size());
      if (written <= 0) return false;
      text.remove_prefix(static_cast<std::size_t>(written));
    }
    return true;
  }

  // Closes the child's stdin pipe (the child reads end of input); no-op without one.
  void CloseStdin() {
    if (stdin_ >= 0) ::close(stdin_);
    stdin_ = -1;
  }

  // The next line of stdout without its '\n', or "" if none came within `timeout` (or stdout
  // ended first).
  std::string ReadLine(std::chrono::milliseconds timeout) {
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd fd{stdout_, POLLIN, 0};
      if (::poll(&fd, 1, 100) <= 0) continue;
      char c = 0;
      if (::read(stdout_, &c, 1) != 1) return "";
      if (c == '\n') return line;
      line += c;
    }
    return "";
  }

  // Sends `signal` and waits up to `timeout`; the exit code, or -1 (no exit in time, killed by
  // a signal, or no child). If the child was already reaped (see Running), its exit code.
  int Stop(int signal, std::chrono::milliseconds timeout) {
    if (pid_ <= 0) return exit_code_;
    ::kill(pid_, signal);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (!Running()) return exit_code_;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
  }

  // True if the child has not exited (it is reaped if it has).
  bool Running() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) != pid_) return true;
    pid_ = -1;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return false;
  }

 private:
  static void CloseBoth(int (&fds)[2]) {
    for (int& fd : fds) {
      if (fd >= 0) ::close(fd);
      fd = -1;
    }
  }

  pid_t pid_ = -1;
  int exit_code_ = -1;  // set when the child is reaped
  int stdin_ = -1;
  int stdout_ = -1;
};

}  // namespace cryptomood::testing_support
