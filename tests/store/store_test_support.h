// Test support for the store layer: a fresh, empty store per test on either backend, the
// input lines the tests feed it, and a way to run the real `cryptomood` binary.
// PostgreSQL is real: the server comes from CRYPTOMOOD_TEST_POSTGRES_URL, or from the URL in
// the file named by CRYPTOMOOD_TEST_POSTGRES_URL_FILE (CTest's fixture writes it: see
// tests/store/postgres_fixture.cmake). Without either, PostgreSQL tests FAIL, never skip.
// Each PostgreSQL test gets a database of its own (created and dropped here), so tests can
// run in parallel against one server.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "io/scratch_dir.h"
#include "store/postgres_connection.h"
#include "store/store.h"

namespace cryptomood::testing_support {

enum class Backend { kSqlite, kPostgres };

inline std::string BackendName(Backend backend) {
  return backend == Backend::kSqlite ? "sqlite" : "postgresql";
}

// Shown in test names and failure messages instead of the enum's bytes.
inline void PrintTo(Backend backend, std::ostream* out) { *out << BackendName(backend); }

// Names the instantiations of a suite parameterised by Backend: ".../sqlite", ".../postgresql".
inline std::string BackendParamName(const ::testing::TestParamInfo<Backend>& backend) {
  return BackendName(backend.param);
}

// The server's URL, or an empty string with the reason in `why`.
inline std::string PostgresAdminUrl(std::string& why) {
  if (const char* url = std::getenv("CRYPTOMOOD_TEST_POSTGRES_URL"); url != nullptr && *url) {
    return url;
  }
  const char* file = std::getenv("CRYPTOMOOD_TEST_POSTGRES_URL_FILE");
  if (file == nullptr || *file == '\0') {
    why =
        "set CRYPTOMOOD_TEST_POSTGRES_URL (scripts/postgres-test-server.sh start prints one) "
        "or run the tests through ctest, which starts a server";
    return {};
  }
  std::ifstream in(file);
  std::string url;
  std::getline(in, url);
  if (url.empty()) why = std::string("no URL in ") + file + " (did the server start?)";
  return url;
}

// The same server URL with another database name.
inline std::string WithDatabase(const std::string& url, const std::string& database) {
  const std::size_t authority = url.find("://") + 3;
  const std::size_t query = url.find('?', authority);
  const std::size_t slash = url.find('/', authority);
  const std::size_t path_end = query == std::string::npos ? url.size() : query;
  const std::size_t path_start = slash == std::string::npos || slash > path_end ? path_end : slash;
  return url.substr(0, path_start) + "/" + database + url.substr(path_end);
}

// A store location that exists for the lifetime of the object: a SQLite file in a scratch
// directory, or a fresh PostgreSQL database dropped afterwards.
class TestDatabase {
 public:
  explicit TestDatabase(Backend backend) : backend_(backend) {
    if (backend == Backend::kSqlite) {
      url_ = "sqlite:" + scratch_.Path("store.db");
      return;
    }
    std::string why;
    admin_url_ = PostgresAdminUrl(why);
    if (admin_url_.empty()) {
      ADD_FAILURE() << "PostgreSQL test server unavailable: " << why;
      return;
    }
    static std::atomic<int> counter{0};
    name_ = "cryptomood_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    Status created = Admin("DROP DATABASE IF EXISTS " + name_ + "; ");
    if (created.ok()) created = Admin("CREATE DATABASE " + name_);
    if (!created.ok()) {
      ADD_FAILURE() << created.error().message;
      return;
    }
    url_ = WithDatabase(admin_url_, name_);
  }
  ~TestDatabase() {
    if (!name_.empty()) (void)Admin("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  }
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& url() const { return url_; }
  Backend backend() const { return backend_; }
  const ScratchDir& scratch() const { return scratch_; }

  std::unique_ptr<Store> Open(const StoreOptions& options = {}) const {
    auto store = OpenStore(url_, options);
    if (!store.ok()) {
      ADD_FAILURE() << "cannot open " << url_ << ": " << store.error().message;
      return nullptr;
    }
    return std::move(*store);
  }

 private:
  Status Admin(const std::string& sql) const {
    auto connection = PgConnection::Connect(admin_url_);
    if (!connection.ok()) return connection.error();
    return (*connection)->Execute(sql);
  }

  Backend backend_;
  ScratchDir scratch_;
  std::string url_;
  std::string admin_url_;
  std::string name_;
};

// ---- input lines ----

inline std::string UuidText(int n) {
  char text[40];
  std::snprintf(text, sizeof(text), "%08x-0000-4000-8000-%012x", n, n * 7 + 1);
  return text;
}

// A complete trade line in the seed's shape; `micros` counts from 2018-07-16T20:00:00Z.
inline std::string TradeLine(int uuid, long micros, double price, const std::string& base = "BTC",
                             double size = 1.5) {
  char text[600];
  std::snprintf(text, sizeof(text),
                R"({"coins": ["%s"], "price": %.17g, "sequence": %d, "size": %.17g, )"
                R"("symbol_id": "COINBASE_SPOT_%s_USD", "taker_side": "BUY", )"
                R"("timestamp": "2018-07-16T20:%02ld:%02ld.%06ldZ", )"
                R"("time_exchange": "2018-07-16T20:%02ld:%02ld.%06ldZ", "type": "trade", )"
                R"("uuid": "%s"})",
                base.c_str(), price, uuid, size, base.c_str(), micros / 60'000'000,
                (micros / 1'000'000) % 60, micros % 1'000'000, micros / 60'000'000,
                (micros / 1'000'000) % 60, micros % 1'000'000, UuidText(uuid).c_str());
  return text;
}

// `coins_json` is the JSON array as it should appear in the line.
inline std::string TweetLine(long micros, double polarity, const std::string& coins_json,
                             const std::string& text_json = "\"TEST\"") {
  char line[800];
  std::snprintf(line, sizeof(line),
                R"({"coins": %s, "sentiment_polarity": %.17g, "text": %s, )"
                R"("timestamp": "2018-07-16T20:%02ld:%02ld.%06ldZ"})",
                coins_json.c_str(), polarity, text_json.c_str(), micros / 60'000'000,
                (micros / 1'000'000) % 60, micros % 1'000'000);
  return line;
}

inline constexpr long long kBaseNanos = 1531771200LL * 1'000'000'000LL;  // 2018-07-16T20:00Z

inline std::string JoinLines(const std::vector<std::string>& lines) {
  std::string joined;
  for (const std::string& line : lines) joined += line + "\n";
  return joined;
}

// ---- the binary ----

struct ProcessResult {
  int exit_code = -1;
  std::string output;  // stdout then stderr
};

// Runs the cryptomood binary with `arguments`, waits, and captures its output.
inline ProcessResult RunCryptomood(const std::vector<std::string>& arguments,
                                   const std::string& scratch_file) {
  std::string command = CRYPTOMOOD_BINARY;
  for (const std::string& argument : arguments) command += " '" + argument + "'";
  command += " >" + scratch_file + ".out 2>" + scratch_file + ".err";
  ProcessResult result;
  const int status = std::system(command.c_str());
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.output = ScratchDir::Read(scratch_file + ".out") + ScratchDir::Read(scratch_file + ".err");
  return result;
}

// Starts the binary in the background; returns its pid.
inline pid_t SpawnCryptomood(const std::vector<std::string>& arguments) {
  const pid_t pid = ::fork();
  if (pid != 0) return pid;
  std::vector<char*> argv;
  std::string binary = CRYPTOMOOD_BINARY;
  argv.push_back(binary.data());
  std::vector<std::string> copies = arguments;
  for (std::string& argument : copies) argv.push_back(argument.data());
  argv.push_back(nullptr);
  std::FILE* null_out = std::freopen("/dev/null", "w", stdout);
  std::FILE* null_err = std::freopen("/dev/null", "w", stderr);
  (void)null_out;
  (void)null_err;
  ::execv(binary.c_str(), argv.data());
  std::_Exit(127);
}

}  // namespace cryptomood::testing_support
