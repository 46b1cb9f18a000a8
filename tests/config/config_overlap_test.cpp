// Folders do not overlap (SPEC §3): what liitos writes into never equals or lies inside an inbox,
// and no inbox lies inside another.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "config/config.h"
#include "tests/config/config_test_util.h"
#include "transports/dir/dir_config.h"
#include "transports/sftp/sftp_config.h"
#include "tests/scratch_dir.h"

namespace liitos {
namespace {

using testing::HasError;
using testing::Load;
using testing::LoadsCleanly;
using testing::OnlyError;
using testing::With;

const char* const kOverlap = "the folders liitos reads from and writes into must not overlap";

// A second dir source "t" after the rest of the config.
std::string WithSecondSource(const std::string& path, const std::string& extra = "") {
  return With({}) + "\n[[source]]\nname = \"t\"\nkind = \"dir\"\nprofile = \"p\"\npath = \"" + path + "\"\n" + extra;
}

TEST(ConfigOverlap, DefaultsBesideTheInboxAreAccepted) {
  LoadResult r = Load(With({}));
  ASSERT_TRUE(LoadsCleanly(r));
  EXPECT_EQ(DirSourceSettingsOf(r.config->sources[0]).archive, "/srv/x/archive");
  EXPECT_TRUE(LoadsCleanly(Load(With({{"path = \"/srv/x/in\"", "path = \"/srv/x/in/\""}}))));
  // "/srv/x/inbox" shares a prefix with "/srv/x/in" but is not inside it.
  EXPECT_TRUE(LoadsCleanly(Load(With({{"#SOURCE", "receipts = \"/srv/x/inbox\""}}))));
  EXPECT_TRUE(LoadsCleanly(Load(WithSecondSource("/srv/x/input"))));
}

TEST(ConfigOverlap, ReceiptsInsideTheInboxAreRefusedNamingBothKeysAndPaths) {
  LoadResult r = Load(With({{"#SOURCE", "receipts = \"/srv/x/in/receipts\""}}));
  ASSERT_TRUE(OnlyError(r, "source[s].receipts", kOverlap));
  const ConfigError& e = r.errors[0];
  EXPECT_EQ(e.message,
            "'/srv/x/in/receipts' lies inside source[s].path '/srv/x/in', an inbox: " + std::string(kOverlap));
  EXPECT_EQ(e.line, 11);  // at the receipts key's value
  EXPECT_EQ(e.column, 12);
}

TEST(ConfigOverlap, ArchiveOrErrorEqualToTheInboxIsRefused) {
  EXPECT_TRUE(OnlyError(Load(With({{"#SOURCE", "archive = \"/srv/x/in\""}})), "source[s].archive",
                        "'/srv/x/in' is the same folder as source[s].path '/srv/x/in'"));
  // Compared after lexical normalization.
  EXPECT_TRUE(OnlyError(Load(With({{"#SOURCE", "error = \"/srv/x/archive/../in/./err/\""}})), "source[s].error",
                        "lies inside source[s].path"));
}

TEST(ConfigOverlap, ArchiveIsNotWrittenWhenFilesAreDeleted) {
  EXPECT_TRUE(LoadsCleanly(Load(With({{"#SOURCE", "after = \"delete\"\narchive = \"/srv/x/in/a\""}}))));
  EXPECT_TRUE(LoadsCleanly(Load(With({{"#SOURCE", "receipts = \"none\""}}))));
}

TEST(ConfigOverlap, DestinationStateDirAndMetricsInsideAnInboxAreRefused) {
  EXPECT_TRUE(OnlyError(Load(With({{"path = \"/out\"", "path = \"/srv/x/in/out\""}})), "destination[d].path",
                        "lies inside source[s].path '/srv/x/in', an inbox"));
  EXPECT_TRUE(OnlyError(Load("[service]\nstate_dir = \"/srv/x/in\"\n" + With({})), "service.state_dir",
                        "is the same folder as source[s].path"));
  EXPECT_TRUE(OnlyError(Load("[service]\nmetrics_file = \"/srv/x/in/liitos.prom\"\n" + With({})),
                        "service.metrics_file", "'/srv/x/in' is the same folder as source[s].path"));
}

TEST(ConfigOverlap, AnInboxInsideOrEqualToAnotherIsRefused) {
  // (Its archive, error and receipts beside it are then inside the first inbox too.)
  LoadResult inside = Load(WithSecondSource("/srv/x/in/sub"));
  EXPECT_TRUE(HasError(inside, "source[t].path",
                       "'/srv/x/in/sub' lies inside source[s].path '/srv/x/in', another inbox"));
  EXPECT_EQ(inside.errors.size(), 4u) << testing::Dump(inside.errors);
  // Also the other way round: the second source's inbox holds the first one's.
  EXPECT_TRUE(HasError(Load(WithSecondSource("/srv")), "source[s].path", "lies inside source[t].path '/srv'"));
  // The same inbox twice is one error, at the later source.
  EXPECT_TRUE(OnlyError(Load(WithSecondSource("/srv/x/in")), "source[t].path",
                        "is the same folder as source[s].path"));
  // Another source's receipts inside this inbox.
  EXPECT_TRUE(OnlyError(Load(WithSecondSource("/srv/y/in", "receipts = \"/srv/x/in/r\"")), "source[t].receipts",
                        "lies inside source[s].path"));
}

TEST(ConfigOverlap, SymlinksAreResolved) {
  namespace fs = std::filesystem;
  test_util::ScratchDir dir;
  const fs::path root = dir.path();
  fs::create_directories(root / "real/in");
  fs::create_directory_symlink(root / "real", root / "link");
  // The inbox through the link, the receipts through the real path: the same tree.
  LoadResult r = Load(With({{"path = \"/srv/x/in\"", "path = \"" + (root / "link/in").string() + "\""},
                            {"#SOURCE", "receipts = \"" + (root / "real/in/receipts").string() + "\""}}));
  EXPECT_TRUE(OnlyError(r, "source[s].receipts", "lies inside source[s].path"));
  if (!r.errors.empty()) {
    EXPECT_NE(r.errors[0].message.find("(that is " + (root / "real/in").string() + ")"), std::string::npos)
        << r.errors[0].message;
  }
}

TEST(ConfigOverlap, RelativePathsAreTakenFromTheWorkingDirectory) {
  namespace fs = std::filesystem;
  std::string cwd = fs::current_path().string();
  EXPECT_TRUE(OnlyError(Load(With({{"path = \"/srv/x/in\"", "path = \"" + cwd + "/in\""},
                                   {"#SOURCE", "receipts = \"in/r\""}})),
                        "source[s].receipts", "lies inside source[s].path"));
}

// SFTP: remote paths of one host, port and user.
const char* const kEndpoint =
    "host = \"legacy.example.fi\"\nuser = \"liitos\"\nidentity = \"/etc/liitos/id\"\n"
    "known_hosts = \"/etc/liitos/known_hosts\"\n";

std::string SftpSource(const std::string& extra = "") {
  return With({{"kind = \"dir\"", "kind = \"sftp\""},
               {"path = \"/srv/x/in\"", "path = \"/vienti/out\""},
               {"#SOURCE", std::string(kEndpoint) + extra}});
}

std::string SecondSftpSource(const std::string& base, const std::string& path, const std::string& endpoint) {
  return base + "\n[[source]]\nname = \"t\"\nkind = \"sftp\"\nprofile = \"p\"\npath = \"" + path + "\"\n" +
         endpoint;
}

TEST(ConfigOverlap, SftpSubfoldersOfTheOwnInboxAreItsDefaults) {
  LoadResult r = Load(SftpSource());
  ASSERT_TRUE(LoadsCleanly(r));
  EXPECT_EQ(SftpSourceSettingsOf(r.config->sources[0]).remote_archive, "/vienti/out/archive");
  EXPECT_TRUE(LoadsCleanly(Load(SftpSource("receipts = \"/vienti/out/kuittaukset\""))));
  // The remote inbox may have the same name as a local folder: another machine.
  EXPECT_TRUE(LoadsCleanly(Load(With({{"path = \"/out\"", "path = \"/vienti/out\""}}, SftpSource()))));
}

TEST(ConfigOverlap, SftpFoldersEqualToTheInboxAreRefused) {
  EXPECT_TRUE(OnlyError(Load(SftpSource("receipts = \"/vienti/out/\"")), "source[s].receipts",
                        "'/vienti/out/' is the same folder as source[s].path '/vienti/out'"));
  EXPECT_TRUE(OnlyError(Load(SftpSource("remote_archive = \"/vienti/out\"")), "source[s].remote_archive",
                        "is the same folder as"));
}

TEST(ConfigOverlap, SftpSourcesOfOneEndpointMustNotOverlap) {
  EXPECT_TRUE(HasError(Load(SecondSftpSource(SftpSource(), "/vienti/out/sub", kEndpoint)), "source[t].path",
                       "lies inside source[s].path '/vienti/out', another inbox"));
  // Another source's receipts in this inbox.
  EXPECT_TRUE(OnlyError(
      Load(SecondSftpSource(SftpSource(), "/vienti/b", std::string(kEndpoint) + "receipts = \"/vienti/out/r\"\n")),
      "source[t].receipts", "lies inside source[s].path"));
  // Host names are not case-sensitive.
  std::string upper = kEndpoint;
  upper.replace(upper.find("legacy"), 6, "LEGACY");
  EXPECT_TRUE(HasError(Load(SecondSftpSource(SftpSource(), "/vienti/out", upper)), "source[t].path",
                       "is the same folder as"));
  // Another user, port or host is another tree.
  std::string other_user = kEndpoint;
  other_user.replace(other_user.find("\"liitos\""), 8, "\"other\"");
  EXPECT_TRUE(LoadsCleanly(Load(SecondSftpSource(SftpSource(), "/vienti/out/sub", other_user))));
  std::string other_port = std::string(kEndpoint) + "port = 2222\n";
  EXPECT_TRUE(LoadsCleanly(Load(SecondSftpSource(SftpSource(), "/vienti/out/sub", other_port))));
}

TEST(ConfigOverlap, SftpDestinationIntoAnInboxOfTheSameEndpointIsRefused) {
  std::string cfg = With({{"kind = 'dir'", "kind = 'sftp'"}, {"path = \"/out\"", "path = \"/vienti/out\""},
                          {"#DEST", kEndpoint}},
                         SftpSource());
  EXPECT_TRUE(OnlyError(Load(cfg), "destination[d].path", "is the same folder as source[s].path '/vienti/out'"));
}

}  // namespace
}  // namespace liitos
