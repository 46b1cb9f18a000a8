#pragma once
// UUIDs per RFC 9562: version 5 (SHA-1, name-based) and version 4 (random).

#include <initializer_list>
#include <string>
#include <string_view>

namespace liitos {

// The URL namespace 6ba7b811-9dad-11d1-80b4-00c04fd430c8.
inline constexpr std::string_view kUuidNamespaceUrl = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";

// UUID v5 of `name` in `namespace_uuid` (canonical text form), lower-case canonical text.
std::string UuidV5(std::string_view namespace_uuid, std::string_view name);
// UUID v5 in the URL namespace of the concatenation of `name_parts`, into *out (its storage
// reused); `scratch` is working space. For hot paths: no allocation once the buffers are grown.
void UuidV5Url(std::initializer_list<std::string_view> name_parts, std::string* scratch, std::string* out);
// A random UUID v4 from the OS's CSPRNG.
std::string UuidV4();

}  // namespace liitos
