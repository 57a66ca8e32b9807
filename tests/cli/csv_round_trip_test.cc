// CSV inputs against their JSON-lines form, through the real binary: the seed and a simulated
// data set (with bad rows and duplicates planted) are converted to CSV and back to JSON lines
// by a converter in Python, and `analyze` (tick, bars across lags, compat) and `ingest` must
// give the same results, counts and reject reasons on all three forms; a CSV reject's line
// number is its JSON line's plus one (the header is line 1). `produce` refuses CSV.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "io/scratch_dir.h"
#include "store/store_test_support.h"

namespace cryptomood {
namespace {

using testing_support::ProcessResult;
using testing_support::ScratchDir;

// json_to_csv IN OUT STYLE and csv_to_json IN OUT. STYLE "plain": the keys as they are, LF,
// minimal quoting; "aliased": amount and symbol for size and symbol_id, every field quoted,
// CRLF. Numbers keep their text (no float round trip); coins join with '|'; an absent key is
// an empty cell and an empty cell an absent key.
constexpr std::string_view kConverter = R"PY(
import csv, json, sys
ALIASES = {"size": "amount", "symbol_id": "symbol"}
NUMERIC = {"price", "size", "sequence", "sentiment_polarity"}

def json_to_csv(source, target, style):
    rows = [json.loads(line, parse_float=str, parse_int=str) for line in open(source, encoding="utf-8")]
    columns = []
    for row in rows:
        columns += [key for key in row if key not in columns]
    aliased = style == "aliased"
    with open(target, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\r\n" if aliased else "\n",
                            quoting=csv.QUOTE_ALL if aliased else csv.QUOTE_MINIMAL)
        writer.writerow([ALIASES.get(c, c) if aliased else c for c in columns])
        for row in rows:
            cells = []
            for column in columns:
                value = row.get(column)
                cells.append("" if value is None else "|".join(value) if isinstance(value, list) else value)
            writer.writerow(cells)

def csv_to_json(source, target):
    canonical = {alias: field for field, alias in ALIASES.items()}
    with open(source, newline="", encoding="utf-8") as data, open(target, "w", encoding="utf-8") as out:
        reader = csv.reader(data)
        columns = [canonical.get(c, c) for c in next(reader)]
        for cells in reader:
            members = []
            for column, cell in zip(columns, cells):
                if cell == "":
                    continue
                if column == "coins":
                    value = json.dumps(cell.split("|"))
                elif column in NUMERIC:
                    value = cell
                else:
                    value = json.dumps(cell)
                members.append(json.dumps(column) + ": " + value)
            out.write("{" + ", ".join(members) + "}\n")

if sys.argv[1] == "json_to_csv":
    json_to_csv(sys.argv[2], sys.argv[3], sys.argv[4])
else:
    csv_to_json(sys.argv[2], sys.argv[3])
)PY";

// Bad lines that read the same in both forms, each with one fault, and where they go.
const std::vector<std::pair<std::size_t, std::string>>& PlantedTrades() {
  static const std::vector<std::pair<std::size_t, std::string>> lines = {
      {3,
       R"({"price": -5, "size": 1, "symbol_id": "COINBASE_SPOT_BTC_USD", "timestamp": "2018-07-16T20:11:51Z", "uuid": "00000000-0000-4000-8000-000000000001"})"},
      {10,
       R"({"price": 5, "size": 1, "symbol_id": "COINBASE_SPOT_BTC_USD", "timestamp": "2018-07-16T20:11:51Z", "uuid": "nope"})"},
      {20,
       R"({"price": 5, "symbol_id": "COINBASE_SPOT_BTC_USD", "timestamp": "2018-07-16T20:11:51Z", "uuid": "00000000-0000-4000-8000-000000000002"})"},
      {30,
       R"({"price": 5, "size": 1, "symbol_id": "COINBASE_SPOT_BTC_USD", "timestamp": "yesterday", "uuid": "00000000-0000-4000-8000-000000000003"})"},
      {40,
       R"({"price": 5, "size": 1, "symbol_id": "COINBASE_SPOT_BTC_USD", "taker_side": "HOLD", "timestamp": "2018-07-16T20:11:51Z", "uuid": "00000000-0000-4000-8000-000000000004"})"},
      {50,
       R"({"coins": ["ETH"], "price": 5, "size": 1, "symbol_id": "COINBASE_SPOT_BTC_USD", "timestamp": "2018-07-16T20:11:51Z", "uuid": "00000000-0000-4000-8000-000000000005"})"},
      {60,
       R"({"price": 5, "size": 1, "symbol_id": "BAD", "timestamp": "2018-07-16T20:11:51Z", "uuid": "00000000-0000-4000-8000-000000000006"})"},
      {70,
       R"({"price": 5, "sequence": 1.5, "size": 1, "symbol_id": "COINBASE_SPOT_BTC_USD", "timestamp": "2018-07-16T20:11:51Z", "uuid": "00000000-0000-4000-8000-000000000007"})"},
  };
  return lines;
}

const std::vector<std::pair<std::size_t, std::string>>& PlantedTweets() {
  static const std::vector<std::pair<std::size_t, std::string>> lines = {
      {2,
       R"({"coins": ["BTC"], "sentiment_polarity": 2, "text": "x", "timestamp": "2018-07-16T20:11:51Z"})"},
      {9,
       R"({"coins": ["btc"], "sentiment_polarity": 0.5, "text": "x", "timestamp": "2018-07-16T20:11:51Z"})"},
      {15, R"({"coins": ["BTC", "ETH"], "sentiment_polarity": 0.5, "text": "y"})"},
      // Valid, with a comma and quotes in its text.
      {25,
       R"({"coins": ["ETH", "BTC"], "sentiment_polarity": 0.125, "text": "to the moon, \"soon\"", "timestamp": "2018-07-16T20:12:51Z"})"},
  };
  return lines;
}

// `lines` with the planted lines inserted at their positions and the line at `duplicated`
// repeated at the end (a duplicate: the same uuid, or the same tweet content).
std::string Planted(std::vector<std::string> lines,
                    const std::vector<std::pair<std::size_t, std::string>>& planted,
                    std::size_t duplicated) {
  const std::string duplicate = lines.at(duplicated);
  for (const auto& [position, line] : planted) {
    lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(position), line);
  }
  lines.push_back(duplicate);
  return testing_support::JoinLines(lines);
}

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The "FILE:LINE: reason" messages of `output` for `file`, as LINE -> reason.
std::map<long, std::string> RejectsOf(const std::string& output, const std::string& file) {
  std::map<long, std::string> rejects;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with(file + ":")) continue;
    const std::string rest = line.substr(file.size() + 1);
    const std::size_t colon = rest.find(": ");
    rejects[std::stol(rest.substr(0, colon))] = rest.substr(colon + 2);
  }
  return rejects;
}

std::map<long, std::string> ShiftedByOneLine(const std::map<long, std::string>& rejects) {
  std::map<long, std::string> shifted;
  for (const auto& [line, reason] : rejects) shifted[line + 1] = reason;
  return shifted;
}

struct Inputs {
  std::string trades;
  std::string tweets;
};

class CsvRoundTripTest : public ::testing::Test {
 protected:
  CsvRoundTripTest() : converter_(scratch_.Write("convert.py", kConverter)) {}

  ProcessResult Run(const std::vector<std::string>& arguments) {
    return testing_support::RunCryptomood(arguments,
                                          scratch_.Path("run" + std::to_string(runs_++)));
  }

  void Convert(const std::vector<std::string>& arguments) {
    std::string command = "python3 '" + converter_ + "'";
    for (const std::string& argument : arguments) command += " '" + argument + "'";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }

  // The CSV form (in `style`) and the JSON lines converted back from it, of `json`.
  std::pair<Inputs, Inputs> CsvAndBack(const Inputs& json, const std::string& style,
                                       const std::string& name) {
    const Inputs csv{scratch_.Path(name + "_trades.csv"), scratch_.Path(name + "_tweets.csv")};
    const Inputs back{scratch_.Path(name + "_trades_back.txt"),
                      scratch_.Path(name + "_tweets_back.txt")};
    Convert({"json_to_csv", json.trades, csv.trades, style});
    Convert({"json_to_csv", json.tweets, csv.tweets, style});
    Convert({"csv_to_json", csv.trades, back.trades});
    Convert({"csv_to_json", csv.tweets, back.tweets});
    return {csv, back};
  }

  struct Analysis {
    std::string results;  // the JSON document, with the input counts
    std::map<long, std::string> trade_rejects;
    std::map<long, std::string> tweet_rejects;
    std::string rejected_lines;  // --rejects
  };

  Analysis Analyze(const Inputs& inputs, const std::vector<std::string>& mode) {
    const std::string output = scratch_.Path("results" + std::to_string(runs_) + ".json");
    const std::string rejects = scratch_.Path("rejects" + std::to_string(runs_) + ".txt");
    std::vector<std::string> arguments = {"analyze",     "--trades",  inputs.trades, "--sentiment",
                                          inputs.tweets, "--format",  "json",        "--output",
                                          output,        "--rejects", rejects};
    arguments.insert(arguments.end(), mode.begin(), mode.end());
    const ProcessResult result = Run(arguments);
    EXPECT_EQ(result.exit_code, 0) << result.output;
    return Analysis{ScratchDir::Read(output), RejectsOf(result.output, inputs.trades),
                    RejectsOf(result.output, inputs.tweets), ScratchDir::Read(rejects)};
  }

  // Every mode gives the same results, counts and rejects on the three forms.
  void ExpectSameAnalyses(const Inputs& json, const Inputs& csv, const Inputs& back,
                          std::size_t planted_rejects) {
    const std::vector<std::vector<std::string>> modes = {
        {"--mode", "tick"},
        {"--mode", "bars", "--interval", "1m", "--lags", "-3:3"},
        {"--mode", "compat"},
    };
    for (const auto& mode : modes) {
      SCOPED_TRACE(mode[1]);
      const Analysis from_json = Analyze(json, mode);
      const Analysis from_csv = Analyze(csv, mode);
      const Analysis from_back = Analyze(back, mode);
      EXPECT_NE(from_json.results.find("\"results\":[{"), std::string::npos) << from_json.results;
      EXPECT_NE(from_json.results.find(R"("rejected":8,"duplicates":1})"), std::string::npos)
          << from_json.results;
      EXPECT_NE(from_json.results.find(R"("rejected":3,"duplicates":1})"), std::string::npos)
          << from_json.results;
      EXPECT_EQ(from_csv.results, from_json.results);
      EXPECT_EQ(from_back.results, from_json.results);
      EXPECT_EQ(from_json.trade_rejects.size() + from_json.tweet_rejects.size(), planted_rejects);
      EXPECT_EQ(from_csv.trade_rejects, ShiftedByOneLine(from_json.trade_rejects));
      EXPECT_EQ(from_csv.tweet_rejects, ShiftedByOneLine(from_json.tweet_rejects));
      EXPECT_EQ(from_back.trade_rejects, from_json.trade_rejects);
      EXPECT_EQ(from_back.tweet_rejects, from_json.tweet_rejects);
      ExpectRejectedRowsVerbatim(csv, from_csv);
    }
  }

  // --rejects holds each rejected CSV row as it stands in its file.
  static void ExpectRejectedRowsVerbatim(const Inputs& csv, const Analysis& analysis) {
    const std::vector<std::string> trade_rows = ReadLines(csv.trades);
    const std::vector<std::string> tweet_rows = ReadLines(csv.tweets);
    std::string expected;
    for (const auto& [line, reason] : analysis.trade_rejects) {
      expected += trade_rows.at(static_cast<std::size_t>(line - 1)) + "\n";
    }
    for (const auto& [line, reason] : analysis.tweet_rejects) {
      expected += tweet_rows.at(static_cast<std::size_t>(line - 1)) + "\n";
    }
    EXPECT_EQ(analysis.rejected_lines, expected);
  }

  // `ingest` summaries (lines, new, already stored, rejected) with the file names left out.
  std::string IngestSummary(const Inputs& inputs, const std::string& database) {
    const ProcessResult result = Run({"ingest", "--db", "sqlite:" + scratch_.Path(database),
                                      "--trades", inputs.trades, "--sentiment", inputs.tweets});
    EXPECT_EQ(result.exit_code, 0) << result.output;
    std::string summary;
    std::istringstream lines(result.output);
    for (std::string line; std::getline(lines, line);) {
      for (const std::string& file : {inputs.trades, inputs.tweets}) {
        if (line.starts_with(file + ": ")) summary += line.substr(file.size()) + "\n";
      }
    }
    return summary;
  }

  ScratchDir scratch_;
  std::string converter_;
  int runs_ = 0;
};

constexpr std::size_t kPlantedRejects = 8 + 3;

TEST_F(CsvRoundTripTest, TheSeedReadsTheSameAsCsv) {
  const std::string seed = CRYPTOMOOD_SEED_DIR;
  const Inputs json{
      scratch_.Write("seed_trades.txt",
                     Planted(ReadLines(seed + "/historical_coin_data.txt"), PlantedTrades(), 7)),
      scratch_.Write("seed_tweets.txt", Planted(ReadLines(seed + "/historical_sentiment_data.txt"),
                                                PlantedTweets(), 5))};
  const auto [csv, back] = CsvAndBack(json, "plain", "seed");
  ExpectSameAnalyses(json, csv, back, kPlantedRejects);
  const std::string summary = IngestSummary(json, "json.db");
  EXPECT_NE(summary.find("lines, "), std::string::npos) << summary;
  EXPECT_EQ(IngestSummary(csv, "csv.db"), summary);
}

TEST_F(CsvRoundTripTest, SimulatedDataReadsTheSameAsQuotedCrlfCsvWithAliases) {
  const std::string directory = scratch_.Path("sim");
  const ProcessResult simulated = Run({"simulate", "--out", directory, "--trades", "20000",
                                       "--tweets", "5000", "--days", "1", "--seed", "7"});
  ASSERT_EQ(simulated.exit_code, 0) << simulated.output;
  const Inputs json{
      scratch_.Write("sim_trades.txt", Planted(ReadLines(directory + "/historical_coin_data.txt"),
                                               PlantedTrades(), 100)),
      scratch_.Write(
          "sim_tweets.txt",
          Planted(ReadLines(directory + "/historical_sentiment_data.txt"), PlantedTweets(), 100))};
  const auto [csv, back] = CsvAndBack(json, "aliased", "sim");
  ASSERT_NE(ScratchDir::Read(csv.trades).find("\"amount\",\"symbol\""), std::string::npos);
  ASSERT_NE(ScratchDir::Read(csv.trades).find("\r\n"), std::string::npos);
  ExpectSameAnalyses(json, csv, back, kPlantedRejects);
  EXPECT_EQ(IngestSummary(csv, "csv.db"), IngestSummary(json, "json.db"));
}

// `produce` publishes lines verbatim and the stream reads JSON: CSV is refused whole, before
// anything is sent. (The broker address is unreachable: the refusal must come first.)
TEST_F(CsvRoundTripTest, ProduceRefusesCsvNamingTheFile) {
  const std::string trades = scratch_.Write("trades.csv",
                                            "price,size,symbol_id,timestamp,uuid\n"
                                            "5,1,COINBASE_SPOT_BTC_USD,2018-07-16T20:11:51Z,"
                                            "00000000-0000-4000-8000-000000000001\n");
  const ProcessResult result = Run(
      {"produce", "--brokers", "127.0.0.1:1", "--trades", trades, "-X", "message.timeout.ms=1500"});
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_NE(
      result.output.find(trades + " is CSV; produce publishes JSON lines only (analyze and ingest "
                                  "read CSV)"),
      std::string::npos)
      << result.output;
}

}  // namespace
}  // namespace cryptomood
