// Intake (daemon/intake/intake.h) on its own: a dir source in a scratch folder, a real journal on disk,
// a FakeClock; no processes, no sleeps. What a file becomes (journal, receipts, archive or
// error folder, spool) whether its rounds overlap on threads or run one after the other.
#include "daemon/intake/intake.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "journal/journal.h"
#include "tests/base/test_util.h"
#include "transports/registry.h"

namespace liitos {
namespace {
namespace fs = std::filesystem;

constexpr char kHeader[] = "Asiointitunnus;Diaarinumero;Tilakoodi;Tilan pvm;Viesti\n";

// What the two test profiles share: a CSV export of status rows.
constexpr char kProfileBody[] = R"(format = "csv"
encoding = "utf-8"
delimiter = ";"
header = true
date_formats = ["%d.%m.%Y %H:%M"]

[profile.fields]
lvCaseId = "Asiointitunnus"
authorityCaseId = "Diaarinumero"
status = "Tilakoodi"
statusChangedAt = "Tilan pvm"
"message.fi" = "Viesti"

[profile.status_map]
"20" = "KASITTELYSSA"

[profile.constants]
municipalityCode = "049"
)";

std::string ConfigText(const std::string& root) {
  return fmt::format(R"(
[service]
state_dir = "{0}/state"

[interface]
xroad_client = "FI/MUN/0204819-8/liitos"

[[source]]
name = "rakval"
kind = "dir"
path = "{0}/in"
receipts = "{0}/receipts"
profile = "rakval-csv"
destination = "outbound"
settle = "1s"
after = "archive"

[[source]]
name = "strict"
kind = "dir"
path = "{0}/strict-in"
receipts = "{0}/strict-receipts"
profile = "strict-csv"
destination = "outbound"

[[profile]]
name = "strict-csv"
on_invalid_record = "reject-file"
{1}
[[profile]]
name = "rakval-csv"
on_invalid_record = "skip-record"
{1}
[[destination]]
name = "outbound"
kind = "dir"
path = "{0}/out"
interval = "1m"
)",
                     root, kProfileBody);
}

// `rows` status rows of case `i`; row r of every third file has an unknown status (rejected).
std::string Export(int i, int rows) {
  std::string s = kHeader;
  for (int r = 0; r < rows; ++r)
    s += fmt::format("LV-{}-{};RAVA/{}/2026;{};01.11.2026 09:15;Viesti {}\n", i, r, i, (i % 3 == 0 && r == 1) ? 99 : 20,
                     r);
  return s;
}

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every regular file under `dir`, by its path relative to `dir`, with its content.
std::map<std::string, std::string> Tree(const fs::path& dir) {
  std::map<std::string, std::string> out;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) out[fs::relative(e.path(), dir).string()] = Slurp(e.path());
  return out;
}

// A dir source that says it cannot overlap: the intake then runs its rounds one after the
// other on the calling thread (the plain fallback of Source::Overlaps).
class NoOverlap : public Source {
 public:
  explicit NoOverlap(SourcePtr inner) : inner_(std::move(inner)) {}
  const SourceConfig& config() const override { return inner_->config(); }
  Result<std::vector<Candidate>> Poll() override { return inner_->Poll(); }
  Status QuarantineSpooled(const std::string& n, const std::string& p, const std::string& r) override {
    return inner_->QuarantineSpooled(n, p, r);
  }
  Status Check(std::vector<std::string>* report) override { return inner_->Check(report); }
  bool Overlaps() const override { return false; }

 private:
  Status DoFetch(const Candidate& c, const std::string& p, SyncBatch& sync, Fetched* out) override {
    return inner_->Fetch(c, p, sync, out);
  }
  Status DoRelease(const Candidate& c, SyncBatch& sync) override { return inner_->Release(c, sync); }
  Status DoQuarantineOriginal(const Candidate& c, const std::string& r, SyncBatch& sync) override {
    return inner_->QuarantineOriginal(c, r, sync);
  }
  Status DoWriteReceipt(const std::string& n, std::string_view d, SyncBatch& sync) override {
    return inner_->WriteReceipt(n, d, sync);
  }
  Status DoWriteReceiptFile(const std::string& n, const std::string& p, SyncBatch& sync) override {
    return inner_->WriteReceiptFile(n, p, sync);
  }
  SourcePtr inner_;
};

class IntakeTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(dir_.path()); }

  void Start(const std::string& root) {
    root_ = root;
    fs::create_directories(root_ / "in");
    fs::create_directories(root_ / "state");
    auto loaded = LoadConfigFromString(ConfigText(root_.string()), "intake_test.toml", TransportKinds());
    ASSERT_TRUE(loaded.config) << (loaded.errors.empty() ? "" : loaded.errors[0].ToString());
    cfg_ = std::move(*loaded.config);
    auto j = Journal::Open((root_ / "state/journal.db").string(), clock_);
    ASSERT_TRUE(j.ok()) << j.status().ToString();
    journal_ = std::move(*j);
    intake_ = std::make_unique<Intake>(cfg_, *journal_, clock_, nullptr);
    TransportContext ctx;
    ctx.clock = &clock_;
    ctx.state_dir = cfg_.service.state_dir;
    auto src = MakeSource(cfg_.sources[0], ctx);
    ASSERT_TRUE(src.ok()) << src.status().ToString();
    source_ = std::move(*src);
  }

  void Drop(const std::string& name, const std::string& data) { std::ofstream(root_ / "in" / name, std::ios::binary) << data; }

  // What a crash between FILE_RECEIVED and the file's records leaves: its spool copy `copy`
  // holding `data`, and the journal's row in state "received".
  void Received(const std::string& name, const std::string& copy, const std::string& data) {
    const fs::path spool = root_ / "state/spool/rakval";
    fs::create_directories(spool);
    std::ofstream(spool / copy, std::ios::binary) << data;
    auto f = journal_->RecordFileReceived("rakval", name, std::string(64, name[0]), data.size(), (spool / copy).string());
    ASSERT_TRUE(f.ok()) << f.status().ToString();
  }

  // The one file parsed, with its intake receipt written, and its rows.
  std::vector<IntakeRow> OneParsedFileRows() {
    auto parsed = Files("parsed");
    EXPECT_EQ(parsed.size(), 1u);
    if (parsed.size() != 1) return {};
    EXPECT_TRUE(parsed[0].intake_receipt_written);
    auto rows = journal_->IntakeRows(parsed[0].id);
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? *rows : std::vector<IntakeRow>{};
  }

  // Every file in the drop, as a Poll that found them settled would offer them.
  std::vector<Candidate> Offered() const {
    std::vector<Candidate> out;
    for (const auto& e : fs::directory_iterator(root_ / "in"))
      out.push_back(Candidate{e.path().filename().string(), static_cast<uint64_t>(e.file_size()), std::nullopt});
    std::sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) { return a.name < b.name; });
    return out;
  }

  std::vector<FileRow> Files(const std::string& state) {
    auto r = journal_->FilesInState(state);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::vector<FileRow>{};
  }

  // What the intake left: every file's journal state and receipt rows, and the folders.
  std::string Outcome() {
    std::string out;
    for (const char* state : {"received", "parsed", "quarantined"})
      for (const auto& f : Files(state)) {
        out += fmt::format("file {} {} {} receipt={}\n", f.name, f.state, f.size, f.intake_receipt_written);
        auto rows = journal_->IntakeRows(f.id);
        if (rows.ok())
          for (const auto& r : *rows)
            out += fmt::format("  {} {} {} {} {}\n", r.record, r.lv_case_id, r.message_id, r.outcome, r.reason);
      }
    for (const char* dir : {"in", "receipts", "archive", "error", "state/spool/rakval"})
      for (const auto& [name, data] : Tree(root_ / dir)) out += fmt::format("{}/{}: {} bytes\n{}\n", dir, name, data.size(), data);
    return out;
  }

  test_util::ScratchDir dir_;
  fs::path root_;
  FakeClock clock_;
  Config cfg_;
  JournalPtr journal_;
  std::unique_ptr<Intake> intake_;
  SourcePtr source_;
};

TEST_F(IntakeTest, AFileIsJournaledReceiptedAndArchived) {
  Drop("a.csv", Export(1, 3));
  EXPECT_EQ(intake_->Take(*source_, Offered()), 1u);
  auto parsed = Files("parsed");
  ASSERT_EQ(parsed.size(), 1u);
  EXPECT_EQ(parsed[0].name, "a.csv");
  EXPECT_TRUE(parsed[0].intake_receipt_written);
  auto rows = journal_->IntakeRows(parsed[0].id);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 3u);
  for (const auto& r : *rows) EXPECT_EQ(r.outcome, "accepted") << r.reason;
  EXPECT_TRUE(Tree(root_ / "in").empty());
  EXPECT_EQ(Tree(root_ / "archive").size(), 1u);
  auto receipts = Tree(root_ / "receipts");
  ASSERT_EQ(receipts.size(), 1u);
  EXPECT_EQ(receipts.begin()->first, "a.csv.receipt.csv");
  EXPECT_TRUE(Tree(root_ / "state/spool/rakval").empty());  // the copy is gone once settled
  EXPECT_EQ(intake_->StuckCount(), 0u);
}

TEST_F(IntakeTest, AFileWithoutTheProfilesColumnsIsQuarantinedWithItsReason) {
  Drop("bad.csv", "foo;bar\n1;2\n");
  EXPECT_EQ(intake_->Take(*source_, Offered()), 1u);
  auto q = Files("quarantined");
  ASSERT_EQ(q.size(), 1u);
  EXPECT_TRUE(q[0].intake_receipt_written);
  auto error = Tree(root_ / "error");
  EXPECT_EQ(error.count("bad.csv"), 1u);
  ASSERT_EQ(error.count("bad.csv.reason.txt"), 1u);
  EXPECT_FALSE(error["bad.csv.reason.txt"].empty());
  EXPECT_TRUE(Tree(root_ / "in").empty());
  EXPECT_EQ(Tree(root_ / "receipts").count("bad.csv.receipt.csv"), 1u);
}

TEST_F(IntakeTest, TheSameFileOfferedAgainIsOnlyTakenOutOfTheDrop) {
  Drop("a.csv", Export(1, 2));
  ASSERT_EQ(intake_->Take(*source_, Offered()), 1u);
  Drop("a.csv", Export(1, 2));  // a crash left it, or the same export came again
  EXPECT_EQ(intake_->Take(*source_, Offered()), 1u);
  EXPECT_EQ(Files("parsed").size(), 1u);  // recorded once
  EXPECT_TRUE(Tree(root_ / "in").empty());
  EXPECT_EQ(Tree(root_ / "archive").size(), 2u);
  EXPECT_EQ(Tree(root_ / "receipts").size(), 1u);
}

TEST_F(IntakeTest, AStopBeforeTheFirstRoundTakesNothing) {
  Drop("a.csv", Export(1, 2));
  std::atomic<bool> stop{true};
  EXPECT_EQ(intake_->Take(*source_, Offered(), &stop), 0u);
  EXPECT_TRUE(Files("parsed").empty());
  EXPECT_EQ(Tree(root_ / "in").size(), 1u);
}

// The rounds overlapped on threads (a dir source) and run one after the other (a source that
// cannot overlap) leave the same journal, receipts, archive and error folder: several rounds of
// small files, a file streamed in its own round, a refused file.
TEST_F(IntakeTest, OverlappedRoundsEndAsRoundsOneAfterTheOther) {
  auto fill = [&] {
    for (int i = 0; i < static_cast<int>(Intake::kRoundFiles) + 5; ++i) Drop(fmt::format("e{:04}.csv", i), Export(i, 3));
    Drop("big.csv", Export(7777, 17500));  // over kConvertAheadBytes: streamed
    Drop("bad.csv", "foo;bar\n1;2\n");
  };
  ASSERT_GT(Export(7777, 17500).size(), Intake::kConvertAheadBytes);
  fill();
  const size_t n = Offered().size();
  ASSERT_TRUE(source_->Overlaps());
  EXPECT_EQ(intake_->Take(*source_, Offered()), n);
  const std::string overlapped = Outcome();

  test_util::ScratchDir other;
  Start(other.path());
  source_ = std::make_unique<NoOverlap>(std::move(source_));
  fill();
  EXPECT_EQ(intake_->Take(*source_, Offered()), n);
  EXPECT_EQ(Outcome(), overlapped);
  EXPECT_NE(overlapped.find("big.csv parsed"), std::string::npos);
  EXPECT_NE(overlapped.find("bad.csv quarantined"), std::string::npos);
  EXPECT_NE(overlapped.find("rejected"), std::string::npos);
}

// After a crash: a file journaled as received is parsed from its spool copy, receipted and its
// copy dropped; a spool file the journal never heard of is removed.
TEST_F(IntakeTest, ResumeParsesAReceivedFileAndRemovesUnjournaledCopies) {
  const fs::path spool = root_ / "state/spool/rakval";
  Received("c.csv", "copy-1", Export(3, 4));
  std::ofstream(spool / "stray", std::ios::binary) << "cut short";
  intake_->ResumeSpooled({source_.get()});
  EXPECT_EQ(OneParsedFileRows().size(), 4u);
  EXPECT_TRUE(Tree(spool).empty());
  EXPECT_EQ(Tree(root_ / "receipts").count("c.csv.receipt.csv"), 1u);
}

// A crash after a file was parsed but before its intake receipt: the receipt is written at the
// next start from the journal (a chunk at a time), the same as one written from the file's rows
// when it was taken.
TEST_F(IntakeTest, ResumeWritesAMissingIntakeReceiptFromTheJournal) {
  Drop("a.csv", Export(5, 6));
  intake_->Take(*source_, Offered());
  const std::string taken = Tree(root_ / "receipts").at("a.csv.receipt.csv");
  ASSERT_EQ(Files("parsed").size(), 1u);
  const FileRow a = Files("parsed")[0];
  // The same records journaled for a second file, its receipt never written.
  const fs::path spool = root_ / "state/spool/rakval";
  fs::create_directories(spool);
  std::ofstream(spool / "copy-b", std::ios::binary) << "x";
  auto b = journal_->RecordFileReceived("rakval", "b.csv", std::string(64, 'b'), 1, (spool / "copy-b").string());
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  std::vector<RecordOutcomeIn> records;
  auto rows = journal_->IntakeRows(a.id);
  ASSERT_TRUE(rows.ok());
  for (const auto& r : *rows) {
    RecordOutcomeIn in;
    in.record = r.record;
    in.lv_case_id = r.lv_case_id;
    in.accepted = r.outcome != "rejected";
    in.message_id = in.accepted ? "B_" + r.message_id : "";
    in.payload = "{}";
    in.destination = "lupapiste";
    in.reason = r.reason;
    records.push_back(in);
  }
  ASSERT_TRUE(journal_->RecordFileParsed(b->id, records, false).ok());
  intake_->ResumeSpooled({source_.get()});
  std::string written = Tree(root_ / "receipts").at("b.csv.receipt.csv");
  for (size_t p = 0; (p = written.find("B_", p)) != std::string::npos;) written.erase(p, 2);
  for (size_t p = 0; (p = written.find("b.csv", p)) != std::string::npos;) written[p] = 'a';
  EXPECT_EQ(written, taken);  // but for the file's name and the messageIds made different
  for (const auto& f : Files("parsed")) EXPECT_TRUE(f.intake_receipt_written) << f.name;
  EXPECT_FALSE(fs::exists(spool / "copy-b"));
}

// A received file too large to convert at once is streamed at resume too: every record once,
// its receipt written from the journal.
TEST_F(IntakeTest, ResumeStreamsAReceivedFileTooLargeToConvertAtOnce) {
  const fs::path spool = root_ / "state/spool/rakval";
  const std::string data = Export(7777, 17500);
  ASSERT_GT(data.size(), Intake::kConvertAheadBytes);
  Received("big.csv", "copy-big", data);
  intake_->ResumeSpooled({source_.get()});
  const auto rows = OneParsedFileRows();
  ASSERT_EQ(rows.size(), 17500u);
  EXPECT_EQ(rows.back().record, 17500);
  const std::string receipt = Tree(root_ / "receipts").at("big.csv.receipt.csv");
  EXPECT_EQ(static_cast<size_t>(std::count(receipt.begin(), receipt.end(), '\n')), 17501u);
  EXPECT_TRUE(Tree(spool).empty());
}

// A received file whose copy is refused at resume goes to quarantine from the spool.
TEST_F(IntakeTest, ResumeQuarantinesARefusedSpoolCopy) {
  const fs::path spool = root_ / "state/spool/rakval";
  fs::create_directories(spool);
  std::ofstream(spool / "copy-2", std::ios::binary) << "foo;bar\n1;2\n";
  auto f = journal_->RecordFileReceived("rakval", "d.csv", std::string(64, 'd'), 12, (spool / "copy-2").string());
  ASSERT_TRUE(f.ok());
  intake_->ResumeSpooled({source_.get()});
  ASSERT_EQ(Files("quarantined").size(), 1u);
  EXPECT_EQ(Tree(root_ / "error").count("d.csv"), 1u);
  EXPECT_TRUE(Tree(spool).empty());
}

// A reject-file profile: one invalid record rejects every record, in a small file converted at
// once and in a large one streamed alike (record 0 says why, then every record rejected).
TEST_F(IntakeTest, ARejectFileProfileRejectsSmallAndStreamedFilesAlike) {
  fs::create_directories(root_ / "strict-in");
  TransportContext ctx;
  ctx.clock = &clock_;
  ctx.state_dir = cfg_.service.state_dir;
  auto strict = MakeSource(cfg_.sources[1], ctx);
  ASSERT_TRUE(strict.ok()) << strict.status().ToString();
  const std::string big = Export(3, 20000);  // file 3: its record 1 is invalid
  ASSERT_GT(big.size(), Intake::kConvertAheadBytes);
  std::ofstream(root_ / "strict-in/small.csv", std::ios::binary) << Export(3, 4);
  std::ofstream(root_ / "strict-in/big.csv", std::ios::binary) << big;
  std::vector<Candidate> offered{{"big.csv", big.size(), std::nullopt}, {"small.csv", Export(3, 4).size(), std::nullopt}};
  EXPECT_EQ(intake_->Take(**strict, offered), 2u);
  auto parsed = Files("parsed");
  ASSERT_EQ(parsed.size(), 2u);
  for (const auto& f : parsed) {
    auto rows = journal_->IntakeRows(f.id);
    ASSERT_TRUE(rows.ok());
    for (const auto& r : *rows) EXPECT_EQ(r.outcome, "rejected") << f.name << " record " << r.record;
  }
  auto receipts = Tree(root_ / "strict-receipts");
  ASSERT_EQ(receipts.size(), 2u);
  const std::string& small_receipt = receipts["small.csv.receipt.csv"];
  const std::string& big_receipt = receipts["big.csv.receipt.csv"];
  EXPECT_NE(small_receipt.find("file rejected as a whole: 1 of 4 records are invalid"), std::string::npos) << small_receipt;
  EXPECT_NE(big_receipt.find("file rejected as a whole: 1 of 20000 records are invalid"), std::string::npos)
      << big_receipt.substr(0, 500);
}

}  // namespace
}  // namespace liitos
