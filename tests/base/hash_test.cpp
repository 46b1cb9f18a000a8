#include "base/crypto/hash.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "tests/base/test_util.h"

namespace liitos {
namespace {

constexpr const char* kEmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr const char* kAbcSha256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr const char* kMillionASha256 = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

TEST(HashTest, Sha256FipsVectors) {
  EXPECT_EQ(Sha256Hex(""), kEmptySha256);
  EXPECT_EQ(Sha256Hex("abc"), kAbcSha256);
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256Hex(std::string(1'000'000, 'a')), kMillionASha256);
}

TEST(HashTest, Sha256BinaryInputWithNulBytes) {
  std::string with_nul("a\0b", 3);
  EXPECT_NE(Sha256Hex(with_nul), Sha256Hex("ab"));
  EXPECT_EQ(Sha256Hex(with_nul).size(), 64u);
}

TEST(HashTest, Sha256IncrementalEqualsOneShot) {
  std::string data;
  for (int i = 0; i < 5000; ++i) data += static_cast<char>(i * 31 + 7);
  for (size_t chunk : {1u, 3u, 64u, 65u, 1000u}) {
    Sha256 h;
    for (size_t i = 0; i < data.size(); i += chunk) h.Update(std::string_view(data).substr(i, chunk));
    EXPECT_EQ(h.HexDigest(), Sha256Hex(data)) << "chunk " << chunk;
  }
}

TEST(HashTest, Sha256DigestResetsTheObject) {
  Sha256 h;
  h.Update("ab");
  h.Update("c");
  auto raw = h.Digest();
  EXPECT_EQ(ToHex(raw.data(), raw.size()), kAbcSha256);
  EXPECT_EQ(h.HexDigest(), kEmptySha256);  // nothing fed since the reset
  h.Update("abc");
  EXPECT_EQ(h.HexDigest(), kAbcSha256);
}

TEST(HashTest, Sha256FileHashesFileContents) {
  test_util::ScratchDir dir;
  std::string path = dir / "a.bin";
  {
    std::ofstream out(path, std::ios::binary);
    out << std::string(1'000'000, 'a');
  }
  auto r = Sha256File(path);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, kMillionASha256);

  std::string empty = dir / "empty";
  std::ofstream(empty, std::ios::binary).close();
  auto e = Sha256File(empty);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(*e, kEmptySha256);
}

TEST(HashTest, Sha256FileLargerThanOneBlock) {
  test_util::ScratchDir dir;
  std::string path = dir / "big.bin";
  std::string data(3 * (1 << 20) + 123, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>((i * 2654435761u) >> 13);
  std::ofstream(path, std::ios::binary) << data;
  auto r = Sha256File(path);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, Sha256Hex(data));
}

TEST(HashTest, Sha256FileMissingFileIsNotFound) {
  test_util::ScratchDir dir;
  auto r = Sha256File(dir / "nope");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
}

TEST(HashTest, Sha1FipsVector) {
  auto d = Sha1("abc");
  EXPECT_EQ(ToHex(d.data(), d.size()), "a9993e364706816aba3e25717850c26c9cd0d89d");
  auto e = Sha1("");
  EXPECT_EQ(ToHex(e.data(), e.size()), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
}

TEST(HashTest, Sha1PrefixedEqualsSha1OfTheWholeMessage) {
  // Prefixes shorter than, equal to and longer than one 64-byte block, and parts that cross one.
  for (size_t len : {0, 1, 55, 63, 64, 65, 130}) {
    std::string prefix(len, 'p');
    for (size_t i = 0; i < len; ++i) prefix[i] = static_cast<char>('a' + i % 26);
    Sha1Prefixed h(prefix);
    for (size_t rest_len : {0, 9, 64, 200}) {
      std::string rest(rest_len, 'r');
      auto d = h.Digest({rest.substr(0, rest_len / 2), "|", rest.substr(rest_len / 2)});
      auto want = Sha1(prefix + rest.substr(0, rest_len / 2) + "|" + rest.substr(rest_len / 2));
      EXPECT_EQ(ToHex(d.data(), d.size()), ToHex(want.data(), want.size())) << len << " " << rest_len;
    }
  }
}

TEST(HashTest, Sha1PrefixedDigestLeavesThePrefixStateUnchanged) {
  Sha1Prefixed h("ab");
  h.Digest({"zzz"});
  auto d = h.Digest({"c"});
  EXPECT_EQ(ToHex(d.data(), d.size()), "a9993e364706816aba3e25717850c26c9cd0d89d");
}

TEST(HashTest, ToHexLowerCaseTwoDigitsPerByte) {
  const uint8_t bytes[] = {0x00, 0x0f, 0xa0, 0xff};
  EXPECT_EQ(ToHex(bytes, 4), "000fa0ff");
  EXPECT_EQ(ToHex(bytes, 0), "");
}

}  // namespace
}  // namespace liitos
