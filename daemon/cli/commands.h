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
  std::string action;  // list | trace | verify | export | report | checkpoint
  std::string target;  // trace X
  std::string format = "table";
  std::string since, until, source, file, lv_case, message, batch, kind;
  // --db FILE: this journal (any copy) instead of the configured one; no config read unless --config
  std::string db;
  std::string out;          // report: the HTML file to write
  std::string checkpoints;  // the folder of checkpoint files to check
  std::string public_key;   // the checkpoint key's public half (PEM); default: service.checkpoint_key
  bool config_given = false;  // --config was on the command line (with --db it is then read too)
};
int CmdJournal(const std::string& config_path, const JournalArgs& args);
// journal report | journal checkpoint | journal verify --checkpoints (daemon/cli/cmd_journal_report.cpp).
int CmdJournalReport(const std::string& config_path, const JournalArgs& args);
int CmdJournalCheckpoint(const std::string& config_path);
int CmdJournalVerifyCheckpoints(const std::string& config_path, const JournalArgs& args);

}  // namespace liitos
