#pragma once
// The typed configuration of SPEC §11 (applications from Luvat ja valvonta into the legacy
// system): [[feed]] and [[import_profile]]. Loaded by config/load_feed.cpp; part of Config.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/time/clock.h"

namespace liitos {

enum class ImportFormat { kJson, kXml, kCsv };

// The parts of an application a feed may GET, in the order they are fetched and written.
inline const std::vector<std::string>& FeedPartNames() {
  static const std::vector<std::string> names = {"commondata", "formdata"};
  return names;
}

struct FeedConfig {
  std::string name;    // [a-z0-9_-]+, unique among feeds
  std::string orders;  // the source whose files are fetch orders (its profile has format "fetch-order")
  std::string url;     // base URL: GET {url}/commondata/{externalId}/{part}
  std::vector<std::string> parts = FeedPartNames();
  std::string output;  // a destination of kind "dir" or "sftp": where import files go
  ImportFormat import_format = ImportFormat::kJson;
  std::string import_profile;  // required for xml and csv
  // X-Road REST, as a kind = "xroad" destination (SPEC §5.4)
  std::optional<std::string> ca_file, client_cert, client_key;
  bool allow_plain_http = false;
  Millis request_timeout = std::chrono::seconds(60);
  Millis give_up_after = std::chrono::hours(72);
  uint64_t max_response_size = 64ull << 20;
  // How many GETs run at once, each on a connection of its own that is kept open (keep-alive).
  int connections = 4;
};

struct ImportProfileConfig {
  std::string name;
  ImportFormat format = ImportFormat::kXml;  // xml | csv (json needs no profile)
  std::string encoding = "utf-8";            // utf-8 | iso-8859-1 | windows-1252
  char delimiter = ';';                      // csv
  std::string root = "Hakemukset";           // xml: the document element
  std::string record = "Hakemus";            // xml: the element of the application inside it
  std::string namespace_uri;                 // xml: default namespace of both; empty = none
  // Output column (CSV) or element (XML) name -> RFC 6901 JSON pointer into the import document
  // {"schemaVersion", "externalId", "fetchedAt", "commondata", "formdata"}; in file order.
  std::vector<std::pair<std::string, std::string>> fields;
  std::vector<std::string> required;  // field names whose pointer must find a non-empty value
};

}  // namespace liitos
