// `cryptomood sandbox`: runs librdkafka's in-process mock Kafka cluster with cryptomood's
// topics (stream/sandbox.h) until SIGTERM or SIGINT. A development and test aid, never a
// production broker. Its first stdout line is
//   cryptomood: sandbox brokers at HOST:PORT,...
// flushed at once, so a parent process can read the bootstrap servers from it.
// With --control it also reads fault-injection commands from stdin, one per line (the protocol
// of ApplySandboxCommand in stream/sandbox.h), and answers each with one flushed stdout line:
// "ok COMMAND" or "error: REASON". End of stdin ends the commands, not the sandbox.
#include <fmt/format.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "cli/command.h"
#include "io/terminal_text.h"
#include "stream/sandbox.h"

namespace cryptomood::cli {
namespace {

struct SandboxCommandOptions {
  SandboxOptions sandbox;
  bool control = false;
};

// Longer command lines are answered with an error; their excess bytes are not kept.
constexpr std::size_t kMaxCommandBytes = 4096;
constexpr std::size_t kReadChunkBytes = 4096;

int Fail(const Error& error) {
  std::fprintf(stderr, "cryptomood sandbox: %s\n", EscapeForTerminal(error.message).c_str());
  return ExitCodeFor(error);
}

sigset_t StopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  return signals;
}

// Splits stdin's bytes into command lines. An over-long line is cut to kMaxCommandBytes + 1
// bytes (so it stays recognisably too long) and the rest of it is dropped.
class CommandLines {
 public:
  // Calls on_line(line) for each line that `bytes` completes ('\n' not included).
  template <typename OnLine>
  void Feed(std::string_view bytes, OnLine&& on_line) {
    for (const char c : bytes) {
      if (c == '\n') {
        on_line(std::string_view(pending_));
        pending_.clear();
      } else if (pending_.size() <= kMaxCommandBytes) {
        pending_ += c;
      }
    }
  }
  // End of input: an unterminated last line is a line too.
  template <typename OnLine>
  void Finish(OnLine&& on_line) {
    if (!pending_.empty()) on_line(std::string_view(pending_));
    pending_.clear();
  }

 private:
  std::string pending_;
};

// The line without its leading and trailing blanks.
std::string_view Trimmed(std::string_view line) {
  constexpr std::string_view kBlanks = " \t\r";
  const std::size_t begin = line.find_first_not_of(kBlanks);
  if (begin == std::string_view::npos) return {};
  return line.substr(begin, line.find_last_not_of(kBlanks) - begin + 1);
}

void Answer(KafkaSandbox& sandbox, std::string_view line) {
  const Status status =
      line.size() > kMaxCommandBytes
          ? Status(Error{fmt::format("command longer than {} bytes", kMaxCommandBytes)})
          : ApplySandboxCommand(sandbox, line);
  if (status.ok()) {
    fmt::print("ok {}\n", Trimmed(line));
  } else {
    fmt::print("error: {}\n", status.error().message);
  }
  std::fflush(stdout);
}

// Reads what stdin has (poll said it is readable, so this does not block) and answers the
// commands it completes. False once stdin is exhausted (end of file or a read error).
bool ServeStdin(KafkaSandbox& sandbox, CommandLines& lines) {
  std::array<char, kReadChunkBytes> buffer{};
  const ssize_t count = ::read(STDIN_FILENO, buffer.data(), buffer.size());
  if (count < 0 && (errno == EINTR || errno == EAGAIN)) return true;
  const auto answer = [&sandbox](std::string_view line) { Answer(sandbox, line); };
  if (count <= 0) {
    lines.Finish(answer);
    return false;
  }
  lines.Feed(std::string_view(buffer.data(), static_cast<std::size_t>(count)), answer);
  return true;
}

// Returns when a stop signal arrives. One thread, no blocking read: poll() waits on a
// signalfd for the (blocked) stop signals and, with --control, on stdin, and stdin is read
// only when poll reports it readable, so a stop signal is served at once even while a command
// line is half written. At end of stdin it leaves the poll set and only the signals remain.
Status ServeUntilStopped(KafkaSandbox& sandbox, const sigset_t& signals, bool control) {
  const int signal_fd = ::signalfd(-1, &signals, SFD_CLOEXEC);
  if (signal_fd < 0) return Error{fmt::format("signalfd: {}", std::strerror(errno))};
  std::array<pollfd, 2> fds = {pollfd{signal_fd, POLLIN, 0},
                               pollfd{control ? STDIN_FILENO : -1, POLLIN, 0}};
  CommandLines lines;
  while (true) {
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      ::close(signal_fd);
      return Error{fmt::format("poll: {}", std::strerror(errno))};
    }
    if (fds[0].revents != 0) break;
    if (fds[1].revents != 0 && !ServeStdin(sandbox, lines)) fds[1].fd = -1;
  }
  ::close(signal_fd);
  return {};
}

int RunSandbox(const SandboxCommandOptions& options) {
  // Blocked before librdkafka starts its threads (they inherit the mask), so that only the
  // signalfd in ServeUntilStopped receives the stop signals.
  const sigset_t signals = StopSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  auto sandbox = KafkaSandbox::Start(options.sandbox);
  if (!sandbox.ok()) return Fail(sandbox.error());
  fmt::print("cryptomood: sandbox brokers at {}\n", (*sandbox)->bootstraps());
  std::fflush(stdout);
  const Status served = ServeUntilStopped(**sandbox, signals, options.control);
  sandbox->reset();
  return served.ok() ? kExitOk : Fail(served.error());
}

}  // namespace

void AddSandboxCommand(CLI::App& app, CommandRunner& runner) {
  auto options = std::make_shared<SandboxCommandOptions>();
  CLI::App* command = app.add_subcommand(
      "sandbox",
      "Run an in-memory mock Kafka cluster with cryptomood's topics (development and test aid, "
      "never a production broker)");
  command->footer(
      "librdkafka's mock cluster, listening on 127.0.0.1 at random ports. Prints\n"
      "'cryptomood: sandbox brokers at HOST:PORT,...' first, then runs until SIGTERM or SIGINT\n"
      "(exit 0). Topics: cryptomood.trades and cryptomood.sentiment (--partitions each),\n"
      "cryptomood.late and cryptomood.dlq (1), cryptomood.correlation.{1m,5m,15m,1h,1d}.\n"
      "Nothing is persisted.\n"
      "--control (a test aid): also reads fault-injection commands from stdin, one per line,\n"
      "and answers each with one stdout line, 'ok COMMAND' or 'error: REASON':\n"
      "  down BROKER_ID            disconnect mock broker BROKER_ID (1..--brokers) and refuse\n"
      "                            connections (leadership does not move)\n"
      "  up BROKER_ID              accept connections again\n"
      "  errors API ERR[,ERR...]   answer the next requests of API with these errors, in order\n"
      "API: Produce, Fetch, ListOffsets, Metadata, OffsetCommit, OffsetFetch, FindCoordinator,\n"
      "JoinGroup, Heartbeat, LeaveGroup, SyncGroup. ERR: librdkafka's broker error names without\n"
      "RD_KAFKA_RESP_ERR_, e.g. NOT_LEADER_FOR_PARTITION, REQUEST_TIMED_OUT, NOT_COORDINATOR.\n"
      "End of stdin ends the commands, not the sandbox.");
  command->add_option("--brokers", options->sandbox.brokers, "Number of mock brokers (default 1)")
      ->check(CLI::Range(1, 16));
  command
      ->add_option("--partitions", options->sandbox.partitions,
                   "Partitions of the trades, sentiment and correlation topics (default 4)")
      ->check(CLI::Range(1, 1024));
  command->add_flag("--control", options->control,
                    "Read fault-injection commands from stdin (test aid, see below)");
  command->callback([options, &runner] { runner = [options] { return RunSandbox(*options); }; });
}

}  // namespace cryptomood::cli
