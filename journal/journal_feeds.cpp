// The feeds' calls (SPEC §11): the lines of fetch orders, their attempts and outcomes, what was
// last written of each application, the orders' receipts and the feeds' figures.
#include <nlohmann/json.hpp>

#include "base/time/helsinki_time.h"
#include "base/text/safe_text.h"
#include "base/crypto/uuid.h"
#include "journal/feed_sql.h"
#include "journal/journal_sql.h"
#include "journal/sqlite_journal.h"

namespace liitos {
namespace {

std::string Dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

// "commondata=<uuid> formdata=<uuid>" <-> pairs.
std::string JoinPairs(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::string out;
  for (const auto& [k, v] : pairs) out += (out.empty() ? "" : " ") + k + "=" + v;
  return out;
}

std::vector<std::pair<std::string, std::string>> SplitPairs(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find(' ', pos);
    if (end == std::string::npos) end = text.size();
    std::string item = text.substr(pos, end - pos);
    size_t eq = item.find('=');
    if (eq != std::string::npos) out.emplace_back(item.substr(0, eq), item.substr(eq + 1));
    pos = end + 1;
  }
  return out;
}

// An event about one line of an order.
NewEvent OrderEvent(const char* kind, const FetchOrder& o, const std::string& output, const nlohmann::json& detail) {
  NewEvent e;
  e.kind = kind;
  e.source = o.source;
  e.file = o.file;
  e.file_sha256 = o.file_sha256;
  e.record = o.line;
  e.lv_case_id = o.external_id;
  e.destination = output;
  e.detail_json = Dump(detail);
  return e;
}

FetchOrder ReadOrder(const Query& q) {
  FetchOrder o;
  o.id = q.Int(0);
  o.feed = q.Text(1);
  o.file_id = q.Int(2);
  o.line = q.Int(3);
  o.external_id = q.Text(4);
  o.xroad_ids = SplitPairs(q.Text(5));
  o.attempts = static_cast<int>(q.Int(6));
  o.created_at = q.Text(7);
  o.first_failed_at = q.Text(8);
  o.next_attempt_at = q.Text(9);
  o.fault = q.Text(10);
  o.last_error = q.Text(11);
  o.source = q.Text(12);
  o.file = q.Text(13);
  o.file_sha256 = q.Text(14);
  return o;
}

nlohmann::json PartsJson(const std::vector<PartDigest>& parts) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : parts) out.push_back({{"part", p.part}, {"size", p.size}, {"sha256", p.sha256}});
  return out;
}

}  // namespace

Status SqliteJournal::RecordOrders(int64_t file_id, const std::string& feed, const std::string& output,
                                   const std::vector<OrderLineIn>& lines, const std::vector<std::string>& parts) {
  return Write([&]() -> Status {
    auto loaded = LoadFile(file_id);
    if (!loaded.ok()) return loaded.status();
    if (!*loaded) return Status::NotFound("journal: no file with id " + std::to_string(file_id));
    const FileRow& f = **loaded;
    if (f.state != "received") return Status::Invalid("journal: file " + SafeText(f.name) + " is already " + f.state);
    const std::string now = Now();
    for (const auto& line : lines) {
      FetchOrder o;
      o.feed = feed;
      o.file_id = file_id;
      o.line = line.line;
      o.external_id = line.external_id;
      o.source = f.source;
      o.file = f.name;
      o.file_sha256 = f.sha256;
      const bool rejected = !line.reason.empty();
      if (!rejected)
        for (const auto& part : parts) o.xroad_ids.emplace_back(part, UuidV4());
      Query ins(*db_, sql::kInsertOrder);
      ins.Bind(1, feed).Bind(2, file_id).Bind(3, line.line).Bind(4, line.external_id);
      ins.Bind(5, rejected ? "rejected" : "pending").Bind(6, JoinPairs(o.xroad_ids)).Bind(7, now);
      if (rejected) ins.Bind(8, now);
      else ins.BindNull(8);
      if (Status st = ins.Bind(9, SafeText(line.reason)).Run(); !st.ok()) return st;
      nlohmann::json detail = {{"feed", feed}};
      if (rejected) {
        detail["outcome"] = "rejected";
        detail["reason"] = SafeText(line.reason);
      } else {
        nlohmann::json ids = nlohmann::json::object();
        for (const auto& [part, id] : o.xroad_ids) ids[part] = id;
        detail["xroadIds"] = ids;
      }
      auto seq = AppendLocked(OrderEvent(rejected ? ev::kFetchFailed : ev::kFetchOrdered, o, output, detail));
      if (!seq.ok()) return seq.status();
    }
    return Query(*db_, sql::kSetFileState).Bind(1, file_id).Bind(2, "parsed").Run();
  });
}

Result<std::vector<FetchOrder>> SqliteJournal::DueOrders(const std::string& feed, SysTime now, bool config_faults,
                                                         bool all, int64_t after_id, int limit) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  std::vector<FetchOrder> out;
  Query q(*db_, sql::kDueOrders);
  q.Bind(1, feed).Bind(2, FormatUtcMillis(now)).Bind(3, int64_t{all}).Bind(4, int64_t{config_faults});
  q.Bind(5, int64_t{limit}).Bind(6, after_id);
  for (;;) {
    auto r = q.Step();
    if (!r.ok()) return r.status();
    if (!*r) return out;
    out.push_back(ReadOrder(q));
  }
}

Result<std::string> SqliteJournal::NextOrderAttempt(const std::string& feed) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  Query q(*db_, sql::kNextOrderAttempt);
  auto r = q.Bind(1, feed).Step();
  if (!r.ok()) return r.status();
  return *r ? q.Text(0) : std::string();
}

Result<std::optional<std::pair<std::string, std::string>>> SqliteJournal::ApplicationDigest(
    const std::string& feed, const std::string& external_id) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  Query q(*db_, sql::kApplicationDigest);
  auto r = q.Bind(1, feed).Bind(2, external_id).Step();
  if (!r.ok()) return r.status();
  if (!*r) return std::optional<std::pair<std::string, std::string>>();
  return std::optional<std::pair<std::string, std::string>>(std::make_pair(q.Text(0), q.Text(1)));
}

Status SqliteJournal::RecordFetchAttempt(const FetchOrder& o, const std::string& output,
                                         const std::string& attempt_detail, const std::string& fault,
                                         const std::string& error, SysTime next_attempt) {
  return Write([&]() -> Status {
    const std::string now = Now();
    Query q(*db_, sql::kOrderAttempted);
    q.Bind(1, o.id).Bind(2, fault).Bind(3, SafeText(error)).Bind(4, FormatUtcMillis(next_attempt)).Bind(5, now);
    if (Status st = q.Run(); !st.ok()) return st;
    if (q.Changes() == 0) return Status::Invalid("journal: order " + std::to_string(o.id) + " is not pending");
    NewEvent e = OrderEvent(ev::kFetchAttempt, o, output, nlohmann::json::object());
    e.detail_json = attempt_detail;
    return AppendLocked(e).status();
  });
}

Status SqliteJournal::RecordFetched(const FetchOrder& o, const std::string& output, const std::string& attempt_detail,
                                    const std::vector<PartDigest>& parts, const std::string& digest,
                                    const std::string& import_file, const std::string& import_sha256, bool written) {
  return Write([&]() -> Status {
    const std::string now = Now();
    Query q(*db_, sql::kOrderFinal);
    q.Bind(1, o.id).Bind(2, written ? "fetched" : "unchanged").Bind(3, import_file).Bind(4, "").Bind(5, int64_t{1});
    if (Status st = q.Bind(6, now).Run(); !st.ok()) return st;
    if (q.Changes() == 0) return Status::Invalid("journal: order " + std::to_string(o.id) + " is not pending");
    if (written) {
      Query app(*db_, sql::kSetApplication);
      app.Bind(1, o.feed).Bind(2, o.external_id).Bind(3, digest).Bind(4, import_file).Bind(5, now);
      if (Status st = app.Run(); !st.ok()) return st;
    }
    NewEvent attempt = OrderEvent(ev::kFetchAttempt, o, output, nlohmann::json::object());
    attempt.detail_json = attempt_detail;
    if (auto s = AppendLocked(attempt); !s.ok()) return s.status();
    nlohmann::json fetched = {{"feed", o.feed}, {"parts", PartsJson(parts)}};
    if (auto s = AppendLocked(OrderEvent(ev::kApplicationFetched, o, output, fetched)); !s.ok()) return s.status();
    nlohmann::json file = {{"feed", o.feed}, {"file", SafeText(import_file)}};
    if (written) file["sha256"] = import_sha256;
    return AppendLocked(OrderEvent(written ? ev::kImportWritten : ev::kImportUnchanged, o, output, file)).status();
  });
}

Status SqliteJournal::RecordFetchFailed(const FetchOrder& o, const std::string& output,
                                        const std::string& attempt_detail, const std::vector<PartDigest>& parts,
                                        const std::string& outcome, const std::string& reason) {
  return Write([&]() -> Status {
    Query q(*db_, sql::kOrderFinal);
    q.Bind(1, o.id).Bind(2, outcome).Bind(3, "").Bind(4, SafeText(reason));
    q.Bind(5, int64_t{attempt_detail.empty() ? 0 : 1}).Bind(6, Now());
    if (Status st = q.Run(); !st.ok()) return st;
    if (q.Changes() == 0) return Status::Invalid("journal: order " + std::to_string(o.id) + " is not pending");
    if (!attempt_detail.empty()) {
      NewEvent attempt = OrderEvent(ev::kFetchAttempt, o, output, nlohmann::json::object());
      attempt.detail_json = attempt_detail;
      if (auto s = AppendLocked(attempt); !s.ok()) return s.status();
    }
    if (!parts.empty()) {
      nlohmann::json fetched = {{"feed", o.feed}, {"parts", PartsJson(parts)}};
      if (auto s = AppendLocked(OrderEvent(ev::kApplicationFetched, o, output, fetched)); !s.ok()) return s.status();
    }
    nlohmann::json detail = {{"feed", o.feed}, {"outcome", outcome}, {"reason", SafeText(reason)}};
    return AppendLocked(OrderEvent(ev::kFetchFailed, o, output, detail)).status();
  });
}

Result<std::vector<FileRow>> SqliteJournal::OrderFilesAwaitingReceipt(const std::string& source) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  std::vector<int64_t> ids;
  {
    Query q(*db_, sql::kOrderFilesAwaitingReceipt);
    q.Bind(1, source);
    for (;;) {
      auto r = q.Step();
      if (!r.ok()) return r.status();
      if (!*r) break;
      ids.push_back(q.Int(0));
    }
  }
  std::vector<FileRow> out;
  for (int64_t id : ids) {
    auto f = LoadFile(id);
    if (!f.ok()) return f.status();
    if (*f) out.push_back(**f);
  }
  return out;
}

Result<std::vector<OrderOutcome>> SqliteJournal::OrderOutcomes(int64_t file_id) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  std::vector<OrderOutcome> out;
  Query q(*db_, sql::kOrderOutcomes);
  q.Bind(1, file_id);
  for (;;) {
    auto r = q.Step();
    if (!r.ok()) return r.status();
    if (!*r) return out;
    out.push_back(OrderOutcome{q.Int(0), q.Text(1), q.Text(2), q.Text(3), q.Text(4), q.Text(5)});
  }
}

Status SqliteJournal::RecordOrderReceiptWritten(int64_t file_id, const std::string& receipt_name) {
  return Write([&]() -> Status {
    auto loaded = LoadFile(file_id);
    if (!loaded.ok()) return loaded.status();
    if (!*loaded) return Status::NotFound("journal: no file with id " + std::to_string(file_id));
    if (Status st = Query(*db_, sql::kOrderReceiptWritten).Bind(1, file_id).Run(); !st.ok()) return st;
    NewEvent e;
    e.kind = ev::kReceiptWritten;
    e.source = (*loaded)->source;
    e.file = (*loaded)->name;
    e.file_sha256 = (*loaded)->sha256;
    e.detail_json = Dump({{"kind", "fetch"}, {"receipt", SafeText(receipt_name)}});
    return AppendLocked(e).status();
  });
}

Result<FeedStats> SqliteJournal::FeedStatsOf(const std::string& feed) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  FeedStats s;
  s.feed = feed;
  Query q(*db_, sql::kFeedStats);
  q.Bind(1, feed);
  for (;;) {
    auto r = q.Step();
    if (!r.ok()) return r.status();
    if (!*r) return s;
    const std::string state = q.Text(0), fault = q.Text(1), oldest = q.Text(3), last = q.Text(4);
    const int64_t n = q.Int(2);
    if (state == "pending") {
      s.pending += n;
      if (fault == "retry") s.retrying += n;
      if (fault == "config") s.config_faults += n;
      if (s.oldest_pending_at.empty() || (!oldest.empty() && oldest < s.oldest_pending_at)) s.oldest_pending_at = oldest;
      continue;
    }
    if (state == "fetched") s.fetched += n;
    else if (state == "unchanged") s.unchanged += n;
    else if (state == "not-found") s.not_found += n;
    else if (state == "rejected") s.rejected += n;
    else if (state == "failed") s.failed += n;
    if (last > s.last_final_at) s.last_final_at = last;
  }
}

}  // namespace liitos
