// The SFTP drop end to end through the real binary and a real sshd (SPEC §3 kind = "sftp", G5):
// `run --once` fetches, archives remotely and writes both receipts remotely (also with a done
// marker); a changed host key is refused, journaled with its `ssh-keygen -lf` fingerprint, and the
// local source of the same config still works; `check --connect` reports every step; a
// world-readable identity is refused. sshd going away under a running service:
// sftp_e2e_outage_test.cpp.

#include "base/crypto/hash.h"
#include "tests/daemon/e2e_remote/sftp_e2e_util.h"

namespace liitos::e2e {
namespace {

const std::vector<CsvRow> kRemoteRows = {{"LV-2026-000501", "10", "02.11.2026"},
                                          {"LV-2026-000502", "20", "03.11.2026 09:15"},
                                          {"LV-2026-000503", "50", "04.11.2026"}};

TEST_F(SftpE2eTest, OnceFetchesArchivesRemotelyWritesRemoteReceiptsAndDelivers) {
  Config();
  const std::string csv = RakvalCsv(kRemoteRows);
  DropRemote("tilat.csv", csv);
  DropLocal("paikallinen.csv", RakvalCsv({{"LV-2026-000510", "10", "05.11.2026"}}));
  auto r = Once();
  ASSERT_EQ(r.exit_code, 0) << r.err;

  // Fetched and archived on the server; nothing left in the drop.
  EXPECT_TRUE(FilesUnder(Remote("drop")).empty());
  ASSERT_TRUE(fs::exists(Remote("archive/tilat.csv"))) << r.err;
  EXPECT_EQ(ReadAll(Remote("archive/tilat.csv")), csv);
  // Both receipts on the server, in the receipts directory.
  auto intake = ParseReceipt(ReadAll(Remote("kuittaukset/tilat.csv.receipt.csv")));
  ASSERT_EQ(intake.size(), 3u) << r.err;
  for (const auto& row : intake) EXPECT_EQ(row.at("outcome"), "accepted");
  auto delivery = ParseReceipt(ReadAll(Remote("kuittaukset/tilat.csv.delivery.csv")));
  ASSERT_EQ(delivery.size(), 3u);
  for (const auto& row : delivery) EXPECT_EQ(row.at("outcome"), "delivered");
  EXPECT_FALSE(fs::exists(root() / "rakval/receipts/tilat.csv.receipt.csv"));

  // Delivered once each, with the local file's update.
  auto delivered = Delivered(root() / "outbound");
  EXPECT_EQ(delivered.size(), 4u);
  for (const auto& [id, n] : delivered) EXPECT_EQ(n, 1) << id;
  auto received = RemoteReceived();
  ASSERT_EQ(received.size(), 1u) << received.dump();
  EXPECT_EQ(received[0]["file"], "tilat.csv");
  EXPECT_EQ(received[0]["file_sha256"], Sha256Hex(csv));
  EXPECT_TRUE(FilesUnder(root() / "state/spool/etakone").empty());
  EXPECT_EQ(RunLiitos({"journal", "verify", "--config", cfg_.string()}).exit_code, 0);
}

TEST_F(SftpE2eTest, OnceWithDoneMarkerTakesOnlyMarkedFiles) {
  SftpConfig c;
  c.extra = "done_marker = \".valmis\"";
  Config(c);
  DropRemote("valmis.csv", RakvalCsv(kRemoteRows));
  DropRemote("valmis.csv.valmis", "");
  DropRemote("kesken.csv", RakvalCsv({{"LV-2026-000520", "10", "02.11.2026"}}));
  auto r = Once();
  ASSERT_EQ(r.exit_code, 0) << r.err;

  // The marked file and its marker are gone from the drop; the unmarked one stays.
  EXPECT_FALSE(fs::exists(Remote("drop/valmis.csv")));
  EXPECT_FALSE(fs::exists(Remote("drop/valmis.csv.valmis")));
  EXPECT_TRUE(fs::exists(Remote("drop/kesken.csv")));
  EXPECT_TRUE(fs::exists(Remote("archive/valmis.csv")));
  EXPECT_FALSE(fs::exists(Remote("archive/valmis.csv.valmis")));
  EXPECT_TRUE(fs::exists(Remote("kuittaukset/valmis.csv.receipt.csv")));
  EXPECT_TRUE(fs::exists(Remote("kuittaukset/valmis.csv.delivery.csv")));
  EXPECT_FALSE(fs::exists(Remote("kuittaukset/kesken.csv.receipt.csv")));
  EXPECT_EQ(Delivered(root() / "outbound").size(), 3u);
  auto received = RemoteReceived();
  ASSERT_EQ(received.size(), 1u) << received.dump();
  EXPECT_EQ(received[0]["file"], "valmis.csv");
}

TEST_F(SftpE2eTest, ChangedHostKeyIsRefusedAndJournaledAndTheLocalSourceStillWorks) {
  Config();  // known_hosts holds the first host key
  sshd_.ChangeHostKey();
  const std::string fp = sshd_.HostKeyFingerprint();
  ASSERT_EQ(fp.rfind("SHA256:", 0), 0u) << fp;
  DropRemote("tilat.csv", RakvalCsv(kRemoteRows));
  DropLocal("paikallinen.csv", RakvalCsv({{"LV-2026-000510", "10", "05.11.2026"}}));
  auto r = Once();

  auto refused = JournalEvents(cfg_, "HOSTKEY_REFUSED");
  ASSERT_EQ(refused.size(), 1u) << refused.dump() << r.err;
  EXPECT_EQ(refused[0]["detail"]["fingerprint"], fp);  // exactly as `ssh-keygen -lf` prints it
  EXPECT_NE(refused[0]["detail"]["endpoint"].get<std::string>().find("127.0.0.1:" + std::to_string(sshd_.port())),
            std::string::npos)
      << refused.dump();
  EXPECT_FALSE(LogLines(r.err, "<3>", fp).empty()) << r.err;
  EXPECT_NE(r.err.find("CHANGED"), std::string::npos) << r.err;

  // Nothing fetched: the file is still in the drop, no receipt, no FILE_RECEIVED.
  EXPECT_TRUE(fs::exists(Remote("drop/tilat.csv")));
  EXPECT_FALSE(fs::exists(Remote("archive")));
  EXPECT_FALSE(fs::exists(Remote("kuittaukset")));
  EXPECT_TRUE(RemoteReceived().empty());
  EXPECT_TRUE(FilesUnder(root() / "state/spool/etakone").empty());

  // The local source of the same config took its file in the same run; the refused drop is left
  // over, so `run --once` exits 1 (a drop that cannot be listed, SPEC §3).
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(fs::exists(root() / "rakval/receipts/paikallinen.csv.receipt.csv"));
  EXPECT_TRUE(fs::exists(root() / "rakval/receipts/paikallinen.csv.delivery.csv"));
  EXPECT_EQ(Delivered(root() / "outbound").size(), 1u);
}

TEST_F(SftpE2eTest, CheckConnectReportsEveryStepAndFailsOnAChangedHostKey) {
  Config();
  auto r = RunLiitos({"check", "--connect", "--config", cfg_.string()});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string who = "source etakone: " + sshd_.user() + "@127.0.0.1:" + std::to_string(sshd_.port());
  EXPECT_NE(r.out.find(who + ": reachable\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(who + ": host key trusted (" + sshd_.HostKeyFingerprint() + ")\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(who + ": authenticated with " + sshd_.ed25519_key() + "\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("source etakone: path " + Remote("drop").string() + " listable"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("source etakone: receipts directory " + Remote("kuittaukset").string() + " writable"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("source etakone: ok\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("source rakval: ok\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("destination outbound: ok\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("source etakone: source etakone:"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("FAILED"), std::string::npos) << r.out;

  sshd_.ChangeHostKey();
  auto bad = RunLiitos({"check", "--connect", "--config", cfg_.string()});
  EXPECT_NE(bad.exit_code, 0) << bad.out;
  EXPECT_NE(bad.out.find(who + ": reachable\n"), std::string::npos) << bad.out;
  EXPECT_EQ(bad.out.find("host key trusted"), std::string::npos) << bad.out;
  auto failed = bad.out.find("source etakone: FAILED: ");
  ASSERT_NE(failed, std::string::npos) << bad.out;
  std::string line = bad.out.substr(failed, bad.out.find('\n', failed) - failed);
  EXPECT_NE(line.find("host key refused"), std::string::npos) << line;
  EXPECT_NE(line.find(sshd_.HostKeyFingerprint()), std::string::npos) << line;
  EXPECT_NE(line.find("CHANGED"), std::string::npos) << line;
  EXPECT_NE(bad.out.find("source rakval: ok\n"), std::string::npos) << bad.out;
}

TEST_F(SftpE2eTest, AWorldReadableIdentityIsRefused) {
  fs::path key = root() / "id_ed25519";
  fs::copy_file(sshd_.ed25519_key(), key);
  fs::permissions(key, fs::perms(0644), fs::perm_options::replace);
  SftpConfig c;
  c.identity = key.string();
  Config(c);
  DropRemote("tilat.csv", RakvalCsv(kRemoteRows));

  auto r = Once();
  auto lines = LogLines(r.err, "<3>", "identity file " + key.string() + " is readable by others (mode 0644); refusing");
  EXPECT_FALSE(lines.empty()) << r.err;
  EXPECT_TRUE(fs::exists(Remote("drop/tilat.csv")));
  EXPECT_TRUE(RemoteReceived().empty());
  EXPECT_TRUE(Delivered(root() / "outbound").empty());

  // `check` refuses it before connecting, as a configuration error.
  auto check = RunLiitos({"check", "--connect", "--config", cfg_.string()});
  EXPECT_EQ(check.exit_code, 2) << check.out << check.err;
  EXPECT_NE(check.err.find("source etakone: identity " + key.string() + " is readable by others (mode 0644)"),
            std::string::npos)
      << check.out << check.err;
  EXPECT_EQ(check.out.find("reachable"), std::string::npos) << check.out;
}

}  // namespace
}  // namespace liitos::e2e
