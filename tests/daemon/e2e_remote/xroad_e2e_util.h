#pragma once
// Helpers for end-to-end tests of X-Road delivery through the real binary against the real test
// receiver (tests/fixtures/receiver.py): the config of tests/data/e2e/xroad.toml.in, the delivery
// receipt parsed into rows, the BATCH_ATTEMPT events of the journal, `liitos status --json`.

#include <curl/curl.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/daemon/e2e/e2e_util.h"
#include "tests/transports/xroad/receiver_fixture.h"

namespace liitos::e2e {

struct XroadConfig {
  std::string url;
  std::string tls = "allow_plain_http = true";  // extra destination lines
  std::string interval = "1h";
  std::string timeout = "10s";
  int max_items = 1000;
};

// Writes root/liitos.toml from the template and makes the folders it names.
inline fs::path WriteXroadConfig(const fs::path& root, const XroadConfig& c) {
  std::string text = ReadAll(fs::path(TestData()) / "e2e/xroad.toml.in");
  ReplaceAll(&text, "@ROOT@", root.string());
  ReplaceAll(&text, "@URL@", c.url);
  ReplaceAll(&text, "@TLS@", c.tls);
  ReplaceAll(&text, "@INTERVAL@", c.interval);
  ReplaceAll(&text, "@TIMEOUT@", c.timeout);
  ReplaceAll(&text, "@MAX_ITEMS@", std::to_string(c.max_items));
  for (const char* d : {"rakval/in", "state"}) fs::create_directories(root / d);
  fs::path cfg = root / "liitos.toml";
  WriteAll(cfg, text);
  return cfg;
}

// A CSV receipt (';', CRLF, header row, no quoted cells in these tests) as rows of column -> cell.
inline std::vector<std::map<std::string, std::string>> ParseReceipt(const std::string& text) {
  auto split = [](const std::string& line) {
    std::vector<std::string> cells;
    size_t start = 0;
    for (size_t p; (p = line.find(';', start)) != std::string::npos; start = p + 1)
      cells.push_back(line.substr(start, p - start));
    cells.push_back(line.substr(start));
    return cells;
  };
  std::vector<std::map<std::string, std::string>> rows;
  std::vector<std::string> header;
  size_t start = 0;
  for (size_t p; (p = text.find("\r\n", start)) != std::string::npos; start = p + 2) {
    auto cells = split(text.substr(start, p - start));
    if (header.empty()) {
      header = cells;
      continue;
    }
    std::map<std::string, std::string> row;
    for (size_t i = 0; i < header.size() && i < cells.size(); ++i) row[header[i]] = cells[i];
    rows.push_back(std::move(row));
  }
  return rows;
}

// `liitos journal list --kind KIND --format json` as a JSON array.
inline nlohmann::json JournalEvents(const fs::path& cfg, const std::string& kind) {
  auto r = RunLiitos({"journal", "list", "--kind", kind, "--format", "json", "--config", cfg.string()});
  auto j = nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  return j.is_array() ? j : nlohmann::json::array();
}

// The one destination's entry of `liitos status --json`.
inline nlohmann::json StatusOf(const fs::path& cfg) {
  auto r = RunLiitos({"status", "--json", "--config", cfg.string()});
  auto j = nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("destinations") || j["destinations"].empty()) return nlohmann::json::object();
  return j["destinations"][0];
}

// messageIds of `csv` in file order, by `liitos convert` (the identity the service will use).
inline std::vector<std::string> MessageIds(const fs::path& cfg, const fs::path& csv) {
  auto r = RunLiitos({"convert", "--config", cfg.string(), "--profile", "rakval-csv", csv.string()});
  std::vector<std::string> ids;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_object()) ids.push_back(j.value("messageId", ""));
  }
  return ids;
}

// GET /_control of the receiver as JSON (an empty object when it does not answer).
inline nlohmann::json ReceiverControl(const testing::ReceiverFixture& rx) {
  std::string body;
  CURL* c = curl_easy_init();
  if (c == nullptr) return nlohmann::json::object();
  std::string url = rx.Url("/_control");
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 5000L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &testing::receiver_detail::CollectBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
  CURLcode rc = curl_easy_perform(c);
  curl_easy_cleanup(c);
  auto j = nlohmann::json::parse(body, nullptr, false);
  return rc == CURLE_OK && j.is_object() ? j : nlohmann::json::object();
}

// How many batch requests the receiver has begun to handle (counts a request while it still
// hangs, before it is logged). -1 when the receiver does not answer.
inline int ReceiverRequests(const testing::ReceiverFixture& rx) {
  return ReceiverControl(rx).value("requests", -1);
}

// Three updates of three cases in the rakval layout.
inline std::string Row3Csv() {
  return RakvalCsv({{"LV-2026-000401", "10", "02.11.2026"},
                    {"LV-2026-000402", "20", "03.11.2026"},
                    {"LV-2026-000403", "50", "04.11.2026"}});
}

}  // namespace liitos::e2e
