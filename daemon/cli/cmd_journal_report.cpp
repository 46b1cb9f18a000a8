// liitos journal report | checkpoint | verify --checkpoints (SPEC §7, §8, §12). Read-only on the
// journal: they work while the service runs, and on a copy (--db) without any configuration.
#include <iostream>

#include "base/fs.h"
#include "base/time/helsinki_time.h"
#include "daemon/checkpoints.h"
#include "daemon/cli/commands.h"
#include "daemon/load.h"
#include "journal/audit/audit.h"
#include "journal/audit/checkpoint.h"
#include "journal/audit/report_data.h"
#include "report/period.h"
#include "report/report.h"

namespace liitos {
namespace {

// The journal to read, and the configuration when there is one: with --db, the config is read
// only when --config was given too (an auditor's machine has none).
struct Target {
  std::optional<Config> cfg;
  std::string db;
};

std::optional<Target> ResolveTarget(const std::string& config_path, const JournalArgs& a) {
  Target t;
  if (a.db.empty() || a.config_given) {
    t.cfg = LoadConfigOrReport(config_path);
    if (!t.cfg) return std::nullopt;
  }
  t.db = a.db.empty() ? JournalPath(*t.cfg) : a.db;
  return t;
}

// The key to check checkpoints with: --public-key, else the configured private key's public half.
// nullopt with `why` when there is none or it cannot be read.
std::optional<CheckpointKey> VerifyingKey(const Target& t, const JournalArgs& a, std::string* why) {
  std::string path = a.public_key;
  if (path.empty() && t.cfg && t.cfg->service.checkpoint_key)
    path = ResolveCheckpointKeyPath(*t.cfg->service.checkpoint_key);
  if (path.empty()) {
    *why = "no key to check them with: give --public-key FILE";
    return std::nullopt;
  }
  auto key = CheckpointKey::LoadPublic(path);
  if (!key.ok()) {
    *why = key.status().message() + (a.public_key.empty() ? " (give --public-key FILE)" : "");
    return std::nullopt;
  }
  return *key;
}

}  // namespace

int CmdJournalCheckpoint(const std::string& config_path) {
  auto cfg = LoadConfigOrReport(config_path);
  if (!cfg) return kExitUsage;
  return WriteCheckpointNow(*cfg);
}

int CmdJournalVerifyCheckpoints(const std::string& config_path, const JournalArgs& a) {
  auto t = ResolveTarget(config_path, a);
  if (!t) return kExitUsage;
  auto v = VerifyJournal(t->db);
  if (!v.ok()) {
    std::cerr << "liitos journal verify: " << v.status().message() << "\n";
    return v.status().code() == Status::Code::kCorruption ? kExitTampered : kExitRuntime;
  }
  int rc = kExitOk;
  if (v->ok) {
    std::cout << "journal verified: " << v->events << " events, hash chain intact\n";
  } else {
    std::cout << "journal TAMPERED: event " << v->first_bad_seq << ": " << v->why << "\n";
    rc = kExitTampered;
  }
  if (a.checkpoints.empty()) return rc;
  std::string why;
  auto key = VerifyingKey(*t, a, &why);
  if (!key) {
    std::cerr << "liitos journal verify: checkpoints: " << why << "\n";
    return kExitUsage;
  }
  auto c = VerifyCheckpoints(t->db, a.checkpoints, *key, /*copy=*/!a.db.empty());
  if (!c.ok()) {
    std::cerr << "liitos journal verify: " << c.status().message() << "\n";
    return kExitRuntime;
  }
  if (c->files.empty())
    std::cerr << "liitos journal verify: no checkpoint file (*.checkpoints) in " << a.checkpoints << "\n";
  if (!c->ok()) {
    std::cout << "checkpoints NOT VALID: " << c->problems.size() << " of " << c->checked
              << " checkpoints do not hold (the journal was rewritten, or the checkpoints were):\n";
    for (const auto& p : c->problems) std::cout << "  " << p << "\n";
    return kExitTampered;
  }
  std::cout << "checkpoints verified: " << c->checked << " signed by key " << key->fingerprint().substr(0, 16)
            << "…, all still on the chain";
  if (c->checked > 0) {
    std::cout << "; the latest covers event " << c->latest_seq << " (" << ShowHelsinki(c->latest_time) << ")";
    if (v->events > c->latest_seq) std::cout << ", " << v->events - c->latest_seq << " events after it";
  }
  if (c->after_copy > 0) std::cout << "; " << c->after_copy << " later checkpoints are of events after this copy ends";
  std::cout << "\n";
  return rc;
}

int CmdJournalReport(const std::string& config_path, const JournalArgs& a) {
  if (a.out.empty()) {
    std::cerr << "liitos journal report: name the HTML file to write: --out FILE.html\n";
    return kExitUsage;
  }
  auto t = ResolveTarget(config_path, a);
  if (!t) return kExitUsage;
  ReportOptions o;
  o.db_path = t->db;
  o.journal_is_copy = !a.db.empty();
  o.now = RealClock().Now();
  o.version = LIITOS_VERSION;
  if (!a.source.empty()) o.source = a.source;
  for (const auto& [text, out] : {std::pair{&a.since, &o.since}, std::pair{&a.until, &o.until}}) {
    if (text->empty()) continue;
    auto parsed = ParseReportTime(*text);
    if (!parsed) {
      std::cerr << "liitos journal report: '" << *text << "' is not a date (2026-11-01) or an ISO 8601 time\n";
      return kExitUsage;
    }
    *out = *parsed;
  }
  if (a.since.empty() || a.until.empty()) {
    auto id = ReadJournalIdentity(t->db);
    if (!id.ok()) {
      std::cerr << "liitos journal report: " << id.status().message() << "\n";
      return kExitRuntime;
    }
    // By default: from the day of the first event to the end of today.
    if (a.since.empty()) o.since = HelsinkiMidnightOf(id->first_time.empty() ? o.now : *ParseIsoInstant(id->first_time));
    if (a.until.empty()) o.until = HelsinkiMidnightOf(o.now + std::chrono::hours(26));
  }
  std::string dir = a.checkpoints;
  if (dir.empty() && t->cfg && t->cfg->service.checkpoint_dir) dir = *t->cfg->service.checkpoint_dir;
  if (dir.empty()) {
    o.no_checkpoints_reason = "no checkpoint folder: give --checkpoints DIR (or set service.checkpoint_dir)";
  } else if (auto key = VerifyingKey(*t, a, &o.no_checkpoints_reason)) {
    o.checkpoint_dir = dir;
    o.key = std::move(*key);
  }
  std::string html;
  auto summary = RenderReport(o, &html);
  Status s = summary.ok() ? WriteFileAtomic(a.out, html) : summary.status();
  if (!s.ok()) {
    std::cerr << "liitos journal report: " << s.message() << "\n";
    return s.code() == Status::Code::kInvalid ? kExitUsage : kExitRuntime;
  }
  const bool checkpoints_bad = summary->checkpoints_ok && !*summary->checkpoints_ok;
  std::cout << "report written to " << a.out << ": " << ShowHelsinki(o.since) << " – " << ShowHelsinki(o.until) << "; "
            << summary->events << " events, hash chain " << (summary->chain_ok ? "intact" : "TAMPERED")
            << ", checkpoints "
            << (!summary->checkpoints_ok ? "not checked" : checkpoints_bad ? "NOT VALID" : "valid")
            << "; head hash " << summary->head_hash << "\n";
  return !summary->chain_ok || checkpoints_bad ? kExitTampered : kExitOk;
}

}  // namespace liitos
