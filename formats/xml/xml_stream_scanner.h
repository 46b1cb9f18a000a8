#pragma once
// The tokenizer of the streaming XML reader (formats/xml/xml_stream.h): start and end tags, one at a
// time, from a Utf8Source, through a buffer that holds the current token, or the current record
// (see SetMark), and little else.
//
// Its grammar is pugixml's with parse_default, so that it accepts and refuses exactly the
// documents the DOM reader does: names are runs of pugixml's symbol characters, an attribute
// needs a blank before it and a quoted value (which may hold '<' and '>'), comments end at the
// first "-->", end tags must repeat their start tag's name, a NUL byte ends the document, and
// text and more elements after the root are tokenized (formats/xml/xml_rules.h refuses them: see
// content_after_root). It keeps the names of the open elements
// (up to XmlReader::kMaxDepth) and notes the first element deeper than that.
//
// Single-threaded; borrows the source, which must outlive it.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "formats/xml/xml_stream_source.h"

namespace liitos {

// One attribute of the current start tag: buffer indices, valid until the next Next().
struct XmlAttr {
  size_t name = 0, name_len = 0, value = 0, value_len = 0;  // the value as written
  char quote = '"';
};

// What XmlScanner::Next found.
enum class XmlEvent {
  kStart,      // a start tag or an empty-element tag: token() tells
  kEnd,        // an end tag
  kDone,       // the end of the document: of the file, or a NUL byte
  kMalformed,  // the token at token().begin breaks pugixml's grammar (token().what/at: ours)
  kDoctype,    // "<!DOCTYPE", in any case, at token().begin
  kBadBytes,   // an invalid byte sequence: source().bad()
};

struct XmlToken {
  size_t begin = 0, end = 0;  // buffer indices of its '<' and one past its '>'
  size_t name = 0, name_len = 0;
  bool empty = false;     // "<a/>"
  size_t depth = 0;       // of the element started or ended: 1 for a root
  const char* what = "";  // kMalformed: a description in pugixml's words
  size_t at = 0;          // kMalformed: where (buffer index)
};

class XmlScanner {
 public:
  static constexpr size_t kNoMark = std::string::npos;

  XmlScanner(Utf8Source* source, size_t chunk) : src_(source), chunk_(chunk == 0 ? 1 : chunk) {}
  XmlScanner(const XmlScanner&) = delete;
  XmlScanner& operator=(const XmlScanner&) = delete;

  // The next start or end tag; text, comments, PIs and CDATA sections are stepped over. After
  // kMalformed, kDoctype or kBadBytes only Window() and Drain() may be used. A non-ok Status only
  // for read errors.
  Result<XmlEvent> Next();

  const XmlToken& token() const { return tok_; }
  const std::vector<XmlAttr>& attrs() const { return attrs_; }
  std::string_view Text(size_t begin, size_t len) const { return {buf_.data() + begin, len}; }
  uint64_t StreamOffset(size_t index) const { return base_ + index; }  // in the UTF-8 text
  size_t depth() const { return names_at_.size() + overflow_; }        // open elements
  Utf8Source& source() { return *src_; }

  // The buffer keeps everything from buffer index `index` on, until ClearMark(): a record.
  // Indices move as the buffer is refilled: read mark() again after Next()/SkipElement().
  void SetMark(size_t index) { mark_ = index; }
  void ClearMark() { mark_ = kNoMark; }
  size_t mark() const { return mark_; }

  // Right after the kStart of a non-empty element: steps over its content to the end of its end
  // tag — finding quotes, comments, CDATA sections and PIs, checking nothing else (the whole
  // document was checked by an earlier scan) — and closes it; token().end is then one past that
  // end tag. False when the text ends first, or at invalid bytes (source().bad()).
  Result<bool> SkipElement();

  // True once a byte other than XML blanks was seen: the empty-file check.
  bool saw_content() const { return saw_content_; }
  // True when "<!" occurs in an attribute value or a processing instruction, where
  // RefuseDoctype (which scans the raw text) may see a declaration this tokenizer does not.
  bool doctype_lexically_ambiguous() const { return lexical_risk_; }
  // The first element deeper than XmlReader::kMaxDepth: the offset of its name.
  std::optional<uint64_t> too_deep() const { return too_deep_; }
  // The rules of formats/xml/xml_rules.h, as the tokens go by: the first bad reference in text or an
  // attribute value (its '&'), and the first content after the root element (a non-blank
  // character of text, or the '<' of anything but a comment or processing instruction).
  const std::optional<std::pair<uint64_t, std::string>>& bad_reference() const {
    return bad_reference_;
  }
  std::optional<uint64_t> content_after_root() const { return after_root_; }

  // The offset of the NUL byte that ended the document, if one did (until Drain()).
  std::optional<uint64_t> nul_offset() const {
    return nul_ ? std::optional<uint64_t>(base_ + limit_) : std::nullopt;
  }

  // What pugixml would be parsing when it fails in the token at buffer index `from`: the open
  // elements put back as start tags, a stand-in for the text before the token when that is not
  // blank (pugixml ends a document differently after text), and the rest of the buffer. Take it
  // before Drain().
  struct ErrorWindow {
    std::string text;
    size_t prefix = 0;    // synthetic bytes before the buffer's own text
    uint64_t base = 0;    // text offset of text[prefix]
    bool to_end = false;  // the buffer's text runs to the end of the file
    bool usable = false;  // false when elements deeper than the names kept are open
  };
  ErrorWindow Window(size_t from) const;

  // Reads the rest of the file: for invalid bytes (source().bad()) and, given `from`, for the
  // first "<!DOCTYPE" at or after buffer index `from` as RefuseDoctype (formats/xml/xml_text.h) finds
  // one — comments and CDATA sections skipped, nothing else. Returns its offset.
  Result<std::optional<uint64_t>> Drain(std::optional<size_t> from);

  // After Drain(): the file's last byte (0 when empty) and the length of its text.
  char last_byte() const { return last_byte_; }
  uint64_t total() const { return base_ + buf_.size(); }

 private:
  enum class Parse { kOk, kNeedMore, kError, kDoctype };

  // Reads more text, dropping buffer indices before `keep` (and before the mark, never).
  // At least doubles what is kept, so a long token is rescanned a bounded number of times.
  // False at the end of the file or at invalid bytes.
  Result<bool> Fill(size_t keep);
  bool AtEnd() const { return nul_ || src_eof_; }

  Parse Error(const char* what, size_t at) {
    tok_.what = what;
    tok_.at = at;
    return Parse::kError;
  }
  Parse ParseToken(size_t b);
  Parse ParseStart(size_t b);
  Parse ParseEnd(size_t b);
  Parse ParsePi(size_t b);
  Parse ParseBang(size_t b);
  size_t SkipTag(size_t b, int* depth_change) const;  // one past the tag at b; kNoMark: need more
  size_t Find(std::string_view what, size_t from) const;  // in [from, limit_), or kNoMark
  void Push(size_t name, size_t len);
  void Pop();
  // Applies the rules to the text [b, e); returns the index of a '&' whose reference runs past
  // the buffer (read more, keeping it), else kNoMark.
  size_t CheckText(size_t b, size_t e);
  void CheckReferences(size_t b, size_t e);  // in an attribute value, whole in the buffer

  Utf8Source* src_;
  size_t chunk_;
  std::string buf_;
  size_t pos_ = 0;     // the next unread byte
  size_t limit_ = 0;   // the end of what the tokenizer may read: buf_.size() or a NUL byte
  uint64_t base_ = 0;  // text offset of buf_[0]
  size_t mark_ = kNoMark;
  size_t text_start_ = 0;       // where the text since the last token begins
  bool text_nonspace_ = false;  // a part of that text already dropped was not blank
  bool nul_ = false, src_eof_ = false, bad_ = false, draining_ = false;
  bool saw_content_ = false, lexical_risk_ = false;
  char last_byte_ = 0;
  XmlToken tok_;
  std::vector<XmlAttr> attrs_;
  std::string names_;             // the open elements' names, one after the other
  std::vector<size_t> names_at_;  // where each starts in names_
  size_t overflow_ = 0;           // open elements deeper than kMaxDepth (names not kept)
  std::optional<uint64_t> too_deep_;
  bool root_closed_ = false;
  std::optional<uint64_t> after_root_;
  std::optional<std::pair<uint64_t, std::string>> bad_reference_;
};

// pugixml's description and text offset of the error in `window`, given the file's last byte
// and the length of its text (pugixml parses all but the last byte and treats that one
// specially, also at a NUL byte). nullopt when pugixml does not fail within the window's own
// text; *accepted then tells whether it parsed it without error.
std::optional<std::pair<std::string, uint64_t>> PugixmlError(XmlScanner::ErrorWindow window,
                                                             char last_byte, uint64_t total,
                                                             bool* accepted);

}  // namespace liitos
