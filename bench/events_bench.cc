// /events fan-out: many Server-Sent Events clients on one `cryptomood serve` while rows are
// committed at a steady rate, as a stream member commits them (Store::CommitStream, one
// closed window a commit). Measures, for every row and every client, the time from the
// commit's return to the event's arrival at the client, and the server's resident memory.
// The server runs as its own process (the binary of this build) on a throw-away SQLite store;
// the clients are plain sockets on one epoll thread of this process.
//
//   build/bench/events_bench [--benchmark_format=json]
// Environment: CRYPTOMOOD_EVENTS_CLIENTS (default 1000), CRYPTOMOOD_EVENTS_RATE (rows a
// second, default 50), CRYPTOMOOD_EVENTS_SECONDS (default 20), CRYPTOMOOD_EVENTS_POLL (serve's
// --events-poll in seconds, default serve's own), CRYPTOMOOD_BINARY (the server binary,
// default this build's).
#include <arpa/inet.h>
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "core/stream_params_key.h"
#include "io/scratch_dir.h"
#include "store/store.h"
#include "store/stream_test_rows.h"

namespace cryptomood {
namespace {

using Clock = std::chrono::steady_clock;

long EnvOr(const char* name, long fallback) {
  const char* text = std::getenv(name);
  return text != nullptr && *text != '\0' ? std::strtol(text, nullptr, 10) : fallback;
}

std::int64_t NowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

AnalysisParams Params() {
  AnalysisParams params;
  params.mode = AnalysisMode::kBars;
  params.interval = Interval::Fixed(60 * kNanosPerSecond);
  params.lags = LagRange{-1, 1};
  params.window = Interval::Fixed(testing_support::kStreamHour);
  return params;
}

constexpr const char* kTarget = "/events?mode=bars&interval=1m&lags=-1:1&window=1h";

// `cryptomood serve --port 0` on `url`; returns its pid and port.
std::pair<pid_t, int> StartServer(const std::string& binary, const std::string& url) {
  const char* poll = std::getenv("CRYPTOMOOD_EVENTS_POLL");
  std::vector<std::string> arguments = {binary, "serve", "--db", url, "--port", "0"};
  if (poll != nullptr && *poll != '\0') arguments.insert(arguments.end(), {"--events-poll", poll});
  std::vector<char*> argv;
  for (std::string& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  int out[2];
  if (pipe(out) != 0) return {-1, 0};
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  close(out[1]);
  std::string line;
  char c = 0;
  while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
  close(out[0]);
  const std::size_t colon = line.rfind(':');
  return {pid, colon == std::string::npos ? 0 : std::atoi(line.c_str() + colon + 1)};
}

int Connect(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// One GET on a fresh connection; the whole answer (the server closes after it).
std::string Fetch(int port, const std::string& target) {
  const int fd = Connect(port);
  if (fd < 0) return {};
  const std::string request = "GET " + target + " HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n";
  (void)!write(fd, request.data(), request.size());
  std::string answer;
  char buffer[4096];
  for (ssize_t n; (n = read(fd, buffer, sizeof buffer)) > 0;) answer.append(buffer, n);
  close(fd);
  return answer;
}

double MetricValue(int port, const std::string& name) {
  const std::string text = Fetch(port, "/metrics");
  const std::size_t at = text.find("\n" + name + " ");
  return at == std::string::npos ? -1 : std::atof(text.c_str() + at + name.size() + 2);
}

// VmHWM or VmRSS of `pid` in MiB.
double MemoryMib(pid_t pid, const std::string& field) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind(field + ":", 0) == 0) return std::atof(line.c_str() + field.size() + 1) / 1024;
  }
  return -1;
}

struct Arrival {
  std::int64_t id;
  std::int64_t at_nanos;
};

// Reads every client until `stop`; records each event id as it arrives.
void ReadClients(const std::vector<int>& clients, const std::atomic<bool>& stop,
                 std::vector<std::vector<Arrival>>& arrivals) {
  const int poller = epoll_create1(0);
  for (std::size_t i = 0; i < clients.size(); ++i) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = i;
    epoll_ctl(poller, EPOLL_CTL_ADD, clients[i], &event);
  }
  std::vector<std::string> pending(clients.size());
  std::vector<epoll_event> ready(256);
  char buffer[65536];
  while (!stop) {
    const int count = epoll_wait(poller, ready.data(), static_cast<int>(ready.size()), 100);
    const std::int64_t now = NowNanos();
    for (int r = 0; r < count; ++r) {
      const std::size_t client = ready[r].data.u64;
      const ssize_t n = read(clients[client], buffer, sizeof buffer);
      if (n <= 0) {
        epoll_ctl(poller, EPOLL_CTL_DEL, clients[client], nullptr);
        continue;
      }
      std::string& text = pending[client];
      text.append(buffer, static_cast<std::size_t>(n));
      std::size_t line = 0;
      for (std::size_t end; (end = text.find('\n', line)) != std::string::npos; line = end + 1) {
        if (text.compare(line, 4, "id: ") == 0) {
          arrivals[client].push_back({std::atoll(text.c_str() + line + 4), now});
        }
      }
      text.erase(0, line);
    }
  }
  close(poller);
}

void BM_EventsFanOut(benchmark::State& state) {
  const long clients_wanted = EnvOr("CRYPTOMOOD_EVENTS_CLIENTS", 1000);
  const long rate = EnvOr("CRYPTOMOOD_EVENTS_RATE", 50);
  const long seconds = EnvOr("CRYPTOMOOD_EVENTS_SECONDS", 20);
  const char* binary_env = std::getenv("CRYPTOMOOD_BINARY");
  const std::string binary = binary_env != nullptr ? binary_env : CRYPTOMOOD_SERVE_BINARY;
  rlimit files{};
  getrlimit(RLIMIT_NOFILE, &files);
  files.rlim_cur = files.rlim_max;
  setrlimit(RLIMIT_NOFILE, &files);

  for (auto _ : state) {
    testing_support::ScratchDir scratch;
    const std::string url = "sqlite:" + scratch.Path("events.db");
    auto store = OpenStore(url);
    if (!store.ok()) return state.SkipWithError(store.error().message.c_str());
    const auto [server, port] = StartServer(binary, url);
    if (port == 0) return state.SkipWithError("serve did not start");

    std::vector<int> clients;
    const std::string request = std::string("GET ") + kTarget + " HTTP/1.1\r\nHost: b\r\n\r\n";
    for (long i = 0; i < clients_wanted; ++i) {
      const int fd = Connect(port);
      if (fd < 0) break;
      (void)!write(fd, request.data(), request.size());
      clients.push_back(fd);
    }
    while (MetricValue(port, "cryptomood_sse_clients") < static_cast<double>(clients.size())) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::vector<std::vector<Arrival>> arrivals(clients.size());
    std::atomic<bool> stop{false};
    std::thread reader([&] { ReadClients(clients, stop, arrivals); });

    // Rows 1..rows get sequence numbers 1..rows: the store is fresh.
    const long rows = rate * seconds;
    std::vector<std::int64_t> committed_at(static_cast<std::size_t>(rows) + 1, 0);
    const auto start = Clock::now();
    const std::string key = StreamParamsKey(Params());
    for (long i = 0; i < rows; ++i) {
      std::this_thread::sleep_until(start + std::chrono::nanoseconds(i * 1'000'000'000 / rate));
      StreamCommit commit;
      commit.group = "bench";
      commit.params_key = key;
      commit.rows = {testing_support::StreamRow("BTC", static_cast<int>(i), 0)};
      commit.state = "state";
      if (Status done = (*store)->CommitStream(commit); !done.ok()) {
        return state.SkipWithError(done.error().message.c_str());
      }
      committed_at[static_cast<std::size_t>(i) + 1] = NowNanos();
    }
    std::this_thread::sleep_for(std::chrono::seconds(2));
    const double rss = MemoryMib(server, "VmRSS");
    const double hwm = MemoryMib(server, "VmHWM");
    stop = true;
    reader.join();
    kill(server, SIGTERM);
    for (const int fd : clients) close(fd);
    waitpid(server, nullptr, 0);

    std::vector<double> latencies;
    std::int64_t out_of_order = 0;
    for (const auto& client : arrivals) {
      for (std::size_t i = 0; i < client.size(); ++i) {
        if (i > 0 && client[i].id <= client[i - 1].id) ++out_of_order;
        if (client[i].id >= 1 && client[i].id <= rows) {
          latencies.push_back(
              static_cast<double>(client[i].at_nanos -
                                  committed_at[static_cast<std::size_t>(client[i].id)]) /
              1e6);
        }
      }
    }
    std::sort(latencies.begin(), latencies.end());
    const auto quantile = [&latencies](double q) {
      return latencies.empty() ? -1.0
                               : latencies[static_cast<std::size_t>(q * (latencies.size() - 1))];
    };
    state.SetIterationTime(std::chrono::duration<double>(Clock::now() - start).count());
    state.counters["clients"] = static_cast<double>(clients.size());
    state.counters["rows"] = static_cast<double>(rows);
    state.counters["delivered"] = static_cast<double>(latencies.size());
    state.counters["missing"] =
        static_cast<double>(rows) * static_cast<double>(clients.size()) - latencies.size();
    state.counters["out_of_order"] = static_cast<double>(out_of_order);
    state.counters["p50_ms"] = quantile(0.50);
    state.counters["p99_ms"] = quantile(0.99);
    state.counters["max_ms"] = quantile(1.0);
    state.counters["server_rss_mib"] = rss;
    state.counters["server_peak_rss_mib"] = hwm;
  }
}

BENCHMARK(BM_EventsFanOut)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);

}  // namespace
}  // namespace cryptomood
