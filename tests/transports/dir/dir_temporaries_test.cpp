// What a crash leaves in the folders a dir source writes into: the temporaries of its atomic
// writes (a receipt, a reason text) are removed at start, and nothing else is.
#include <gtest/gtest.h>

#include "base/file_names.h"
#include "tests/transports/dir/dir_test_util.h"

namespace liitos::dirtest {
namespace {

using DirTemporariesTest = DirFixture;

TEST_F(DirTemporariesTest, RemovesItsOwnTemporariesFromTheReceiptsAndErrorFoldersOnly) {
  for (const char* d : {"/receipts", "/error"}) std::filesystem::create_directories(root_ + d);
  const std::string receipt_tmp = TempNameFor("a.csv.delivery.csv"), reason_tmp = TempNameFor("b.csv.reason.txt");
  WriteText(root_ + "/receipts/" + receipt_tmp, "half a receipt");
  WriteText(root_ + "/receipts/a.csv.receipt.csv", "a receipt");
  WriteText(root_ + "/receipts/.someone-elses.tmp", "not ours");
  WriteText(root_ + "/error/" + reason_tmp, "half a reason");
  WriteText(root_ + "/error/b.csv", "quarantined");
  WriteText(In(TempNameFor("c.csv")), "the drop is the legacy side's");
  Open();
  auto removed = source_->RemoveTemporaries();
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_EQ(*removed, 2u);
  EXPECT_EQ(Names(root_ + "/receipts"), (std::set<std::string>{"a.csv.receipt.csv", ".someone-elses.tmp"}));
  EXPECT_EQ(Names(root_ + "/error"), std::set<std::string>{"b.csv"});
  EXPECT_EQ(Names(inbox_).size(), 1u);
}

TEST_F(DirTemporariesTest, MissingFoldersAreNothingToRemove) {
  Open();
  auto removed = source_->RemoveTemporaries();
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_EQ(*removed, 0u);
}

}  // namespace
}  // namespace liitos::dirtest
