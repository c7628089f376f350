// Runs a libFuzzer target over files without libFuzzer: every regular file
// below each argument (a file or a folder) is one input. Used by CTest to
// replay the checked-in corpora with gcc and under ASan + UBSan, so a
// finding added to a corpus stays fixed.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

bool RunFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
    return false;
  }
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                          std::istreambuf_iterator<char>());
  // A copy of exactly `size` bytes, so ASan sees reads past the end.
  std::vector<uint8_t> input(bytes.begin(), bytes.end());
  LLVMFuzzerTestOneInput(input.empty() ? nullptr : input.data(), input.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
    return 2;
  }
  size_t count = 0;
  for (int i = 1; i < argc; ++i) {
    std::error_code ec;
    std::filesystem::path root(argv[i]);
    if (std::filesystem::is_regular_file(root, ec)) {
      if (!RunFile(root)) return 1;
      ++count;
      continue;
    }
    std::filesystem::recursive_directory_iterator it(root, ec), end;
    if (ec) {
      std::fprintf(stderr, "replay: cannot open %s: %s\n", argv[i],
                   ec.message().c_str());
      return 1;
    }
    for (; it != end; it.increment(ec)) {
      if (ec) break;
      if (!it->is_regular_file()) continue;
      if (!RunFile(it->path())) return 1;
      ++count;
    }
  }
  // An empty corpus proves nothing: fail rather than pass silently.
  if (count == 0) {
    std::fprintf(stderr, "replay: no inputs found\n");
    return 1;
  }
  std::printf("replay: %zu inputs, no finding\n", count);
  return 0;
}
