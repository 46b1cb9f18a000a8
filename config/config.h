#pragma once
// The typed, validated configuration (SPEC §9, docs/contract.md; examples/liitos.toml is a config it accepts). Loading
// reads the TOML file, and resolves the symlinks of configured local folders to check that they
// do not overlap (SPEC §3); it creates and changes nothing. Paths are checked for existence only
// by `liitos check --connect` and at run time.

#include <any>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/time/clock.h"
#include "base/status.h"
#include "config/cron.h"
#include "config/feed_config.h"
#include "config/kinds.h"

namespace liitos {

inline const std::vector<std::string>& DefaultStatusCodes() {
  static const std::vector<std::string> codes = {"VASTAANOTETTU", "KASITTELYSSA", "TAYDENNYSPYYNTO",
                                                 "LAUSUNNOLLA",   "PAATOS_ANNETTU", "LAINVOIMAINEN",
                                                 "VALITETTU",     "PERUUTETTU"};
  return codes;
}

// The interface fields a profile may map in `fields` and `constants` (SPEC §4), in the table's
// order: "lvCaseId", "authorityCaseId", …, "decision.id", …, "handler" (config/interface_fields.h).
const std::vector<std::string>& InterfaceFieldNames();

struct ServiceConfig {
  std::string state_dir = "/var/lib/liitos";
  std::string log_level = "info";  // error | warn | info | debug
  std::optional<std::string> metrics_file;
  // Checkpoints (SPEC §7): the Ed25519 private key (PEM) that signs them — an absolute path, or
  // the name of a systemd credential found in $CREDENTIALS_DIRECTORY — and the folder that
  // receives one line per checkpoint. Both set or neither; without them no checkpoints are written.
  std::optional<std::string> checkpoint_key;
  std::optional<std::string> checkpoint_dir;
  Millis checkpoint_interval = std::chrono::hours(1);
};

struct JournalConfig {
  Millis payload_retention = std::chrono::hours(24 * 30);
};

struct InterfaceConfig {
  std::string xroad_client;  // INSTANCE/CLASS/MEMBER/SUBSYSTEM, member code a valid Y-tunnus
  std::vector<std::string> status_codes = DefaultStatusCodes();
};

// The folders an entry reads from and writes into, for the overlap check (SPEC §3); its kind's
// parser fills them. `key` is the entry's key that names the folder ("archive"), or that a default
// derives from.
struct FolderUse {
  std::string key;
  std::string path;
};
struct FolderPlan {
  std::string server;  // empty: local folders; else the SFTP server they are on, "user@host:port"
  std::vector<FolderUse> inboxes;
  std::vector<FolderUse> writes;
};

enum class AfterTake { kArchive, kDelete };

struct SourceConfig {
  std::string name;  // [a-z0-9_-]+, unique
  std::string kind = "dir";  // a kind of config/kinds.h's table: "dir", "sftp"
  std::string profile;
  std::string destination;  // defaults to the only destination when there is exactly one
  std::vector<std::string> include = {"*.csv", "*.xml"};  // globs, case-insensitive
  std::string receipts;                                   // path; "none" disables; default: the kind's
  std::optional<std::string> receipt_format;              // "csv" | "xml"; default: the input's
  AfterTake after = AfterTake::kArchive;
  std::optional<std::string> done_marker;  // e.g. ".done"
  Millis settle = std::chrono::seconds(5);
  uint64_t max_file_size = 1ull << 30;
  std::string path;  // dir: the inbox; sftp: the remote inbox
  // The kind's own keys, parsed by its transport (e.g. DirSourceSettings in
  // transports/dir/dir_config.h); empty until parsed.
  std::any settings;
  FolderPlan folders;

  bool receipts_enabled() const { return receipts != "none"; }
};

// kFetchOrder: a file of external ids to fetch (SPEC §11), not status records.
enum class RecordFormat { kCsv, kXml, kFetchOrder };
enum class OnInvalidRecord { kSkipRecord, kRejectFile };

struct ProfileConfig {
  std::string name;
  RecordFormat format = RecordFormat::kCsv;
  // CSV
  std::string encoding = "utf-8";  // utf-8 | iso-8859-1 | windows-1252
  char delimiter = ';';
  bool header = true;
  // XML
  std::string record;                                          // XPath 1.0, one node per record
  // fetch-order: with it the order is a CSV (encoding, delimiter, header) with the external ids
  // in this column (a name, or a 1-based number when header = false); without it, one id a line.
  std::optional<std::string> id_column;
  std::vector<std::pair<std::string, std::string>> namespaces;  // prefix -> URI
  // Both
  std::vector<std::string> date_formats = {"%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%d.%m.%Y"};
  OnInvalidRecord on_invalid_record = OnInvalidRecord::kSkipRecord;
  // interface field ("lvCaseId", "decision.date", …) -> CSV column name, column number (as text,
  // 1-based, when header = false) or XPath relative to the record; in file order.
  std::vector<std::pair<std::string, std::string>> fields;
  std::map<std::string, std::string> status_map;              // legacy value -> interface code
  std::vector<std::pair<std::string, std::string>> constants;  // interface field -> value
};

struct DestinationConfig {
  std::string name;
  std::string kind = "dir";  // a kind of config/kinds.h's table: "xroad", "dir", "sftp"
  std::optional<CronExpr> schedule;  // exactly one of schedule / interval
  std::optional<Millis> interval;
  int max_batch_items = 1000;
  // How long the scheduler retries a batch before it sets it aside; the kind's parser sets it
  // from its keys (xroad: give_up_after).
  Millis give_up_after = std::chrono::hours(72);
  // The kind's own keys, parsed by its transport (e.g. XroadSettings in
  // transports/xroad/xroad_config.h); empty until parsed.
  std::any settings;
  FolderPlan folders;
};

struct Config {
  std::string file;  // where it was loaded from
  ServiceConfig service;
  JournalConfig journal;
  InterfaceConfig interface;
  std::vector<SourceConfig> sources;
  std::vector<ProfileConfig> profiles;
  std::vector<DestinationConfig> destinations;
  std::vector<FeedConfig> feeds;                     // SPEC §11
  std::vector<ImportProfileConfig> import_profiles;  // SPEC §11

  const ProfileConfig* FindProfile(const std::string& name) const;
  const SourceConfig* FindSource(const std::string& name) const;
  const DestinationConfig* FindDestination(const std::string& name) const;
  const FeedConfig* FindFeed(const std::string& name) const;
  const ImportProfileConfig* FindImportProfile(const std::string& name) const;
  // The feed whose orders come from `source`, or nullptr (a source of status exports).
  const FeedConfig* FeedOfOrders(const std::string& source) const;
  // True when `destination` is a feed's output (import files, not status batches).
  bool IsFeedOutput(const std::string& destination) const;
};

// One problem found in a config file: "FILE:LINE:COLUMN: KEY: message".
struct ConfigError {
  std::string file;
  int line = 0;
  int column = 0;
  // Dotted path: "service.log_level", "source[rakval].settle", "profile[rakval-csv].fields.lvCaseId";
  // an entry without a usable name is counted from 1: "source[2].settle". Empty for TOML syntax
  // errors and an unreadable file (whose line and column are then 1:1).
  std::string key;
  std::string message;
  std::string ToString() const;  // without ": KEY" when key is empty
};

struct LoadResult {
  std::optional<Config> config;     // set only when errors is empty
  std::vector<ConfigError> errors;  // every problem found, not just the first
};

// Loads and validates a TOML config file. Collects all errors. `kinds` names the kinds of sources
// and destinations and parses their own keys (transports/registry.h TransportKinds()).
LoadResult LoadConfig(const std::string& path, const KindSpecs& kinds);
// Same, from text (tests); `file_label` names the file in errors.
LoadResult LoadConfigFromString(const std::string& toml_text, const std::string& file_label,
                                const KindSpecs& kinds);

}  // namespace liitos
