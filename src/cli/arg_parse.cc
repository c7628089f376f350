#include "cli/arg_parse.h"

#include <cstdio>
#include <string>

#include "cli/exit_codes.h"

namespace mcast::cli {

std::optional<int> ParseArgs(CLI::App& app, int argc, char** argv,
                             const char* program) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    return kExitOk;
  } catch (const CLI::CallForAllHelp&) {
    std::fputs(app.help("", CLI::AppFormatMode::All).c_str(), stdout);
    return kExitOk;
  } catch (const CLI::CallForVersion& e) {
    std::printf("%s\n", e.what());
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    PrintError(program, std::string(e.what()) + " (see --help)");
    return kExitUsage;
  }
  return std::nullopt;
}

}  // namespace mcast::cli
