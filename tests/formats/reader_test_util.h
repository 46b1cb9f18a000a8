#pragma once
// Helpers shared by the reader tests: the example config's profiles, temporary files, and
// reading a whole file into records.

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "config/config.h"
#include "formats/record_reader.h"
#include "tests/scratch_dir.h"

namespace liitos::reader_test {

inline std::string SamplePath(const std::string& name) {
  return std::string(LIITOS_TEST_DATA) + "/samples/" + name;
}

// rakval-csv of liitos.example.toml.
inline ProfileConfig RakvalCsv() {
  ProfileConfig p;
  p.name = "rakval-csv";
  p.format = RecordFormat::kCsv;
  p.encoding = "windows-1252";
  p.delimiter = ';';
  p.header = true;
  p.fields = {{"lvCaseId", "Asiointitunnus"},
              {"authorityCaseId", "Diaarinumero"},
              {"status", "Tilakoodi"},
              {"statusChangedAt", "Tilan pvm"},
              {"previousStatus", "Edellinen tila"},
              {"decision.date", "Päätöspvm"},
              {"decision.id", "Pykälä"},
              {"decision.code", "Päätös"},
              {"decision.maker", "Päättäjä"},
              {"message.fi", "Viesti"},
              {"customer.businessId", "Y-tunnus"},
              {"customer.personId", "Hetu"},
              {"handler", "Käsittelijä"}};
  return p;
}

// ymparisto-xml of liitos.example.toml.
inline ProfileConfig YmparistoXml() {
  ProfileConfig p;
  p.name = "ymparisto-xml";
  p.format = RecordFormat::kXml;
  p.record = "/v:Vienti/v:Asia";
  p.namespaces = {{"v", "urn:example:ymparisto:vienti:1"}};
  p.fields = {{"lvCaseId", "v:LvTunnus"},
              {"authorityCaseId", "v:Diaari"},
              {"status", "v:Tila/@koodi"},
              {"statusChangedAt", "v:Tila/@pvm"},
              {"decision.date", "v:Paatos/v:Pvm"},
              {"decision.id", "v:Paatos/v:Pykala"},
              {"decision.code", "v:Paatos/@tulos"},
              {"decision.maker", "v:Paatos/v:Tekija"},
              {"message.fi", "v:Viesti[@kieli='fi']"},
              {"message.sv", "v:Viesti[@kieli='sv']"},
              {"customer.businessId", "v:Hakija/v:Ytunnus"},
              {"municipalityCode", "v:Kunta"}};
  return p;
}

// Index of an interface field in a profile's fields.
inline size_t FieldIndex(const ProfileConfig& p, const std::string& field) {
  for (size_t i = 0; i < p.fields.size(); ++i)
    if (p.fields[i].first == field)
      return i;
  throw std::runtime_error("no field " + field);
}

struct ReadOutcome {
  Status open_status;  // Ok, or why OpenRecordReader refused the file
  Status read_status;  // Ok, or the file-level error Next() returned
  std::vector<RawRecord> records;
  std::string noun;
  Status status() const { return open_status.ok() ? read_status : open_status; }
};

// Opens `path` with `profile` and reads it to the end or the first error.
inline ReadOutcome ReadAll(const ProfileConfig& profile, const std::string& path) {
  ReadOutcome out;
  auto reader = OpenRecordReader(profile, path);
  if (!reader.ok()) {
    out.open_status = reader.status();
    return out;
  }
  out.noun = (*reader)->RecordNoun();
  for (;;) {
    RawRecord rec;
    auto r = (*reader)->Next(&rec);
    if (!r.ok()) {
      out.read_status = r.status();
      break;
    }
    if (!*r)
      break;
    out.records.push_back(std::move(rec));
  }
  return out;
}

}  // namespace liitos::reader_test
