#pragma once
// The subcommands behind the CLI (SPEC §8). Each returns the process exit code.

#include <string>
#include <vector>

namespace liitos {

inline constexpr const char* kDefaultConfigPath = "/etc/liitos/liitos.toml";

enum ExitCode { kExitOk = 0, kExitRuntime = 1, kExitUsage = 2, kExitRejected = 3, kExitTampered = 4 };

int CmdConvert(const std::string& config_path, const std::string& profile, const std::vector<std::string>& files);
int CmdCheck(const std::string& config_path, bool connect);
int CmdRun(const std::string& config_path, bool once);
int CmdStatus(const std::string& config_path, bool json);
int CmdRetry(const std::string& config_path, const std::string& batch_id, bool all_failed);
int CmdFetch(const std::string& config_path, const std::string& feed, const std::vector<std::string>& external_ids);

struct JournalArgs {
  std::string action;  // list | trace | verify | export
  std::string target;  // trace X
  std::string format = "table";
  std::string since, until, source, file, lv_case, message, batch, kind;
};
int CmdJournal(const std::string& config_path, const JournalArgs& args);

}  // namespace liitos
