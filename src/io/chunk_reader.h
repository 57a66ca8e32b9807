// ChunkReader: reads a file or standard input ("-") in large chunks of whole lines, so that
// lines can be parsed in place, in parallel, without copying. The lines are those of the
// input's text: a gzip or zstd input is decompressed while it is read (io/input_decoding.h),
// and damaged compressed data ends the text early, its lines delivered, with damage() saying
// where and why. Every chunk ends at a newline
// (or at the end of the input) and is followed in its buffer by at least SIMDJSON_PADDING
// readable bytes, as simdjson requires. A UTF-8 byte order mark at the start of the input
// is skipped. A line longer than the chunk size makes the buffer grow up to a limit (the
// maximum line length); a line beyond that limit arrives in parts, so memory stays bounded:
// first a chunk flagged truncated_line holding its first max_line_bytes, then chunks flagged
// continues_line holding the rest of it, at most chunk_bytes each, up to (not including) its
// newline. A line still without a newline after kEndlessLineFactor times the maximum line
// length (1 GiB by default) fails the read: such input has no end to wait for.
// Ownership: the reader owns its byte source (io/byte_source.h); a Chunk owns its
// buffer, and chunks are reused across calls to keep allocation off the hot path.
// Thread-safety: a reader is used by one thread; a filled Chunk may be read concurrently.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "io/byte_source.h"
#include "io/huge_page_buffer.h"

namespace cryptomood {

class Chunk {
 public:
  std::string_view data() const { return {buffer_.data(), size_}; }
  // A view of bytes [begin, begin + length) inside data(), with the chunk's padding reachable.
  simdjson::padded_string_view PaddedView(const char* begin, std::size_t length) const {
    return simdjson::padded_string_view(
        begin, length, static_cast<std::size_t>(buffer_.data() + buffer_.size() - begin));
  }
  // Position of this chunk in its input, counting from 0.
  std::uint64_t index() const { return index_; }
  // Bytes of the input's text up to the end of this chunk's data.
  std::uint64_t end_offset() const { return end_offset_; }
  // Bytes of the input as stored (compressed, for an archive) read up to this chunk's end,
  // for progress against ChunkReader::size_bytes(): exact for a plain file, the compressed
  // bytes decoded when the chunk was filled for an archive.
  std::uint64_t stored_end_offset() const { return stored_end_offset_; }
  // The chunk holds only the start of one line longer than the reader's line limit.
  bool truncated_line() const { return truncated_line_; }
  // The chunk holds further bytes of the over-long line of the chunks before it: no line of
  // its own and no newline.
  bool continues_line() const { return continues_line_; }

 private:
  friend class ChunkReader;
  void Reserve(std::size_t data_bytes);

  HugePageBuffer buffer_;  // whole lines, then at least SIMDJSON_PADDING bytes
  std::size_t size_ = 0;   // bytes of whole lines
  std::uint64_t index_ = 0;
  std::uint64_t end_offset_ = 0;
  std::uint64_t stored_end_offset_ = 0;
  bool truncated_line_ = false;
  bool continues_line_ = false;
};

class ChunkReader {
 public:
  static constexpr std::size_t kDefaultChunkBytes = std::size_t{2} << 20;
  static constexpr std::size_t kDefaultMaxLineBytes = std::size_t{64} << 20;
  static constexpr std::size_t kEndlessLineFactor = 16;

  // `path` "-" reads standard input. Fails with a readable message if the file cannot be
  // opened or is a directory.
  static Result<std::unique_ptr<ChunkReader>> Open(
      const std::string& path, std::size_t chunk_bytes = kDefaultChunkBytes,
      std::size_t max_line_bytes = kDefaultMaxLineBytes);
  ~ChunkReader() = default;
  ChunkReader(const ChunkReader&) = delete;
  ChunkReader& operator=(const ChunkReader&) = delete;

  // The name to show in messages: the path, or "<stdin>".
  const std::string& display_name() const { return display_name_; }
  // Size of a regular file as stored, for progress; nullopt for pipes and terminals.
  std::optional<std::uint64_t> size_bytes() const { return size_bytes_; }
  // The text's expected size, for reservations: a plain file's size; an archive's stored size
  // times a typical compression ratio of JSON lines; nullopt for pipes and terminals.
  std::optional<std::uint64_t> expected_text_bytes() const;
  // Bytes of text read so far (decompressed, for an archive).
  std::uint64_t bytes_read() const { return bytes_read_; }
  // Bytes of the input as stored read so far, for progress against size_bytes().
  std::uint64_t stored_bytes_read() const { return source_->stored_bytes_read(); }
  // Once Next has returned false: why the text ended before the stored data did (a
  // truncated or corrupt archive, naming the compressed byte offset), or nullopt.
  std::optional<std::string> damage() const { return source_->damage(); }

  // Fills `chunk` with the next whole lines (or the next part of an over-long line). Returns
  // false at the end of the input, an error if reading fails or a line has no end.
  Result<bool> Next(Chunk& chunk);

 private:
  ChunkReader(std::unique_ptr<ByteSource> source, std::string display_name, std::size_t chunk_bytes,
              std::size_t max_line_bytes, std::optional<std::uint64_t> size_bytes);
  // Reads into `destination` until `count` bytes or the end of input; returns bytes read.
  Result<std::size_t> ReadUpTo(char* destination, std::size_t count);
  // Fills `chunk` with the next part of the over-long line being read; false if that line
  // has no bytes left (its newline came next, or the input ended).
  Result<bool> NextPartOfLongLine(Chunk& chunk);
  // Drops a UTF-8 byte order mark from the first `filled` bytes of the input; returns the
  // bytes left.
  static std::size_t WithoutByteOrderMark(char* buffer, std::size_t filled);
  // Gives a filled chunk its position in the input and the offset of its end.
  void Number(Chunk& chunk);

  std::unique_ptr<ByteSource> source_;
  std::string display_name_;
  std::size_t chunk_bytes_;
  std::size_t max_line_bytes_;
  std::optional<std::uint64_t> size_bytes_;
  std::uint64_t bytes_read_ = 0;
  std::uint64_t chunks_read_ = 0;
  bool at_end_ = false;
  bool start_checked_ = false;  // for a byte order mark
  bool in_long_line_ = false;
  std::uint64_t long_line_bytes_ = 0;  // of the over-long line being read, so far
  std::vector<char> carry_;            // bytes after the last newline of the previous chunk
};

}  // namespace cryptomood
