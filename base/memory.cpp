#include "base/memory.h"

#include <malloc.h>

#include <cstdlib>

namespace liitos {

void UseOneMallocArena() {
  if (std::getenv("MALLOC_ARENA_MAX") != nullptr) return;  // the operator's choice stands
  (void)mallopt(M_ARENA_MAX, 1);
}

}  // namespace liitos
