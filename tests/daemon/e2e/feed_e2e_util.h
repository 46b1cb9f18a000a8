#pragma once
// Helpers for end-to-end tests of the feeds (SPEC §11) through the real binary: the fake Luvat ja
// valvonta service (tests/fixtures/lv_service.py), a config with a dir source of fetch orders, a
// feed and an output folder (or an SFTP output), orders dropped, receipts and journal read back.

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/daemon/e2e/e2e_util.h"
#include "tests/transports/xroad/lv_service_fixture.h"

namespace liitos::e2e {

using liitos::testing::kSampleApp;
using liitos::testing::kSampleEuroApp;
using liitos::testing::kUnknownApp;
using liitos::testing::LvServiceFixture;

struct FeedOptions {
  std::string import_format = "xml";  // json | xml | csv
  std::string encoding = "iso-8859-1";
  std::string feed_extra;    // more lines of the [[feed]]
  std::string source_extra;  // more lines of the orders [[source]]
  std::string output;        // the output [[destination]] (default: a folder with done marker)
  std::string service_extra;  // more lines of [service]
  std::string orders;         // the orders [[source]] (default: a local folder, settle 100 ms)
};

class FeedE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(lv_.ok()) << lv_.error();
    fs::create_directories(root() / "tilaukset/in");
    fs::create_directories(root() / "tuonti");
  }
  fs::path root() const { return dir_.path(); }
  fs::path out() const { return root() / "tuonti"; }
  fs::path receipts() const { return root() / "tilaukset/receipts"; }

  fs::path Config(const FeedOptions& o = {}) {
    std::string text = "[service]\nstate_dir = \"" + (root() / "state").string() + "\"\n" + o.service_extra + "\n" +
                       "[interface]\nxroad_client = \"FI/MUN/0204819-8/liitos\"\n\n" +
                       (o.orders.empty() ? "[[source]]\nname = \"tilaukset\"\nkind = \"dir\"\npath = \"" +
                                               (root() / "tilaukset/in").string() +
                                               "\"\nprofile = \"lv-orders\"\nsettle = \"100ms\"\n"
                                         : o.orders + "\n") +
                       o.source_extra + "\n\n[[profile]]\nname = \"lv-orders\"\nformat = \"fetch-order\"\n\n";
    text += o.output.empty() ? "[[destination]]\nname = \"tuonti\"\nkind = \"dir\"\npath = \"" + out().string() +
                                   "\"\nprefix = \"hakemus_\"\ndone_marker = \".valmis\"\n\n"
                             : o.output + "\n\n";
    text += "[[feed]]\nname = \"hakemukset\"\norders = \"tilaukset\"\nurl = \"" + lv_.BaseUrl() +
            "\"\nallow_plain_http = true\nrequest_timeout = \"2s\"\noutput = \"tuonti\"\nimport_format = \"" +
            o.import_format + "\"\n" + o.feed_extra + "\n";
    if (o.import_format != "json") {
      text += "import_profile = \"hakemus\"\n\n[[import_profile]]\nname = \"hakemus\"\nformat = \"" + o.import_format +
              "\"\nencoding = \"" + o.encoding + "\"\n" +
              (o.import_format == "xml" ? "namespace = \"urn:example:asianhallinta:tuonti:1\"\n" : "") +
              "required = [\"Tunnus\"]\n\n[import_profile.fields]\nTunnus = \"/externalId\"\n"
              "Haettu = \"/fetchedAt\"\nHanke = \"/commondata/projectName\"\nLomake = \"/formdata\"\n";
    }
    cfg_ = root() / "liitos.toml";
    WriteAll(cfg_, text);
    return cfg_;
  }

  // Writes an order beside the inbox and renames it in.
  void Order(const std::string& name, const std::string& text) {
    WriteAll(root() / "staging" / name, text);
    fs::rename(root() / "staging" / name, root() / "tilaukset/in" / name);
  }
  RunResult Once() { return RunLiitos({"run", "--once", "--config", cfg_.string()}); }
  RunResult Liitos(std::vector<std::string> args) {
    args.insert(args.end(), {"--config", cfg_.string()});
    return RunLiitos(args);
  }

  // The order's receipt as rows of cells (header first); `;`-separated, no quoting expected
  // unless a test says so.
  std::vector<std::vector<std::string>> Receipt(const std::string& order) {
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(ReadAll(receipts() / (order + ".receipt.csv")));
    for (std::string line; std::getline(in, line);) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      std::vector<std::string> cells;
      std::string cell;
      bool quoted = false;
      for (char c : line) {
        if (c == '"') quoted = !quoted;
        else if (c == ';' && !quoted) {
          cells.push_back(cell);
          cell.clear();
        } else cell += c;
      }
      cells.push_back(cell);
      rows.push_back(cells);
    }
    return rows;
  }
  // line -> outcome, from the order's receipt.
  std::map<std::string, std::string> Outcomes(const std::string& order) {
    std::map<std::string, std::string> out;
    auto rows = Receipt(order);
    for (size_t i = 1; i < rows.size(); ++i)
      if (rows[i].size() >= 3) out[rows[i][0]] = rows[i][2];
    return out;
  }
  // Every journal event, as `journal list --format json` gives them.
  nlohmann::json Events() {
    auto r = Liitos({"journal", "list", "--format", "json"});
    return nlohmann::json::parse(r.out, nullptr, false);
  }
  std::vector<std::string> Kinds(const std::string& external_id) {
    std::vector<std::string> out;
    auto r = Liitos({"journal", "trace", external_id, "--format", "json"});
    auto events = nlohmann::json::parse(r.out, nullptr, false);
    if (events.is_array())
      for (const auto& e : events) out.push_back(e["kind"]);
    return out;
  }
  nlohmann::json Status() { return nlohmann::json::parse(Liitos({"status", "--json"}).out, nullptr, false); }
  fs::path ImportFile(const std::string& id, const std::string& ext = "xml") const {
    return out() / ("hakemus_" + id + "." + ext);
  }

  ScratchDir dir_;
  LvServiceFixture lv_;
  fs::path cfg_;
};

}  // namespace liitos::e2e
