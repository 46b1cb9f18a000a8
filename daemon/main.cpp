#include "base/file_modes.h"
#include "base/memory.h"
#include "daemon/cli/cli.h"

int main(int argc, char** argv) {
  // Before anything is created: journal, spool, receipts, archive, batches, metrics and lock stay
  // 0640 / 0750 or stricter whatever umask cron or a shell handed us (SPEC §7).
  liitos::RestrictUmask();
  liitos::UseOneMallocArena();
  return liitos::RunCli(argc, argv);
}
