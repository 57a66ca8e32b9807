// `cryptomood simulate`: write simulated trades and tweets with planted effects in the seed
// formats, streaming, so the output can be far larger than memory.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "cli/command.h"
#include "core/interval.h"
#include "core/simulation.h"
#include "core/status_macros.h"
#include "core/timestamp.h"
#include "io/planted_effect_spec.h"
#include "io/record_writer.h"
#include "io/terminal_text.h"

namespace cryptomood::cli {
namespace {

constexpr const char* kTradeFileName = "historical_coin_data.txt";
constexpr const char* kSentimentFileName = "historical_sentiment_data.txt";

struct SimulateOptions {
  std::string out_dir;
  std::int64_t trades = SimulationConfig{}.trades;
  std::int64_t tweets = SimulationConfig{}.tweets;
  std::uint64_t seed = SimulationConfig{}.seed;
  std::string coins = "BTC,ETH,LTC";
  std::string start = "2018-07-16T00:00:00Z";
  double days = SimulationConfig{}.days;
  std::string step = "1m";
  std::vector<std::string> plants;
  bool no_plant = false;
  bool shuffle = false;
};

int Fail(const Error& error) {
  std::fprintf(stderr, "cryptomood simulate: %s\n", EscapeForTerminal(error.message).c_str());
  return ExitCodeFor(error);
}

Error UsageError(std::string message) { return Error{std::move(message), ErrorKind::kUsage}; }

std::vector<std::string> SplitCommas(const std::string& list) {
  std::vector<std::string> parts;
  for (std::size_t begin = 0;;) {
    const std::size_t comma = list.find(',', begin);
    parts.push_back(list.substr(begin, comma - begin));
    if (comma == std::string::npos) return parts;
    begin = comma + 1;
  }
}

bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// --plant specs as given; with neither --plant nor --no-plant, the defaults for the coins
// that are simulated (the demo should show an effect without any flags).
Result<std::vector<PlantedEffect>> BuildEffects(const SimulateOptions& options,
                                                const std::vector<std::string>& coins) {
  std::vector<PlantedEffect> effects;
  if (options.no_plant) {
    if (!options.plants.empty()) return UsageError("--plant and --no-plant exclude each other");
    return effects;
  }
  if (options.plants.empty()) {
    for (PlantedEffect& effect : DefaultPlantedEffects()) {
      if (Contains(coins, effect.coin)) effects.push_back(std::move(effect));
    }
    return effects;
  }
  for (const std::string& spec : options.plants) {
    auto effect = ParsePlantedEffect(spec);
    if (!effect) return UsageError("--plant: " + effect.error().message);
    effects.push_back(std::move(*effect));
  }
  return effects;
}

Result<SimulationConfig> BuildConfig(const SimulateOptions& options) {
  SimulationConfig config;
  config.seed = options.seed;
  config.trades = options.trades;
  config.tweets = options.tweets;
  config.coins = SplitCommas(options.coins);
  config.days = options.days;
  auto start = ParseTimestamp(options.start);
  if (!start) return UsageError("--start: " + start.error().message);
  config.start = *start;
  auto step = Interval::Parse(options.step);
  if (!step) return UsageError("--step: " + step.error().message);
  if (step->is_calendar()) return UsageError("--step: months are not a fixed step; use e.g. 1m");
  config.step_nanos = step->fixed_nanos();
  CRYPTOMOOD_ASSIGN_OR_RETURN(config.effects, BuildEffects(options, config.coins));
  CRYPTOMOOD_RETURN_IF_ERROR(ValidateSimulationConfig(config));
  return config;
}

std::string DescribeEffects(const std::vector<PlantedEffect>& effects) {
  if (effects.empty()) return "none";
  std::string text;
  for (const PlantedEffect& effect : effects) {
    if (!text.empty()) text += ", ";
    text += FormatPlantedEffect(effect);
  }
  return text;
}

int RunSimulate(const SimulateOptions& options) {
  auto config = BuildConfig(options);
  if (!config) return Fail(config.error());
  const auto clock_start = std::chrono::steady_clock::now();

  const std::filesystem::path out_dir(options.out_dir);
  std::error_code directory_error;
  std::filesystem::create_directories(out_dir, directory_error);
  if (directory_error) {
    return Fail(
        Error{"cannot create directory " + options.out_dir + ": " + directory_error.message()});
  }
  const std::string trades_path = (out_dir / kTradeFileName).string();
  const std::string sentiment_path = (out_dir / kSentimentFileName).string();
  auto writer = RecordWriter::Open(
      trades_path, sentiment_path, config->coins,
      RecordWriterOptions{.shuffle = options.shuffle, .shuffle_seed = config->seed});
  if (!writer) return Fail(writer.error());
  auto simulation = Simulation::Create(*config);
  if (!simulation) return Fail(simulation.error());

  SimulatedRecord record;
  while (simulation->Next(record)) {
    if (Status written = writer->Write(record); !written.ok()) return Fail(written.error());
  }
  if (Status finished = writer->Finish(); !finished.ok()) return Fail(finished.error());

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count();
  const std::int64_t lines = writer->trade_lines() + writer->tweet_lines();
  fmt::print(stderr,
             "cryptomood simulate: wrote {} ({} lines) and {} ({} lines), {:.1f} MB in {:.2f} s "
             "({:.0f} lines/s); planted: {}\n",
             trades_path, writer->trade_lines(), sentiment_path, writer->tweet_lines(),
             static_cast<double>(writer->bytes_written()) / 1e6, seconds,
             seconds > 0 ? static_cast<double>(lines) / seconds : 0.0,
             DescribeEffects(config->effects));
  return kExitOk;
}

}  // namespace

void AddSimulateCommand(CLI::App& app, CommandRunner& runner) {
  auto options = std::make_shared<SimulateOptions>();
  CLI::App* command = app.add_subcommand(
      "simulate", "Write simulated trades and tweets (seed formats) with planted effects");
  command->add_option("--out", options->out_dir, "Directory for the two files (created)")
      ->required();
  command->add_option("--trades", options->trades, "Number of trades, split over the coins")
      ->capture_default_str();
  command->add_option("--tweets", options->tweets, "Number of tweets")->capture_default_str();
  command->add_option("--seed", options->seed, "Random seed: same seed, same bytes")
      ->capture_default_str();
  command->add_option("--coins", options->coins, "Comma-separated tickers")->capture_default_str();
  command->add_option("--start", options->start, "Start time, RFC 3339")->capture_default_str();
  command->add_option("--days", options->days, "Length of the simulated span in days")
      ->capture_default_str();
  command
      ->add_option("--step", options->step,
                   "Step the effects are planted at (bar length), e.g. 1m, 30s")
      ->capture_default_str();
  command->add_option("--plant", options->plants,
                      "Planted effect COIN:leads:LAG:STRENGTH (sentiment leads returns) or "
                      "COIN:follows:LAG:STRENGTH (sentiment follows returns); repeatable. "
                      "Default: ETH:leads:2:0.4 and BTC:follows:1:0.3");
  command->add_flag("--no-plant", options->no_plant, "Plant no effect at all");
  command->add_flag("--shuffle", options->shuffle,
                    "Permute lines (within blocks of 65536) to test unsorted input");
  command->callback([&runner, options] { runner = [options] { return RunSimulate(*options); }; });
}

}  // namespace cryptomood::cli
