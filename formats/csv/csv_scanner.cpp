#include "formats/csv/csv_scanner.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "base/text/fast_bytes.h"
#include "formats/input_file.h"

namespace liitos {

bool CsvRecord::blank() const {
  return fields.size() == 1 && !fields[0].quoted && TrimBlanks(fields[0].raw).empty();
}

std::string_view CsvFieldText(const CsvField& f, std::string* scratch) {
  if (!f.quoted)
    return TrimBlanks(f.raw);
  std::string_view raw = f.raw;
  size_t open = raw.find('"');  // after leading blanks only: that is how `quoted` was decided
  size_t close = raw.find('"', open + 1);
  // The common case: "text" with no doubled quote and nothing but blanks after it.
  if (close != std::string_view::npos && (close + 1 == raw.size() || raw[close + 1] != '"')) {
    std::string_view inner = raw.substr(open + 1, close - open - 1);
    if (TrimBlanks(raw.substr(close + 1)).empty())
      return TrimBlanks(inner);
  }
  // Line breaks inside quotes are kept as they are in the file (SPEC §4): CRLF stays CRLF.
  scratch->clear();
  size_t i = open + 1;
  while (i < raw.size()) {
    size_t q = raw.find('"', i);
    if (q == std::string_view::npos)
      q = raw.size();
    scratch->append(raw.substr(i, q - i));
    if (q + 1 < raw.size() && raw[q + 1] == '"') {
      scratch->push_back('"');
      i = q + 2;
      continue;
    }
    // The closing quote: whatever follows it up to the delimiter is kept as text.
    if (q + 1 < raw.size())
      scratch->append(raw.substr(q + 1));
    break;
  }
  return TrimBlanks(*scratch);
}

CsvScanner::CsvScanner(int fd, char delimiter, size_t max_record)
    : fd_(fd), delim_(delimiter), max_record_(max_record) {
  // A small file gets a buffer of its own size: exports of a few rows are the common case in a
  // burst, and zeroing kChunk for each was a fifth of converting one.
  struct stat st {};
  size_t size = kChunk;
  if (::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode) && static_cast<size_t>(st.st_size) + 1 < kChunk)
    size = std::max<size_t>(static_cast<size_t>(st.st_size) + 1, 4096);
  buf_.resize(size);
}

CsvScanner::~CsvScanner() {
  if (fd_ >= 0)
    ::close(fd_);
}

Result<std::unique_ptr<CsvScanner>> CsvScanner::Open(const std::string& path, char delimiter,
                                                     size_t max_record) {
  auto fd = OpenRegularFile(path, "cannot open " + path);
  if (!fd.ok())
    return fd.status();
  return std::make_unique<CsvScanner>(*fd, delimiter, max_record);
}

Status CsvScanner::Fill() {
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  // Grow only when one record fills more than half of the buffer: each rescan of a long record
  // then reads at least as much new data as it rescans, so long fields cost linear time.
  if (buf_.size() - end_ < buf_.size() / 2)
    buf_.resize(buf_.size() * 2);
  for (;;) {
    ssize_t n = ::read(fd_, buf_.data() + end_, buf_.size() - end_);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return Status::FromErrno("read error", errno);
    if (n == 0)
      eof_ = true;
    end_ += static_cast<size_t>(n);
    return Status::Ok();
  }
}

CsvScanner::Scan CsvScanner::ScanRecord(CsvRecord* rec, size_t* consumed, size_t* lines) {
  const char* base = buf_.data() + begin_;
  const char* end = buf_.data() + end_;
  const char* p = base;
  size_t nl = 0;
  rec->fields.clear();
  // Made once per record, and inlined: a call and three broadcasts per field cost as much as the
  // search (fields are short, so most searches end in their first block).
  const AnyOfThree quote_or_eol('"', '\r', '\n'), delim_or_eol(delim_, '\r', '\n');
  for (;;) {
    const char* start = p;
    const char* q = p;
    while (q < end && (*q == ' ' || *q == '\t') && *q != delim_) ++q;
    bool quoted = q < end && *q == '"';
    if (quoted) {
      size_t quote_nl = nl;
      p = q + 1;
      for (;;) {
        for (;;) {  // to the next quote, counting line ends on the way
          p = quote_or_eol.Find(p, end, nullptr);
          if (p == end || *p == '"')
            break;
          if (*p == '\n' || (p + 1 == end || p[1] != '\n'))
            ++nl;
          ++p;
        }
        if (p == end || (p + 1 == end && !eof_)) {
          if (!eof_)
            return Scan::kNeedMore;
          error_line_ = line_ + quote_nl;
          return Scan::kUnclosedQuote;
        }
        if (p + 1 < end && p[1] == '"') {
          p += 2;
          continue;
        }
        ++p;  // the closing quote
        break;
      }
    }
    bool high = false;
    p = delim_or_eol.Find(p, end, &high);
    const bool ascii = !quoted && !high;
    if (p == end && !eof_)
      return Scan::kNeedMore;
    rec->fields.push_back(CsvField{std::string_view(start, p - start), quoted, ascii});
    if (p == end)
      break;  // the last record, without a line end
    char c = *p++;
    if (c == delim_)
      continue;
    ++nl;
    if (c == '\r') {
      if (p < end && *p == '\n')
        ++p;
      else if (p == end && !eof_)
        skip_lf_ = true;  // an LF may start the next chunk
    }
    break;
  }
  *consumed = p - base;
  *lines = nl;
  return Scan::kRecord;
}

Result<bool> CsvScanner::Next(CsvRecord* rec) {
  if (!started_) {
    started_ = true;
    while (end_ - begin_ < 3 && !eof_) {
      Status s = Fill();
      if (!s.ok())
        return s;
    }
    if (std::string_view(buf_.data() + begin_, end_ - begin_).substr(0, 3) == "\xEF\xBB\xBF") {
      begin_ += 3;
      had_bom_ = true;
    }
  }
  for (;;) {
    if (skip_lf_ && begin_ < end_) {
      if (buf_[begin_] == '\n')
        ++begin_;
      skip_lf_ = false;
    }
    if (begin_ == end_) {
      if (eof_)
        return false;
      Status s = Fill();
      if (!s.ok())
        return s;
      continue;
    }
    size_t consumed = 0, lines = 0;
    Scan r = ScanRecord(rec, &consumed, &lines);
    if (r == Scan::kRecord) {
      rec->line = line_;
      line_ += lines;
      begin_ += consumed;
      return true;
    }
    if (r == Scan::kUnclosedQuote)
      return Status::Invalid("unclosed quote");
    if (end_ - begin_ >= max_record_) {
      error_line_ = line_;
      return Status::Invalid(max_record_ % (1 << 20) == 0
                                 ? fmt::format("record longer than {} MiB", max_record_ >> 20)
                                 : fmt::format("record longer than {} bytes", max_record_));
    }
    Status s = Fill();
    if (!s.ok())
      return s;
  }
}

}  // namespace liitos
