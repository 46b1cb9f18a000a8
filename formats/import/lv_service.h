#pragma once
// The wire format of the applications that Luvat ja valvonta hands over (SPEC §11), in one room,
// as formats/interface is for status: the external id, the paths of the GETs, the headers of the
// request beyond X-Road's own, what a part's body must be, the import document's JSON shape and
// the import file's name. What is public of the service is the draft "LV - Service API v1.0.6":
//   GET {url}/commondata/{externalId}              GetProjectPartData
//   GET {url}/commondata/{externalId}/commondata   GetProjectPartCommonData
//   GET {url}/commondata/{externalId}/formdata     GetProjectPartFormData
// 200 with JSON; 400 "Project part action not found with externalId"; 401 "Unauthorized request".
// When the official schema arrives, this file and lv_service.cpp are what change.
//
// Pure functions, no I/O, safe on any thread.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "config/feed_config.h"

namespace liitos::lv {

// A GUID: 8-4-4-4-12 hexadecimal digits ("3f2504e0-4f89-11d3-9a0c-0305e82c3301"), any case,
// without braces.
bool IsExternalId(std::string_view text);
// The id as liitos sends, stores and names files by it: lower case.
std::string NormalizeExternalId(std::string_view text);
// Why `text` is not an external id, for an order's receipt: names no more of it than is safe
// (escaped, a henkilötunnus masked, at most 60 bytes).
std::string NotAnExternalIdReason(std::string_view text);

// GET {base_url}/commondata/{external_id}/{part}; `external_id` is a valid, normalized id.
std::string PartUrl(const std::string& base_url, const std::string& external_id, const std::string& part);

// Headers of every GET besides X-Road-Client and X-Road-Id (which the X-Road transport adds).
const std::vector<std::string>& RequestHeaders();

// A part's body is one JSON value (UTF-8, nesting at most kMaxDepth deep; a UTF-8 byte order
// mark allowed before it). Invalid names the part and the byte where reading stopped, never the
// content (it may hold a henkilötunnus).
inline constexpr int kMaxDepth = 256;
Status CheckPartBody(const std::string& part, std::string_view body);

// The same check, keeping what it read (for an import profile): the part as a JSON value, keys in
// the order the service sent them. Invalid with CheckPartBody's reasons.
Result<nlohmann::ordered_json> ParsePart(const std::string& part, std::string_view body);

// `body` without a leading UTF-8 byte order mark.
std::string_view PartJson(std::string_view body);

// The import document (SPEC §11):
//   {"schemaVersion": "1", "externalId": "…", "fetchedAt": "…", "commondata": …, "formdata": …}
// each part exactly as the service sent it (bodies spliced in as they are, less a byte order
// mark), in `parts` order. `fetched_at` is Helsinki time with its offset. Bodies must have
// passed CheckPartBody.
std::string ImportDocumentJson(const std::string& external_id, const std::string& fetched_at,
                               const std::vector<std::pair<std::string, std::string_view>>& parts);

// The same document as a JSON value, from parts ParsePart read (moved in), for an import profile's
// pointers.
nlohmann::ordered_json ImportDocument(const std::string& external_id, const std::string& fetched_at,
                                      std::vector<std::pair<std::string, nlohmann::ordered_json>> parts);

// "{prefix}{externalId}.{json|xml|csv}"
std::string ImportFileName(const std::string& prefix, const std::string& external_id, ImportFormat format);

}  // namespace liitos::lv
