#pragma once
// UUIDs per RFC 9562: version 5 (SHA-1, name-based) and version 4 (random).

#include <initializer_list>
#include <string>
#include <string_view>

#include "base/crypto/hash.h"

namespace liitos {

// The URL namespace 6ba7b811-9dad-11d1-80b4-00c04fd430c8.
inline constexpr std::string_view kUuidNamespaceUrl = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";

// UUID v5 of `name` in `namespace_uuid` (canonical text form), lower-case canonical text.
std::string UuidV5(std::string_view namespace_uuid, std::string_view name);
// UUID v5s in the URL namespace of names that all start with `prefix`: the prefix is hashed
// once (see Sha1Prefixed). Name() is const and keeps no state.
class UuidV5UrlNamer {
 public:
  explicit UuidV5UrlNamer(std::string_view prefix);
  // The UUID of prefix + the concatenation of `rest`, into *out (its storage reused).
  void Name(std::initializer_list<std::string_view> rest, std::string* out) const;

 private:
  Sha1Prefixed sha_;
};
// A random UUID v4 from the OS's CSPRNG.
std::string UuidV4();

}  // namespace liitos
