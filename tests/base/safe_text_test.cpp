// base/safe_text and base/file_names: the rules every name and outside text passes through.
#include "base/text/safe_text.h"

#include <gtest/gtest.h>

#include "base/file_names.h"

namespace liitos {
namespace {

TEST(SafeText, EscapesWhatIsNotTextAndKeepsFinnish) {
  EXPECT_EQ(SafeText("tilat_ä.csv"), "tilat_ä.csv");
  EXPECT_EQ(SafeText("tila\xe4.csv"), "tila\\xe4.csv");  // Latin-1 ä from a Windows share
  EXPECT_EQ(SafeText("evil\n<3>FAKE.csv"), "evil\\n<3>FAKE.csv");
  EXPECT_EQ(SafeText("a\r\tb\x1b[31mc\x7f"), "a\\r\\tb\\x1b[31mc\\x7f");
  EXPECT_EQ(SafeText("\xc2\x85" "x"), "\\u0085x");           // C1 next line
  EXPECT_EQ(SafeText("gpj.\xe2\x80\xae" "exe"), "gpj.\\u202eexe");  // right-to-left override
  EXPECT_EQ(SafeText("\xc0\xaf"), "\\xc0\\xaf");          // overlong '/'
  EXPECT_EQ(SafeText("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // a surrogate
  EXPECT_EQ(SafeText("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80");
  EXPECT_EQ(SafeText("cut\xe2\x82"), "cut\\xe2\\x82");     // a sequence cut short
  EXPECT_EQ(SafeText(std::string("nul\0x", 5)), "nul\\x00x");
}

TEST(SafeText, MasksPersonIdsAlsoWhenGlued) {
  EXPECT_EQ(SafeText("hakija_010190-123M.csv"), "hakija_<hetu>.csv");
  EXPECT_EQ(RedactPersonIds("131052-308TT"), "<hetu>T");
  EXPECT_EQ(RedactPersonIds("1131052-308T"), "1<hetu>");
  EXPECT_EQ(RedactPersonIds("x131052A308Tx 010100Y1234"), "x<hetu>x <hetu>");  // 2023 century signs
  EXPECT_EQ(RedactPersonIds("131052-308t"), "<hetu>");  // lower case is still someone's code
  EXPECT_EQ(RedactPersonIds("0737546-2 RAVA/1234/2026 2026-11-20"), "0737546-2 RAVA/1234/2026 2026-11-20");
  EXPECT_EQ(RedactPersonIds("991352-308T"), "991352-308T");  // no such day or month
  EXPECT_EQ(RedactPersonIds("tilat"), "tilat");
  // liitos's own UUIDs hold such runs now and then; they are never masked.
  EXPECT_EQ(RedactPersonIds("3b1f0a13-1052-308d-80b4-00c04fd430c8"), "3b1f0a13-1052-308d-80b4-00c04fd430c8");
  EXPECT_EQ(RedactPersonIds("batch a1311052-3081-4a0b-9c1d-0e1f2a3b4c5d: 131052-308T"),
            "batch a1311052-3081-4a0b-9c1d-0e1f2a3b4c5d: <hetu>");
}

TEST(SafeText, OrdinaryNamesStayAsTheyAre) {
  EXPECT_EQ(SafeText("export.csv"), "export.csv");
  EXPECT_NE(SafeText("a\nb"), "a\nb");
  EXPECT_NE(SafeText("hakija_010190-123M.csv"), "hakija_010190-123M.csv");
}

TEST(SafeTextTest, FileNamesFitKeepsTheSuffixAndStaysUnderNameMax) {
  EXPECT_EQ(FitName("a.csv", ".receipt.csv"), "a.csv.receipt.csv");
  std::string long_name(250, 'x');
  std::string fitted = FitName(long_name, ".reason.txt");
  EXPECT_EQ(fitted.size(), kNameMax);
  EXPECT_EQ(fitted.substr(fitted.size() - 11), ".reason.txt");
  EXPECT_NE(FitName(std::string(250, 'y'), ".reason.txt"), fitted);  // two long names stay apart
  EXPECT_EQ(FitName(long_name, ".reason.txt"), fitted);              // and each is stable
  // Never cut inside a UTF-8 sequence.
  std::string umlauts;
  for (int i = 0; i < 127; ++i) umlauts += "ä";
  std::string cut = FitName(umlauts, ".receipt.csv");
  EXPECT_LE(cut.size(), kNameMax);
  EXPECT_EQ(SafeText(cut), cut);
}

TEST(SafeTextTest, FileNamesNumberedAndTemporaryNames) {
  EXPECT_EQ(NumberedName("export.csv", 0), "export.csv");
  EXPECT_EQ(NumberedName("export.csv", 1), "export.1.csv");
  EXPECT_EQ(NumberedName("a.b.csv", 12), "a.b.12.csv");
  EXPECT_EQ(NumberedName("noext", 2), "noext.2");
  EXPECT_LE(NumberedName(std::string(255, 'z'), 3).size(), kNameMax);
  std::string numbered = NumberedName(std::string(251, 'z') + ".csv", 3);
  EXPECT_EQ(numbered.size(), kNameMax);
  EXPECT_EQ(numbered.substr(numbered.size() - 6), ".3.csv");
  std::string tmp = TempNameFor(std::string(255, 'q'));
  EXPECT_LE(tmp.size(), kNameMax);
  EXPECT_EQ(tmp[0], '.');
  EXPECT_EQ(tmp.substr(tmp.size() - 4), ".tmp");
  EXPECT_NE(TempNameFor("a.csv"), TempNameFor("a.csv"));
}

}  // namespace
}  // namespace liitos
