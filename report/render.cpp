// The report's HTML: the model (report/model.h) into ctemplate's dictionary, expanded with the
// template report/report.html.tpl, which escapes every variable for where it stands (AUTOESCAPE).
#include <ctemplate/template.h>
#include <fmt/format.h>

#include <mutex>

#include "base/time/helsinki_time.h"
#include "report/chart.h"
#include "report/model.h"

namespace liitos {

extern const char kReportTemplate[];  // report/report.html.tpl, embedded by the build

namespace report_detail {
namespace {

using Dict = ctemplate::TemplateDictionary;
constexpr const char* kTemplateKey = "liitos/report.html.tpl";

// 1234567 → "1 234 567" (no-break spaces, as written in Finland).
std::string Grouped(int64_t v) {
  std::string digits = std::to_string(v < 0 ? -v : v), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += "\u00a0";
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}

std::string Age(std::chrono::seconds s) {
  int64_t v = s.count();
  if (v < 60) return fmt::format("{} s", v);
  if (v < 3600) return fmt::format("{} min", v / 60);
  if (v < 86400) return fmt::format("{} h {:02} min", v / 3600, v % 3600 / 60);
  return fmt::format("{} d {} h", v / 86400, v % 86400 / 3600);
}

// The age of the oldest pending update at pending_at[i], or nullopt when none was pending.
std::optional<std::chrono::seconds> PendingAge(const Model& m, size_t i) {
  if (i >= m.oldest_pending.size() || m.oldest_pending[i].empty()) return std::nullopt;
  auto created = ParseIsoInstant(m.oldest_pending[i]);
  if (!created) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::seconds>(m.pending_at[i] - *created);
}

std::string PendingText(const Model& m, size_t i) {
  if (i >= m.oldest_pending.size()) return "";
  auto age = PendingAge(m, i);
  return age ? Age(*age) : "none pending";
}

void SetCounts(Dict* d, const Counts& c, bool batches) {
  static const char* const kNames[kCounterCount] = {"FILES",     "QUARANTINED",       "ACCEPTED",
                                                    "DUPLICATES", "REJECTED",          "DELIVERED",
                                                    "RECEIVER_REJECTED", "BATCHES_DELIVERED", "BATCHES_FAILED"};
  for (int k = 0; k < kCounterCount; ++k)
    d->SetValue(kNames[k], !batches && k >= kBatchesDelivered ? "—" : Grouped(c[k]));
}

void SetIdentity(const ReportOptions& o, const Model& m, Dict* d) {
  d->SetValue("JOURNAL_PATH", o.journal_label.empty() ? o.db_path : o.journal_label);
  d->SetValue("EVENTS", Grouped(m.identity.events));
  d->SetValue("FIRST_SEQ", std::to_string(m.identity.first_seq));
  d->SetValue("LAST_SEQ", std::to_string(m.identity.last_seq));
  d->SetValue("FIRST_TIME", m.identity.first_time.empty() ? "—" : ShowHelsinki(m.identity.first_time));
  d->SetValue("LAST_TIME", m.identity.last_time.empty() ? "—" : ShowHelsinki(m.identity.last_time));
  d->SetValue("HEAD_HASH", m.identity.head_hash.empty() ? "(empty journal)" : m.identity.head_hash);
  if (m.verify.ok) {
    d->AddSectionDictionary("VERIFY_OK")->SetValue("VERIFIED_EVENTS", Grouped(m.verify.events));
  } else {
    Dict* bad = d->AddSectionDictionary("VERIFY_BAD");
    bad->SetValue("BAD_SEQ", std::to_string(m.verify.first_bad_seq));
    bad->SetValue("WHY", m.verify.why);
  }
  if (!m.checkpoints) {
    d->AddSectionDictionary("CHECKPOINTS_NONE")->SetValue("WHY", o.no_checkpoints_reason);
  } else if (m.checkpoints->ok()) {
    Dict* ok = d->AddSectionDictionary("CHECKPOINTS_OK");
    ok->SetValue("CHECKED", std::to_string(m.checkpoints->checked));
    ok->SetValue("CHECKPOINT_NOUN", m.checkpoints->checked == 1 ? "checkpoint" : "checkpoints");
    ok->SetValue("CHECKPOINT_DIR", *o.checkpoint_dir);
    ok->SetValue("LATEST_SEQ", std::to_string(m.checkpoints->latest_seq));
    auto latest = ParseIsoInstant(m.checkpoints->latest_time);
    ok->SetValue("LATEST_TIME", latest ? ShowHelsinki(*latest) : "no checkpoint yet");
    if (m.checkpoints->after_copy > 0)
      ok->AddSectionDictionary("AFTER_COPY")->SetValue("AFTER_COPY_COUNT", std::to_string(m.checkpoints->after_copy));
    if (m.identity.last_seq > m.checkpoints->latest_seq)
    {
      Dict* uncovered = ok->AddSectionDictionary("UNCOVERED");
      const int64_t n = m.identity.last_seq - m.checkpoints->latest_seq;
      uncovered->SetValue("UNCOVERED_EVENTS", Grouped(n));
      uncovered->SetValue("EVENT_NOUN", n == 1 ? "event is" : "events are");
    }
  } else {
    Dict* bad = d->AddSectionDictionary("CHECKPOINTS_BAD");
    bad->SetValue("PROBLEM_COUNT", std::to_string(m.checkpoints->problems.size()));
    bad->SetValue("CHECKPOINT_DIR", *o.checkpoint_dir);
    for (size_t i = 0; i < m.checkpoints->problems.size() && i < 50; ++i)
      bad->AddSectionDictionary("PROBLEM")->SetValue("TEXT", m.checkpoints->problems[i]);
  }
  if (o.key) d->AddSectionDictionary("KEY")->SetValue("FINGERPRINT", o.key->fingerprint());
  else d->ShowSection("NO_KEY");
}

void SetChart(const Model& m, Dict* d) {
  std::vector<std::string> labels;
  std::vector<int64_t> intake, delivered;
  std::vector<std::optional<double>> ages;
  for (size_t i = 0; i < m.period.buckets.size(); ++i) {
    labels.push_back(m.period.buckets[i].label);
    intake.push_back(m.per_bucket[i][kAccepted]);
    delivered.push_back(m.per_bucket[i][kDelivered]);
  }
  for (size_t i = 0; i < m.oldest_pending.size(); ++i) {
    auto age = PendingAge(m, i);
    ages.push_back(age ? std::optional<double>(static_cast<double>(age->count()) / 3600.0) : std::nullopt);
  }
  Chart c = LayOutChart(labels, intake, delivered, ages);
  auto num = [](double v) { return fmt::format("{:.1f}", v); };
  d->SetValue("CHART_W", num(c.width));
  d->SetValue("CHART_H", num(c.height));
  d->SetValue("PLOT_X0", num(c.x0));
  d->SetValue("PLOT_X1", num(c.x1));
  d->SetValue("PLOT_Y0", num(c.y_bottom));
  d->SetValue("Y_MAX", Grouped(c.y_max));
  d->SetValue("AGE_MAX", fmt::format("{:g} hours", c.age_max));
  for (const auto& t : c.ticks) {
    Dict* tick = d->AddSectionDictionary("YTICK");
    tick->SetValue("X1", num(c.x0));
    tick->SetValue("X2", num(c.x1));
    tick->SetValue("Y", num(t.y));
    tick->SetValue("TY", num(t.y + 4));
    tick->SetValue("LX", num(c.x0 - 6));
    tick->SetValue("RX", num(c.x1 + 6));
    tick->SetValue("LABEL", t.label);
    tick->SetValue("AGE_LABEL", t.age_label);
  }
  for (const auto& b : c.bars) {
    Dict* bar = d->AddSectionDictionary("BAR");
    bar->SetValue("LABEL", b.label);
    bar->SetValue("INTAKE", Grouped(b.intake));
    bar->SetValue("DELIVERED", Grouped(b.delivered));
    bar->SetValue("IX", num(b.intake_x));
    bar->SetValue("IY", num(b.intake_y));
    bar->SetValue("IH", num(b.intake_h));
    bar->SetValue("DX", num(b.delivered_x));
    bar->SetValue("DY", num(b.delivered_y));
    bar->SetValue("DH", num(b.delivered_h));
    bar->SetValue("W", num(b.width));
  }
  for (const auto& l : c.x_labels) {
    Dict* label = d->AddSectionDictionary("XLABEL");
    label->SetValue("X", num(l.x));
    label->SetValue("Y", num(l.y));
    label->SetValue("LABEL", l.text);
  }
  if (!c.pending_points.empty()) d->AddSectionDictionary("PENDING_LINE")->SetValue("POINTS", c.pending_points);
}

void SetCountTables(const ReportOptions& o, const Model& m, Dict* d) {
  const bool batches = !o.source;
  d->SetValue("BUCKET_UNIT", m.period.by_day ? "day" : "hour");
  d->SetValue("BUCKET_HEADING", m.period.by_day ? "day (Helsinki)" : "hour (Helsinki)");
  Counts total{};
  for (size_t i = 0; i < m.period.buckets.size(); ++i) {
    Dict* row = d->AddSectionDictionary("DAY");
    row->SetValue("LABEL", m.period.buckets[i].label);
    SetCounts(row, m.per_bucket[i], batches);
    row->SetValue("OLDEST_PENDING", PendingText(m, i));
    for (int k = 0; k < kCounterCount; ++k) total[k] += m.per_bucket[i][k];
  }
  Dict* row = d->AddSectionDictionary("DAY");
  row->ShowSection("TOTAL_ROW");
  row->SetValue("LABEL", "the period");
  SetCounts(row, total, batches);
  row->SetValue("OLDEST_PENDING", m.oldest_pending.empty() ? "" : PendingText(m, m.oldest_pending.size() - 1));
  d->SetValue("OLDEST_PENDING_END",
              m.oldest_pending.empty() ? "—" : PendingText(m, m.oldest_pending.size() - 1));
  static const std::pair<Counter, const char*> kFigures[] = {
      {kFiles, "files received"},          {kQuarantined, "files quarantined"},
      {kAccepted, "records accepted"},     {kDuplicates, "duplicates"},
      {kRejected, "records rejected"},     {kDelivered, "records delivered"},
      {kReceiverRejected, "rejected by the receiver"}, {kBatchesDelivered, "batches delivered"},
      {kBatchesFailed, "batches failed"}};
  for (const auto& [k, label] : kFigures) {
    if (!batches && k >= kBatchesDelivered) continue;
    Dict* f = d->AddSectionDictionary("FIGURE");
    f->SetValue("LABEL", label);
    f->SetValue("VALUE", Grouped(total[k]));
  }
  for (const auto& [name, c] : m.per_source) {
    Dict* r = d->AddSectionDictionary("SOURCE_ROW");
    r->SetValue("NAME", name);
    SetCounts(r, c, batches);
  }
  if (m.per_source.empty()) d->ShowSection("NO_SOURCES");
  for (const auto& [name, c] : m.per_destination) {
    Dict* r = d->AddSectionDictionary("DEST_ROW");
    r->SetValue("NAME", name);
    SetCounts(r, c, batches);
  }
  if (m.per_destination.empty()) d->ShowSection("NO_DESTINATIONS");
}

std::string Concerns(const Event& e) {
  std::vector<std::string> parts;
  auto add = [&](const std::string& label, const std::string& v) {
    if (!v.empty()) parts.push_back(label + v);
  };
  add("source ", e.source);
  add("file ", e.file);
  if (e.record) parts.push_back("record " + std::to_string(*e.record));
  add("", e.lv_case_id);
  add("message ", e.message_id);
  add("batch ", e.batch_id);
  add("to ", e.destination);
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : " · ") + p;
  return out;
}

void SetNotable(const Model& m, Dict* d) {
  const char* const kTotals[] = {"QUARANTINED_TOTAL", "FAILED_TOTAL", "REJECTIONS_TOTAL", "HOSTKEYS_TOTAL",
                                 "CONFIG_TOTAL"};
  for (size_t i = 0; i < m.tables.size(); ++i) {
    const NotableTable& t = m.tables[i];
    if (i < std::size(kTotals)) d->SetValue(kTotals[i], Grouped(t.total));
    Dict* s = d->AddSectionDictionary("NOTABLE");
    s->SetValue("ANCHOR", t.anchor);
    s->SetValue("TITLE", t.title);
    s->SetValue("TOTAL", Grouped(t.total));
    if (static_cast<int64_t>(t.rows.size()) < t.total) {
      Dict* capped = s->AddSectionDictionary("CAPPED");
      capped->SetValue("SHOWN", std::to_string(t.rows.size()));
      capped->SetValue("COMMAND", t.command);
    }
    if (t.rows.empty()) continue;
    Dict* table = s->AddSectionDictionary("HAS_ROWS");
    for (const auto& h : t.head) table->AddSectionDictionary("HEAD")->SetValue("TEXT", h);
    for (const auto& r : t.rows) {
      Dict* row = table->AddSectionDictionary("ROW");
      row->SetValue("SEQ", std::to_string(r.event.seq));
      row->SetValue("TIME", ShowHelsinki(r.event.time));
      for (const auto& [text, mono] : r.cells) {
        Dict* cell = row->AddSectionDictionary("CELL");
        cell->SetValue("TEXT", text);
        if (mono) cell->ShowSection("MONO");
      }
    }
  }
  for (const Story& st : m.stories) {
    Dict* s = d->AddSectionDictionary("STORY");
    s->SetValue("SEQ", std::to_string(st.seq));
    s->SetValue("TITLE", st.title);
    for (const Event& e : st.events) {
      Dict* row = s->AddSectionDictionary("EVENT");
      row->SetValue("SEQ", std::to_string(e.seq));
      row->SetValue("TIME", ShowHelsinki(e.time));
      row->SetValue("KIND", e.kind);
      row->SetValue("CONCERNS", Concerns(e));
      row->SetValue("DETAIL", e.detail_json == "{}" ? "" : e.detail_json);
    }
    if (st.truncated) s->AddSectionDictionary("TRUNCATED")->SetValue("COMMAND", st.command);
  }
  if (m.stories.empty()) d->ShowSection("NO_STORIES");
}

}  // namespace

Status Render(const ReportOptions& o, const Model& m, std::string* html) {
  static std::once_flag loaded;
  static bool ok = false;
  std::call_once(loaded, [] { ok = ctemplate::StringToTemplateCache(kTemplateKey, kReportTemplate, ctemplate::DO_NOT_STRIP); });
  if (!ok) return Status::Fatal("the report template does not parse");
  Dict d("report");
  d.SetValue("VERSION", o.version);
  d.SetValue("PERIOD_LABEL", ShowHelsinki(m.period.since) + " – " + ShowHelsinki(m.period.until));
  d.SetValue("WRITTEN_AT", ShowHelsinki(o.now));
  if (o.source) d.AddSectionDictionary("SOURCE_FILTER")->SetValue("SOURCE", *o.source);
  SetIdentity(o, m, &d);
  SetCountTables(o, m, &d);
  SetChart(m, &d);
  SetNotable(m, &d);
  html->clear();
  if (!ctemplate::ExpandTemplate(kTemplateKey, ctemplate::DO_NOT_STRIP, &d, html))
    return Status::Fatal("the report template could not be expanded");
  return Status::Ok();
}

}  // namespace report_detail

Result<ReportSummary> RenderReport(const ReportOptions& options, std::string* html) {
  auto m = report_detail::Gather(options);
  if (!m.ok()) return m.status();
  if (Status s = report_detail::Render(options, *m, html); !s.ok()) return s;
  ReportSummary out;
  out.chain_ok = m->verify.ok;
  if (m->checkpoints) out.checkpoints_ok = m->checkpoints->ok();
  out.events = m->identity.events;
  out.head_hash = m->identity.head_hash;
  return out;
}

}  // namespace liitos
