#pragma once
// A journal with something of everything the report shows, on a fake clock: files from two
// sources over two days, a quarantined file, delivered and failed batches, a receiver rejection,
// a host-key refusal and a configuration change.

#include <nlohmann/json.hpp>

#include <string>

#include "base/time/helsinki_time.h"
#include "report/report.h"
#include "tests/journal/journal_test_util.h"

namespace liitos::report_test {

using journal_test::Accepted;
using journal_test::Rejected;

struct Busy : journal_test::Fixture {
  // 2027-01-15 08:00 UTC (10:00 in Helsinki) is where the fake clock starts.
  SysTime day1 = *FromHelsinki(2027, 1, 15, 0, 0, 0);
  int64_t quarantined_seq = 0;
  std::string failed_batch, rejected_message = "m-rej";

  Busy() {
    NewEvent cfg = journal_test::Ev(ev::kConfigLoaded);
    cfg.detail_json = R"({"config":"/etc/liitos/liitos.toml","sha256":"ab12"})";
    EXPECT_TRUE(j->Append(cfg).ok());
    File("a1.csv", {Accepted(1, "LV-1", "m1"), Accepted(2, "LV-2", rejected_message), Rejected(3, "LV-3", "status", "bad status")});
    auto b = j->CreateBatch("lupapiste", 10);
    EXPECT_TRUE(j->MarkBatchDelivered((*b)->batch_id, "req-1", {{rejected_message, false, "E_CASE", "unknown lvCaseId"}}).ok());
    clock.Advance(std::chrono::hours(1));
    EXPECT_TRUE(j->RecordFileQuarantined(0, "ymparisto", "<img src=x>.xml", "malformed XML at line 1").ok());
    quarantined_seq = LastSeq();
    NewEvent hk = journal_test::Ev(ev::kHostkeyRefused);
    hk.detail_json = R"({"endpoint":"sftp://legacy.example.fi:22","fingerprint":"SHA256:abc"})";
    EXPECT_TRUE(j->Append(hk).ok());
    // The next day: a file whose batch fails, and one still pending at the end.
    clock.Advance(std::chrono::hours(24));
    auto f2 = j->RecordFileReceived("ymparisto", "v2.xml", std::string(64, 'b'), 10, "/spool/v2");
    EXPECT_TRUE(j->RecordFileParsed(f2->id, {Accepted(1, "LV-4", "m4"), Accepted(2, "LV-5", "m5")}, false).ok());
    auto fb = j->CreateBatch("lupapiste", 10);
    failed_batch = (*fb)->batch_id;
    EXPECT_TRUE(j->RecordAttempt(failed_batch, 503, "", "HTTP 503", std::nullopt).ok());
    EXPECT_TRUE(j->MarkBatchFailed(failed_batch, "gave up after 72h").ok());
    clock.Advance(std::chrono::hours(1));
    File("a2.csv", {Accepted(1, "LV-6", "m6")});
    clock.Advance(std::chrono::hours(2));
  }
  int64_t LastSeq() {
    journal_test::RawDb raw(path);
    return std::stoll(raw.Scalar("SELECT max(seq) FROM events"));
  }
  ReportOptions Options() {
    ReportOptions o;
    o.db_path = path;
    o.since = day1;
    o.until = day1 + std::chrono::hours(24 * 4);
    o.now = clock.Now();
    o.version = "test";
    return o;
  }
  std::string Render(const ReportOptions& o, ReportSummary* summary = nullptr) {
    std::string html;
    auto r = RenderReport(o, &html);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (summary && r.ok()) *summary = *r;
    return html;
  }
};

}  // namespace liitos::report_test
