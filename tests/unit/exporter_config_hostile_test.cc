// Hostile config files (issue 10, defects 5 and 6): input that used to crash
// toml++ 3.3.0 through stack exhaustion, and values that were echoed raw
// into error messages. Every case must give one clear, bounded error.
#include <gtest/gtest.h>
#include <pthread.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "exporter/config.h"
#include "exporter/config_loader.h"
#include "exporter/isolated_config_load.h"

namespace mcast::exporter {
namespace {

std::string Check(const std::string& text) {
  auto config = ParseConfig(text, "t.toml");
  if (config.ok()) return "OK";
  return std::string(config.status().message());
}

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// "a.a.a...a" with `parts` parts.
std::string DottedKey(int parts) {
  std::string key = "a";
  for (int i = 1; i < parts; ++i) key += ".a";
  return key;
}

// ParseConfig on a thread with a small stack, as a loader running off the
// main thread would have: the limits must leave margin there too.
absl::Status ParseOnStack(const std::string& text, size_t stack_bytes) {
  struct Job {
    const std::string* text;
    absl::Status status;
  } job{&text, absl::OkStatus()};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, stack_bytes);
  pthread_t thread;
  int rc = pthread_create(
      &thread, &attr,
      [](void* arg) -> void* {
        Job* j = static_cast<Job*>(arg);
        j->status = ParseConfig(*j->text, "t.toml").status();
        return nullptr;
      },
      &job);
  pthread_attr_destroy(&attr);
  if (rc != 0) return absl::InternalError("pthread_create failed");
  pthread_join(thread, nullptr);
  return job.status;
}

// Every error line is printable ASCII, bounded, and there are few of them.
void ExpectBounded(const std::string& message) {
  std::vector<std::string> lines = absl::StrSplit(message, '\n');
  EXPECT_LE(lines.size(), 21u) << message.substr(0, 2000);
  for (const std::string& line : lines) {
    EXPECT_LE(line.size(), 1024u) << line.substr(0, 2000);
    for (char c : line) {
      unsigned char u = static_cast<unsigned char>(c);
      ASSERT_TRUE(u >= 0x20 && u < 0x7f)
          << "raw byte " << static_cast<int>(u) << " in: " << line;
    }
  }
}

constexpr char kTooDeep[] =
    ": nested more than 32 levels deep (dotted key parts, [table] headers, "
    "inline tables and arrays count together)";

// --- Defect 5: nesting that exhausted toml++'s stack. ---

TEST(ExporterConfigHostileTest, HundredThousandDottedKeyPartsAreRefused) {
  // The reported file: ~200 KB, one key of 100 000 parts. toml++ 3.3.0
  // recursed once per part and overflowed an 8 MiB stack near 30 800.
  const std::string text = DottedKey(100000) + " = 1\n";
  ASSERT_GT(text.size(), 199000u);
  // Part 33 starts at column 2 * 33 - 1.
  EXPECT_EQ(Check(text), absl::StrCat("t.toml:1:65", kTooDeep));
}

TEST(ExporterConfigHostileTest, LongTableHeadersAreRefused) {
  EXPECT_EQ(Check("# x\n[" + DottedKey(100000) + "]\nk = 1\n"),
            absl::StrCat("t.toml:2:66", kTooDeep));
  EXPECT_EQ(Check("[[" + DottedKey(100000) + "]]\nk = 1\n"),
            absl::StrCat("t.toml:1:67", kTooDeep));
}

TEST(ExporterConfigHostileTest, HeaderAndKeyDepthAddUp) {
  // 20 header parts + 13 key parts = 33 levels.
  EXPECT_EQ(Check("[" + DottedKey(20) + "]\n" + DottedKey(13) + " = 1\n"),
            absl::StrCat("t.toml:2:25", kTooDeep));
  // A new header starts again from its own depth.
  EXPECT_NE(Check("[" + DottedKey(20) + "]\n[b]\n" + DottedKey(13) + " = 1\n"),
            absl::StrCat("t.toml:3:25", kTooDeep));
}

TEST(ExporterConfigHostileTest, DeepInlineTablesAndArraysAreRefused) {
  // x is level 1, its value's contents level 2, ...: the 32nd "{" opens
  // level 33.
  EXPECT_EQ(Check("x = " + Repeat("{a=", 100000) + "1" + Repeat("}", 100000)),
            absl::StrCat("t.toml:1:", 5 + 3 * 31, kTooDeep));
  EXPECT_EQ(Check("x = " + Repeat("[", 100000) + Repeat("]", 100000)),
            absl::StrCat("t.toml:1:", 5 + 31, kTooDeep));
  EXPECT_EQ(Check("x = " + Repeat("[{a=", 50000) + "1" + Repeat("}]", 50000)),
            absl::StrCat("t.toml:1:", 6 + 4 * 15, kTooDeep));
  EXPECT_EQ(Check("x = {" + DottedKey(100000) + " = 1}\n"),
            absl::StrCat("t.toml:1:", 6 + 2 * 31, kTooDeep));
}

TEST(ExporterConfigHostileTest, ThirtyTwoLevelsPassThePreCheck) {
  // Exactly at the limit: toml++ parses it and the loader reports the
  // unknown top-level key like any other.
  EXPECT_EQ(Check(DottedKey(32) + " = 1\n"),
            "t.toml:1:1: a: unknown key (allowed: exporter, defaults, sender, "
            "receiver, mesh)");
  EXPECT_EQ(Check(DottedKey(33) + " = 1\n"),
            absl::StrCat("t.toml:1:65", kTooDeep));
  EXPECT_EQ(
      Check("x = " + Repeat("[", 31) + Repeat("]", 31) + "\n").find("nested"),
      std::string::npos);
}

TEST(ExporterConfigHostileTest, StringsAndCommentsDoNotCount) {
  // Brackets, dots and quotes inside strings, quoted keys and comments are
  // not nesting: this is a valid probe plus one unknown key.
  const std::string brackets = Repeat("[{.", 200);
  const std::string text =
      "# " + brackets + "\n" + "[[sender]] # " + brackets + "\n" +
      "name = \"s\" # " + brackets + "\n" + "group = '239.1.1.1'\n" + "\"" +
      Repeat("a.", 100) + "\" = \"" + brackets + "\\\"" + brackets + "\"\n" +
      "'" + Repeat("b.", 100) + "' = '''" + brackets + "\n''" + brackets +
      "'''\n" + "c = \"\"\"" + brackets + "\\\"\"\"\n\"\"" + brackets +
      "\"\"\"\"\"\n" + "d = [ # " + brackets + "\n  '" + brackets + "',\n]\n";
  const std::string message = Check(text);
  EXPECT_EQ(message.find("nested"), std::string::npos) << message;
  std::vector<std::string> lines = absl::StrSplit(message, '\n');
  ASSERT_EQ(lines.size(), 4u) << message;
  EXPECT_TRUE(absl::StartsWith(lines[0], "t.toml:5:1: sender[0].\"a.a.a."))
      << lines[0];
  EXPECT_TRUE(absl::StartsWith(lines[1], "t.toml:6:1: sender[0].\"b.b.b."))
      << lines[1];
  EXPECT_TRUE(absl::StartsWith(lines[2], "t.toml:8:1: sender[0].c: unknown"))
      << lines[2];
  EXPECT_TRUE(absl::StartsWith(lines[3], "t.toml:10:1: sender[0].d: unknown"))
      << lines[3];
}

TEST(ExporterConfigHostileTest, DeepInputIsSafeOnASmallThreadStack) {
  // Depths that toml++ 3.3.0 either overflowed on or only stopped at its
  // own limit of 256 after using ~330 KiB of stack. On a 128 KiB thread
  // stack every one of these used to crash.
  const size_t kStack = 128 << 10;
  const std::vector<std::string> inputs = {
      DottedKey(1000) + " = 1\n",
      "[" + DottedKey(1000) + "]\n",
      "x = " + Repeat("{a=", 250) + "1" + Repeat("}", 250) + "\n",
      "x = " + Repeat("[", 250) + Repeat("]", 250) + "\n",
      "x = " + Repeat("[{a=", 120) + "1" + Repeat("}]", 120) + "\n",
  };
  for (const std::string& text : inputs) {
    absl::Status s = ParseOnStack(text, kStack);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StrContains(s.message(), "nested more than 32 levels"))
        << s.message();
  }
  // At the limit, every construct still parses on that stack.
  const std::vector<std::string> at_limit = {
      DottedKey(32) + " = 1\n",
      "[" + DottedKey(31) + "]\nk = 1\n",
      "x = " + Repeat("{a=", 31) + "1" + Repeat("}", 31) + "\n",
      "x = " + Repeat("[", 31) + Repeat("]", 31) + "\n",
      "x = " + Repeat("[{a=", 15) + "1" + Repeat("}]", 15) + "\n",
  };
  for (const std::string& text : at_limit) {
    absl::Status s = ParseOnStack(text, kStack);
    EXPECT_FALSE(absl::StrContains(s.message(), "nested")) << s.message();
  }
}

TEST(ExporterConfigHostileTest, OversizedTextIsRefused) {
  // The size cap applies to text handed to ParseConfig too, not only to
  // files, so every entry refuses it before toml++ sees it.
  const std::string text = "# " + std::string(4 << 20, 'x') + "\n";
  EXPECT_EQ(Check(text),
            "t.toml: larger than 4 MiB, not an mcast-exporter config");
}

// --- Defect 6: values and keys echoed raw into messages. ---

TEST(ExporterConfigHostileTest, ValuesAreQuotedEscapedAndCut) {
  const std::string tail(10000, 'x');
  const std::string text =
      "[[sender]]\ngroup = \"239.1.1.1\"\nname = \"line1\\nline2\\u001b[31m" +
      tail + "\"\n";
  EXPECT_EQ(Check(text),
            "t.toml:3:8: sender[0].name: 'line1\\nline2\\x1b[31m" +
                std::string(48, 'x') +
                "...' (10016 bytes) is not a valid probe name (1-64 letters, "
                "digits, '_', '-' or '.', e.g. \"feed-a\")");
}

TEST(ExporterConfigHostileTest, ShortBadValuesStayReadable) {
  EXPECT_EQ(
      Check("[[sender]]\ngroup = \"239.1.1.1\"\nname = \"a\\tb'c\\\\\"\n"),
      "t.toml:3:8: sender[0].name: 'a\\tb\\'c\\\\' is not a valid probe "
      "name (1-64 letters, digits, '_', '-' or '.', e.g. \"feed-a\")");
  EXPECT_EQ(Check("[[receiver]]\nname = \"r\"\ngroup = \"239.1.1.1\"\n"
                  "stall_timeout = \"3\\n\\n\\nx\"\n"),
            "t.toml:4:17: receiver[0].stall_timeout: invalid duration "
            "'3\\n\\n\\nx': not a number with an optional unit (use e.g. 600, "
            "2.5, 250ms, 3s, 10m, 1h)");
  EXPECT_EQ(Check("[exporter]\nlisten = \"\\u00e9:1\"\n"),
            "t.toml:2:10: exporter.listen: '\\xc3\\xa9:1' has no IP address "
            "before the port ('\\xc3\\xa9' is not one; host names are not "
            "resolved) (HOST:PORT with an IP address, e.g. \"0.0.0.0:19779\", "
            "\"127.0.0.1:19779\" or \"[::]:19779\"; port 0 picks a free port)");
}

TEST(ExporterConfigHostileTest, EveryEchoedValueIsBounded) {
  // Each string-valued key with a long multi-line value: one line each.
  const std::string evil =
      "\"" + Repeat("\\n\\r\\u001b[2J\\u0000\\u007f\\u00e9", 2000) + "\"";
  const std::string text =
      "[exporter]\nlisten = " + evil + "\nmetrics_path = " + evil +
      "\n[[sender]]\nname = " + evil + "\ngroup = " + evil +
      "\nsource = " + evil + "\ninterface = " + evil + "\nrate = " + evil +
      "\ndscp = " + evil + "\nclock = " + evil +
      "\n[[receiver]]\nname = \"r\"\ngroup = \"239.1.1.1\"\nstall_timeout = " +
      evil + "\nreorder_window = " + evil + "\n";
  const std::string message = Check(text);
  ExpectBounded(message);
  EXPECT_EQ(std::vector<std::string>(absl::StrSplit(message, '\n')).size(), 11u)
      << message;
}

TEST(ExporterConfigHostileTest, KeysAreQuotedAndEscaped) {
  EXPECT_EQ(Check("[[sender]]\nname = \"s\"\ngroup = \"239.1.1.1\"\n"
                  "\"evil\\nkey\\u001b\" = 1\n"),
            "t.toml:4:1: sender[0].\"evil\\nkey\\x1b\": unknown key (allowed: "
            "name, group, source, interface, port, ttl, dscp, rate, size, "
            "clock, loopback)");
  const std::string long_key = "\"" + Repeat("k\\n", 5000) + "\"";
  const std::string message = Check(long_key + " = 1\n");
  ExpectBounded(message);
  EXPECT_TRUE(absl::StartsWith(message, "t.toml:1:1: \"k\\nk\\nk\\n"))
      << message;
  EXPECT_TRUE(absl::StrContains(message, "...\" (10000 bytes): unknown key"))
      << message;
}

TEST(ExporterConfigHostileTest, ErrorCountIsCapped) {
  std::string text = "[exporter]\n";
  for (int i = 0; i < 100; ++i) absl::StrAppend(&text, "k", i, " = 1\n");
  const std::string message = Check(text);
  std::vector<std::string> lines = absl::StrSplit(message, '\n');
  ASSERT_EQ(lines.size(), 21u) << message;
  EXPECT_EQ(lines[0],
            "t.toml:2:1: exporter.k0: unknown key (allowed: listen, "
            "listen_addresses, metrics_path, telemetry_path, web_config_file, "
            "memory_limit)");
  EXPECT_EQ(lines[19],
            "t.toml:21:1: exporter.k19: unknown key (allowed: listen, "
            "listen_addresses, metrics_path, telemetry_path, web_config_file, "
            "memory_limit)");
  EXPECT_EQ(lines[20], "t.toml: and 80 more problems");
}

TEST(ExporterConfigHostileTest, CappedErrorsAreTheFirstInFileOrder) {
  // Receivers are checked after senders whatever the file order: the cap
  // must still keep the first 20 by position, not by check order.
  std::string text;
  for (int i = 0; i < 30; ++i) {
    absl::StrAppend(&text, "[[receiver]]\nname = \"r", i,
                    "\"\ngroup = \"239.1.1.1\"\nbad = 1\n");
  }
  for (int i = 0; i < 30; ++i) {
    absl::StrAppend(&text, "[[sender]]\nname = \"s", i,
                    "\"\ngroup = \"239.1.1.1\"\nbad = 1\n");
  }
  std::vector<std::string> lines = absl::StrSplit(Check(text), '\n');
  ASSERT_EQ(lines.size(), 21u);
  EXPECT_TRUE(absl::StartsWith(lines[0], "t.toml:4:1: receiver[0].bad:"))
      << lines[0];
  EXPECT_TRUE(absl::StartsWith(lines[19], "t.toml:80:1: receiver[19].bad:"))
      << lines[19];
  EXPECT_EQ(lines[20], "t.toml: and 40 more problems");
}

TEST(ExporterConfigHostileTest, SyntaxErrorsAreSanitised) {
  // toml++ quotes what it saw; whatever it quotes, the line stays clean.
  for (const std::string& text :
       {std::string("a = \"\x01\"\n"), std::string("\x1b[2J = 1\n"),
        std::string("a = 1\x7f\n"), std::string("a = \xff\xfe\n"),
        std::string("[a\nb]\n"), std::string("a = '") + Repeat("\x1b", 3000)}) {
    const std::string message = Check(text);
    EXPECT_NE(message, "OK");
    ExpectBounded(message);
  }
}

// --- The isolated load used at start, on SIGHUP and by --check-config. ---

std::string WriteTemp(const std::string& name, const std::string& text) {
  std::string path = (std::filesystem::temp_directory_path() /
                      absl::StrCat("mcast-hostile-", getpid(), "-", name))
                         .string();
  std::ofstream(path) << text;
  return path;
}

TEST(ExporterConfigIsolatedLoadTest, SameResultsAsInProcess) {
  const std::string good = WriteTemp(
      "good.toml", "[[sender]]\nname = \"s\"\ngroup = \"239.1.1.1\"\n");
  const std::string bad = WriteTemp(
      "bad.toml", "[[sender]]\nname = \"s\"\ngroup = \"10.1.1.1\"\nx = 1\n");
  const std::string deep = WriteTemp("deep.toml", DottedKey(100000) + " = 1\n");
  for (const std::string& path : {good, bad, deep}) {
    absl::StatusOr<Config> in_process = LoadConfigFile(path);
    absl::StatusOr<Config> isolated = LoadConfigFileIsolated(path);
    EXPECT_EQ(isolated.status(), in_process.status()) << path;
    if (in_process.ok() && isolated.ok()) {
      EXPECT_EQ(*isolated, *in_process);
    }
    std::filesystem::remove(path);
  }
  absl::StatusOr<Config> missing =
      LoadConfigFileIsolated("/nonexistent/mcast-exporter.toml");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace mcast::exporter
