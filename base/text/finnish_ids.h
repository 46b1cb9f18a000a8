#pragma once
// Finnish identifiers: Y-tunnus (business id) and henkilötunnus (personal identity code).

#include <string_view>

namespace liitos {

// "0737546-2": seven digits, a hyphen, and the mod-11 check digit (weights 7,9,10,5,8,4,2).
bool IsValidBusinessId(std::string_view text);

// "131052-308T": DDMMYY, century sign (+ - A, and the 2023 signs B C D E F / Y X W V U), a
// three-digit individual number 002–999 (900–999: temporary codes), and the check character (mod 31). The date must exist.
bool IsValidPersonId(std::string_view text);

}  // namespace liitos
