#include "base/crypto/uuid.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace liitos {
namespace {

constexpr std::string_view kNamespaceDns = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";

bool IsCanonicalLowerHex(const std::string& u) {
  if (u.size() != 36) return false;
  for (size_t i = 0; i < u.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (u[i] != '-') return false;
    } else if (!((u[i] >= '0' && u[i] <= '9') || (u[i] >= 'a' && u[i] <= 'f'))) {
      return false;
    }
  }
  return true;
}

TEST(UuidTest, V5MatchesRfc9562Vector) {
  // RFC 9562 Appendix A.4: v5 of "www.example.com" in the DNS namespace.
  EXPECT_EQ(UuidV5(kNamespaceDns, "www.example.com"), "2ed6657d-e927-568b-95e1-2665a8aea6a2");
}

TEST(UuidTest, V5MatchesPythonUuid5InUrlNamespace) {
  // Expected values from Python's uuid.uuid5(uuid.NAMESPACE_URL, name) (names UTF-8 encoded).
  EXPECT_EQ(UuidV5(kUuidNamespaceUrl, "https://example.com/"), "dd2c1780-811a-5296-81c5-178a0ef488bc");
  EXPECT_EQ(UuidV5(kUuidNamespaceUrl, "urn:liitos:record:42"), "85fe0836-6338-5fc0-8eb0-37f048ec882d");
  EXPECT_EQ(UuidV5(kUuidNamespaceUrl, "https://luvat.example.fi/hakemus/\xc3\x84\xc3\x96-123"),
            "f3a19fa4-687f-577a-b4c3-355961331977");
}

TEST(UuidTest, V5UrlNamerEqualsUuidV5OfPrefixAndRest) {
  UuidV5UrlNamer namer("urn:liitos:");
  std::string out = "storage that is reused";
  namer.Name({"record", ":", "42"}, &out);
  EXPECT_EQ(out, "85fe0836-6338-5fc0-8eb0-37f048ec882d");
  namer.Name({"record:4", "2"}, &out);
  EXPECT_EQ(out, UuidV5(kUuidNamespaceUrl, "urn:liitos:record:42"));
  namer.Name({"x"}, &out);
  EXPECT_EQ(out, UuidV5(kUuidNamespaceUrl, "urn:liitos:x"));
}

TEST(UuidTest, V5NamespaceMayBeUpperCase) {
  EXPECT_EQ(UuidV5("6BA7B810-9DAD-11D1-80B4-00C04FD430C8", "www.example.com"),
            "2ed6657d-e927-568b-95e1-2665a8aea6a2");
}

TEST(UuidTest, V5IsDeterministicAndNameSensitive) {
  std::string a = UuidV5(kUuidNamespaceUrl, "x");
  EXPECT_EQ(a, UuidV5(kUuidNamespaceUrl, "x"));
  EXPECT_NE(a, UuidV5(kUuidNamespaceUrl, "y"));
  EXPECT_NE(a, UuidV5(kNamespaceDns, "x"));
  EXPECT_TRUE(IsCanonicalLowerHex(a));
  EXPECT_EQ(a[14], '5');
  EXPECT_NE(std::string("89ab").find(a[19]), std::string::npos);
}

TEST(UuidTest, V4HasVersionVariantAndCanonicalForm) {
  for (int i = 0; i < 100; ++i) {
    std::string u = UuidV4();
    ASSERT_TRUE(IsCanonicalLowerHex(u)) << u;
    EXPECT_EQ(u[14], '4') << u;                                        // version nibble
    EXPECT_NE(std::string("89ab").find(u[19]), std::string::npos) << u;  // variant 10xx
  }
}

TEST(UuidTest, V4IsUniqueOver1000) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(UuidV4());
  EXPECT_EQ(seen.size(), 1000u);
}

}  // namespace
}  // namespace liitos
