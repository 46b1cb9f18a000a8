// Writing the interface format (SPEC §5.1–5.3). Reading it back is in interface_parse.cpp.
#include "formats/interface.h"

#include <nlohmann/json.hpp>

#include "base/uuid.h"

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
  std::string name = "urn:liitos:status:" + xroad_client + "|" + lv_case_id + "|" + status + "|" + status_changed_at;
  return UuidV5(kUuidNamespaceUrl, name);
}

std::string StatusUpdateToJson(const StatusUpdate& u) {
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
