// [[source]] (where legacy exports are picked up, SPEC §3) and [[destination]] (where batches go,
// SPEC §5.4–5.6): the keys every kind has. Each kind's own keys are parsed by its transport,
// through the parser that the kind table (config/kinds.h) names.

#include <fmt/format.h>

#include <algorithm>

#include "config/sections.h"

namespace liitos::config_detail {
namespace {

bool IsSourceName(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

// "/srv/x/in/" -> "/srv/x/in"; the root stays "/".
std::string TrimSlashes(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Reads `kind` (one of `specs`), lets that kind parse its own keys, and refuses the keys of the
// other kinds. When kind is missing or wrong, that is the error, not every key of the kinds.
template <class Spec, class Cfg>
void LoadKindKeys(TableReader& t, const std::vector<Spec>& specs, const char* what, Cfg* cfg) {
  std::vector<std::string_view> names;
  for (const Spec& s : specs) names.push_back(s.kind);
  int index = -1;
  t.Choice("kind", names, &index, true);
  if (index < 0) {
    for (const Spec& s : specs) t.Allow(s.keys);
    return;
  }
  const Spec& spec = specs[static_cast<size_t>(index)];
  cfg->kind = std::string(spec.kind);
  spec.parse(t, cfg);
  const std::string why = fmt::format("is not a key of kind = \"{}\" {}", spec.kind, what);
  for (const Spec& other : specs)
    if (&other != &spec) t.Forbid(other.keys, why);
}

// Loads each table of the array `key` with `load`, and checks that names are unique.
template <class Cfg, class Fn>
void LoadEach(TableReader& root, std::string_view key, const char* what, std::vector<Cfg>* out, Fn load) {
  std::vector<std::string> names;
  ForEachTable(root, key, [&](const toml::table& table, const std::string& label) {
    TableReader t(table, label, root.sink());
    Cfg c;
    load(t, &c);
    t.ReportUnknown();
    if (!c.name.empty()) CheckUnique(t, &names, c.name, what);
    out->push_back(std::move(c));
  });
}

void LoadSourceCommon(TableReader& t, SourceConfig* s) {
  if (t.NonEmptyString("name", &s->name, true) && !IsSourceName(s->name))
    t.Error("name", fmt::format("'{}' may use only a-z, 0-9, '_' and '-'", s->name));
  t.StringList("include", &s->include);
  t.NonEmptyString("receipts", &s->receipts);
  int format = 0;
  static const char* const kFormats[] = {"csv", "xml"};
  if (t.Choice("receipt_format", {"csv", "xml"}, &format)) s->receipt_format = kFormats[format];
  int after = 0;
  if (t.Choice("after", {"archive", "delete"}, &after)) s->after = static_cast<AfterTake>(after);
  t.OptString("done_marker", &s->done_marker);
  t.Duration("settle", &s->settle, /*allow_zero=*/true);
  t.Size("max_file_size", &s->max_file_size);
  if (t.NonEmptyString("path", &s->path, true)) s->path = TrimSlashes(s->path);
}

// profile and destination must name tables of this file; a lone destination is the default. A
// destination that is a feed's output (`feed_outputs`) takes import files, not status batches;
// a source of fetch orders names no destination (its feed's output says where files go).
void LoadReferences(TableReader& t, const Config& config, const std::vector<std::string>& feed_outputs,
                    SourceConfig* s) {
  const ProfileConfig* profile = nullptr;
  if (t.NonEmptyString("profile", &s->profile, true) && !(profile = config.FindProfile(s->profile)))
    t.Error("profile", fmt::format("no [[profile]] is named '{}'", s->profile));
  if (profile && profile->format == RecordFormat::kFetchOrder) {
    t.Forbid({"destination"}, "does not apply to a source of fetch orders: its [[feed]]'s output says where "
                              "import files go");
    if (!t.Has("include")) s->include = {"*.txt", "*.csv"};
    return;
  }
  std::vector<std::string> status_destinations;
  for (const auto& d : config.destinations)
    if (!Contains(feed_outputs, d.name)) status_destinations.push_back(d.name);
  if (t.NonEmptyString("destination", &s->destination)) {
    if (!config.FindDestination(s->destination))
      t.Error("destination", fmt::format("no [[destination]] is named '{}'", s->destination));
    else if (Contains(feed_outputs, s->destination))
      t.Error("destination", fmt::format("'{}' is a [[feed]]'s output (import files), not a destination for "
                                         "status updates", s->destination));
  } else if (!t.Has("destination")) {
    if (status_destinations.size() == 1) {
      s->destination = status_destinations[0];
    } else if (status_destinations.empty()) {
      t.ErrorAtTable("destination", "is required, and no [[destination]] is configured");
    } else {
      t.ErrorAtTable("destination", "is required when there is more than one [[destination]]");
    }
  }
}

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

}  // namespace

void LoadSources(TableReader& root, const Config& config, const KindSpecs& kinds, std::vector<SourceConfig>* out) {
  const std::vector<std::string> feed_outputs = FeedOutputNames(root.table());
  LoadEach(root, "source", "source", out, [&](TableReader& t, SourceConfig* s) {
    LoadSourceCommon(t, s);
    LoadReferences(t, config, feed_outputs, s);
    LoadKindKeys(t, kinds.sources, "sources", s);
  });
}

void LoadDestinations(TableReader& root, const KindSpecs& kinds, std::vector<DestinationConfig>* out) {
  const std::vector<std::string> feed_outputs = FeedOutputNames(root.table());
  LoadEach(root, "destination", "destination", out, [&](TableReader& t, DestinationConfig* d) {
    t.NonEmptyString("name", &d->name, true);
    LoadSchedule(t, Contains(feed_outputs, d->name), d);
    int64_t items = d->max_batch_items;
    if (t.Int("max_batch_items", 1, 10000, &items)) d->max_batch_items = static_cast<int>(items);
    LoadKindKeys(t, kinds.destinations, "destinations", d);
  });
}

}  // namespace liitos::config_detail
