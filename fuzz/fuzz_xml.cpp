// libFuzzer target: both XML readers on any bytes, compared (formats/xml/xml_reader.h says they give
// "same records and same refusals"). The first byte picks the profile and the stream reader's
// chunk size; the rest is the file. The DOM reader (XmlReader::OpenDom) and the stream reader
// (XmlStreamReader::Open) must both refuse at Open, or both read the same records with the same
// values and errors and end the same way (the same error message, or none).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "formats/xml/xml_reader.h"
#include "formats/xml/xml_stream.h"
#include "fuzz/fuzz_util.h"

namespace {

// Profiles that can stream: the example's namespaced one, and a plain one with attribute,
// self and function fields.
liitos::ProfileConfig Profile(uint8_t sel) {
  liitos::ProfileConfig p;
  p.name = "fuzz-xml";
  p.format = liitos::RecordFormat::kXml;
  if (sel & 1) {
    p.record = "/v:Vienti/v:Asia";
    p.namespaces = {{"v", "urn:example:ymparisto:vienti:1"}};
    p.fields = {{"lvCaseId", "v:LvTunnus"},
                {"authorityCaseId", "v:Diaari"},
                {"status", "v:Tila/@koodi"},
                {"statusChangedAt", "v:Tila/@pvm"},
                {"decision.date", "v:Paatos/v:Pvm"},
                {"decision.code", "v:Paatos/@tulos"},
                {"message.fi", "v:Viesti[@kieli='fi']"},
                {"message.sv", "v:Viesti[@kieli='sv']"}};
  } else {
    p.record = "/a/b";
    p.fields = {{"lvCaseId", "c"}, {"status", "@s"}, {"statusChangedAt", "."},
                {"message.fi", "concat(c, '/', d/@e)"}, {"handler", "d//c"}, {"decision.id", "count(*)"}};
  }
  return p;
}

struct Outcome {
  std::string error;  // "" when the whole file was read
  bool at_open = false;
  std::string records;  // every record, described
};

template <class OpenFn>
Outcome Read(OpenFn open) {
  Outcome out;
  auto reader = open();
  if (!reader.ok()) {
    out.error = reader.status().message();
    out.at_open = true;
    return out;
  }
  for (;;) {
    liitos::RawRecord rec;
    auto more = (*reader)->Next(&rec);
    if (!more.ok()) {
      out.error = more.status().message();
      return out;
    }
    if (!*more) return out;
    out.records += "#" + std::to_string(rec.number);
    for (size_t i = 0; i < rec.value_count(); ++i)
      out.records += rec.has_value(i) ? "[" + std::string(rec.value_text(i)) + "]" : "-";
    if (rec.error_field) out.records += "!" + *rec.error_field + ":" + rec.error_reason.value_or("");
    out.records += "\n";
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using liitos::fuzz::Check;
  if (size < 1) return 0;
  const liitos::ProfileConfig profile = Profile(data[0]);
  static const size_t kChunks[] = {1, 3, 7, 64, 4096, liitos::XmlStreamReader::kDefaultChunk,
                                   liitos::XmlStreamReader::kDefaultChunk, liitos::XmlStreamReader::kDefaultChunk};
  const size_t chunk = kChunks[(data[0] >> 1) & 7];
  const std::string& path =
      liitos::fuzz::WriteScratch("xml", std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
  Check(liitos::XmlStreamReader::CanStream(profile), "the profiles stream");
  const Outcome dom = Read([&] { return liitos::XmlReader::OpenDom(profile, path); });
  const Outcome stream = Read([&] { return liitos::XmlStreamReader::Open(profile, path, chunk); });
  if (std::getenv("LIITOS_FUZZ_VERBOSE") != nullptr)
    std::fprintf(stderr, "dom: %s\n%sstream: %s\n%s", dom.error.c_str(), dom.records.c_str(), stream.error.c_str(),
                 stream.records.c_str());
  if (dom.at_open || stream.at_open) {
    Check(dom.at_open && stream.at_open, "both readers refuse at Open, or neither:\n  dom: " + dom.error +
                                             "\n  stream: " + stream.error);
    Check(dom.error == stream.error, "the same refusal:\n  dom: " + dom.error + "\n  stream: " + stream.error);
    return 0;
  }
  Check(dom.records == stream.records, "the same records:\n--- dom\n" + dom.records + "--- stream\n" + stream.records);
  Check(dom.error == stream.error, "the same end:\n  dom: " + dom.error + "\n  stream: " + stream.error);
  return 0;
}
