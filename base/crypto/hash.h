#pragma once
// SHA-256 and SHA-1 over OpenSSL's libcrypto.

#include <array>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace liitos {

// Incremental SHA-256. Not thread-safe; one owner.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(std::string_view data);
  std::array<uint8_t, 32> Digest();  // finishes; the object is reset after
  std::string HexDigest();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::string Sha256Hex(std::string_view data);
std::array<uint8_t, 20> Sha1(std::string_view data);

// SHA-1 of messages that all start with the same prefix: the prefix is hashed once, and each
// Digest() costs only the bytes after it. For name-based UUIDs computed once per record (every
// messageId of a service starts with the same namespace and X-Road client). Digest() keeps no
// state: one object may serve any number of threads.
class Sha1Prefixed {
 public:
  explicit Sha1Prefixed(std::string_view prefix);
  // SHA-1 of the prefix followed by `rest`, concatenated.
  std::array<uint8_t, 20> Digest(std::initializer_list<std::string_view> rest) const;

 private:
  alignas(8) unsigned char state_[128];  // libcrypto's SHA_CTX after the prefix
};
std::string ToHex(const uint8_t* data, size_t n);

// SHA-256 of a whole file, read in 1 MiB blocks.
Result<std::string> Sha256File(const std::string& path);

}  // namespace liitos
