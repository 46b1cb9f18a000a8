// Writing a batch document (SPEC §5.2).
#include "formats/interface/interface.h"
#include "formats/interface/json_dump.h"

namespace liitos {

using interface_json::Dump;
using interface_json::OrderedJson;

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

}  // namespace liitos
