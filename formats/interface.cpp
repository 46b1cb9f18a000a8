// Writing the interface format (SPEC §5.1–5.3). Reading it back is in interface_parse.cpp.
#include "formats/interface.h"

#include <nlohmann/json.hpp>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <array>
#include <bit>
#include <charconv>
#include <cstring>

#include "base/uuid.h"
#include "formats/encoding.h"

namespace liitos {
namespace {

using OrderedJson = nlohmann::ordered_json;

// Compact, one line, UTF-8 kept as is (not \u-escaped); invalid UTF-8 becomes U+FFFD instead of
// throwing, so a stray byte can never take the pipeline down.
std::string Dump(const OrderedJson& j) { return j.dump(-1, ' ', false, OrderedJson::error_handler_t::replace); }

void PutOpt(OrderedJson& j, const char* key, const std::optional<std::string>& v) {
  if (v) j[key] = *v;
}

}  // namespace

std::string ComputeMessageId(const std::string& xroad_client, const std::string& lv_case_id,
                             const std::string& status, const std::string& status_changed_at) {
  std::string out;
  MessageIdNamer(xroad_client).Compute(lv_case_id, status, status_changed_at, &out);
  return out;
}

MessageIdNamer::MessageIdNamer(std::string_view xroad_client)
    : namer_(std::string("urn:liitos:status:").append(xroad_client).append("|")) {}

void MessageIdNamer::Compute(std::string_view lv_case_id, std::string_view status,
                             std::string_view status_changed_at, std::string* out) const {
  namer_.Name({lv_case_id, "|", status, "|", status_changed_at}, out);
}

static std::string StatusUpdateToJsonSlow(const StatusUpdate& u) {
  OrderedJson j = OrderedJson::object();
  j["messageId"] = u.message_id;
  j["type"] = "status-update";
  j["lvCaseId"] = u.lv_case_id;
  PutOpt(j, "authorityCaseId", u.authority_case_id);
  j["status"] = u.status;
  PutOpt(j, "previousStatus", u.previous_status);
  j["statusChangedAt"] = u.status_changed_at;
  if (!u.decision.empty()) {
    OrderedJson d = OrderedJson::object();
    PutOpt(d, "id", u.decision.id);
    PutOpt(d, "date", u.decision.date);
    PutOpt(d, "code", u.decision.code);
    PutOpt(d, "maker", u.decision.maker);
    PutOpt(d, "section", u.decision.section);
    j["decision"] = std::move(d);
  }
  if (u.message_fi || u.message_sv) {
    OrderedJson m = OrderedJson::object();
    PutOpt(m, "fi", u.message_fi);
    PutOpt(m, "sv", u.message_sv);
    j["message"] = std::move(m);
  }
  if (u.business_id || u.person_id) {
    OrderedJson c = OrderedJson::object();
    PutOpt(c, "businessId", u.business_id);
    PutOpt(c, "personId", u.person_id);
    j["customer"] = std::move(c);
  }
  PutOpt(j, "municipalityCode", u.municipality_code);
  PutOpt(j, "handler", u.handler);
  OrderedJson s = OrderedJson::object();
  s["name"] = u.source_name;
  s["file"] = u.source_file;
  s["record"] = u.source_record;
  j["source"] = std::move(s);
  return Dump(j);
}

namespace {

// A direct writer for the hot path (convert and intake write one update per record): the same
// bytes nlohmann's dump() gives for valid UTF-8 — non-ASCII kept, '"' '\\' and control
// characters escaped — without building a DOM. It writes through a raw pointer into space the
// caller has sized with Bound(): no capacity check per byte.
class JsonLine {
 public:
  // Bytes one value may take when written: every byte escaped as \u00XX, the quotes, and the
  // 16 bytes a whole-block store in Quote() may write past a value's end (overwritten after).
  static constexpr size_t Bound(size_t value_size) { return value_size * 6 + 2 + 16; }

  explicit JsonLine(char* p) : p_(p) {}
  template <size_t N>
  void Key(const char (&key)[N]) {
    if (need_comma_) *p_++ = ',';
    *p_++ = '"';
    std::memcpy(p_, key, N - 1);
    p_ += N - 1;
    *p_++ = '"';
    *p_++ = ':';
    need_comma_ = false;
  }
  template <size_t N>
  void Str(const char (&key)[N], const std::string& v) {
    Key(key);
    Quote(v);
    need_comma_ = true;
  }
  template <size_t N>
  void Opt(const char (&key)[N], const std::optional<std::string>& v) {
    if (v) Str(key, *v);
  }
  template <size_t N>
  void Num(const char (&key)[N], size_t v) {
    Key(key);
    Number(v);
  }
  // A number right after a key written by Raw().
  void Number(size_t v) {
    p_ = std::to_chars(p_, p_ + 24, v).ptr;
    need_comma_ = true;
  }
  template <size_t N>
  void Open(const char (&key)[N]) {
    Key(key);
    Open();
  }
  void Open() {
    *p_++ = '{';
    need_comma_ = false;
  }
  void Close() {
    *p_++ = '}';
    need_comma_ = true;
  }

  // Bytes already in JSON form (a key and its value, or several), after a comma if one is due.
  void Raw(std::string_view json) {
    if (need_comma_) *p_++ = ',';
    std::memcpy(p_, json.data(), json.size());
    p_ += json.size();
    need_comma_ = true;
  }

  char* end() const { return p_; }
  // False once any value held invalid UTF-8: the line is then unusable (see AppendStatusUpdateJson).
  bool valid() const { return valid_; }

 private:
  // Writes `v` as a JSON string. Sixteen bytes at a time (SSE2), then eight: a block or word with
  // nothing to escape is copied whole (the last, short word padded with harmless bytes); escapes
  // ('"', '\\', control characters) are written byte by byte. A value with any non-ASCII byte is
  // checked as UTF-8 once, whole.
  void Quote(const std::string& v) {
#if defined(__SSE2__) && defined(__GLIBCXX__) && _GLIBCXX_USE_CXX11_ABI
    // A value of under sixteen bytes in one block. libstdc++ keeps at least sixteen bytes behind
    // data(): the in-object buffer of a short string, or a heap buffer of capacity above 15.
    if (const size_t n = v.size(); n < 16) {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(v.data()));
      const unsigned mine = (1u << n) - 1;
      const auto top = static_cast<unsigned>(_mm_movemask_epi8(x)) & mine;
      const auto esc = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(
                           _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')), _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))),
                           _mm_cmpgt_epi8(_mm_set1_epi8(0x20), x)))) & mine & ~top;
      if (esc == 0) {
        *p_++ = '"';
        _mm_storeu_si128(reinterpret_cast<__m128i*>(p_), x);
        p_ += n;
        *p_++ = '"';
        if (top && !IsValidUtf8Masked(v.data(), n, top)) valid_ = false;
        return;
      }
    }
#endif
    Quote(std::string_view(v));
  }
  void Quote(std::string_view v) {
    static_assert(std::endian::native == std::endian::little, "byte k of a word is bits 8k to 8k+7");
    constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
    // High bit set in each byte of `w` that is below 0x20, '"' or '\\' (never for bytes >= 0x80).
    auto escapes = [](uint64_t w) {
      auto eq = [w](uint8_t b) {
        uint64_t x = w ^ (kOnes * b);
        return (x - kOnes) & ~x;
      };
      return ((w - kOnes * 0x20) & ~w & kHigh) | ((eq('"') | eq('\\')) & kHigh);
    };
    *p_++ = '"';
    const char* s = v.data();
    const size_t n = v.size();
    uint64_t seen = 0;  // OR of every word: its high bits tell whether any byte was non-ASCII
    auto word = [&](uint64_t w, size_t i, size_t len) {
      seen |= w;
      if (escapes(w) == 0) {
        std::memcpy(p_, &w, 8);
        p_ += len;
        return;
      }
      for (size_t k = i; k < i + len; ++k) Byte(static_cast<unsigned char>(s[k]));
    };
    size_t i = 0;
#if defined(__SSE2__)
    // Long values sixteen bytes at a time: a block with nothing to escape is stored whole.
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), space = _mm_set1_epi8(0x20);
    unsigned high = 0;
    while (i + 16 <= n) {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
      const auto top = static_cast<unsigned>(_mm_movemask_epi8(x));
      // Signed x < 0x20 also holds for the bytes >= 0x80, which are not escaped: `top` unmarks them.
      const auto esc = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(
                           _mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)),
                           _mm_cmpgt_epi8(space, x)))) & ~top;
      high |= top;
      if (esc == 0) {
        _mm_storeu_si128(reinterpret_cast<__m128i*>(p_), x);
        p_ += 16;
        i += 16;
        continue;
      }
      const unsigned k = static_cast<unsigned>(__builtin_ctz(esc));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(p_), x);  // the bytes before the escape stay
      p_ += k;
      Byte(static_cast<unsigned char>(s[i + k]));
      i += k + 1;
    }
    if (high) seen |= kHigh;
#endif
    for (; i + 8 <= n; i += 8) {
      uint64_t w;
      std::memcpy(&w, s + i, 8);
      word(w, i, 8);
    }
    if (i < n) {  // the last 1 to 7 bytes, in a word whose other bytes are 'a'
      const size_t len = n - i;
      uint64_t w = (kOnes * 'a') << (8 * len);
      if (n >= 8) {  // the word that ends with the value, shifted: no byte-wise copy to stall on
        uint64_t last;
        std::memcpy(&last, s + n - 8, 8);
        w |= last >> (8 * (8 - len));
      } else {
        for (size_t k = 0; k < len; ++k) w |= uint64_t{static_cast<unsigned char>(s[k])} << (8 * k);
      }
      word(w, i, len);
    }
    *p_++ = '"';
    if ((seen & kHigh) && !IsValidUtf8(v)) valid_ = false;
  }

  void Byte(unsigned char c) {
    const char* esc = nullptr;
    switch (c) {
      case '"': esc = "\\\""; break;
      case '\\': esc = "\\\\"; break;
      case '\b': esc = "\\b"; break;
      case '\f': esc = "\\f"; break;
      case '\n': esc = "\\n"; break;
      case '\r': esc = "\\r"; break;
      case '\t': esc = "\\t"; break;
      default:
        if (c >= 0x20) {
          *p_++ = static_cast<char>(c);
          return;
        }
        static const char* kHex = "0123456789abcdef";
        const char u[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        std::memcpy(p_, u, 6);
        p_ += 6;
        return;
    }
    p_[0] = esc[0];
    p_[1] = esc[1];
    p_ += 2;
  }

  char* p_;
  bool need_comma_ = false;
  bool valid_ = true;
};

size_t OptSize(const std::optional<std::string>& v) { return v ? JsonLine::Bound(v->size()) : 0; }

// `"source":{"name":…,"file":…,"record":` for the provenance of the last update written on
// this thread: every record of a file has the same, and quoting it once per file is enough.
class SourcePrefix {
 public:
  // The prefix for `name` and `file`; empty when either is not valid UTF-8 (not remembered).
  std::string_view Get(const std::string& name, const std::string& file) {
    if (!rendered_.empty() && name == name_ && file == file_) return rendered_;
    name_ = name;
    file_ = file;
    rendered_.resize(64 + JsonLine::Bound(name.size()) + JsonLine::Bound(file.size()));
    JsonLine j(rendered_.data());
    j.Key("source");
    j.Open();
    j.Str("name", name);
    j.Str("file", file);
    j.Key("record");
    rendered_.resize(j.valid() ? static_cast<size_t>(j.end() - rendered_.data()) : 0);
    return rendered_;
  }

 private:
  std::string name_, file_, rendered_;
};

}  // namespace

std::string StatusUpdateToJson(const StatusUpdate& u) {
  std::string out;
  AppendStatusUpdateJson(u, &out);
  return out;
}

size_t StatusUpdateJsonBound(const StatusUpdate& u) {
  // Keys, punctuation and the record number take well under kFixed bytes.
  constexpr size_t kFixed = 512;
  return kFixed + JsonLine::Bound(u.message_id.size()) + JsonLine::Bound(u.lv_case_id.size()) +
         OptSize(u.authority_case_id) + JsonLine::Bound(u.status.size()) + OptSize(u.previous_status) +
         JsonLine::Bound(u.status_changed_at.size()) + OptSize(u.decision.id) + OptSize(u.decision.date) +
         OptSize(u.decision.code) + OptSize(u.decision.maker) + OptSize(u.decision.section) +
         OptSize(u.message_fi) + OptSize(u.message_sv) + OptSize(u.business_id) + OptSize(u.person_id) +
         OptSize(u.municipality_code) + OptSize(u.handler) + JsonLine::Bound(u.source_name.size()) +
         JsonLine::Bound(u.source_file.size());
}

char* WriteStatusUpdateJson(const StatusUpdate& u, char* out) {
  JsonLine j(out);
  j.Open();
  j.Str("messageId", u.message_id);
  j.Raw("\"type\":\"status-update\"");
  j.Str("lvCaseId", u.lv_case_id);
  j.Opt("authorityCaseId", u.authority_case_id);
  j.Str("status", u.status);
  j.Opt("previousStatus", u.previous_status);
  j.Str("statusChangedAt", u.status_changed_at);
  if (!u.decision.empty()) {
    j.Open("decision");
    j.Opt("id", u.decision.id);
    j.Opt("date", u.decision.date);
    j.Opt("code", u.decision.code);
    j.Opt("maker", u.decision.maker);
    j.Opt("section", u.decision.section);
    j.Close();
  }
  if (u.message_fi || u.message_sv) {
    j.Open("message");
    j.Opt("fi", u.message_fi);
    j.Opt("sv", u.message_sv);
    j.Close();
  }
  if (u.business_id || u.person_id) {
    j.Open("customer");
    j.Opt("businessId", u.business_id);
    j.Opt("personId", u.person_id);
    j.Close();
  }
  j.Opt("municipalityCode", u.municipality_code);
  j.Opt("handler", u.handler);
  thread_local SourcePrefix source;
  if (std::string_view prefix = source.Get(u.source_name, u.source_file); !prefix.empty()) {
    j.Raw(prefix);
    j.Number(u.source_record);
  } else {
    j.Open("source");
    j.Str("name", u.source_name);
    j.Str("file", u.source_file);
    j.Num("record", u.source_record);
  }
  j.Close();
  j.Close();
  return j.valid() ? j.end() : nullptr;
}

void AppendStatusUpdateJson(const StatusUpdate& u, std::string* out) {
  const size_t start = out->size();
  out->resize(start + StatusUpdateJsonBound(u));
  if (char* end = WriteStatusUpdateJson(u, out->data() + start)) {
    out->resize(static_cast<size_t>(end - out->data()));
  } else {  // some value is not valid UTF-8: nlohmann's dump replaces those sequences
    out->resize(start);
    out->append(StatusUpdateToJsonSlow(u));
  }
}

std::string BatchToJson(const std::string& batch_id, const std::string& created_at,
                        const std::string& xroad_client, const std::vector<std::string>& items_json) {
  // Items are stored JSON and go in verbatim, so that the bytes journaled are the bytes sent.
  OrderedJson head = OrderedJson::object();
  head["schemaVersion"] = "1";
  head["batchId"] = batch_id;
  head["createdAt"] = created_at;
  head["sender"] = OrderedJson{{"xroadClient", xroad_client}};
  std::string out = Dump(head);
  out.pop_back();  // the closing brace
  out += ",\"items\":[";
  for (size_t i = 0; i < items_json.size(); ++i) {
    if (i > 0) out += ',';
    out += items_json[i];
  }
  out += "]}";
  return out;
}

std::string ReceiverAnswerToJson(const ReceiverAnswer& answer) {
  OrderedJson j = OrderedJson::object();
  j["batchId"] = answer.batch_id;
  OrderedJson results = OrderedJson::array();
  for (const auto& r : answer.results) {
    OrderedJson item = OrderedJson::object();
    item["messageId"] = r.message_id;
    item["result"] = r.result;
    if (!r.error_code.empty() || !r.error_message.empty()) {
      item["error"] = OrderedJson{{"code", r.error_code}, {"message", r.error_message}};
    }
    results.push_back(std::move(item));
  }
  j["results"] = std::move(results);
  return Dump(j);
}

}  // namespace liitos
