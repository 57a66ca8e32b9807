// The Store's stream contract (stream_records.h), run against both backends: a commit's rows,
// state and offsets are stored together or not at all, a checkpoint comes back byte for byte,
// re-committed rows replace their key instead of adding to it, and rows read back filtered
// and in (symbol_id, window_start, lag) order with increasing sequence numbers.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "io/correlation_row_json.h"
#include "store/store.h"
#include "store_test_support.h"
#include "stream_test_rows.h"

namespace cryptomood {
namespace {

using testing_support::Backend;
using testing_support::TestDatabase;

constexpr TimestampNs kHour = testing_support::kStreamHour;
constexpr TimestampNs kStart = testing_support::kStreamStart;
constexpr std::string_view kKey = "mode=bars interval=1m lags=-1:1 window=1h";
constexpr std::string_view kGroup = "cryptomood-test";

CorrelationRow Row(const std::string& coin, int window, int lag, std::int64_t n = 10) {
  return testing_support::StreamRow(coin, window, lag, n);
}

StreamCommit Commit(std::vector<CorrelationRow> rows, std::string state,
                    std::vector<StreamOffset> offsets, std::int32_t partition = 0) {
  StreamCommit commit;
  commit.group = kGroup;
  commit.params_key = kKey;
  commit.partition = partition;
  commit.rows = std::move(rows);
  commit.state = std::move(state);
  commit.offsets = std::move(offsets);
  commit.consumer_lag = 7;
  return commit;
}

struct StoredRow {
  std::int64_t sequence = 0;
  std::string json;
};

class StreamStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  StreamStoreTest() : database_(GetParam()) {}

  void SetUp() override {
    store_ = database_.Open();
    ASSERT_NE(store_, nullptr);
  }

  void MustCommit(const StreamCommit& commit) {
    Status status = store_->CommitStream(commit);
    ASSERT_TRUE(status.ok()) << status.error().message;
  }

  std::vector<StoredRow> Rows(StreamRowQuery query) {
    std::vector<StoredRow> rows;
    Status status = store_->ForEachStreamRow(query, [&](const StoredStreamRow& row) {
      rows.push_back({row.sequence, std::string(row.row_json)});
      return Status();
    });
    EXPECT_TRUE(status.ok()) << status.error().message;
    return rows;
  }

  std::vector<StoredRow> Rows(std::string_view params_key = kKey) {
    StreamRowQuery query;
    query.params_key = params_key;
    return Rows(std::move(query));
  }

  std::optional<StreamCheckpoint> Checkpoint(std::int32_t partition = 0) {
    auto checkpoint = store_->LoadStreamCheckpoint(kGroup, kKey, partition);
    EXPECT_TRUE(checkpoint.ok()) << checkpoint.error().message;
    return checkpoint.ok() ? *checkpoint : std::nullopt;
  }

  TestDatabase database_;
  std::unique_ptr<Store> store_;
};

std::vector<std::string> Jsons(const std::vector<StoredRow>& rows) {
  std::vector<std::string> jsons;
  for (const StoredRow& row : rows) jsons.push_back(row.json);
  return jsons;
}

std::vector<std::string> Jsons(const std::vector<CorrelationRow>& rows) {
  std::vector<std::string> jsons;
  for (const CorrelationRow& row : rows) jsons.push_back(CorrelationRowJson(row));
  return jsons;
}

bool SameOffset(const StreamOffset& a, const StreamOffset& b) {
  return a.topic == b.topic && a.partition == b.partition && a.next_offset == b.next_offset;
}

void ExpectOffsets(const StreamCheckpoint& checkpoint, const std::vector<StreamOffset>& expected) {
  ASSERT_EQ(checkpoint.offsets.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_TRUE(SameOffset(checkpoint.offsets[i], expected[i]))
        << i << ": " << checkpoint.offsets[i].topic << "/" << checkpoint.offsets[i].partition << "@"
        << checkpoint.offsets[i].next_offset;
  }
}

TEST_P(StreamStoreTest, NoCheckpointBeforeTheFirstCommit) {
  EXPECT_FALSE(Checkpoint().has_value());
  EXPECT_TRUE(Rows().empty());
  auto progress = store_->ListStreamProgress();
  ASSERT_TRUE(progress.ok()) << progress.error().message;
  EXPECT_TRUE(progress->empty());
}

TEST_P(StreamStoreTest, CommitThenLoadReturnsStateBytesAndOffsets) {
  const std::string state("op\0state\0\xff\x01", 12);
  const std::vector<StreamOffset> offsets = {{"trades", 3, 1200}, {"sentiment", 3, 45}};
  MustCommit(Commit({Row("BTC", 0, 0)}, state, offsets, 3));
  store_.reset();  // a restarted member reads it through a new connection
  store_ = database_.Open();
  ASSERT_NE(store_, nullptr);
  const auto checkpoint = Checkpoint(3);
  ASSERT_TRUE(checkpoint.has_value());
  EXPECT_EQ(checkpoint->state, state);
  ExpectOffsets(*checkpoint, {{"sentiment", 3, 45}, {"trades", 3, 1200}});
  EXPECT_FALSE(Checkpoint(2).has_value());  // another co-partition
}

TEST_P(StreamStoreTest, SecondCommitReplacesTheCheckpoint) {
  StreamCommit first =
      Commit({Row("BTC", 0, 0)}, "first", {{"trades", 0, 10}, {"sentiment", 0, 4}});
  first.liveness_interval_nanos = 9'000'000'000;
  MustCommit(first);
  StreamCommit second = Commit({Row("BTC", 1, 0)}, std::string("second\0", 7), {{"trades", 0, 25}});
  second.liveness_interval_nanos = 1'500'000'000;
  MustCommit(second);
  const auto checkpoint = Checkpoint();
  ASSERT_TRUE(checkpoint.has_value());
  EXPECT_EQ(checkpoint->state, std::string("second\0", 7));
  ExpectOffsets(*checkpoint, {{"trades", 0, 25}});  // the first commit's offsets are gone
  EXPECT_EQ(Rows().size(), 2u);

  auto progress = store_->ListStreamProgress();
  ASSERT_TRUE(progress.ok()) << progress.error().message;
  ASSERT_EQ(progress->size(), 1u);
  const StreamProgress& only = progress->front();
  EXPECT_EQ(only.group, kGroup);
  EXPECT_EQ(only.params_key, kKey);
  EXPECT_EQ(only.partition, 0);
  EXPECT_EQ(only.consumer_lag, 7);
  EXPECT_EQ(only.rows, 2);
  EXPECT_GT(only.committed_at, kStart);
  EXPECT_EQ(only.liveness_interval_nanos, 1'500'000'000);
}

TEST_P(StreamStoreTest, RecommittedRowReplacesItsKeyWithANewSequence) {
  MustCommit(Commit({Row("BTC", 0, 0, 10), Row("BTC", 0, 1, 10)}, "a", {{"trades", 0, 5}}));
  const std::vector<StoredRow> before = Rows();
  ASSERT_EQ(before.size(), 2u);
  // A member that crashed after committing replays: the same key comes again, updated.
  MustCommit(Commit({Row("BTC", 0, 0, 11)}, "b", {{"trades", 0, 6}}));
  const std::vector<StoredRow> after = Rows();
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0].json, CorrelationRowJson(Row("BTC", 0, 0, 11)));
  EXPECT_EQ(after[1].json, before[1].json);
  EXPECT_GT(after[0].sequence, before[1].sequence);
  EXPECT_EQ(after[1].sequence, before[1].sequence);
}

TEST_P(StreamStoreTest, RowsOfTwoParamsKeysAreSeparate) {
  MustCommit(Commit({Row("BTC", 0, 0)}, "a", {{"trades", 0, 5}}));
  StreamCommit other = Commit({Row("BTC", 0, 0, 99), Row("ETH", 0, 0)}, "b", {{"trades", 0, 9}});
  other.params_key = "mode=bars interval=5m lags=-1:1 window=1h";
  MustCommit(other);
  EXPECT_EQ(Jsons(Rows()), Jsons(std::vector<CorrelationRow>{Row("BTC", 0, 0)}));
  EXPECT_EQ(Jsons(Rows(other.params_key)), Jsons(other.rows));
  const auto mine = Checkpoint();
  ASSERT_TRUE(mine.has_value());
  EXPECT_EQ(mine->state, "a");
}

TEST_P(StreamStoreTest, RowsAreFilteredByCoinAndWindowAndOrdered) {
  // Committed out of order, over two commits.
  MustCommit(Commit({Row("ETH", 1, 0), Row("BTC", 2, 1), Row("BTC", 0, 1)}, "a", {}));
  MustCommit(
      Commit({Row("BTC", 2, -1), Row("BTC", 1, 0), Row("SOL", 1, 0), Row("ETH", 0, 0)}, "b", {}));
  EXPECT_EQ(Jsons(Rows()),
            Jsons(std::vector<CorrelationRow>{Row("BTC", 0, 1), Row("BTC", 1, 0), Row("BTC", 2, -1),
                                              Row("BTC", 2, 1), Row("ETH", 0, 0), Row("ETH", 1, 0),
                                              Row("SOL", 1, 0)}));

  StreamRowQuery query;
  query.params_key = kKey;
  query.coins = {"ETH", "SOL"};
  query.range.from = kStart + kHour;    // window starts >= hour 1
  query.range.to = kStart + 2 * kHour;  // and < hour 2
  EXPECT_EQ(Jsons(Rows(query)),
            Jsons(std::vector<CorrelationRow>{Row("ETH", 1, 0), Row("SOL", 1, 0)}));

  StreamRowQuery bitcoin;
  bitcoin.params_key = kKey;
  bitcoin.coins = {"BTC"};
  bitcoin.range.from = kStart + kHour;
  bitcoin.limit = 2;
  EXPECT_EQ(Jsons(Rows(bitcoin)),
            Jsons(std::vector<CorrelationRow>{Row("BTC", 1, 0), Row("BTC", 2, -1)}));
}

TEST_P(StreamStoreTest, SequencesIncreaseAcrossCommitsAndSelectLaterRows) {
  MustCommit(Commit({Row("BTC", 0, 0), Row("BTC", 1, 0)}, "a", {}));
  MustCommit(Commit({Row("ETH", 0, 0)}, "b", {}));
  const std::vector<StoredRow> rows = Rows();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_GT(rows[0].sequence, 0);
  EXPECT_LT(rows[0].sequence, rows[1].sequence);
  EXPECT_LT(rows[1].sequence, rows[2].sequence);  // the second commit's row
  StreamRowQuery later;
  later.params_key = kKey;
  later.after_sequence = rows[1].sequence;
  EXPECT_EQ(Jsons(Rows(later)), Jsons(std::vector<CorrelationRow>{Row("ETH", 0, 0)}));
}

TEST_P(StreamStoreTest, AFeedOfChangesReadsRowsInCommitOrderUpToABound) {
  auto empty = store_->LastStreamSequence();
  ASSERT_TRUE(empty.ok()) << empty.error().message;
  EXPECT_EQ(*empty, 0);
  MustCommit(Commit({Row("ETH", 1, 0), Row("BTC", 0, 0)}, "a", {}));
  StreamCommit other = Commit({Row("SOL", 0, 0)}, "b", {});
  other.params_key = "another key";
  MustCommit(other);
  // A re-committed row moves to the end of the feed with its new values.
  MustCommit(Commit({Row("ETH", 1, 0, 50)}, "c", {}));
  auto last = store_->LastStreamSequence();
  ASSERT_TRUE(last.ok()) << last.error().message;
  EXPECT_EQ(*last, 4);

  StreamRowQuery feed;  // every key, in sequence order
  feed.order = StreamRowOrder::kBySequence;
  std::vector<std::string> seen;
  Status status = store_->ForEachStreamRow(feed, [&](const StoredStreamRow& row) {
    seen.push_back(std::to_string(row.sequence) + " " + std::string(row.params_key) + " " +
                   std::string(row.coin) + " " + std::to_string(row.window_start - kStart));
    return Status();
  });
  ASSERT_TRUE(status.ok()) << status.error().message;
  const std::string key(kKey);
  EXPECT_EQ(seen, (std::vector<std::string>{"2 " + key + " BTC 0", "3 another key SOL 0",
                                            "4 " + key + " ETH " + std::to_string(kHour)}));

  feed.params_key = kKey;
  feed.after_sequence = 1;
  feed.through_sequence = 3;
  EXPECT_EQ(Jsons(Rows(feed)), Jsons(std::vector<CorrelationRow>{Row("BTC", 0, 0)}));
  feed.through_sequence = 4;
  EXPECT_EQ(Jsons(Rows(feed)),
            Jsons(std::vector<CorrelationRow>{Row("BTC", 0, 0), Row("ETH", 1, 0, 50)}));
}

TEST_P(StreamStoreTest, FailedCommitLeavesNothingOfItself) {
  MustCommit(Commit({Row("BTC", 0, 0)}, "kept", {{"trades", 0, 5}}));
  const std::vector<StoredRow> before = Rows();
  // The offsets name one topic-partition twice: the database refuses the last insert, after
  // the rows and the checkpoint were written in the same transaction.
  Status failed = store_->CommitStream(Commit({Row("BTC", 0, 0, 50), Row("ETH", 3, 0)}, "lost",
                                              {{"trades", 0, 9}, {"trades", 0, 9}}));
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(Jsons(Rows()), Jsons(before));
  const auto checkpoint = Checkpoint();
  ASSERT_TRUE(checkpoint.has_value());
  EXPECT_EQ(checkpoint->state, "kept");
  ExpectOffsets(*checkpoint, {{"trades", 0, 5}});
  auto progress = store_->ListStreamProgress();
  ASSERT_TRUE(progress.ok());
  ASSERT_EQ(progress->size(), 1u);
  EXPECT_EQ(progress->front().rows, 1);

  // A first commit that fails leaves no checkpoint at all; the store stays usable.
  failed = store_->CommitStream(
      Commit({Row("SOL", 0, 0)}, "lost", {{"trades", 1, 1}, {"trades", 1, 1}}, 1));
  EXPECT_FALSE(failed.ok());
  EXPECT_FALSE(Checkpoint(1).has_value());
  EXPECT_EQ(Rows().size(), 1u);
  MustCommit(Commit({Row("SOL", 0, 0)}, "next", {{"trades", 1, 1}}, 1));
  EXPECT_EQ(Rows().size(), 2u);
}

TEST_P(StreamStoreTest, ACommitUnderAnOlderClaimIsRefusedAndLeavesNothingOfItself) {
  auto claimed = [&](std::string_view group, std::int32_t partition) {
    auto generation = store_->ClaimStreamPartition(group, kKey, partition);
    EXPECT_TRUE(generation.ok()) << generation.error().message;
    return generation.ok() ? *generation : -1;
  };
  const std::int64_t first = claimed(kGroup, 0);
  StreamCommit kept = Commit({Row("BTC", 0, 0)}, "kept", {{"trades", 0, 5}});
  kept.fence = first;
  MustCommit(kept);
  // A new owner claims partition 0; claims of other partitions and groups are their own.
  const std::int64_t second = claimed(kGroup, 0);
  EXPECT_GT(second, first);
  EXPECT_EQ(claimed(kGroup, 1), 1);
  EXPECT_EQ(claimed("another-group", 0), 1);

  // The former owner's commit, and one that carries no fence at all, are refused.
  StreamCommit late = Commit({Row("BTC", 0, 0, 50), Row("ETH", 1, 0)}, "late", {{"trades", 0, 9}});
  late.fence = first;
  StreamCommit unfenced = late;
  unfenced.fence = 0;
  for (const StreamCommit* refused_commit : {&late, &unfenced}) {
    const Status refused = store_->CommitStream(*refused_commit);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().kind, ErrorKind::kFenced) << refused.error().message;
  }
  EXPECT_EQ(Jsons(Rows()), Jsons(std::vector<CorrelationRow>{Row("BTC", 0, 0)}));
  auto checkpoint = Checkpoint();
  ASSERT_TRUE(checkpoint.has_value());
  EXPECT_EQ(checkpoint->state, "kept");
  ExpectOffsets(*checkpoint, {{"trades", 0, 5}});
  auto last = store_->LastStreamSequence();
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last, 1) << "a refused commit numbers no row";

  // The new owner commits.
  late.fence = second;
  MustCommit(late);
  checkpoint = Checkpoint();
  ASSERT_TRUE(checkpoint.has_value());
  EXPECT_EQ(checkpoint->state, "late");
  EXPECT_EQ(Rows().size(), 2U);
}

TEST_P(StreamStoreTest, RowWithoutWindowBoundsIsRefusedBeforeWriting) {
  CorrelationRow unbounded = Row("BTC", 0, 0);
  unbounded.window = {};
  Status refused = store_->CommitStream(Commit({Row("ETH", 0, 0), unbounded}, "s", {}));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kUsage);
  EXPECT_TRUE(Rows().empty());
  EXPECT_FALSE(Checkpoint().has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, StreamStoreTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing_support::BackendParamName);

}  // namespace
}  // namespace cryptomood
