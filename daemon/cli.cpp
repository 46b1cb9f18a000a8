#include "daemon/cli.h"

#include <CLI/CLI.hpp>

#include <iostream>

namespace liitos {

int RunCli(int argc, char** argv) {
  CLI::App app{"liitos — legacy exports to the Luvat ja valvonta interface"};
  app.set_version_flag("--version", std::string("liitos ") + LIITOS_VERSION);
  app.require_subcommand(1);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  return 0;
}

}  // namespace liitos
