#include "store/postgres_connection.h"

#include <bit>
#include <cstdlib>
#include <cstring>

#include "core/status_macros.h"

namespace cryptomood {
namespace {

// Rows per cursor fetch: large enough to amortise the round trip, small enough to bound memory.
constexpr std::int64_t kFetchRows = 20'000;

std::uint64_t ReadBigEndian(std::string_view bytes) {
  std::uint64_t value = 0;
  for (char byte : bytes) value = (value << 8) | static_cast<unsigned char>(byte);
  return value;
}

std::string BigEndianBytes(std::uint64_t value) {
  std::string bytes(8, '\0');
  for (int i = 7; i >= 0; --i) {
    bytes[static_cast<std::size_t>(i)] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
  return bytes;
}

std::string TrimmedMessage(const char* message) {
  std::string text = message != nullptr ? message : "unknown error";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

void IgnoreNotice(void*, const char*) {}

}  // namespace

std::int64_t PgResult::Int64(int row, int column) const {
  return static_cast<std::int64_t>(ReadBigEndian(Bytes(row, column)));
}

double PgResult::Double(int row, int column) const {
  return std::bit_cast<double>(ReadBigEndian(Bytes(row, column)));
}

std::int64_t PgResult::affected_rows() const {
  const char* text = PQcmdTuples(result_.get());
  return text == nullptr || *text == '\0' ? 0 : std::strtoll(text, nullptr, 10);
}

PgParams& PgParams::Add(Oid type, std::string bytes, bool null) {
  types_.push_back(type);
  lengths_.push_back(static_cast<int>(bytes.size()));
  formats_.push_back(1);
  nulls_.push_back(null);
  storage_.push_back(std::move(bytes));
  return *this;
}

PgParams& PgParams::Int64(std::int64_t value) {
  return Add(kPgInt8, BigEndianBytes(static_cast<std::uint64_t>(value)));
}

PgParams& PgParams::OptionalInt64(const std::optional<std::int64_t>& value) {
  return value ? Int64(*value) : Add(kPgInt8, {}, true);
}

PgParams& PgParams::Double(double value) {
  return Add(kPgFloat8, BigEndianBytes(std::bit_cast<std::uint64_t>(value)));
}

PgParams& PgParams::Bytea(std::string_view bytes) { return Add(kPgBytea, std::string(bytes)); }

PgParams& PgParams::Text(std::string_view text) { return Add(kPgText, std::string(text)); }

PgParams PgParams::From(const std::vector<SqlValue>& values) {
  PgParams params;
  for (const SqlValue& value : values) {
    if (const auto* integer = std::get_if<std::int64_t>(&value)) {
      params.Int64(*integer);
    } else if (const auto* real = std::get_if<double>(&value)) {
      params.Double(*real);
    } else {
      params.Bytea(std::get<std::string>(value));
    }
  }
  return params;
}

std::vector<const char*> PgParams::values() const {
  std::vector<const char*> pointers;
  pointers.reserve(storage_.size());
  for (std::size_t i = 0; i < storage_.size(); ++i) {
    pointers.push_back(nulls_[i] ? nullptr : storage_[i].data());
  }
  return pointers;
}

Result<std::unique_ptr<PgConnection>> PgConnection::Connect(const std::string& uri) {
  PGconn* connection = PQconnectdb(uri.c_str());
  if (connection == nullptr) return Error{"postgresql: out of memory connecting"};
  if (PQstatus(connection) != CONNECTION_OK) {
    Error error{"cannot connect to PostgreSQL: " + TrimmedMessage(PQerrorMessage(connection))};
    PQfinish(connection);
    return error;
  }
  PQsetNoticeProcessor(connection, IgnoreNotice, nullptr);
  return std::unique_ptr<PgConnection>(new PgConnection(connection));
}

PgConnection::~PgConnection() { PQfinish(connection_); }

Status PgConnection::Check(const PGresult* result, std::string_view context) {
  const ExecStatusType status = PQresultStatus(result);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_COPY_IN) {
    last_sqlstate_.clear();
    return {};
  }
  const char* sqlstate = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  last_sqlstate_ = sqlstate != nullptr ? sqlstate : "";
  const char* message = result != nullptr ? PQresultErrorMessage(result) : nullptr;
  if (message == nullptr || *message == '\0') message = PQerrorMessage(connection_);
  return Error{"postgresql: " + std::string(context) + ": " + TrimmedMessage(message)};
}

Status PgConnection::Execute(std::string_view sql) {
  const std::string text(sql);
  PgResult result(PQexec(connection_, text.c_str()));
  return Check(result.get(), text.substr(0, 60));
}

Result<PgResult> PgConnection::Query(const std::string& sql, const PgParams& params) {
  auto found = prepared_.find(sql);
  if (found == prepared_.end()) {
    std::string name = "cryptomood_" + std::to_string(prepared_.size() + 1);
    PgResult prepared(
        PQprepare(connection_, name.c_str(), sql.c_str(), params.size(), params.types()));
    CRYPTOMOOD_RETURN_IF_ERROR(Check(prepared.get(), "preparing " + sql));
    found = prepared_.emplace(sql, std::move(name)).first;
  }
  const std::vector<const char*> values = params.values();
  PgResult result(PQexecPrepared(connection_, found->second.c_str(), params.size(), values.data(),
                                 params.lengths(), params.formats(), 1));
  CRYPTOMOOD_RETURN_IF_ERROR(Check(result.get(), sql.substr(0, 60)));
  return result;
}

Status PgConnection::CopyIn(const std::string& copy_sql, std::string_view data) {
  last_sqlstate_.clear();
  PgResult started(PQexec(connection_, copy_sql.c_str()));
  if (PQresultStatus(started.get()) != PGRES_COPY_IN) return Check(started.get(), copy_sql);
  const char* end_error = nullptr;
  // Large pieces: libpq buffers and sends them; one call per megabyte keeps calls few.
  constexpr std::size_t kPiece = std::size_t{1} << 20;
  for (std::size_t offset = 0; offset < data.size(); offset += kPiece) {
    const std::size_t length = std::min(kPiece, data.size() - offset);
    if (PQputCopyData(connection_, data.data() + offset, static_cast<int>(length)) != 1) {
      end_error = "client failed sending COPY data";
      break;
    }
  }
  if (PQputCopyEnd(connection_, end_error) != 1) {
    return Error{"postgresql: COPY: " + TrimmedMessage(PQerrorMessage(connection_))};
  }
  Status status;
  while (PGresult* raw = PQgetResult(connection_)) {
    PgResult result(raw);
    if (status.ok()) status = Check(result.get(), copy_sql);
  }
  return status;
}

bool PgConnection::in_transaction() const {
  return PQtransactionStatus(connection_) != PQTRANS_IDLE;
}

bool PgConnection::EnsureConnected() {
  if (PQstatus(connection_) == CONNECTION_OK) return true;
  PQreset(connection_);
  prepared_.clear();  // a new session has none of them
  return PQstatus(connection_) == CONNECTION_OK;
}

Status PgConnection::Stream(const SqlQuery& query, std::optional<std::int64_t> max_rows,
                            const RowVisitor& visit) {
  if (!max_rows || *max_rows > kFetchRows) return StreamThroughCursor(query, visit);
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto result, Query(query.sql, PgParams::From(query.params)));
  for (int row = 0; row < result.rows(); ++row) {
    CRYPTOMOOD_RETURN_IF_ERROR(visit(result, row));
  }
  return {};
}

Status PgConnection::StreamThroughCursor(const SqlQuery& query, const RowVisitor& visit) {
  const bool own_transaction = !in_transaction();
  if (own_transaction) {
    CRYPTOMOOD_RETURN_IF_ERROR(Execute("BEGIN READ ONLY"));
  }
  const auto finish = [&](Status status) {
    if (own_transaction) {
      (void)Execute(status.ok() ? "COMMIT" : "ROLLBACK");
    } else {
      (void)Execute("CLOSE cryptomood_scan");
    }
    return status;
  };
  // DECLARE is not preparable; its parameters still travel separately from the text.
  const std::string declare = "DECLARE cryptomood_scan BINARY NO SCROLL CURSOR FOR " + query.sql;
  const PgParams params = PgParams::From(query.params);
  const std::vector<const char*> values = params.values();
  PgResult declared(PQexecParams(connection_, declare.c_str(), params.size(), params.types(),
                                 values.data(), params.lengths(), params.formats(), 1));
  if (Status status = Check(declared.get(), "declaring a cursor"); !status.ok()) {
    return finish(status);
  }
  const std::string fetch = "FETCH " + std::to_string(kFetchRows) + " FROM cryptomood_scan";
  while (true) {
    PgResult rows(
        PQexecParams(connection_, fetch.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 1));
    if (Status status = Check(rows.get(), "fetching"); !status.ok()) return finish(status);
    for (int row = 0; row < rows.rows(); ++row) {
      if (Status status = visit(rows, row); !status.ok()) return finish(status);
    }
    if (rows.rows() < kFetchRows) return finish(Status());
  }
}

}  // namespace cryptomood
