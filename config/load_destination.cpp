// [[destination]]: where batches go (SPEC §5.4–5.6).

#include <fmt/format.h>

#include <algorithm>

#include "config/sections.h"

namespace liitos::config_detail {
namespace {

const std::vector<std::string_view> kXroadKeys = {
    "url", "ca_file", "client_cert", "client_key", "allow_plain_http", "request_timeout", "give_up_after"};
const std::vector<std::string_view> kFileKeys = {"path", "prefix", "done_marker"};

// A feed's output (`import_output`) writes import files as soon as an application is fetched:
// it needs no schedule (SPEC §11), and may have none.
void LoadSchedule(TableReader& t, bool import_output, DestinationConfig* d) {
  bool has_schedule = t.Has("schedule"), has_interval = t.Has("interval");
  std::string text;
  if (t.String("schedule", &text)) {
    Result<CronExpr> cron = CronExpr::Parse(text);
    if (cron.ok()) {
      d->schedule = *cron;
    } else {
      t.Error("schedule", fmt::format("'{}' is not a cron expression: {}", text, cron.status().message()));
    }
  }
  Millis interval{0};
  if (t.Duration("interval", &interval)) d->interval = interval;
  if (has_schedule && has_interval) {
    t.Error("interval", "set either schedule or interval, not both");
  } else if (!has_schedule && !has_interval && !import_output) {
    t.ErrorAtTable("schedule", "is required (a cron expression), or set interval instead");
  }
}

void LoadXroad(TableReader& t, DestinationConfig* d) {
  t.Bool("allow_plain_http", &d->allow_plain_http);
  if (t.NonEmptyString("url", &d->url, true)) {
    bool https = d->url.rfind("https://", 0) == 0 && d->url.size() > 8;
    bool http = d->url.rfind("http://", 0) == 0 && d->url.size() > 7;
    if (http && !d->allow_plain_http) {
      t.Error("url", "plain http:// is refused unless allow_plain_http = true; use https://");
    } else if (!https && !http) {
      t.Error("url", fmt::format("'{}' is not an https:// URL", d->url));
    }
  }
  t.OptString("ca_file", &d->ca_file);
  t.OptString("client_cert", &d->client_cert);
  t.OptString("client_key", &d->client_key);
  if (d->client_cert.has_value() != d->client_key.has_value()) {
    t.Error(d->client_cert ? "client_cert" : "client_key",
            "client_cert and client_key go together: set both or neither");
  }
  t.Duration("request_timeout", &d->request_timeout);
  t.Duration("give_up_after", &d->give_up_after);
}

void LoadFileKeys(TableReader& t, DestinationConfig* d) {
  t.NonEmptyString("path", &d->path, true);
  if (t.String("prefix", &d->prefix) && d->prefix.find('/') != std::string::npos)
    t.Error("prefix", "must not contain '/'");
  t.OptString("done_marker", &d->done_marker);
}

void LoadDestination(TableReader& t, const std::vector<std::string>& feed_outputs, DestinationConfig* d) {
  t.NonEmptyString("name", &d->name, true);
  bool import_output = std::find(feed_outputs.begin(), feed_outputs.end(), d->name) != feed_outputs.end();
  LoadSchedule(t, import_output, d);
  int64_t items = d->max_batch_items;
  if (t.Int("max_batch_items", 1, 10000, &items)) d->max_batch_items = static_cast<int>(items);
  int kind = -1;
  t.Choice("kind", {"xroad", "dir", "sftp"}, &kind, true);
  if (kind >= 0) d->kind = static_cast<DestinationKind>(kind);
  switch (kind) {
    case 0:
      LoadXroad(t, d);
      t.Forbid(kFileKeys, "is not a key of kind = \"xroad\" destinations");
      t.Forbid(kSftpEndpointKeys, "is not a key of kind = \"xroad\" destinations");
      break;
    case 1:
      LoadFileKeys(t, d);
      t.Forbid(kXroadKeys, "is not a key of kind = \"dir\" destinations");
      t.Forbid(kSftpEndpointKeys, "is not a key of kind = \"dir\" destinations");
      break;
    case 2:
      LoadFileKeys(t, d);
      LoadSftpEndpoint(t, &d->sftp);
      t.Forbid(kXroadKeys, "is not a key of kind = \"sftp\" destinations");
      break;
    default:  // kind is missing or wrong: that is the error, not every key of the kinds
      t.Allow(kXroadKeys);
      t.Allow(kFileKeys);
      t.Allow(kSftpEndpointKeys);
  }
  t.ReportUnknown();
}

}  // namespace

void LoadDestinations(TableReader& root, std::vector<DestinationConfig>* out) {
  const std::vector<std::string> feed_outputs = FeedOutputNames(root.table());
  std::vector<std::string> names;
  ForEachTable(root, "destination", [&](const toml::table& table, const std::string& label) {
    TableReader t(table, label, root.sink());
    DestinationConfig d;
    LoadDestination(t, feed_outputs, &d);
    if (!d.name.empty()) CheckUnique(t, &names, d.name, "destination");
    out->push_back(std::move(d));
  });
}

}  // namespace liitos::config_detail
