// Where the binary finds the dashboard (cli/web_root.h): --web-root first, then the installed
// layout beside the binary, then the source tree; uPlot where each layout keeps it.
#include "cli/web_root.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "io/scratch_dir.h"

namespace cryptomood::cli {
namespace {

namespace fs = std::filesystem;
using testing_support::ScratchDir;

// A page folder at `relative` under the scratch directory (with its index.html).
fs::path MakePage(const ScratchDir& scratch, const std::string& relative) {
  const fs::path page = scratch.Path(relative);
  fs::create_directories(page);
  scratch.Write(relative + "/index.html", "<!doctype html>");
  return page;
}

// An installed prefix: bin/cryptomood and share/cryptomood/web with uPlot in vendor/uplot.
struct InstalledPrefix {
  fs::path executable;
  fs::path page;
};

InstalledPrefix MakeInstalledPrefix(const ScratchDir& scratch) {
  fs::create_directories(scratch.Path("usr/bin"));
  const fs::path page = MakePage(scratch, "usr/share/cryptomood/web");
  fs::create_directories(page / "vendor" / "uplot");
  return {scratch.Path("usr/bin/cryptomood"), page};
}

TEST(WebRootTest, ExplicitRootWinsOverTheInstalledLayout) {
  ScratchDir scratch;
  const InstalledPrefix installed = MakeInstalledPrefix(scratch);
  const fs::path mine = MakePage(scratch, "mine");
  auto found = FindWebRoot({mine, installed.executable, {}});
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->page, mine);
}

TEST(WebRootTest, MissingExplicitRootIsAUsageErrorNamingTheOption) {
  ScratchDir scratch;
  const InstalledPrefix installed = MakeInstalledPrefix(scratch);
  auto found = FindWebRoot({scratch.Path("absent"), installed.executable, {}});
  ASSERT_FALSE(found);
  EXPECT_EQ(found.error().kind, ErrorKind::kUsage);
  EXPECT_NE(found.error().message.find("--web-root"), std::string::npos);
  EXPECT_NE(found.error().message.find("absent"), std::string::npos);
}

TEST(WebRootTest, InstalledLayoutBesideTheBinaryKeepsUplotInVendor) {
  ScratchDir scratch;
  const InstalledPrefix installed = MakeInstalledPrefix(scratch);
  const fs::path source = MakePage(scratch, "src/web/static");
  auto found = FindWebRoot({{}, installed.executable, source});
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->page, installed.page);
  EXPECT_EQ((*found)->uplot, installed.page / "vendor" / "uplot");
}

TEST(WebRootTest, SourceTreeServesWhenNothingIsInstalledAndTakesUplotFromNpm) {
  ScratchDir scratch;
  fs::create_directories(scratch.Path("build"));
  const fs::path source = MakePage(scratch, "src/web/static");
  auto found = FindWebRoot({{}, scratch.Path("build/cryptomood"), source});
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->page, source);
  EXPECT_EQ((*found)->uplot, fs::path(scratch.Path("src/web/node_modules/uplot/dist")));
}

TEST(WebRootTest, NothingFoundIsNoErrorAndTheMessageNamesEveryFolderTried) {
  ScratchDir scratch;
  const WebRootSearch search{{}, scratch.Path("bin/cryptomood"), scratch.Path("gone/static")};
  auto found = FindWebRoot(search);
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_FALSE(found->has_value());
  const std::string message = NoWebRootMessage(search);
  EXPECT_NE(message.find(scratch.Path("share/cryptomood/web")), std::string::npos) << message;
  EXPECT_NE(message.find(scratch.Path("gone/static")), std::string::npos) << message;
  EXPECT_NE(message.find("--web-root"), std::string::npos) << message;
}

TEST(WebRootTest, AFolderWithoutIndexHtmlIsNotAPage) {
  ScratchDir scratch;
  fs::create_directories(scratch.Path("usr/share/cryptomood/web"));
  const fs::path source = MakePage(scratch, "src/web/static");
  auto found = FindWebRoot({{}, scratch.Path("usr/bin/cryptomood"), source});
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->page, source);
}

TEST(WebRootTest, TrailingSlashNamesTheSameFolder) {
  ScratchDir scratch;
  const fs::path page = MakePage(scratch, "web/static");
  auto found = FindWebRoot({page.string() + "/", {}, {}});
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->page, page);
  EXPECT_EQ((*found)->uplot, fs::path(scratch.Path("web/node_modules/uplot/dist")));
}

}  // namespace
}  // namespace cryptomood::cli
