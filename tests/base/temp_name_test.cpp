// IsTempName recognises exactly the names TempNameFor makes (what a restart may remove after a
// crash cut an atomic write short), and no name a legacy system or a person would give a file.

#include <gtest/gtest.h>

#include "base/file_names.h"

namespace liitos {
namespace {

TEST(TempName, RecognisesTheNamesTempNameForMakes) {
  for (const std::string& name : {std::string("a.csv"), std::string("vienti.csv.receipt.csv"),
                                  std::string("x.delivery.xml"), std::string(255, 'q'), std::string("\xe4.csv")})
    EXPECT_TRUE(IsTempName(TempNameFor(name))) << TempNameFor(name);
  EXPECT_TRUE(IsTempName(".a.csv.0123abcd.tmp"));
}

TEST(TempName, RefusesOtherNames) {
  for (const char* name : {"a.csv", ".a.csv", ".a.csv.tmp", "a.csv.0123abcd.tmp", ".a.csv.0123ABCD.tmp",
                           ".a.csv.0123abcg.tmp", ".a.csv.123abcd.tmp", ".a.csv_0123abcd.tmp", "..0123abcd.tmp",
                           ".a.csv.0123abcd.TMP", ".a.csv.0123abcd.tmp~", ""})
    EXPECT_FALSE(IsTempName(name)) << name;
}

}  // namespace
}  // namespace liitos
