#pragma once
// The command line (SPEC §8): parses argv and runs one subcommand. Returns the exit code:
// 0 ok; 1 runtime failure; 2 usage or configuration error; 3 convert rejected records;
// 4 journal verify found tampering.

namespace liitos {

int RunCli(int argc, char** argv);

}  // namespace liitos
