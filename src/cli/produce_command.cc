// `cryptomood produce`: validate a trade file and a sentiment file exactly as `analyze` does
// and publish their valid lines to Kafka (see stream/file_publisher.h for keys, payloads and
// interleaving), then wait until the brokers acknowledged every message.
// One summary line per file on stdout:  FILE: N lines, M messages, R rejected
// Exit: 0 all acknowledged, 1 a delivery or runtime failure, 2 bad usage or --strict rejection.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/standard_input.h"
#include "io/reject_sink.h"
#include "io/terminal_text.h"
#include "stream/file_publisher.h"
#include "stream/kafka_producer.h"

namespace cryptomood::cli {
namespace {

// Delivery is retried for message.timeout.ms (-X); this only bounds a stuck flush.
constexpr std::chrono::minutes kFlushLimit{15};
constexpr std::chrono::milliseconds kNoWait{0};

struct ProduceCommandOptions {
  KafkaConfig kafka;
  std::string trade_file;
  std::string sentiment_file;
  double rate = 0;
  std::string rejects_path;
  bool strict = false;
};

int Fail(const Error& error) {
  std::fprintf(stderr, "cryptomood produce: %s\n", EscapeForTerminal(error.message).c_str());
  return ExitCodeFor(error);
}

void PrintSummary(const FilePublishSummary& summary) {
  fmt::print("{}: {} lines, {} messages, {} rejected\n", EscapeForTerminal(summary.file),
             summary.lines, summary.messages, summary.rejected);
}

int RunProduce(const ProduceCommandOptions& options) {
  if (options.kafka.brokers.empty()) {
    return Fail(Error{"--brokers is required", ErrorKind::kUsage});
  }
  if (Status status = CheckStandardInputReadOnce({options.trade_file}, {options.sentiment_file});
      !status.ok()) {
    return Fail(status.error());
  }
  auto producer = KafkaProducer::Create(options.kafka);
  if (!producer.ok()) return Fail(producer.error());
  auto rejects = ReportingRejectSink::Open(options.rejects_path);
  if (!rejects.ok()) return Fail(rejects.error());

  PublishOptions publish;
  publish.trade_file = options.trade_file;
  publish.sentiment_file = options.sentiment_file;
  publish.strict = options.strict;
  publish.rejects = &*rejects;
  publish.show_progress = true;
  publish.rate = options.rate;
  KafkaProducer& kafka = **producer;
  auto summaries = PublishFiles(
      publish, [&kafka](std::string_view topic, std::string_view key, std::string_view payload) {
        Status status = kafka.Produce(topic, key, payload);
        kafka.Poll(kNoWait);  // serve delivery reports as they come
        return status;
      });
  // Whatever was queued is flushed even after an error, so the topics hold whole prefixes.
  const Status flushed = kafka.Flush(kFlushLimit);
  const Status rejects_written = rejects->Finish();
  if (!summaries.ok()) return Fail(summaries.error());
  for (const FilePublishSummary& summary : *summaries) PrintSummary(summary);
  if (!flushed.ok()) return Fail(flushed.error());
  if (!rejects_written.ok()) return Fail(rejects_written.error());
  fmt::print("cryptomood: {} messages acknowledged\n", kafka.delivered());
  std::fflush(stdout);
  return kExitOk;
}

}  // namespace

void AddProduceCommand(CLI::App& app, CommandRunner& runner) {
  auto options = std::make_shared<ProduceCommandOptions>();
  CLI::App* command = app.add_subcommand(
      "produce",
      "Validate trade and sentiment files like analyze and publish their valid lines to Kafka");
  command->footer(
      "Each valid trade line goes to cryptomood.trades keyed by its coin; each valid tweet line\n"
      "goes to cryptomood.sentiment once per distinct coin, keyed by that coin. Payloads are the\n"
      "lines' bytes unchanged. Bad lines are reported as FILE:LINE: reason and never published.\n"
      "Duplicate lines are published too: the consumer drops duplicates. The two files are\n"
      "interleaved by the share of their bytes read, so both topics advance together.\n"
      "The producer is idempotent with acks=all; the command exits 0 once every message is\n"
      "acknowledged, 1 if any delivery failed (-X message.timeout.ms bounds the retries).");
  command->add_option("--brokers", options->kafka.brokers, "Kafka bootstrap servers HOST:PORT,...")
      ->required();
  command->add_option("--trades", options->trade_file,
                      "Trade JSON-lines file, plain, .gz or .zst ('-' = stdin)");
  command->add_option("--sentiment", options->sentiment_file,
                      "Sentiment JSON-lines file, plain, .gz or .zst ('-' = stdin)");
  command
      ->add_option("--rate", options->rate,
                   "At most N messages per second on average (token bucket, bursts of at "
                   "most N/10); default unlimited")
      ->check(CLI::NonNegativeNumber);
  command->add_option("--rejects", options->rejects_path,
                      "Also write rejected lines verbatim to FILE");
  command->add_flag("--strict", options->strict,
                    "Stop (exit 2) at the first bad input line; lines published before it stay");
  command->add_option("-X", options->kafka.properties,
                      "librdkafka property key=value (repeatable)");
  command->callback([options, &runner] { runner = [options] { return RunProduce(*options); }; });
}

}  // namespace cryptomood::cli
