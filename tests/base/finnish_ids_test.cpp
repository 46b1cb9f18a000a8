#include "base/text/finnish_ids.h"

#include <gtest/gtest.h>

namespace liitos {
namespace {

TEST(FinnishIdsTest, BusinessIdAcceptsValidIds) {
  for (const char* id : {"0737546-2", "0112038-9", "2345678-0", "1572860-0", "0204819-8", "0245437-2"})
    EXPECT_TRUE(IsValidBusinessId(id)) << id;
}

TEST(FinnishIdsTest, BusinessIdRejectsWrongCheckDigit) {
  EXPECT_FALSE(IsValidBusinessId("1234567-2"));  // sum 263, remainder 10, check digit 1
  EXPECT_TRUE(IsValidBusinessId("1234567-1"));
  EXPECT_FALSE(IsValidBusinessId("0737546-3"));
  EXPECT_FALSE(IsValidBusinessId("0737546-0"));
}

TEST(FinnishIdsTest, BusinessIdRejectsRemainderOne) {
  // Weighted sum ≡ 1 (mod 11): no check digit exists, whatever the last digit is.
  for (const char* stem : {"1000008", "1000016", "1000024"})
    for (char c = '0'; c <= '9'; ++c) EXPECT_FALSE(IsValidBusinessId(std::string(stem) + "-" + c)) << stem << c;
}

TEST(FinnishIdsTest, BusinessIdRejectsBadShapes) {
  for (const char* id : {"", "0737546", "07375462", "737546-2", "00737546-2", "0737546-22", "0737546 2",
                         "0737546_2", "073754A-2", "0737546-X", "FI07375462", " 0737546-2", "0737546-2 ",
                         "-737546-2", "07375-46-2"})
    EXPECT_FALSE(IsValidBusinessId(id)) << '"' << id << '"';
}

TEST(FinnishIdsTest, PersonIdAcceptsValidIds) {
  EXPECT_TRUE(IsValidPersonId("131052-308T"));
  EXPECT_TRUE(IsValidPersonId("010203A1230"));
  EXPECT_TRUE(IsValidPersonId("010203A8991"));
  EXPECT_TRUE(IsValidPersonId("010594Y0020"));  // lowest individual number 002
  EXPECT_TRUE(IsValidPersonId("311299-8997"));  // highest individual number 899
  EXPECT_TRUE(IsValidPersonId("150620A456C"));
}

TEST(FinnishIdsTest, PersonIdAcceptsEveryCenturySign) {
  // 131052 308 → T whatever the century; the century only matters for the date's existence.
  for (char sign : std::string("+-AYXWVUBCDEF")) {
    std::string id = std::string("131052") + sign + "308T";
    EXPECT_TRUE(IsValidPersonId(id)) << id;
  }
}

TEST(FinnishIdsTest, PersonIdRejectsUnknownCenturySigns) {
  for (char sign : std::string("GZaby/ *0")) {
    std::string id = std::string("131052") + sign + "308T";
    EXPECT_FALSE(IsValidPersonId(id)) << id;
  }
}

TEST(FinnishIdsTest, PersonIdCenturyDecidesLeapDay) {
  // 29 Feb 2000 and 2004 exist; 29 Feb 1900 and 1800 do not (not leap years), 1996 does.
  EXPECT_TRUE(IsValidPersonId("290200A1239"));
  EXPECT_TRUE(IsValidPersonId("290200B1239"));
  EXPECT_FALSE(IsValidPersonId("290200-1239"));
  EXPECT_FALSE(IsValidPersonId("290200Y1239"));
  EXPECT_FALSE(IsValidPersonId("290200+1239"));
  EXPECT_TRUE(IsValidPersonId("290204F123A"));
  EXPECT_TRUE(IsValidPersonId("290296-5550"));
  EXPECT_TRUE(IsValidPersonId("290296U5550"));
}

TEST(FinnishIdsTest, PersonIdRejectsImpossibleDates) {
  // Check characters computed for each number so that only the date is wrong.
  const std::string kChecks = "0123456789ABCDEFHJKLMNPRSTUVWXY";
  for (const char* date : {"310223", "300223", "290223", "310423", "320123", "001023", "010023", "011323",
                           "000000", "310923", "311123", "310623"}) {
    long n = std::stol(std::string(date) + "123");
    std::string id = std::string(date) + "A123" + kChecks[static_cast<size_t>(n % 31)];
    EXPECT_FALSE(IsValidPersonId(id)) << id;
  }
  EXPECT_TRUE(IsValidPersonId("280223A123" + std::string(1, kChecks[280223123L % 31])));
}

TEST(FinnishIdsTest, PersonIdRejectsReservedIndividualNumbers) {
  EXPECT_FALSE(IsValidPersonId("010101-000P"));
  EXPECT_FALSE(IsValidPersonId("010101-001R"));
}

// 900–999 are temporary identity codes: the check character is computed the same way, and the
// sample export (row 5 of tilat_20261120.csv) expects 010203A987V to be accepted.
TEST(FinnishIdsTest, PersonIdAcceptsTemporaryIndividualNumbers) {
  EXPECT_TRUE(IsValidPersonId("010203A987V"));
  const std::string kChecks = "0123456789ABCDEFHJKLMNPRSTUVWXY";
  for (int individual : {900, 950, 999}) {
    long n = 10101L * 1000 + individual;
    std::string id = "010101-" + std::to_string(individual) + kChecks[static_cast<size_t>(n % 31)];
    EXPECT_TRUE(IsValidPersonId(id)) << id;
  }
}

TEST(FinnishIdsTest, PersonIdRejectsWrongCheckCharacter) {
  EXPECT_FALSE(IsValidPersonId("131052-308U"));
  EXPECT_FALSE(IsValidPersonId("131052-3080"));
  EXPECT_FALSE(IsValidPersonId("010203A1231"));
  // Letters the alphabet leaves out (G I O Q Z) are never valid check characters.
  for (char c : std::string("GIOQZ")) EXPECT_FALSE(IsValidPersonId(std::string("131052-308") + c));
}

TEST(FinnishIdsTest, PersonIdRejectsLowerCase) {
  EXPECT_FALSE(IsValidPersonId("131052-308t"));
  EXPECT_FALSE(IsValidPersonId("010203a1230"));
  EXPECT_FALSE(IsValidPersonId("150620A456c"));
  EXPECT_FALSE(IsValidPersonId("150620a456C"));
}

TEST(FinnishIdsTest, PersonIdRejectsBadShapes) {
  for (const char* id : {"", "131052-308", "131052-308TT", "131052308T", "13105-2308T", "1310522-308T",
                         "131052-30AT", "13A052-308T", " 31052-308T", "131052 308T", "131052-308 "})
    EXPECT_FALSE(IsValidPersonId(id)) << '"' << id << '"';
}

}  // namespace
}  // namespace liitos
