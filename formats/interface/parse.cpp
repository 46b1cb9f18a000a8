// Reading the interface format back: the receiver's answer (SPEC §5.4), stored status updates and
// whole batches (validation for tests and the test receiver). Messages name fields, never values,
// so that no personal data can reach a log through them (G6).
#include <nlohmann/json.hpp>

#include <set>

#include "formats/interface/interface.h"

namespace liitos {
namespace {

using Json = nlohmann::json;

Result<Json> ParseJson(const std::string& text, const char* what) {
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::Invalid(std::string(what) + " is not valid JSON");
  if (!j.is_object()) return Status::Invalid(std::string(what) + " is not a JSON object");
  return j;
}

// Reads obj[key] into *out. Absent is fine unless `required`; present must be a string.
Status GetString(const Json& obj, const std::string& prefix, const char* key, bool required,
                 std::optional<std::string>* out) {
  auto it = obj.find(key);
  if (it == obj.end()) {
    return required ? Status::Invalid(prefix + key + " is missing") : Status::Ok();
  }
  if (!it->is_string()) return Status::Invalid(prefix + key + " is not a string");
  *out = it->get<std::string>();
  if (required && out->value().empty()) return Status::Invalid(prefix + key + " is empty");
  return Status::Ok();
}

Status GetRequired(const Json& obj, const std::string& prefix, const char* key, std::string* out) {
  std::optional<std::string> v;
  Status s = GetString(obj, prefix, key, true, &v);
  if (s.ok()) *out = *v;
  return s;
}

Status CheckKeys(const Json& obj, const std::string& prefix, const std::set<std::string>& allowed) {
  for (const auto& [key, value] : obj.items()) {
    if (!allowed.count(key)) return Status::Invalid(prefix + "unknown field '" + key + "'");
  }
  return Status::Ok();
}

// An optional nested object (decision, message, customer) of optional strings.
Status GetObject(const Json& obj, const std::string& prefix, const char* key,
                 const std::vector<std::pair<const char*, std::optional<std::string>*>>& members) {
  auto it = obj.find(key);
  if (it == obj.end()) return Status::Ok();
  std::string inner = prefix + key + ".";
  if (!it->is_object()) return Status::Invalid(prefix + key + " is not an object");
  std::set<std::string> allowed;
  for (const auto& [name, out] : members) {
    allowed.insert(name);
    Status s = GetString(*it, inner, name, false, out);
    if (!s.ok()) return s;
  }
  return CheckKeys(*it, inner, allowed);
}

Status ReadSource(const Json& j, const std::string& prefix, StatusUpdate* u) {
  auto it = j.find("source");
  if (it == j.end()) return Status::Invalid(prefix + "source is missing");
  if (!it->is_object()) return Status::Invalid(prefix + "source is not an object");
  std::string inner = prefix + "source.";
  Status s = GetRequired(*it, inner, "name", &u->source_name);
  if (s.ok()) s = GetRequired(*it, inner, "file", &u->source_file);
  if (!s.ok()) return s;
  auto rec = it->find("record");
  if (rec == it->end()) return Status::Invalid(inner + "record is missing");
  if (!rec->is_number_unsigned()) return Status::Invalid(inner + "record is not a record number");
  u->source_record = rec->get<size_t>();
  return CheckKeys(*it, inner, {"name", "file", "record"});
}

Status ReadUpdate(const Json& j, const std::string& prefix, StatusUpdate* u) {
  if (!j.is_object()) return Status::Invalid(prefix + "is not an object");
  std::optional<std::string> type;
  Status s = GetRequired(j, prefix, "messageId", &u->message_id);
  if (s.ok()) s = GetString(j, prefix, "type", true, &type);
  if (s.ok() && *type != "status-update") s = Status::Invalid(prefix + "type is not \"status-update\"");
  if (s.ok()) s = GetRequired(j, prefix, "lvCaseId", &u->lv_case_id);
  if (s.ok()) s = GetString(j, prefix, "authorityCaseId", false, &u->authority_case_id);
  if (s.ok()) s = GetRequired(j, prefix, "status", &u->status);
  if (s.ok()) s = GetString(j, prefix, "previousStatus", false, &u->previous_status);
  if (s.ok()) s = GetRequired(j, prefix, "statusChangedAt", &u->status_changed_at);
  Decision& d = u->decision;
  if (s.ok())
    s = GetObject(j, prefix, "decision",
                  {{"id", &d.id}, {"date", &d.date}, {"code", &d.code}, {"maker", &d.maker}, {"section", &d.section}});
  if (s.ok()) s = GetObject(j, prefix, "message", {{"fi", &u->message_fi}, {"sv", &u->message_sv}});
  if (s.ok()) s = GetObject(j, prefix, "customer", {{"businessId", &u->business_id}, {"personId", &u->person_id}});
  if (s.ok()) s = GetString(j, prefix, "municipalityCode", false, &u->municipality_code);
  if (s.ok()) s = GetString(j, prefix, "handler", false, &u->handler);
  if (s.ok()) s = ReadSource(j, prefix, u);
  if (s.ok())
    s = CheckKeys(j, prefix,
                  {"messageId", "type", "lvCaseId", "authorityCaseId", "status", "previousStatus", "statusChangedAt",
                   "decision", "message", "customer", "municipalityCode", "handler", "source"});
  return s;
}

Status ReadBatch(const std::string& text) {
  auto parsed = ParseJson(text, "batch");
  if (!parsed.ok()) return parsed.status();
  const Json& j = *parsed;
  std::string version, batch_id, created_at, client;
  Status s = GetRequired(j, "", "schemaVersion", &version);
  if (s.ok() && version != "1") s = Status::Invalid("schemaVersion is not \"1\"");
  if (s.ok()) s = GetRequired(j, "", "batchId", &batch_id);
  if (s.ok()) s = GetRequired(j, "", "createdAt", &created_at);
  if (s.ok()) {
    auto sender = j.find("sender");
    if (sender == j.end()) s = Status::Invalid("sender is missing");
    else if (!sender->is_object()) s = Status::Invalid("sender is not an object");
    else s = GetRequired(*sender, "sender.", "xroadClient", &client);
  }
  if (s.ok()) s = CheckKeys(j, "", {"schemaVersion", "batchId", "createdAt", "sender", "items"});
  if (!s.ok()) return s;
  auto items = j.find("items");
  if (items == j.end()) return Status::Invalid("items is missing");
  if (!items->is_array()) return Status::Invalid("items is not an array");
  if (items->empty()) return Status::Invalid("items is empty");
  std::set<std::string> seen;
  for (size_t i = 0; i < items->size(); ++i) {
    std::string prefix = "items[" + std::to_string(i) + "]: ";
    StatusUpdate u;
    s = ReadUpdate((*items)[i], prefix, &u);
    if (!s.ok()) return s;
    if (!seen.insert(u.message_id).second) return Status::Invalid(prefix + "messageId repeats an earlier item");
  }
  return Status::Ok();
}

const std::set<std::string>& KnownResults() {
  static const std::set<std::string> results = {"accepted", "duplicate", "rejected"};
  return results;
}

Status ReadItemResult(const Json& r, const std::string& prefix, ItemResult* out) {
  if (!r.is_object()) return Status::Invalid(prefix + "is not an object");
  Status s = GetRequired(r, prefix, "messageId", &out->message_id);
  if (s.ok()) s = GetRequired(r, prefix, "result", &out->result);
  if (s.ok() && !KnownResults().count(out->result)) s = Status::Invalid(prefix + "result is not accepted, duplicate or rejected");
  if (!s.ok()) return s;
  auto err = r.find("error");
  if (err == r.end() || err->is_null()) return Status::Ok();
  if (!err->is_object()) return Status::Invalid(prefix + "error is not an object");
  std::optional<std::string> code, message;
  s = GetString(*err, prefix + "error.", "code", false, &code);
  if (s.ok()) s = GetString(*err, prefix + "error.", "message", false, &message);
  out->error_code = code.value_or("");
  out->error_message = message.value_or("");
  return s;
}

}  // namespace

Result<ReceiverAnswer> ParseReceiverAnswer(const std::string& body) {
  auto parsed = ParseJson(body, "the receiver's answer");
  if (!parsed.ok()) return parsed.status();
  const Json& j = *parsed;
  ReceiverAnswer answer;
  Status s = GetRequired(j, "answer: ", "batchId", &answer.batch_id);
  if (!s.ok()) return s;
  auto results = j.find("results");
  if (results == j.end()) return Status::Invalid("answer: results is missing");
  if (!results->is_array()) return Status::Invalid("answer: results is not an array");
  for (size_t i = 0; i < results->size(); ++i) {
    ItemResult item;
    s = ReadItemResult((*results)[i], "answer: results[" + std::to_string(i) + "].", &item);
    if (!s.ok()) return s;
    answer.results.push_back(std::move(item));
  }
  return answer;
}

Result<StatusUpdate> StatusUpdateFromJson(const std::string& json) {
  auto parsed = ParseJson(json, "status update");
  if (!parsed.ok()) return parsed.status();
  StatusUpdate u;
  Status s = ReadUpdate(*parsed, "status update: ", &u);
  if (!s.ok()) return s;
  return u;
}

Status ValidateBatch(const std::string& batch_json) { return ReadBatch(batch_json); }

}  // namespace liitos
