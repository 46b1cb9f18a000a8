#pragma once
// Names liitos makes up from a file's name — a numbered twin (`export.1.csv`), a companion
// (`NAME.reason.txt`, `NAME.receipt.csv`), a temporary name — never pass NAME_MAX (255 bytes),
// however long the name it starts from (SPEC §3: a name may hold 255 bytes). The one place that
// shortens: what does not fit keeps its head, cut on a UTF-8 boundary, and gains `~` and eight
// hex digits of the SHA-256 of the whole name, so that two long names stay apart.

#include <string>
#include <string_view>

namespace liitos {

inline constexpr size_t kNameMax = 255;

// `name` + `suffix`, shortened as above when longer than kNameMax. The suffix is always kept.
std::string FitName(std::string_view name, std::string_view suffix = {});

// `name` for n == 0; otherwise `stem.N.ext` (`export.1.csv`, `noext.1`), fitted.
std::string NumberedName(std::string_view name, int n);

// A hidden temporary name for writing `name` atomically in the same folder:
// `.NAME.XXXXXXXX.tmp` with random hex digits, fitted.
std::string TempNameFor(std::string_view name);

// Whether `name` has the form TempNameFor gives: `.`, at least one byte, `.`, eight lowercase hex
// digits, `.tmp`. Such a file that is still there after a restart was left by a write that a
// crash cut short, and may be removed.
bool IsTempName(std::string_view name);

}  // namespace liitos
