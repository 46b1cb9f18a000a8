// The report in a real browser (ctest label e2e): the demo (examples/liitos.toml with its two
// sample exports and a broken file) is run once with checkpoints, `liitos journal report` writes
// the report, and headless Chromium renders it — a screenshot, a PDF and the DOM as it parsed it.
// The chart must be drawn (SVG bars of non-zero height in the DOM, and a non-trivial image), and
// the PDF's text must hold the journal's head hash.
//
// LIITOS_UPDATE_SCREENSHOT=1 copies the screenshot to docs/report.png (the README shows it).

#include <gtest/gtest.h>

#include <regex>

#include "tests/daemon/e2e/e2e_util.h"

namespace liitos::e2e {
namespace {

bool Have(const std::string& tool) { return std::system(("command -v " + tool + " >/dev/null 2>&1").c_str()) == 0; }

int Shell(const std::string& cmd) { return std::system(cmd.c_str()); }

class ReportBrowserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!Have("chromium") || !Have("pdftotext")) GTEST_SKIP() << "chromium or pdftotext missing (scripts/install-deps.sh)";
    const fs::path root = dir_.path();
    std::string cfg = ReadAll(SourceDir() + "/examples/liitos.toml");
    ReplaceAll(&cfg, "examples/demo", (root / "demo").string());
    ReplaceAll(&cfg, "\n[interface]", "checkpoint_key = \"" + (root / "checkpoint.key").string() +
                                           "\"\ncheckpoint_dir = \"" + (root / "checkpoints").string() +
                                           "\"\n\n[interface]");
    cfg_ = root / "liitos.toml";
    WriteAll(cfg_, cfg);
    for (const char* d : {"demo/rakval/in", "demo/ymparisto/in", "demo/outbound", "demo/state", "checkpoints"})
      fs::create_directories(root / d);
    ASSERT_EQ(Shell("umask 077 && openssl genpkey -algorithm ed25519 -out " + (root / "checkpoint.key").string()), 0);
    fs::copy_file(SourceDir() + "/examples/samples/tilat_20261120.csv", root / "demo/rakval/in/tilat_20261120.csv");
    fs::copy_file(SourceDir() + "/examples/samples/vienti_20261121.xml", root / "demo/ymparisto/in/vienti_20261121.xml");
    WriteAll(root / "demo/ymparisto/in/katkennut.xml", "<?xml version=\"1.0\"?><Vienti><Asia>");
    RunResult run = RunLiitos({"run", "--once", "--config", cfg_.string()});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    report_ = root / "report.html";
    RunResult r = RunLiitos({"journal", "report", "--config", cfg_.string(), "--out", report_.string()});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("hash chain intact, checkpoints valid"), std::string::npos) << r.out;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(r.out, m, std::regex("head hash ([0-9a-f]{64})"))) << r.out;
    head_hash_ = m[1];
  }

  // Runs headless Chromium on the report with `action` (e.g. "--screenshot=FILE"); its stdout
  // goes to `out`.
  void Chromium(const std::string& action, const fs::path& out) {
    std::string cmd = "timeout 180 chromium --headless=new --no-sandbox --disable-gpu --disable-background-networking "
                      "--disable-component-update --disable-sync --no-first-run --no-pdf-header-footer "
                      "--window-size=1280,1700 --user-data-dir=" +
                      (dir_.path() / "chromium").string() + " " + action + " file://" + report_.string() + " >" +
                      out.string() + " 2>" + (dir_.path() / "chromium.log").string();
    ASSERT_EQ(Shell(cmd), 0) << ReadAll(dir_.path() / "chromium.log");
  }

  ScratchDir dir_;
  fs::path cfg_, report_;
  std::string head_hash_;
};

TEST_F(ReportBrowserTest, ChartIsDrawnAndThePdfHoldsTheHeadHash) {
  const fs::path dom = dir_.path() / "dom.html", png = dir_.path() / "report.png", pdf = dir_.path() / "report.pdf";
  Chromium("--dump-dom", dom);
  std::string parsed = ReadAll(dom);
  ASSERT_NE(parsed.find("<svg class=\"chart\""), std::string::npos) << parsed.substr(0, 500);
  // The bars as the browser parsed them: some have a height above zero.
  std::regex bar("<rect class=\"(intake|delivery)\"[^>]* height=\"([0-9.]+)\"");
  double tallest = 0;
  int bars = 0;
  for (auto it = std::sregex_iterator(parsed.begin(), parsed.end(), bar); it != std::sregex_iterator(); ++it, ++bars)
    tallest = std::max(tallest, std::stod((*it)[2]));
  EXPECT_GT(bars, 0);
  EXPECT_GT(tallest, 10.0);
  EXPECT_NE(parsed.find("<polyline points=\""), std::string::npos);
  EXPECT_NE(parsed.find("katkennut.xml"), std::string::npos);  // the quarantined file's row

  Chromium("--screenshot=" + png.string(), dir_.path() / "screenshot.out");
  std::string image = ReadAll(png);
  ASSERT_GT(image.size(), 20000u) << "a blank page compresses to a few kB";
  EXPECT_EQ(image.substr(1, 3), "PNG");

  Chromium("--print-to-pdf=" + pdf.string(), dir_.path() / "pdf.out");
  ASSERT_EQ(Shell("pdftotext -layout " + pdf.string() + " " + (dir_.path() / "report.txt").string()), 0);
  std::string text = ReadAll(dir_.path() / "report.txt");
  EXPECT_NE(text.find("Transfer journal report"), std::string::npos);
  std::string flat;
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c))) flat += c;
  EXPECT_NE(flat.find(head_hash_), std::string::npos) << text.substr(0, 2000);

  if (std::getenv("LIITOS_UPDATE_SCREENSHOT")) fs::copy_file(png, SourceDir() + "/docs/report.png", fs::copy_options::overwrite_existing);
}

}  // namespace
}  // namespace liitos::e2e
