// [[import_profile]] and [[feed]]: applications fetched from Luvat ja valvonta and written as
// import files for the legacy system (SPEC §11).

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "config/sections.h"

namespace liitos::config_detail {
namespace {

const std::vector<std::string_view> kXmlOnlyKeys = {"root", "record", "namespace"};

bool IsFeedName(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

// An XML element name without a prefix (an NCName, ASCII letters only for the first character
// is not required: any non-ASCII byte is let through as part of a letter).
bool IsElementName(const std::string& name) {
  if (name.empty()) return false;
  auto start = [](unsigned char c) { return c == '_' || std::isalpha(c) || c >= 0x80; };
  auto rest = [&](unsigned char c) { return start(c) || std::isdigit(c) || c == '-' || c == '.'; };
  if (!start(static_cast<unsigned char>(name[0]))) return false;
  if (name.size() >= 3 && (name[0] == 'x' || name[0] == 'X') && (name[1] == 'm' || name[1] == 'M') &&
      (name[2] == 'l' || name[2] == 'L'))
    return false;  // names beginning with "xml" are reserved
  return std::all_of(name.begin() + 1, name.end(), [&](char c) { return rest(static_cast<unsigned char>(c)); });
}

// RFC 6901: "" (the whole document) or "/"-separated tokens where '~' is followed by 0 or 1.
// Returns the problem, or "".
std::string CheckPointer(const std::string& p) {
  if (p.empty()) return "";
  if (p[0] != '/') return fmt::format("'{}' is not a JSON pointer (RFC 6901): it must start with '/'", p);
  for (size_t i = 0; i < p.size(); ++i)
    if (p[i] == '~' && (i + 1 == p.size() || (p[i + 1] != '0' && p[i + 1] != '1')))
      return fmt::format("'{}' is not a JSON pointer (RFC 6901): '~' must be followed by 0 or 1", p);
  return "";
}

void LoadImportDelimiter(TableReader& t, ImportProfileConfig* p) {
  std::string text;
  if (!t.String("delimiter", &text)) return;
  if (text == "\\t") text = "\t";
  if (text.size() != 1 || text[0] == '"' || text[0] == '\n' || text[0] == '\r') {
    t.Error("delimiter", fmt::format("'{}' is not a single one-byte character other than a quote or a line break",
                                     text));
  } else {
    p->delimiter = text[0];
  }
}

void LoadImportFields(TableReader& t, ImportProfileConfig* p) {
  for (const auto& [name, node] : t.StringEntries("fields")) {
    std::string key = JoinKey(t.Key("fields"), name);
    std::string pointer = EntryText(*node);
    if (p->format == ImportFormat::kXml && !IsElementName(name)) {
      t.sink()->Add(node->source(), key, fmt::format("'{}' is not an XML element name", name));
    } else if (std::string problem = CheckPointer(pointer); !problem.empty()) {
      t.sink()->Add(node->source(), key, problem);
    }
    p->fields.emplace_back(name, pointer);
  }
  if (p->fields.empty() && !t.Has("fields")) t.Missing("fields");
  if (t.StringList("required", &p->required, /*allow_empty_list=*/true)) {
    for (const std::string& name : p->required) {
      bool mapped = std::any_of(p->fields.begin(), p->fields.end(), [&](const auto& f) { return f.first == name; });
      if (!mapped) t.Error("required", fmt::format("'{}' is not one of the fields", name));
    }
  }
}

void LoadImportProfile(TableReader& t, ImportProfileConfig* p) {
  t.NonEmptyString("name", &p->name, true);
  int format = -1;
  if (t.Choice("format", {"xml", "csv"}, &format, true))
    p->format = format == 0 ? ImportFormat::kXml : ImportFormat::kCsv;
  static const char* const kEncodings[] = {"utf-8", "iso-8859-1", "windows-1252"};
  int enc = 0;
  if (t.Choice("encoding", {"utf-8", "iso-8859-1", "windows-1252"}, &enc)) p->encoding = kEncodings[enc];
  if (format == 0) {
    for (auto [key, out] : {std::pair{"root", &p->root}, std::pair{"record", &p->record}}) {
      if (t.NonEmptyString(key, out) && !IsElementName(*out))
        t.Error(key, fmt::format("'{}' is not an XML element name", *out));
    }
    t.String("namespace", &p->namespace_uri);
    t.Forbid({"delimiter"}, "applies only to format = \"csv\"");
  } else if (format == 1) {
    LoadImportDelimiter(t, p);
    t.Forbid(kXmlOnlyKeys, "applies only to format = \"xml\"");
  } else {
    t.Allow(kXmlOnlyKeys);
    t.Allow({"delimiter"});
  }
  LoadImportFields(t, p);
  t.ReportUnknown();
}

void LoadFeedUrl(TableReader& t, FeedConfig* f) {
  t.Bool("allow_plain_http", &f->allow_plain_http);
  if (!t.NonEmptyString("url", &f->url, true)) return;
  bool https = f->url.rfind("https://", 0) == 0 && f->url.size() > 8;
  bool http = f->url.rfind("http://", 0) == 0 && f->url.size() > 7;
  if (http && !f->allow_plain_http) {
    t.Error("url", "plain http:// is refused unless allow_plain_http = true; use https://");
  } else if (!https && !http) {
    t.Error("url", fmt::format("'{}' is not an https:// URL", f->url));
  } else if (f->url.find_first_of("?#") != std::string::npos) {
    t.Error("url", "is a base URL: it takes no query or fragment");
  }
  while (f->url.size() > 1 && f->url.back() == '/') f->url.pop_back();
}

void LoadFeedTls(TableReader& t, FeedConfig* f) {
  t.OptString("ca_file", &f->ca_file);
  t.OptString("client_cert", &f->client_cert);
  t.OptString("client_key", &f->client_key);
  if (f->client_cert.has_value() != f->client_key.has_value())
    t.Error(f->client_cert ? "client_cert" : "client_key", "client_cert and client_key go together: set both or neither");
  t.Duration("request_timeout", &f->request_timeout);
  t.Duration("give_up_after", &f->give_up_after);
  t.Size("max_response_size", &f->max_response_size);
  int64_t connections = f->connections;
  if (t.Int("connections", 1, 64, &connections)) f->connections = static_cast<int>(connections);
}

void LoadFeedParts(TableReader& t, FeedConfig* f) {
  std::vector<std::string> parts;
  if (!t.StringList("parts", &parts)) return;
  const auto& known = FeedPartNames();
  std::vector<std::string> seen;
  for (const std::string& part : parts) {
    if (std::find(known.begin(), known.end(), part) == known.end()) {
      t.Error("parts", fmt::format("'{}' is not a part of an application (commondata, formdata)", part));
    } else if (std::find(seen.begin(), seen.end(), part) != seen.end()) {
      t.Error("parts", fmt::format("'{}' is listed twice", part));
    }
    seen.push_back(part);
  }
  f->parts = std::move(parts);
}

// orders, output and import_profile name tables of this file, of the right kind.
// `destination 'x' is kind = "xroad"; …`, or "" when a destination of `kind` takes import files.
std::string ImportOutputProblem(const KindSpecs& kinds, const DestinationConfig& d) {
  std::string takers;
  bool takes = false;
  for (const DestinationKindSpec& k : kinds.destinations) {
    if (!k.takes_import_files) continue;
    takes |= k.kind == d.kind;
    takers += fmt::format("{}\"{}\"", takers.empty() ? "" : " or ", k.kind);
  }
  if (takes) return "";
  return fmt::format("destination '{}' is kind = \"{}\"; import files go to a destination of kind {}", d.name, d.kind,
                     takers);
}

void LoadFeedReferences(TableReader& t, const Config& config, const KindSpecs& kinds, FeedConfig* f) {
  if (t.NonEmptyString("orders", &f->orders, true)) {
    const SourceConfig* src = config.FindSource(f->orders);
    const ProfileConfig* profile = src ? config.FindProfile(src->profile) : nullptr;
    if (!src) {
      t.Error("orders", fmt::format("no [[source]] is named '{}'", f->orders));
    } else if (profile && profile->format != RecordFormat::kFetchOrder) {
      t.Error("orders", fmt::format("source '{}' reads status exports (profile '{}'); a feed's orders come from a "
                                    "source whose profile has format = \"fetch-order\"",
                                    f->orders, profile->name));
    }
  }
  if (t.NonEmptyString("output", &f->output, true)) {
    const DestinationConfig* d = config.FindDestination(f->output);
    if (!d) {
      t.Error("output", fmt::format("no [[destination]] is named '{}'", f->output));
    } else if (std::string problem = ImportOutputProblem(kinds, *d); !problem.empty()) {
      t.Error("output", problem);
    }
  }
  int format = 0;
  if (t.Choice("import_format", {"json", "xml", "csv"}, &format)) f->import_format = static_cast<ImportFormat>(format);
  if (f->import_format == ImportFormat::kJson) {
    t.Forbid({"import_profile"}, "applies only to import_format = \"xml\" or \"csv\" (JSON is written as received)");
    return;
  }
  if (!t.NonEmptyString("import_profile", &f->import_profile)) {
    if (!t.Has("import_profile")) t.Missing("import_profile");
    return;
  }
  const ImportProfileConfig* ip = config.FindImportProfile(f->import_profile);
  if (!ip) {
    t.Error("import_profile", fmt::format("no [[import_profile]] is named '{}'", f->import_profile));
  } else if (ip->format != f->import_format) {
    t.Error("import_profile", fmt::format("'{}' has format = \"{}\", but import_format is \"{}\"", ip->name,
                                          ip->format == ImportFormat::kXml ? "xml" : "csv",
                                          f->import_format == ImportFormat::kXml ? "xml" : "csv"));
  }
}

void LoadFeed(TableReader& t, const Config& config, const KindSpecs& kinds, FeedConfig* f) {
  if (t.NonEmptyString("name", &f->name, true) && !IsFeedName(f->name))
    t.Error("name", fmt::format("'{}' may use only a-z, 0-9, '_' and '-'", f->name));
  LoadFeedUrl(t, f);
  LoadFeedTls(t, f);
  LoadFeedParts(t, f);
  LoadFeedReferences(t, config, kinds, f);
  t.ReportUnknown();
}

// Every source of fetch orders needs the feed that fetches them, and only one.
void CheckOrderSources(TableReader& root, const Config& config, const std::vector<FeedConfig>& feeds) {
  const toml::node* sources = root.table().get("source");
  const toml::array* arr = sources ? sources->as_array() : nullptr;
  for (const SourceConfig& s : config.sources) {
    const ProfileConfig* p = config.FindProfile(s.profile);
    if (!p || p->format != RecordFormat::kFetchOrder) continue;
    if (std::any_of(feeds.begin(), feeds.end(), [&](const FeedConfig& f) { return f.orders == s.name; })) continue;
    toml::source_region where{};
    for (size_t i = 0; arr && i < arr->size(); ++i) {
      const toml::table* t = arr->get(i)->as_table();
      const toml::node* name = t ? t->get("name") : nullptr;
      if (name && name->is_string() && name->as_string()->get() == s.name) where = t->source();
    }
    root.sink()->Add(where, fmt::format("source[{}].profile", s.name),
                     fmt::format("profile '{}' reads fetch orders, but no [[feed]] has orders = \"{}\"", s.profile,
                                 s.name));
  }
}

}  // namespace

std::vector<std::string> FeedOutputNames(const toml::table& root) {
  std::vector<std::string> out;
  const toml::node* feeds = root.get("feed");
  const toml::array* arr = feeds ? feeds->as_array() : nullptr;
  for (size_t i = 0; arr && i < arr->size(); ++i) {
    const toml::table* t = arr->get(i)->as_table();
    const toml::node* output = t ? t->get("output") : nullptr;
    if (output && output->is_string()) out.push_back(output->as_string()->get());
  }
  return out;
}

void LoadImportProfiles(TableReader& root, std::vector<ImportProfileConfig>* out) {
  std::vector<std::string> names;
  ForEachTable(root, "import_profile", [&](const toml::table& table, const std::string& label) {
    TableReader t(table, label, root.sink());
    ImportProfileConfig p;
    LoadImportProfile(t, &p);
    if (!p.name.empty()) CheckUnique(t, &names, p.name, "import_profile");
    out->push_back(std::move(p));
  });
}

void LoadFeeds(TableReader& root, const Config& config, const KindSpecs& kinds, std::vector<FeedConfig>* out) {
  std::vector<std::string> names, orders;
  ForEachTable(root, "feed", [&](const toml::table& table, const std::string& label) {
    TableReader t(table, label, root.sink());
    FeedConfig f;
    LoadFeed(t, config, kinds, &f);
    if (!f.name.empty()) CheckUnique(t, &names, f.name, "feed");
    if (!f.orders.empty() && std::find(orders.begin(), orders.end(), f.orders) != orders.end())
      t.Error("orders", fmt::format("another [[feed]] already takes the orders of source '{}'", f.orders));
    orders.push_back(f.orders);
    out->push_back(std::move(f));
  });
  CheckOrderSources(root, config, *out);
}

}  // namespace liitos::config_detail
