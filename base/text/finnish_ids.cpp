#include "base/text/finnish_ids.h"

#include <cctype>

namespace liitos {
namespace {
bool AllDigits(std::string_view s) {
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return !s.empty();
}
int ToInt(std::string_view s) {
  int n = 0;
  for (char c : s) n = n * 10 + (c - '0');
  return n;
}
bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
}  // namespace

bool IsValidBusinessId(std::string_view t) {
  if (t.size() != 9 || t[7] != '-' || !AllDigits(t.substr(0, 7)) || !AllDigits(t.substr(8, 1))) return false;
  static const int kWeights[7] = {7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 7; ++i) sum += (t[static_cast<size_t>(i)] - '0') * kWeights[i];
  int rem = sum % 11;
  if (rem == 1) return false;
  int check = rem == 0 ? 0 : 11 - rem;
  return check == t[8] - '0';
}

bool IsValidPersonId(std::string_view t) {
  if (t.size() != 11) return false;
  if (!AllDigits(t.substr(0, 6)) || !AllDigits(t.substr(7, 3))) return false;
  int century;
  switch (t[6]) {
    case '+': century = 1800; break;
    case '-': case 'Y': case 'X': case 'W': case 'V': case 'U': century = 1900; break;
    case 'A': case 'B': case 'C': case 'D': case 'E': case 'F': century = 2000; break;
    default: return false;
  }
  int day = ToInt(t.substr(0, 2)), month = ToInt(t.substr(2, 2)), year = century + ToInt(t.substr(4, 2));
  static const int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return false;
  int max_day = kDays[month - 1] + (month == 2 && IsLeap(year) ? 1 : 0);
  if (day > max_day) return false;
  int individual = ToInt(t.substr(7, 3));
  if (individual < 2) return false;  // 002–899 permanent, 900–999 temporary
  static const char* kChecks = "0123456789ABCDEFHJKLMNPRSTUVWXY";
  long n = static_cast<long>(ToInt(t.substr(0, 6))) * 1000 + individual;
  return kChecks[n % 31] == t[10];
}

}  // namespace liitos
