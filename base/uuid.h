#pragma once
// UUIDs per RFC 9562: version 5 (SHA-1, name-based) and version 4 (random).

#include <string>
#include <string_view>

namespace liitos {

// The URL namespace 6ba7b811-9dad-11d1-80b4-00c04fd430c8.
inline constexpr std::string_view kUuidNamespaceUrl = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";

// UUID v5 of `name` in `namespace_uuid` (canonical text form), lower-case canonical text.
std::string UuidV5(std::string_view namespace_uuid, std::string_view name);
// A random UUID v4 from the OS's CSPRNG.
std::string UuidV4();

}  // namespace liitos
