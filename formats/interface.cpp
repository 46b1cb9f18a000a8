// Writing the interface format (SPEC §5.1–5.3). Reading it back is in interface_parse.cpp.
#include "formats/interface.h"

#include <nlohmann/json.hpp>

#include <array>
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
// characters escaped — without building a DOM.
class JsonLine {
 public:
  explicit JsonLine(std::string* out) : out_(out) {}
  void Key(std::string_view key) {
    out_->append(need_comma_ ? ",\"" : "\"");
    out_->append(key);
    out_->append("\":");
    need_comma_ = false;
  }
  void Str(const char* key, std::string_view v) {
    Key(key);
    Quote(v);
    need_comma_ = true;
  }
  void Opt(const char* key, const std::optional<std::string>& v) {
    if (v) Str(key, *v);
  }
  void Num(const char* key, size_t v) {
    Key(key);
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out_->append(buf, static_cast<size_t>(end - buf));
    need_comma_ = true;
  }
  void Open(const char* key) {
    if (key) Key(key);
    out_->push_back('{');
    need_comma_ = false;
  }
  void Close() {
    out_->push_back('}');
    need_comma_ = true;
  }

  // False once any value held invalid UTF-8: the line is then unusable (see AppendStatusUpdateJson).
  bool valid() const { return valid_; }

 private:
  // Appends `v` as a JSON string; checks its UTF-8 on the way. Eight bytes at a time while they
  // are plain printable ASCII; escapes '"', '\\' and control characters; validates each run of
  // non-ASCII bytes (a UTF-8 sequence never mixes with ASCII bytes).
  void Quote(std::string_view v) {
    static constexpr auto kEscape = [] {
      std::array<bool, 256> t{};
      for (int c = 0; c < 0x20; ++c) t[c] = true;
      t['"'] = t['\\'] = true;
      return t;
    }();
    constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
    auto has_byte = [&](uint64_t w, uint8_t b) {
      uint64_t x = w ^ (kOnes * b);
      return (x - kOnes) & ~x & kHigh;
    };
    out_->push_back('"');
    const char* p = v.data();
    const size_t n = v.size();
    size_t i = 0, run = 0;  // `run`: start of the bytes not yet appended
    while (i < n) {
      while (i + 8 <= n) {
        uint64_t w;
        std::memcpy(&w, p + i, 8);
        if ((w & kHigh) | ((w - kOnes * 0x20) & ~w & kHigh) | has_byte(w, '"') | has_byte(w, '\\')) break;
        i += 8;
      }
      if (i >= n) break;
      auto c = static_cast<unsigned char>(p[i]);
      if (c >= 0x80) {
        size_t end = i;
        while (end < n && static_cast<unsigned char>(p[end]) >= 0x80) ++end;
        if (!IsValidUtf8(std::string_view(p + i, end - i))) valid_ = false;
        i = end;
        continue;
      }
      if (!kEscape[c]) {
        ++i;
        continue;
      }
      out_->append(p + run, i - run);
      run = ++i;
      switch (c) {
        case '"': out_->append("\\\""); break;
        case '\\': out_->append("\\\\"); break;
        case '\b': out_->append("\\b"); break;
        case '\f': out_->append("\\f"); break;
        case '\n': out_->append("\\n"); break;
        case '\r': out_->append("\\r"); break;
        case '\t': out_->append("\\t"); break;
        default: {
          static const char* kHex = "0123456789abcdef";
          const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
          out_->append(esc, 6);
        }
      }
    }
    out_->append(p + run, n - run);
    out_->push_back('"');
  }
  std::string* out_;
  bool need_comma_ = false;
  bool valid_ = true;
};


}  // namespace

std::string StatusUpdateToJson(const StatusUpdate& u) {
  std::string out;
  out.reserve(512);
  AppendStatusUpdateJson(u, &out);
  return out;
}

void AppendStatusUpdateJson(const StatusUpdate& u, std::string* out) {
  const size_t start = out->size();
  JsonLine j(out);
  j.Open(nullptr);
  j.Str("messageId", u.message_id);
  j.Str("type", "status-update");
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
  j.Open("source");
  j.Str("name", u.source_name);
  j.Str("file", u.source_file);
  j.Num("record", u.source_record);
  j.Close();
  j.Close();
  if (!j.valid()) {  // some value is not valid UTF-8: nlohmann's dump replaces those sequences
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
