#include "daemon/cli.h"

int main(int argc, char** argv) { return liitos::RunCli(argc, argv); }
