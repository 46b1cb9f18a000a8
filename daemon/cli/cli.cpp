#include "daemon/cli/cli.h"

#include <CLI/CLI.hpp>

#include <iostream>

#include "daemon/cli/commands.h"

namespace liitos {

int RunCli(int argc, char** argv) {
  CLI::App app{"liitos — legacy exports to the Luvat ja valvonta interface"};
  app.set_version_flag("--version", std::string("liitos ") + LIITOS_VERSION);
  app.require_subcommand(1);
  std::string config = kDefaultConfigPath;

  auto* run = app.add_subcommand("run", "run the service (foreground; systemd runs it)");
  bool once = false;
  run->add_option("--config", config, "configuration file");
  run->add_flag("--once", once, "take every waiting file, deliver everything pending, exit");

  auto* check = app.add_subcommand("check", "validate the configuration");
  bool connect = false;
  check->add_option("--config", config, "configuration file");
  check->add_flag("--connect", connect, "also try every source and destination");

  auto* convert = app.add_subcommand("convert", "print status updates as JSON Lines");
  std::string profile;
  std::vector<std::string> files;
  convert->add_option("--config", config, "configuration file")->required();
  convert->add_option("--profile", profile, "profile name")->required();
  convert->add_option("files", files, "legacy export files")->required();

  auto* status = app.add_subcommand("status", "queues, oldest pending, last delivery, quarantine");
  bool json = false;
  status->add_option("--config", config, "configuration file");
  status->add_flag("--json", json, "machine-readable output");

  auto* retry = app.add_subcommand("retry", "put failed batches back in the queue");
  std::string batch_id;
  bool all_failed = false;
  retry->add_option("--config", config, "configuration file");
  retry->add_option("batch", batch_id, "batchId to retry");
  retry->add_flag("--failed", all_failed, "retry every failed batch");

  auto* fetch = app.add_subcommand("fetch", "order applications from Luvat ja valvonta by hand");
  std::string feed;
  std::vector<std::string> external_ids;
  fetch->add_option("--config", config, "configuration file");
  fetch->add_option("--feed", feed, "the [[feed]] to fetch them with")->required();
  fetch->add_option("external_ids", external_ids, "external ids (GUIDs) of the applications")->required();

  auto* journal = app.add_subcommand("journal", "the transfer journal, for auditors");
  JournalArgs ja;
  journal->add_option("--config", config, "configuration file");
  journal->add_option("action", ja.action, "list | trace | verify | export | report | checkpoint")
      ->required()
      ->check(CLI::IsMember({"list", "trace", "verify", "export", "report", "checkpoint"}));
  journal->add_option("target", ja.target, "for trace: a file name, lvCaseId, messageId, batchId or external id");
  journal->add_option("--format", ja.format, "table | csv | json")->check(CLI::IsMember({"table", "csv", "json"}));
  journal->add_option("--since", ja.since, "from this time (ISO 8601)");
  journal->add_option("--until", ja.until, "until this time (ISO 8601)");
  journal->add_option("--source", ja.source, "source name");
  journal->add_option("--file", ja.file, "file name");
  journal->add_option("--case", ja.lv_case, "lvCaseId");
  journal->add_option("--message", ja.message, "messageId");
  journal->add_option("--batch", ja.batch, "batchId");
  journal->add_option("--kind", ja.kind, "event kind");
  journal->add_option("--db", ja.db, "a journal file (any copy, read-only media too) instead of the configured one");
  journal->add_option("--out", ja.out, "report: the HTML file to write");
  journal->add_option("--checkpoints", ja.checkpoints, "verify, report: check the checkpoints in this folder");
  journal->add_option("--public-key", ja.public_key, "the checkpoint key's public half (PEM)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitUsage;
  }

  if (*run) return CmdRun(config, once);
  if (*check) return CmdCheck(config, connect);
  if (*convert) return CmdConvert(config, profile, files);
  if (*status) return CmdStatus(config, json);
  if (*retry) {
    if (batch_id.empty() == !all_failed) {
      std::cerr << "liitos retry: give a batchId or --failed\n";
      return kExitUsage;
    }
    return CmdRetry(config, batch_id, all_failed);
  }
  if (*fetch) return CmdFetch(config, feed, external_ids);
  if (*journal) {
    if (ja.action == "trace" && ja.target.empty()) {
      std::cerr << "liitos journal trace: name a file, lvCaseId, messageId or batchId\n";
      return kExitUsage;
    }
    ja.config_given = journal->count("--config") > 0;
    return CmdJournal(config, ja);
  }
  return kExitUsage;
}

}  // namespace liitos
