#include "journal/event_writer.h"

#include <nlohmann/json.hpp>

#include <array>
#include <string_view>
#include <vector>

#include "base/time/helsinki_time.h"

namespace liitos {
namespace {

constexpr std::array<const char*, 14> kColumns = {"seq",        "time",     "kind",        "source",
                                                  "file",       "file_sha256", "record",   "message_id",
                                                  "batch_id",   "destination", "lv_case_id", "detail",
                                                  "prev_hash",  "hash"};

// The fields as text for people: the time in Helsinki time with its offset (SPEC §8); `exact`
// keeps its milliseconds (CSV, every field as recorded), the table shows whole seconds.
std::array<std::string, 14> Fields(const Event& e, bool exact) {
  return {std::to_string(e.seq), ShowHelsinki(e.time, exact), e.kind, e.source, e.file, e.file_sha256,
          e.record ? std::to_string(*e.record) : std::string(), e.message_id, e.batch_id, e.destination,
          e.lv_case_id, e.detail_json, e.prev_hash, e.hash};
}

// Width on a terminal: code points, not bytes (Finnish names carry ä and ö).
size_t DisplayWidth(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

class TableWriter : public EventWriter {
 public:
  explicit TableWriter(std::ostream& out) : out_(out) {}
  void Write(const Event& e) override { rows_.push_back(Fields(e, /*exact=*/false)); }
  void Finish() override {
    // Shown: every column but file_sha256 and the hashes, when some row has a value in it.
    std::vector<size_t> cols;
    for (size_t c = 0; c < kColumns.size(); ++c) {
      if (c == 5 || c >= 12) continue;
      bool used = c < 3;
      for (const auto& r : rows_) used = used || !r[c].empty();
      if (used) cols.push_back(c);
    }
    std::vector<size_t> width(kColumns.size(), 0);
    for (size_t c : cols) {
      width[c] = DisplayWidth(kColumns[c]);
      for (const auto& r : rows_) width[c] = std::max(width[c], DisplayWidth(r[c]));
    }
    auto line = [&](auto cell) {
      std::string s;
      for (size_t i = 0; i < cols.size(); ++i) {
        std::string v = cell(cols[i]);
        s += v;
        if (i + 1 < cols.size()) s += std::string(width[cols[i]] - DisplayWidth(v) + 2, ' ');
      }
      out_ << s << '\n';
    };
    line([](size_t c) { return std::string(kColumns[c]); });
    for (const auto& r : rows_) line([&](size_t c) { return r[c]; });
    out_ << "(" << rows_.size() << (rows_.size() == 1 ? " event)\n" : " events)\n");
  }

 private:
  std::ostream& out_;
  std::vector<std::array<std::string, 14>> rows_;
};

class CsvWriter : public EventWriter {
 public:
  explicit CsvWriter(std::ostream& out) : out_(out) {
    out_ << "\xEF\xBB\xBF";
    for (size_t c = 0; c < kColumns.size(); ++c) out_ << (c ? ";" : "") << CsvField(kColumns[c]);
    out_ << "\r\n";
  }
  void Write(const Event& e) override {
    auto f = Fields(e, /*exact=*/true);
    for (size_t c = 0; c < f.size(); ++c) out_ << (c ? ";" : "") << CsvField(f[c]);
    out_ << "\r\n";
  }
  void Finish() override { out_.flush(); }

 private:
  std::ostream& out_;
};

class JsonWriter : public EventWriter {
 public:
  explicit JsonWriter(std::ostream& out) : out_(out) { out_ << "["; }
  void Write(const Event& e) override {
    nlohmann::ordered_json j;
    j["seq"] = e.seq;
    j["time"] = e.time;  // JSON: UTC as recorded (the hashed text)
    j["kind"] = e.kind;
    auto opt = [&](const char* k, const std::string& v) {
      if (!v.empty()) j[k] = v;
    };
    opt("source", e.source);
    opt("file", e.file);
    opt("file_sha256", e.file_sha256);
    if (e.record) j["record"] = *e.record;
    opt("message_id", e.message_id);
    opt("batch_id", e.batch_id);
    opt("destination", e.destination);
    opt("lv_case_id", e.lv_case_id);
    j["detail"] = nlohmann::ordered_json::parse(e.detail_json, nullptr, /*allow_exceptions=*/false);
    if (j["detail"].is_discarded()) j["detail"] = e.detail_json;
    j["prev_hash"] = e.prev_hash;
    j["hash"] = e.hash;
    out_ << (first_ ? "\n" : ",\n") << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    first_ = false;
  }
  void Finish() override { out_ << (first_ ? "]\n" : "\n]\n"); }

 private:
  std::ostream& out_;
  bool first_ = true;
};

}  // namespace

std::string CsvField(const std::string& raw) {
  // OWASP "CSV injection": a spreadsheet runs a cell that begins with one of these as a formula.
  static constexpr std::string_view kFormulaStart = "=+-@\t\r";
  std::string v = !raw.empty() && kFormulaStart.find(raw.front()) != std::string_view::npos ? "'" + raw : raw;
  if (v.find_first_of(";\"\r\n") == std::string::npos) return v;
  std::string q = "\"";
  for (char c : v) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

std::unique_ptr<EventWriter> MakeEventWriter(OutputFormat format, std::ostream& out) {
  switch (format) {
    case OutputFormat::kCsv:
      return std::make_unique<CsvWriter>(out);
    case OutputFormat::kJson:
      return std::make_unique<JsonWriter>(out);
    case OutputFormat::kTable:
      break;
  }
  return std::make_unique<TableWriter>(out);
}

Event ReadEvent(const Query& q) {
  Event e;
  e.seq = q.Int(0);
  e.time = q.Text(1);
  e.kind = q.Text(2);
  e.source = q.Text(3);
  e.file = q.Text(4);
  e.file_sha256 = q.Text(5);
  if (!q.IsNull(6)) e.record = q.Int(6);
  e.message_id = q.Text(7);
  e.batch_id = q.Text(8);
  e.destination = q.Text(9);
  e.lv_case_id = q.Text(10);
  e.detail_json = q.Text(11);
  e.prev_hash = q.Text(12);
  e.hash = q.Text(13);
  return e;
}

}  // namespace liitos
