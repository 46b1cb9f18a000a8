#pragma once
// An import file in XML or CSV through an import profile (SPEC §11): each field's RFC 6901
// pointer finds a value in the import document (lv_service.h's ImportDocumentJson); the file is
// written in the profile's legacy encoding. Pure functions, safe on any thread.
//
// Values: a string as it is; a number or true/false as JSON writes it; null, or nothing found,
// as empty; an object or array as its JSON text (compact, keys in the order the service sent
// them; a character the encoding lacks becomes its \uXXXX escape there, which is the same JSON).
//
// The application is rejected (Invalid, with a reason naming the field and its pointer, never
// the value) when a string holds a character the encoding lacks — never a '?' in its place —
// when XML cannot carry a character (a C0 control other than tab and line breaks), or when a
// field listed in `required` is empty.
//
// XML (the declaration names the encoding; `namespace` is the default namespace when set):
//   <?xml version="1.0" encoding="ISO-8859-1"?>
//   <Hakemukset xmlns="urn:…">
//     <Hakemus>
//       <Tunnus>…</Tunnus>
//       …
//     </Hakemus>
//   </Hakemukset>
// CSV: a header row of the field names, then one row; the profile's delimiter, CRLF line ends,
// RFC 4180 quoting where a cell holds the delimiter, a quote, a line break or surrounding blanks.

#include <nlohmann/json.hpp>

#include <string>

#include "base/status.h"
#include "config/feed_config.h"

namespace liitos {

// Renders the import document (lv::ImportDocument) through `profile`.
Result<std::string> RenderImportFile(const ImportProfileConfig& profile, const nlohmann::ordered_json& document);

}  // namespace liitos
