#include "formats/import/lv_service.h"

#include <fmt/format.h>

#include <cctype>
#include <nlohmann/json.hpp>

#include "base/text/safe_text.h"

namespace liitos::lv {
namespace {

// Accepts any JSON value and refuses nesting deeper than kMaxDepth, without building it.
class DepthCheck : public nlohmann::json_sax<nlohmann::json> {
 public:
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return Enter(); }
  bool key(string_t&) override { return true; }
  bool end_object() override { return Leave(); }
  bool start_array(std::size_t) override { return Enter(); }
  bool end_array() override { return Leave(); }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception&) override {
    error_at_ = position;
    return false;
  }

  bool too_deep() const { return too_deep_; }
  size_t error_at() const { return error_at_; }

 private:
  bool Enter() {
    if (++depth_ > kMaxDepth) too_deep_ = true;
    return !too_deep_;
  }
  bool Leave() {
    --depth_;
    return true;
  }
  int depth_ = 0;
  bool too_deep_ = false;
  size_t error_at_ = 0;
};

bool IsHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// A JSON string literal of UTF-8 text that liitos made or checked (an id, a time).
std::string Quoted(const std::string& text) { return nlohmann::json(text).dump(); }

}  // namespace

bool IsExternalId(std::string_view t) {
  if (t.size() != 36) return false;
  for (size_t i = 0; i < t.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? t[i] != '-' : !IsHex(t[i])) return false;
  }
  return true;
}

std::string NormalizeExternalId(std::string_view t) {
  std::string out(t);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string NotAnExternalIdReason(std::string_view text) {
  constexpr size_t kShown = 60;
  std::string shown = SafeText(text.substr(0, kShown));
  if (text.size() > kShown) shown += "…";
  return fmt::format("'{}' is not an external id (a GUID: 8-4-4-4-12 hexadecimal digits)", shown);
}

std::string PartUrl(const std::string& base_url, const std::string& external_id, const std::string& part) {
  return base_url + "/commondata/" + external_id + "/" + part;
}

const std::vector<std::string>& RequestHeaders() {
  static const std::vector<std::string> headers = {"Accept: application/json"};
  return headers;
}

std::string_view PartJson(std::string_view body) {
  if (body.size() >= 3 && body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
  return body;
}

Status CheckPartBody(const std::string& part, std::string_view body) {
  std::string_view json = PartJson(body);
  if (json.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return Status::Invalid(fmt::format("{}: the answer is empty, not JSON", part));
  DepthCheck check;
  bool ok = nlohmann::json::sax_parse(json.begin(), json.end(), &check, nlohmann::json::input_format_t::json,
                                      /*strict=*/true);
  if (ok) return Status::Ok();
  if (check.too_deep()) return Status::Invalid(fmt::format("{}: JSON nested deeper than {} levels", part, kMaxDepth));
  return Status::Invalid(fmt::format("{}: the answer is not JSON (reading stopped at byte {} of {})", part,
                                     check.error_at(), json.size()));
}

Result<nlohmann::ordered_json> ParsePart(const std::string& part, std::string_view body) {
  std::string_view json = PartJson(body);
  if (json.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return Status::Invalid(fmt::format("{}: the answer is empty, not JSON", part));
  // Nesting deeper than kMaxDepth is not built at all (the callback drops it) and refused.
  bool too_deep = false;
  auto depth_check = [&](int depth, nlohmann::ordered_json::parse_event_t event, nlohmann::ordered_json&) {
    if (depth >= kMaxDepth && (event == nlohmann::ordered_json::parse_event_t::object_start ||
                              event == nlohmann::ordered_json::parse_event_t::array_start))
      too_deep = true;
    return !too_deep;
  };
  auto value = nlohmann::ordered_json::parse(json.begin(), json.end(), depth_check, /*allow_exceptions=*/false);
  if (too_deep) return Status::Invalid(fmt::format("{}: JSON nested deeper than {} levels", part, kMaxDepth));
  if (value.is_discarded()) return CheckPartBody(part, body);  // the same words for the same fault
  return value;
}

nlohmann::ordered_json ImportDocument(const std::string& external_id, const std::string& fetched_at,
                                      std::vector<std::pair<std::string, nlohmann::ordered_json>> parts) {
  nlohmann::ordered_json doc = {{"schemaVersion", "1"}, {"externalId", external_id}, {"fetchedAt", fetched_at}};
  for (auto& [name, value] : parts) doc[name] = std::move(value);
  return doc;
}

std::string ImportDocumentJson(const std::string& external_id, const std::string& fetched_at,
                               const std::vector<std::pair<std::string, std::string_view>>& parts) {
  size_t size = 96 + external_id.size() + fetched_at.size();
  for (const auto& [name, body] : parts) size += name.size() + body.size() + 8;
  std::string out;
  out.reserve(size);
  out += "{\"schemaVersion\": \"1\", \"externalId\": ";
  out += Quoted(external_id);
  out += ", \"fetchedAt\": ";
  out += Quoted(fetched_at);
  for (const auto& [name, body] : parts) {
    out += ", ";
    out += Quoted(name);
    out += ": ";
    out += PartJson(body);
  }
  out += "}\n";
  return out;
}

std::string ImportFileName(const std::string& prefix, const std::string& external_id, ImportFormat format) {
  const char* ext = format == ImportFormat::kXml ? ".xml" : format == ImportFormat::kCsv ? ".csv" : ".json";
  return prefix + external_id + ext;
}

}  // namespace liitos::lv
