// Input sniffing: a look at the first bytes of an input file before its lines are judged
// one by one, so that whole-file mistakes get one clear message instead of thousands of
// rejected lines: binary data (most of the first lines are not text: they hold NUL bytes or
// invalid UTF-8) and a file of the other kind (tweets passed as trades or the reverse),
// recognised from the keys of its first lines (or a CSV file's header). Files that merely contain
// bad lines pass; their lines are rejected individually. The first chunk is at most the reader's
// maximum line length, so an endless stream of non-text bytes (/dev/zero, /dev/urandom) is refused
// after that bounded prefix.
// Thread-safety: pure functions (each call uses its own simdjson parser).
#pragma once

#include <string_view>

#include "core/record_kind.h"
#include "core/result.h"
#include "io/chunk_reader.h"

namespace cryptomood {

// `first_chunk` is the first chunk of the file called `name`; fails with
// "NAME does not look like JSON lines (binary data)" or
// "NAME looks like sentiment data, not trades" (and the reverse).
Status CheckLooksLike(RecordKind expected, std::string_view name, const Chunk& first_chunk);

}  // namespace cryptomood
