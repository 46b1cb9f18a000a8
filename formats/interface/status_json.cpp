// Writing a status update (SPEC §5.1, §5.3). Batches are in batch_json.cpp, reading back in
// parse.cpp.
#include "formats/interface/interface.h"

#include <nlohmann/json.hpp>

#include <array>
#include <bit>
#include <charconv>
#include <cstring>

#include "base/text/fast_bytes.h"
#include "base/crypto/uuid.h"
#include "formats/encoding.h"
#include "formats/interface/json_dump.h"

namespace liitos {
namespace {

using interface_json::Dump;
using interface_json::OrderedJson;

void PutOpt(OrderedJson& j, const char* key, const std::optional<std::string>& v) {
  if (v) j[key] = *v;
}

}  // namespace

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
  // Bytes one value may take when written.
  static constexpr size_t Bound(size_t value_size) { return JsonStringBound(value_size); }

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
  // Writes `v` as a JSON string; a value with any non-ASCII byte is checked as UTF-8, whole.
  void Quote(std::string_view v) {
    bool non_ascii = false;
    p_ = WriteJsonString(p_, v, &non_ascii);
    if (non_ascii && !IsValidUtf8(v)) valid_ = false;
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
  // The writer reserved the worst case (every byte escaped), four times the text or more; a
  // payload is held until its round is journaled, so it keeps only what it uses.
  out.shrink_to_fit();
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

}  // namespace liitos
