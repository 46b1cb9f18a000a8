// The streaming XML scanner when it stops at a malformed token (see xml_stream_scanner.h): the
// window of text pugixml would need to word its message alike, and the rest of the file drained
// for the facts that message depends on. Error paths only.
#include <algorithm>
#include <cstring>

#include <pugixml.hpp>

#include "formats/xml/xml_stream_scanner.h"

namespace liitos {

XmlScanner::ErrorWindow XmlScanner::Window(size_t from) const {
  ErrorWindow w;
  if (overflow_ > 0 || from > buf_.size())
    return w;
  for (size_t k = 0; k < names_at_.size(); ++k) {
    size_t end = k + 1 < names_at_.size() ? names_at_[k + 1] : names_.size();
    w.text += '<';
    w.text.append(names_, names_at_[k], end - names_at_[k]);
    w.text += '>';
  }
  bool text_before = text_nonspace_;
  for (size_t i = std::min(text_start_, from); i < from && !text_before; ++i)
    text_before = !IsXmlSpace(buf_[i]);
  if (text_before)
    w.text += 'x';
  w.prefix = w.text.size();
  w.text.append(buf_, from);
  w.base = base_ + from;
  w.to_end = src_eof_;
  w.usable = true;
  return w;
}

std::optional<std::pair<std::string, uint64_t>> PugixmlError(XmlScanner::ErrorWindow w,
                                                             char last_byte, uint64_t total,
                                                             bool* accepted) {
  if (!w.usable)
    return std::nullopt;
  if (w.base + (w.text.size() - w.prefix) == total)
    w.to_end = true;  // the buffer held the rest of the file after all
  if (!w.to_end)
    w.text += last_byte;
  pugi::xml_document doc;
  pugi::xml_parse_result r = doc.load_buffer_inplace(w.text.data(), w.text.size(),
                                                     pugi::parse_default, pugi::encoding_utf8);
  auto at = static_cast<size_t>(std::max<ptrdiff_t>(r.offset, 0));
  *accepted = static_cast<bool>(r);
  if (r || at < w.prefix)
    return std::nullopt;
  if (!w.to_end && at + 1 >= w.text.size())
    return std::make_pair(std::string(r.description()), total > 0 ? total - 1 : 0);
  return std::make_pair(std::string(r.description()), w.base + (at - w.prefix));
}

Result<std::optional<uint64_t>> XmlScanner::Drain(std::optional<size_t> from) {
  std::optional<uint64_t> doctype;
  bool scanning = from.has_value();
  size_t p = from.value_or(0);
  draining_ = true;  // past a NUL too: RefuseDoctype and the decoder see the whole file
  nul_ = false;
  mark_ = kNoMark;
  limit_ = buf_.size();
  for (;;) {
    bool at_end = src_eof_ || bad_;
    while (scanning) {
      size_t lt = Find("<!", p);
      if (lt == kNoMark) {
        p = std::max(p, buf_.empty() ? size_t{0} : buf_.size() - 1);  // a '<' may end the buffer
        break;
      }
      std::string_view rest = Text(lt + 2, buf_.size() - lt - 2);
      if (rest.size() < 7 && !at_end) {
        p = lt;
        break;
      }
      bool comment = rest.starts_with("--");
      if (comment || rest.starts_with("[CDATA[")) {
        size_t e = comment ? Find("-->", lt + 4) : Find("]]>", lt);
        if (e == kNoMark && !at_end) {  // its end may be in what is still to be read
          p = lt;
          break;
        }
        if (e == kNoMark) {  // unterminated: RefuseDoctype looks on inside it
          p = lt + 2;
          continue;
        }
        p = e + 3;
        continue;
      }
      std::string word;
      for (size_t i = 0; i < 7 && i < rest.size(); ++i)
        word += static_cast<char>(rest[i] >= 'a' && rest[i] <= 'z' ? rest[i] - 32 : rest[i]);
      if (word == "DOCTYPE") {
        doctype = base_ + lt;
        scanning = false;
      }
      p = lt + 2;
    }
    if (at_end)
      return doctype;
    size_t keep = scanning ? p : buf_.size();
    auto more = Fill(keep);
    if (!more.ok())
      return more.status();
    p -= std::min(p, keep);
  }
}


}  // namespace liitos
