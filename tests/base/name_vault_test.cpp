#include "base/crypto/name_vault.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "tests/base/test_util.h"

namespace liitos {
namespace {

TEST(NameVault, SealsFindsAndRefusesAWideKey) {
  test_util::ScratchDir dir;
  const std::string key = dir / "name.key";
  EXPECT_FALSE(NameVault::Load(key, /*create=*/false).ok());
  auto v = NameVault::Load(key, /*create=*/true);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  struct stat st;
  ASSERT_EQ(::stat(key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const std::string name = "hakija_010190-123M\xe4.csv";
  std::string sealed = (*v)->Seal(name);
  EXPECT_EQ(sealed.find("010190"), std::string::npos);
  EXPECT_NE((*v)->Seal(name), sealed);  // a fresh nonce each time
  EXPECT_EQ(*(*v)->Unseal(sealed), name);
  sealed[sealed.size() - 1] ^= 1;
  EXPECT_FALSE((*v)->Unseal(sealed).ok());
  // The same key loaded again gives the same HMAC; another key another.
  auto again = NameVault::Load(key, false);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->Hmac(name), (*v)->Hmac(name));
  EXPECT_EQ((*v)->Hmac(name).size(), 64u);
  auto other = NameVault::Load(dir / "other.key", true);
  ASSERT_TRUE(other.ok());
  EXPECT_NE((*other)->Hmac(name), (*v)->Hmac(name));
  ::chmod(key.c_str(), 0640);
  EXPECT_FALSE(NameVault::Load(key, false).ok());
}

}  // namespace
}  // namespace liitos
