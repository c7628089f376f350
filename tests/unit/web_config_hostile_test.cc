// A hostile --web.config.file (issue 15): huge, deeply nested, alias bombs,
// binary junk, a FIFO or a device for a path. Each is a clear error, never
// a wait, a crash or the caller's memory: LoadWebConfig refuses what is not
// a regular file before reading, bounds the size, and lets yaml-cpp parse
// first in a forked child (util/run_isolated.h).
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "exporter/tls_material.h"
#include "exporter/web_config.h"
#include "exporter/web_config_parser.h"
#include "util/regular_file.h"

namespace mcast::exporter {
namespace {

class WebConfigHostileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/web-hostile-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::string cmd = absl::StrCat("rm -rf '", dir_, "'");
    ASSERT_EQ(std::system(cmd.c_str()), 0);
  }
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = absl::StrCat(dir_, "/", name);
    std::FILE* f = std::fopen(path.c_str(), "wb");
    EXPECT_NE(f, nullptr);
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
    return path;
  }
  std::string LoadError(const std::string& path,
                        absl::Duration timeout = kWebConfigParseTimeout) {
    absl::StatusOr<WebConfig> c = LoadWebConfig(path, timeout);
    return c.ok() ? "OK" : std::string(c.status().message());
  }
  std::string dir_;
};

std::string ParseError(const std::string& text) {
  absl::StatusOr<WebConfig> c = ParseWebConfig(text, "web.yml", "/etc/x");
  return c.ok() ? "OK" : std::string(c.status().message());
}

// Billion laughs: nine levels of nine aliases each, 9^9 strings if expanded.
std::string Laughs() {
  std::string s = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i < 10; ++i) {
    absl::StrAppend(&s, "l", i, ": &l", i, " [");
    for (int j = 0; j < 9; ++j) absl::StrAppend(&s, j ? ", " : "", "*l", i - 1);
    absl::StrAppend(&s, "]\n");
  }
  return s;
}

long MaxRssKiB() {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

TEST_F(WebConfigHostileTest, FifoDeviceAndDirectoryAreRefusedWithoutReading) {
  const std::string fifo = absl::StrCat(dir_, "/web.yml");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  // No writer: a blocking open would wait forever (the test would time out).
  EXPECT_EQ(LoadError(fifo),
            absl::StrCat(fifo, ": not a regular file (a FIFO)"));
  EXPECT_EQ(LoadError("/dev/zero"),
            "/dev/zero: not a regular file (a character device)");
  EXPECT_EQ(LoadError(dir_),
            absl::StrCat(dir_, ": not a regular file (a directory)"));
  EXPECT_TRUE(absl::StartsWith(LoadError(dir_ + "/missing.yml"),
                               dir_ + "/missing.yml: cannot open"));
  // A symlink to a regular file is a regular file.
  const std::string real = Write("real.yml", "basic_auth_users:\n");
  const std::string link = absl::StrCat(dir_, "/link.yml");
  ASSERT_EQ(symlink(real.c_str(), link.c_str()), 0);
  EXPECT_EQ(LoadError(link), "OK");
}

TEST_F(WebConfigHostileTest, OversizedFileIsRefusedBeforeParsing) {
  std::string text = "basic_auth_users:\n";
  text.resize(kMaxWebConfigBytes, ' ');
  EXPECT_EQ(LoadError(Write("max.yml", text)), "OK");
  text.push_back('\n');
  const std::string big = Write("big.yml", text);
  EXPECT_EQ(LoadError(big), absl::StrCat(big, ": larger than 1048576 bytes"));
}

TEST_F(WebConfigHostileTest, DeepNestingIsOneErrorWithItsPlace) {
  // yaml-cpp's depth bound, not the stack: 498 levels parse, 499 do not.
  EXPECT_EQ(ParseError("a: " + std::string(498, '[') + std::string(498, ']')),
            "web.yml:1:1: a: unknown key");
  EXPECT_EQ(ParseError("a: " + std::string(499, '[') + std::string(499, ']')),
            "web.yml:1:1002: nested more than 499 levels deep");
  std::string block;
  for (int i = 0; i < 600; ++i) block += std::string(i, ' ') + "a:\n";
  EXPECT_EQ(ParseError(block),
            "web.yml:499:501: nested more than 499 levels deep");
  // A megabyte of '[': the same one line, through the whole loader.
  const std::string deep =
      Write("deep.yml",
            "basic_auth_users: " + std::string(kMaxWebConfigBytes - 20, '['));
  EXPECT_EQ(LoadError(deep), deep + ":1:1: nested more than 499 levels deep");
}

TEST_F(WebConfigHostileTest, AliasBombsAreNotExpanded) {
  // yaml-cpp keeps an alias as a reference to its anchor's node, and the
  // parser looks one level into each section: 9^9 never happens.
  std::string top, in_users;
  for (int i = 0; i < 10; ++i) {
    absl::StrAppend(&top, i ? "\n" : "", "web.yml:", i + 1, ":1: l", i,
                    ": unknown key");
    absl::StrAppend(&in_users, "web.yml:", i + 2, ":7: basic_auth_users.l", i,
                    ": must be a string\n");
  }
  EXPECT_EQ(ParseError(Laughs()), top);
  std::string users = Laughs();
  absl::StrReplaceAll({{"\nl", "\n  l"}}, &users);
  // An alias is its anchor's node: its error points at the anchor.
  EXPECT_EQ(ParseError("basic_auth_users:\n  " + users + "  u: *l9\n"),
            in_users + "web.yml:11:7: basic_auth_users.u: must be a string");
  EXPECT_EQ(ParseError("l0: &a x\nbasic_auth_users: *a\n"),
            "web.yml:1:1: l0: unknown key\n"
            "web.yml:1:5: basic_auth_users: must be a map");
}

TEST_F(WebConfigHostileTest, BinaryJunkIsAPrintableError) {
  std::string junk;
  unsigned x = 12345;
  for (int i = 0; i < 65536; ++i) {
    x = x * 1103515245 + 12345;
    junk.push_back(static_cast<char>(x >> 16));
  }
  const std::string path = Write("junk.yml", junk);
  const std::string e = LoadError(path);
  EXPECT_TRUE(absl::StartsWith(e, path + ":")) << e;
  for (unsigned char c : e) EXPECT_TRUE(c == '\n' || (c >= 0x20 && c < 0x7f));
  EXPECT_NE(LoadError(Write("nul.yml", std::string(4096, '\0'))), "OK");
}

TEST_F(WebConfigHostileTest, HostileYamlCostsTheChildNotTheCaller) {
  // 1 MiB of flow sequence: in-process yaml-cpp peaks near 250 MB here.
  std::string text = "basic_auth_users: [";
  while (text.size() < kMaxWebConfigBytes - 4) text += "a,";
  text += "a]\n";
  const std::string wide = Write("wide.yml", text);
  const long before = MaxRssKiB();
  EXPECT_EQ(LoadError(wide), wide + ":1:19: basic_auth_users: must be a map");
  EXPECT_LT(MaxRssKiB() - before, 64 * 1024) << "the parse ran in this process";
  // A child that does not answer in time is killed: refused, not waited for.
  EXPECT_TRUE(absl::StartsWith(
      LoadError(wide, absl::Milliseconds(20)),
      wide + ": refused: the web config parser did not finish within"))
      << LoadError(wide, absl::Milliseconds(20));
}

TEST_F(WebConfigHostileTest, TlsFilesMustBeRegularFiles) {
  const std::string fifo = absl::StrCat(dir_, "/cert.pem");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  TlsServerSettings tls;
  tls.cert_file = fifo;
  tls.key_file = "/dev/zero";
  tls.enabled = true;
  absl::StatusOr<std::shared_ptr<const TlsMaterial>> m = TlsMaterial::Load(tls);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().message(),
            absl::StrCat("tls_server_config.cert_file: ", fifo,
                         ": not a regular file (a FIFO)"));
}

TEST(RegularFileTest, ReadsWholeFilesAndBoundsThem) {
  absl::StatusOr<std::string> text =
      util::ReadRegularFile("/proc/self/status", 1 << 20);
  // procfs files are regular files of size 0 that read as text.
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_TRUE(absl::StrContains(*text, "Name:"));
  absl::StatusOr<std::string> cut =
      util::ReadRegularFile("/proc/self/status", 10);
  EXPECT_EQ(cut.status().message(), "/proc/self/status: larger than 10 bytes");
}

}  // namespace
}  // namespace mcast::exporter
