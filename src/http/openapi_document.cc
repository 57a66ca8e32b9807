#include "http/openapi_document.h"

namespace cryptomood::http {
namespace {

// Kept as JSON text rather than built in code: it is a document people read and diff.
constexpr std::string_view kDocument = R"JSON({
  "openapi": "3.1.0",
  "info": {
    "title": "cryptomood API",
    "version": "1.0.0",
    "description": "Does Twitter sentiment move with coin prices? Stored trades and scored tweets, their as-of join, bars, and correlations with n, p-value and confidence interval. Parameters use the command line's names and value syntax. Timestamps are RFC 3339 UTC with microseconds."
  },
  "paths": {
    "/symbols": {"get": {"summary": "Symbols and their coins", "parameters": [{"$ref": "#/components/parameters/format"}],
      "responses": {"200": {"description": "Symbols", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SymbolList"}}}},
                    "400": {"$ref": "#/components/responses/BadParameter"}}}},
    "/coin": {"get": {"summary": "Stored trades, with the input files' field names", "parameters": [
        {"$ref": "#/components/parameters/coin"}, {"$ref": "#/components/parameters/from"}, {"$ref": "#/components/parameters/to"},
        {"$ref": "#/components/parameters/limit"}, {"$ref": "#/components/parameters/cursor"}, {"$ref": "#/components/parameters/format"}],
      "responses": {"200": {"description": "A page of trades; next_cursor continues it", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TradePage"}}, "text/csv": {}, "application/x-ndjson": {}}},
                    "400": {"$ref": "#/components/responses/BadParameter"}}}},
    "/sentiment": {"get": {"summary": "Stored scored tweets, with the input files' field names", "parameters": [
        {"$ref": "#/components/parameters/coin"}, {"$ref": "#/components/parameters/from"}, {"$ref": "#/components/parameters/to"},
        {"$ref": "#/components/parameters/limit"}, {"$ref": "#/components/parameters/cursor"}, {"$ref": "#/components/parameters/format"}],
      "responses": {"200": {"description": "A page of tweets", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SentimentPage"}}, "text/csv": {}, "application/x-ndjson": {}}},
                    "400": {"$ref": "#/components/responses/BadParameter"}}}},
    "/merged": {"get": {"summary": "Tick-mode pairs: each trade of the page with its as-of tweet", "description": "limit counts the trades examined; unmatched trades are left out, so a page may hold fewer rows.", "parameters": [
        {"$ref": "#/components/parameters/coin"}, {"$ref": "#/components/parameters/from"}, {"$ref": "#/components/parameters/to"},
        {"$ref": "#/components/parameters/direction"}, {"$ref": "#/components/parameters/tolerance"},
        {"$ref": "#/components/parameters/limit"}, {"$ref": "#/components/parameters/cursor"}, {"$ref": "#/components/parameters/format"}],
      "responses": {"200": {"description": "A page of pairs", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MergedPage"}}, "text/csv": {}, "application/x-ndjson": {}}},
                    "400": {"$ref": "#/components/responses/BadParameter"}}}},
    "/correlation": {"get": {"summary": "Correlation results as `cryptomood analyze` computes them", "description": "Without mode and coin: the pooled compat row first, then the per-symbol tick rows. Cached per parameters and data version (X-Cache header). With source=stream: the rows a `cryptomood stream` consumer stored for the same parameters (window required; from/to select window starts; json or ndjson), read without loading trades and not cached.", "parameters": [
        {"$ref": "#/components/parameters/coin"}, {"$ref": "#/components/parameters/from"}, {"$ref": "#/components/parameters/to"},
        {"$ref": "#/components/parameters/mode"}, {"$ref": "#/components/parameters/direction"}, {"$ref": "#/components/parameters/tolerance"},
        {"$ref": "#/components/parameters/interval"}, {"$ref": "#/components/parameters/lags"}, {"$ref": "#/components/parameters/window"},
        {"$ref": "#/components/parameters/format"},
        {"name": "source", "in": "query", "description": "computed (default): computed from the stored trades and tweets; stream: the rows a stream consumer committed.", "schema": {"type": "string", "enum": ["computed", "stream"], "default": "computed"}}],
      "responses": {"200": {"description": "Result rows", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CorrelationList"}}, "text/csv": {}, "application/x-ndjson": {}}},
                    "400": {"$ref": "#/components/responses/BadParameter"},
                    "413": {"$ref": "#/components/responses/TooLarge"},
                    "503": {"$ref": "#/components/responses/Unavailable"}}}},
    "/series": {"get": {"summary": "Bars per symbol, gap-free, optionally downsampled keeping extremes", "parameters": [
        {"$ref": "#/components/parameters/coin"}, {"$ref": "#/components/parameters/from"}, {"$ref": "#/components/parameters/to"},
        {"$ref": "#/components/parameters/interval"},
        {"name": "max_points", "in": "query", "description": "At most this many bars per symbol (2 to 100000): per bucket the lowest and highest close are kept.", "schema": {"type": "integer", "minimum": 2, "maximum": 100000}},
        {"$ref": "#/components/parameters/format"}],
      "responses": {"200": {"description": "Bars", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SeriesList"}}, "text/csv": {}, "application/x-ndjson": {}}},
                    "400": {"$ref": "#/components/responses/BadParameter"},
                    "413": {"$ref": "#/components/responses/TooLarge"},
                    "503": {"$ref": "#/components/responses/Unavailable"}}}},
    "/causality": {"get": {"summary": "Granger causality both ways per symbol and window (bars), as `cryptomood analyze --mode bars --granger` computes it", "description": "Per symbol and window two rows: sentiment -> returns and returns -> sentiment, with the F test, its HC1 (heteroskedasticity-robust) p-value and Holm's adjustment across the reply. Cached per parameters and data version (X-Cache header).", "parameters": [
        {"$ref": "#/components/parameters/coin"}, {"$ref": "#/components/parameters/from"}, {"$ref": "#/components/parameters/to"},
        {"$ref": "#/components/parameters/interval"}, {"$ref": "#/components/parameters/window"},
        {"name": "lags", "in": "query", "description": "Granger lag order: a whole number from 1 to 100, or auto (default): the bivariate VAR's AIC order per symbol and window, at least 1.", "schema": {"type": "string", "pattern": "^(auto|[1-9][0-9]*)$", "default": "auto"}}],
      "responses": {"200": {"description": "Causality rows", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CausalityList"}}}},
                    "400": {"$ref": "#/components/responses/BadParameter"},
                    "413": {"$ref": "#/components/responses/TooLarge"},
                    "503": {"$ref": "#/components/responses/Unavailable"}}}},
    "/healthz": {"get": {"summary": "Checks the store", "responses": {
        "200": {"description": "Healthy", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}},
        "503": {"description": "The store does not answer", "content": {"application/json": {"schema": {"type": "object", "required": ["status"], "properties": {"status": {"const": "unavailable"}, "message": {"type": "string"}}}}}}}}},
    "/metrics": {"get": {"summary": "Prometheus text format 0.0.4", "responses": {"200": {"description": "Metrics", "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
    "/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}}}}}
  },
  "components": {
    "parameters": {
      "coin": {"name": "coin", "in": "query", "description": "Base asset (BTC); repeatable or a comma list. Unknown coins select nothing.", "style": "form", "explode": true, "schema": {"type": "array", "items": {"type": "string"}}},
      "from": {"name": "from", "in": "query", "description": "Keep timestamp >= from (RFC 3339).", "schema": {"type": "string", "format": "date-time"}},
      "to": {"name": "to", "in": "query", "description": "Keep timestamp < to (RFC 3339), later than from.", "schema": {"type": "string", "format": "date-time"}},
      "mode": {"name": "mode", "in": "query", "schema": {"type": "string", "enum": ["tick", "bars", "compat"]}},
      "direction": {"name": "direction", "in": "query", "description": "As-of join direction (tick and compat modes only).", "schema": {"type": "string", "enum": ["backward", "forward", "nearest"]}},
      "tolerance": {"name": "tolerance", "in": "query", "description": "Drop pairs further apart than this duration, e.g. 30s (tick and compat modes only).", "schema": {"type": "string", "pattern": "^[0-9]+(ms|s|m|h|d|w)$"}},
      "interval": {"name": "interval", "in": "query", "description": "Bar length, default 1m; mo = calendar month.", "schema": {"type": "string", "pattern": "^[0-9]+(ms|s|m|h|d|w|mo)$"}},
      "lags": {"name": "lags", "in": "query", "description": "Lag range A:B in bars (bars mode); k > 0 means sentiment leads.", "schema": {"type": "string", "pattern": "^-?[0-9]+(:-?[0-9]+)?$"}},
      "window": {"name": "window", "in": "query", "description": "Tumbling windows, e.g. 1d.", "schema": {"type": "string", "pattern": "^[0-9]+(ms|s|m|h|d|w|mo)$"}},
      "limit": {"name": "limit", "in": "query", "description": "Page size, default 1000.", "schema": {"type": "integer", "minimum": 1, "maximum": 100000}},
      "cursor": {"name": "cursor", "in": "query", "description": "The next_cursor of the previous page (opaque).", "schema": {"type": "string"}},
      "format": {"name": "format", "in": "query", "description": "json (default), csv or ndjson. CSV and NDJSON pages carry the next cursor in the X-Next-Cursor header.", "schema": {"type": "string", "enum": ["json", "csv", "ndjson"]}}
    },
    "responses": {
      "BadParameter": {"description": "A parameter is unknown, malformed or does not fit the others", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "TooLarge": {"description": "The request's estimated cost (rows, bars, pairs or reply bytes) is over the server's limits; `parameter` names what to change (code too_large)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "Unavailable": {"description": "Every computation slot and queue place is taken (Retry-After), the computation ran past the server's deadline (code timeout), or the server is stopping", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    },
    "schemas": {
      "Timestamp": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z$"},
      "NullableNumber": {"type": ["number", "null"]},
      "NullableTimestamp": {"anyOf": [{"$ref": "#/components/schemas/Timestamp"}, {"type": "null"}]},
      "Cursor": {"type": ["string", "null"]},
      "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "message"],
        "properties": {"code": {"type": "string"}, "parameter": {"type": "string"}, "message": {"type": "string"}}}}},
      "Symbol": {"type": "object", "required": ["symbol_id", "coin", "quote"], "additionalProperties": false,
        "properties": {"symbol_id": {"type": "string"}, "coin": {"type": "string"}, "quote": {"type": "string"}}},
      "SymbolList": {"type": "object", "required": ["data"], "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/Symbol"}}}},
      "Trade": {"type": "object", "required": ["price", "size", "symbol_id", "timestamp", "uuid"], "additionalProperties": false,
        "properties": {"coins": {"type": "array", "items": {"type": "string"}, "minItems": 1}, "price": {"type": "number", "exclusiveMinimum": 0},
          "sequence": {"type": "integer"}, "size": {"type": "number", "minimum": 0}, "symbol_id": {"type": "string"},
          "taker_side": {"type": "string"}, "timestamp": {"$ref": "#/components/schemas/Timestamp"},
          "time_exchange": {"$ref": "#/components/schemas/Timestamp"}, "type": {"type": "string"},
          "uuid": {"type": "string", "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"}}},
      "TradePage": {"type": "object", "required": ["data", "next_cursor"], "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/Trade"}}, "next_cursor": {"$ref": "#/components/schemas/Cursor"}}},
      "Sentiment": {"type": "object", "required": ["coins", "sentiment_polarity", "text", "timestamp"], "additionalProperties": false,
        "properties": {"coins": {"type": "array", "items": {"type": "string"}, "minItems": 1}, "sentiment_polarity": {"type": "number", "minimum": -1, "maximum": 1},
          "text": {"type": "string"}, "timestamp": {"$ref": "#/components/schemas/Timestamp"}}},
      "SentimentPage": {"type": "object", "required": ["data", "next_cursor"], "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/Sentiment"}}, "next_cursor": {"$ref": "#/components/schemas/Cursor"}}},
      "MergedPair": {"type": "object", "required": ["timestamp", "symbol_id", "coin", "price", "sentiment_polarity", "sentiment_timestamp"], "additionalProperties": false,
        "properties": {"timestamp": {"$ref": "#/components/schemas/Timestamp"}, "symbol_id": {"type": "string"}, "coin": {"type": "string"},
          "price": {"type": "number"}, "sentiment_polarity": {"type": "number", "minimum": -1, "maximum": 1}, "sentiment_timestamp": {"$ref": "#/components/schemas/Timestamp"}}},
      "MergedPage": {"type": "object", "required": ["data", "next_cursor"], "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/MergedPair"}}, "next_cursor": {"$ref": "#/components/schemas/Cursor"}}},
      "Correlation": {"type": "object", "additionalProperties": false,
        "required": ["symbol_id", "coin", "mode", "direction", "interval", "lag", "window_start", "window_end", "first_timestamp", "last_timestamp", "n", "pearson", "spearman", "p_value", "p_value_adjusted", "ci_low", "ci_high", "best_lag", "first timestamp", "last timestamp", "correlation"],
        "properties": {"symbol_id": {"type": "string"}, "coin": {"type": "string"}, "mode": {"enum": ["tick", "bars", "compat"]},
          "direction": {"enum": ["backward", "forward", "nearest", null]}, "interval": {"type": ["string", "null"]}, "lag": {"type": "integer"},
          "window_start": {"$ref": "#/components/schemas/NullableTimestamp"}, "window_end": {"$ref": "#/components/schemas/NullableTimestamp"},
          "first_timestamp": {"$ref": "#/components/schemas/NullableTimestamp"}, "last_timestamp": {"$ref": "#/components/schemas/NullableTimestamp"},
          "n": {"type": "integer", "minimum": 0}, "pearson": {"type": ["number", "null"], "minimum": -1, "maximum": 1},
          "spearman": {"type": ["number", "null"], "minimum": -1, "maximum": 1}, "p_value": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
          "p_value_adjusted": {"type": ["number", "null"], "minimum": 0, "maximum": 1}, "ci_low": {"$ref": "#/components/schemas/NullableNumber"},
          "ci_high": {"$ref": "#/components/schemas/NullableNumber"}, "best_lag": {"type": "boolean"},
          "first timestamp": {"$ref": "#/components/schemas/NullableTimestamp"}, "last timestamp": {"$ref": "#/components/schemas/NullableTimestamp"},
          "correlation": {"$ref": "#/components/schemas/NullableNumber"}}},
      "CorrelationList": {"type": "object", "required": ["data"], "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/Correlation"}}}},
      "Bar": {"type": "object", "additionalProperties": false,
        "required": ["symbol_id", "coin", "bar_start", "close", "vwap", "volume", "trades", "return", "sentiment", "tweets", "incomplete"],
        "properties": {"symbol_id": {"type": "string"}, "coin": {"type": "string"}, "bar_start": {"$ref": "#/components/schemas/Timestamp"},
          "close": {"$ref": "#/components/schemas/NullableNumber"}, "vwap": {"$ref": "#/components/schemas/NullableNumber"},
          "volume": {"type": "number", "minimum": 0}, "trades": {"type": "integer", "minimum": 0}, "return": {"$ref": "#/components/schemas/NullableNumber"},
          "sentiment": {"type": ["number", "null"], "minimum": -1, "maximum": 1}, "tweets": {"type": "integer", "minimum": 0}, "incomplete": {"type": "boolean"}}},
      "SeriesList": {"type": "object", "required": ["data"], "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/Bar"}}}},
      "Causality": {"type": "object", "additionalProperties": false,
        "required": ["symbol_id", "coin", "interval", "window_start", "window_end", "cause", "effect", "lags", "n", "f", "df_num", "df_den", "p_value", "p_value_hc1", "p_value_adjusted"],
        "properties": {"symbol_id": {"type": "string"}, "coin": {"type": "string"}, "interval": {"type": "string"},
          "window_start": {"$ref": "#/components/schemas/NullableTimestamp"}, "window_end": {"$ref": "#/components/schemas/NullableTimestamp"},
          "cause": {"enum": ["sentiment", "returns"]}, "effect": {"enum": ["sentiment", "returns"]},
          "lags": {"type": "integer", "minimum": 1}, "n": {"type": "integer", "minimum": 0}, "f": {"type": ["number", "null"], "minimum": 0},
          "df_num": {"type": "integer", "minimum": 1}, "df_den": {"type": "integer", "minimum": 0},
          "p_value": {"type": ["number", "null"], "minimum": 0, "maximum": 1}, "p_value_hc1": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
          "p_value_adjusted": {"type": ["number", "null"], "minimum": 0, "maximum": 1}}},
      "CausalityList": {"type": "object", "required": ["causality"], "properties": {"causality": {"type": "array", "items": {"$ref": "#/components/schemas/Causality"}}}},
      "Health": {"type": "object", "required": ["status", "backend", "schema_version", "data_version"],
        "properties": {"status": {"const": "ok"}, "backend": {"enum": ["sqlite", "postgresql"]}, "schema_version": {"type": "integer"}, "data_version": {"type": "integer"},
          "streams": {"type": "array", "description": "Present when a stream consumer has committed: the last commit of each (group, params_key, partition).", "items": {"type": "object", "additionalProperties": false,
            "required": ["group", "params_key", "partition", "consumer_lag", "committed_at"],
            "properties": {"group": {"type": "string"}, "params_key": {"type": "string"}, "partition": {"type": "integer"}, "consumer_lag": {"type": "integer"}, "committed_at": {"$ref": "#/components/schemas/Timestamp"}}}}}}
    }
  }
}
)JSON";

}  // namespace

std::string_view OpenApiDocument() { return kDocument; }

}  // namespace cryptomood::http
