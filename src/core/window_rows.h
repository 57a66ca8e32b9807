// Window rows: turns one closed window of a per-symbol operator into result rows (the
// statistics of each accumulator, Holm-adjusted p-values across the lags of a bars scan, the
// best lag marked). The batch driver (Analyze) and the stream engine both call these, so a
// window closed by a stream gives the same rows, bit for bit, as the same window of a batch run.
// Thread-safety: pure functions; the SpearmanScratch is the caller's (one per thread).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/analysis.h"
#include "core/cancellation.h"
#include "core/correlation_accumulator.h"
#include "core/rank_correlation.h"
#include "core/tumbling_windows.h"

namespace cryptomood {

// The series a row describes: a symbol and its coin, or "*" and "*" for the pooled series.
struct SeriesIdentity {
  std::string symbol_id;
  std::string coin;
};

// The row of one closed tick-mode (or compat) window.
CorrelationRow TickWindowRow(const SeriesIdentity& identity, const AnalysisParams& params,
                             const WindowBounds& window, const CorrelationAccumulator& accumulator,
                             SpearmanScratch& scratch);

// Appends the rows of one closed bars-mode window, one per lag of params.lags in order
// (by_lag[i] holds lag params.lags.first + i), with Holm across them and the best lag marked.
// Polls `cancel` between lags; false (rows of the window incomplete) when cancelled.
bool AppendBarsWindowRows(const SeriesIdentity& identity, const AnalysisParams& params,
                          const WindowBounds& window,
                          std::span<const CorrelationAccumulator> by_lag, SpearmanScratch& scratch,
                          std::vector<CorrelationRow>& rows,
                          const CancellationToken& cancel = CancellationToken::Never());

// Holm across the rows' lags (one symbol and window), and the row with the largest |r| marked
// best (the first on a tie; none when no r is defined).
void MarkLagScan(std::span<CorrelationRow> rows);

}  // namespace cryptomood
