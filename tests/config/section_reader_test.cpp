// config/section_reader.h: a key table read into a settings struct, every problem an error with
// file:line:column and the dotted key. No transport is involved.

#include "config/section_reader.h"

#include <gtest/gtest.h>

#include "tests/config/section_test_util.h"

namespace liitos {
namespace {

using namespace std::chrono_literals;
using testing::ErrorsAre;
using testing::Lines;
using testing::ReadSection;

struct Settings {
  std::string name;
  std::string label = "default";
  std::optional<std::string> note;
  bool flag = false;
  int count = 3;
  Millis wait = 5s;
  Millis pause = 1s;
  uint64_t size = 10;
  std::vector<std::string> globs = {"*"};
};

std::string NoSpaces(const std::string& v) { return v.find(' ') == std::string::npos ? "" : "must not contain spaces"; }

const ConfigKeys<Settings> kKeys = {
    {.name = "name", .field = &Settings::name, .required = true, .help = "a name", .check = NoSpaces},
    {.name = "label", .field = &Settings::label, .allow_empty = true},
    {.name = "note", .field = &Settings::note},
    {.name = "flag", .field = &Settings::flag},
    {.name = "count", .field = &Settings::count, .min = 1, .max = 9},
    {.name = "wait", .field = &Settings::wait},
    {.name = "pause", .field = &Settings::pause, .allow_empty = true},
    {.name = "size", .field = &Settings::size},
    {.name = "globs", .field = &Settings::globs},
};

std::vector<ConfigError> Read(const std::string& text, Settings* s, bool* ok = nullptr) {
  return ReadSection(text, "thing[a]", [&](SectionReader& t) {
    bool read = ReadKeys(t, kKeys, s);
    if (ok) *ok = read;
  });
}

TEST(SectionReader, ReadsEveryTypeIntoItsField) {
  Settings s;
  bool ok = false;
  auto errors = Read(R"(name = "x"
label = ""
note = "n"
flag = true
count = 9
wait = "2m"
pause = "0s"
size = "1KiB"
globs = ["*.csv", "*.xml"]
)",
                     &s, &ok);
  ASSERT_TRUE(errors.empty()) << Lines(errors);
  EXPECT_TRUE(ok);
  EXPECT_EQ(s.name, "x");
  EXPECT_EQ(s.label, "");
  EXPECT_EQ(s.note, "n");
  EXPECT_TRUE(s.flag);
  EXPECT_EQ(s.count, 9);
  EXPECT_EQ(s.wait, 2min);
  EXPECT_EQ(s.pause, 0ms);
  EXPECT_EQ(s.size, 1024u);
  EXPECT_EQ(s.globs, (std::vector<std::string>{"*.csv", "*.xml"}));
}

TEST(SectionReader, AbsentKeysKeepTheDefaults) {
  Settings s;
  auto errors = Read("name = \"x\"\n", &s);
  ASSERT_TRUE(errors.empty()) << Lines(errors);
  EXPECT_EQ(s.label, "default");
  EXPECT_FALSE(s.note.has_value());
  EXPECT_EQ(s.count, 3);
  EXPECT_EQ(s.wait, 5s);
  EXPECT_EQ(s.globs, std::vector<std::string>{"*"});
}

TEST(SectionReader, WrongTypeNamesTheKeyAndTheValuesPosition) {
  Settings s;
  bool ok = true;
  EXPECT_TRUE(ErrorsAre(Read("name = \"x\"\ncount = \"4\"\n", &s, &ok),
                        {"t.toml:2:9: thing[a].count: expected an integer, found a string"}));
  EXPECT_FALSE(ok);
  EXPECT_EQ(s.count, 3);  // unchanged
}

TEST(SectionReader, MissingRequiredKeyIsReportedOnceAtTheTable) {
  Settings s;
  EXPECT_TRUE(ErrorsAre(Read("flag = false\n", &s), {"t.toml:1:1: thing[a].name: is required"}));
}

TEST(SectionReader, BadValuesAreRefusedByTheKeysRule) {
  Settings s;
  // In the table's order (the loader sorts a whole file's errors by position).
  EXPECT_TRUE(ErrorsAre(Read("name = \"a b\"\ncount = 10\nwait = \"0s\"\nsize = 0\nglobs = []\nnote = \"\"\n", &s),
                        {"t.toml:1:8: thing[a].name: must not contain spaces",
                         "t.toml:6:8: thing[a].note: must not be empty",
                         "t.toml:2:9: thing[a].count: 10 is out of range 1..9",
                         "t.toml:3:8: thing[a].wait: must be longer than zero",
                         "t.toml:4:8: thing[a].size: is not a positive size (use e.g. 512KiB, 10MiB, 1GiB, or a byte "
                         "count)",
                         "t.toml:5:9: thing[a].globs: must not be an empty list"}));
}

TEST(SectionReader, KeysOutsideTheTableAreUnknown) {
  Settings s;
  EXPECT_TRUE(ErrorsAre(Read("name = \"x\"\ncolour = \"red\"\n", &s), {"t.toml:2:1: thing[a].colour: unknown key"}));
}

TEST(SectionReader, KeyNamesInTableOrder) {
  EXPECT_EQ(KeyNames(kKeys), (std::vector<std::string_view>{"name", "label", "note", "flag", "count", "wait", "pause",
                                                            "size", "globs"}));
}

}  // namespace
}  // namespace liitos
