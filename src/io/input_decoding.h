// OpenInputText: the text of an input file or of standard input ("-"), decompressed while it
// is read when its content is an archive: a gzip file (starting with 1f 8b) or a zstd frame
// (starting with 28 b5 2f fd), whatever its name; any other content is read as it is stored.
// Thread-safety: the returned source is used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/result.h"
#include "io/byte_source.h"

namespace cryptomood {

struct OpenedInput {
  std::unique_ptr<ByteSource> text;
  std::string display_name;                 // the path, or "<stdin>"
  std::optional<std::uint64_t> size_bytes;  // as stored; nullopt for pipes and terminals
};

// Fails with a readable message if the file cannot be opened, is a directory or cannot be
// read.
Result<OpenedInput> OpenInputText(const std::string& path);

}  // namespace cryptomood
