// Content keys: the 128-bit keys under which stores recognise records they already hold.
// SentimentContentKey: the key a tweet is stored under, a ContentHasher digest of its
// timestamp, its coin SET (sorted, distinct: order and repetition do not make a tweet
// different), its polarity (-0 counted as 0) and its text: the same notion of "identical
// tweet" for the file loader's duplicate detection and the stores', so ingest and analyze
// agree on duplicates. Stores keep these keys: the digest must never change.
// RejectedLineKey: a digest of a rejected line's raw bytes; with the file and the line number
// it identifies a rejected line, so rerunning an ingest does not store it twice.
// Thread-safety: pure functions.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "core/timestamp.h"
#include "io/key128_set.h"

namespace cryptomood {

// Fills `coin_set` with the sorted distinct coins of `coins` (views into the same strings).
void SortedCoinSet(std::span<const std::string_view> coins,
                   std::vector<std::string_view>& coin_set);

Key128 SentimentContentKey(TimestampNs timestamp, std::span<const std::string_view> coin_set,
                           double polarity, std::string_view text);

Key128 RejectedLineKey(std::string_view raw_line);

}  // namespace cryptomood
