// Import files into a dir destination (transports/file_sink.h, SPEC §11): written under a temporary
// name and renamed over the earlier file, then the done marker; Put from many threads.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "transports/dir/dir_config.h"
#include "tests/scratch_dir.h"
#include "transports/registry.h"

namespace liitos {
namespace {

namespace fs = std::filesystem;

using test_util::FileNames;
using test_util::ReadWhole;

struct DirWorld {
  test_util::ScratchDir scratch;
  std::string dir = scratch.path().string();
  FileSinkPtr Make(std::optional<std::string> marker = std::nullopt) {
    DestinationConfig cfg;
    cfg.name = "tuonti";
    cfg.kind = "dir";
    MutableKindSettings<FolderSettings>(cfg.settings).path = dir + "/tuonti";
    MutableKindSettings<FolderSettings>(cfg.settings).done_marker = marker;
    TransportContext ctx;
    auto sink = MakeFileSink(cfg, ctx);
    EXPECT_TRUE(sink.ok()) << sink.status().ToString();
    return sink.ok() ? std::move(*sink) : nullptr;
  }
};

TEST(DirFileSink, WritesByRenameReplacesAndMarks) {
  DirWorld w;
  auto sink = w.Make(".valmis");
  ASSERT_EQ(sink->Put("hakemus_a.xml", "<a/>").outcome, SendOutcome::kOk);  // the folder is made
  EXPECT_EQ(FileNames(w.dir + "/tuonti"), (std::set<std::string>{"hakemus_a.xml", "hakemus_a.xml.valmis"}));
  EXPECT_EQ(ReadWhole(w.dir + "/tuonti/hakemus_a.xml"), "<a/>");
  EXPECT_EQ(fs::status(w.dir + "/tuonti/hakemus_a.xml").permissions() & fs::perms::others_all, fs::perms::none);
  ASSERT_EQ(sink->Put("hakemus_a.xml", "<a>2</a>").outcome, SendOutcome::kOk);
  EXPECT_EQ(ReadWhole(w.dir + "/tuonti/hakemus_a.xml"), "<a>2</a>");
  EXPECT_EQ(FileNames(w.dir + "/tuonti").size(), 2u);  // no temporary left behind
  EXPECT_EQ(sink->Put("../escape.xml", "x").outcome, SendOutcome::kFatal);
  EXPECT_EQ(sink->Put(".hidden", "x").outcome, SendOutcome::kFatal);
}

TEST(DirFileSink, PutAllWritesEachAsPutWould) {
  DirWorld w;
  auto sink = w.Make(".valmis");
  std::vector<FileToPut> files = {{"a.xml", "<a/>", {}}, {"../b.xml", "<b/>", {}}, {"c.xml", "<c/>", {}}};
  sink->PutAll(files);
  EXPECT_EQ(files[0].result.outcome, SendOutcome::kOk) << files[0].result.error;
  EXPECT_EQ(files[1].result.outcome, SendOutcome::kFatal);
  EXPECT_EQ(files[2].result.outcome, SendOutcome::kOk);
  EXPECT_EQ(FileNames(w.dir + "/tuonti"), (std::set<std::string>{"a.xml", "a.xml.valmis", "c.xml", "c.xml.valmis"}));
  EXPECT_EQ(ReadWhole(w.dir + "/tuonti/c.xml"), "<c/>");
  std::vector<FileToPut> again = {{"a.xml", "<a>2</a>", {}}};
  sink->PutAll(again);
  EXPECT_EQ(again[0].result.outcome, SendOutcome::kOk);
  EXPECT_EQ(ReadWhole(w.dir + "/tuonti/a.xml"), "<a>2</a>");
  EXPECT_EQ(FileNames(w.dir + "/tuonti").size(), 4u);
}

TEST(DirFileSink, PutFromManyThreads) {
  DirWorld w;
  auto sink = w.Make();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) EXPECT_EQ(sink->Put(std::to_string(t * 100 + i) + ".json", "{}").outcome, SendOutcome::kOk);
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(FileNames(w.dir + "/tuonti").size(), 100u);
}

}  // namespace
}  // namespace liitos
