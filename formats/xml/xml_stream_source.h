#pragma once
// The text of an XML export as UTF-8, a chunk at a time, for the streaming reader
// (formats/xml/xml_stream.h). The encoding is found from the first bytes as XmlToUtf8
// (formats/xml/xml_text.h) finds it — a BOM, UTF-16 without one, the declaration's encoding — with
// the same refusals; every byte is checked as it is decoded, and a sequence that a chunk boundary
// cuts waits for the next read. Memory: about one chunk of raw bytes.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "formats/xml/xml_text.h"

namespace liitos {

// An invalid byte sequence, or a character XML does not allow (formats/xml/xml_rules.h
// FindForbiddenXmlChar): what it is, and its offset in the UTF-8 text decoded before it.
struct BadBytes {
  uint64_t offset = 0;
  std::string what;  // "invalid UTF-8 sequence (byte 0xC3)", "invalid UTF-16",
                     // "control character U+0001 (not allowed in XML)", …: as XmlToUtf8
};

// Owns its file descriptor. Single-threaded: one owner.
class Utf8Source {
 public:
  Utf8Source() = default;
  ~Utf8Source();
  Utf8Source(const Utf8Source&) = delete;
  Utf8Source& operator=(const Utf8Source&) = delete;

  // Opens `path` (reads of `chunk` bytes) and detects the encoding. Errors: open or read
  // failures (errno), and XmlToUtf8's refusals of an encoding (kInvalid, same words).
  Status Open(const std::string& path, size_t chunk);

  // Back to the first character: the file is read again, from the descriptor opened.
  Status Rewind();

  // Appends at least `want` bytes of UTF-8 to *out (fewer at the end of the file); false when
  // nothing was left. At an invalid sequence or a character XML does not allow, the text before
  // it is appended, bad() says what and where, and every later Read returns false. A non-ok
  // Status only for read(2) errors.
  Result<bool> Read(std::string* out, size_t want);

  const std::optional<BadBytes>& bad() const { return bad_; }

  // What the file is in (after Open).
  using Input = XmlInput;
  Input input() const { return enc_; }

 private:
  // Bytes read but not decoded yet: a plain array, so that reading into it does not zero it.
  class RawBytes {
   public:
    const char* data() const { return data_.get(); }
    size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    std::string_view view() const { return {data_.get(), size_}; }
    char* Grow(size_t n);  // room for n more bytes at the end; Commit() says how many were used
    void Commit(size_t n) { size_ += n; }
    void Consume(size_t n);  // drops the first n bytes
    void Clear() { size_ = 0; }

   private:
    std::unique_ptr<char[]> data_;
    size_t size_ = 0, cap_ = 0;
  };

  Status ReadRaw(size_t n);
  void Decode(std::string* out);
  void DecodeSingleByte(std::string* out);

  std::string path_;
  size_t chunk_ = 1;
  int fd_ = -1;
  Input enc_ = Input::kUtf8;
  RawBytes raw_;
  std::string utf16_;  // scratch
  bool eof_ = false;
  uint64_t produced_ = 0;  // UTF-8 bytes appended so far
  std::optional<BadBytes> bad_;
};

// "line L, column C" of a UTF-8 offset in `path`'s text, counted as DescribePosition
// (formats/xml/xml_text.h) counts; the file is decoded again up to there, so: error paths only.
// "byte N" when the file cannot be read again.
std::string DescribeTextOffset(const std::string& path, uint64_t offset);

}  // namespace liitos
