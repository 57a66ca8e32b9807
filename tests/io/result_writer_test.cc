#include "io/result_writer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cryptomood {
namespace {

TEST(ResultsToTable, TextCellsAreEscapedForTheTerminal) {
  // The parsers let no such symbol through; the table does not rely on it.
  CorrelationRow row;
  row.symbol_id = "X_\x1b[31mRED_ETH_USD";
  row.coin = std::string("ETH\0", 4);
  const std::vector<CorrelationRow> rows = {row};
  const std::string table = ResultsToTable(rows, InputSummary{});
  EXPECT_EQ(table.find('\x1b'), std::string::npos) << table;
  EXPECT_EQ(table.find('\0'), std::string::npos) << table;
  EXPECT_NE(table.find("X_\\x1b[31mRED_ETH_USD  ETH\\x00"), std::string::npos) << table;
}

}  // namespace
}  // namespace cryptomood
