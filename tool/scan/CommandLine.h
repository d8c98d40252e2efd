// The scanner's command line: what the user asked for, parsed by llvm::cl
// as clang-tidy's is: one or two dashes, "--format json" or "--format=json",
// @response-files, generated --help with option categories, --version. The
// list flags (--sync-type, ...) come from the ListOptions table.
#pragma once

#include "config/ResolveOptions.h"

#include <string>
#include <vector>

namespace sharedstate::scan {

struct CommandLine {
  std::string buildPath = ".";
  std::vector<std::string> sources;
  std::string output;
  std::string format = "json";
  bool all = false;
  std::string root;
  std::string configFile;
  std::string saveFacts; ///< --save-facts: every TU's facts, for the editor and for debugging
  std::vector<std::string> loadFacts; ///< --load-facts: classify saved facts instead of a database
  CommandLineOptions options; ///< the list flags and --warn-on
  std::vector<std::string> extraArgs, extraArgsBefore;
  unsigned jobs = 0;
  unsigned tuTimeout = 300; ///< --tu-timeout seconds; 0: none
  bool inProcess = false;   ///< --in-process: no worker processes (debugging)
  bool progress = false;    ///< --progress: the progress lines even when stderr is no terminal
};

/// Parses argv; on error returns false with a one-line message in Error.
/// --help and --version print (VersionLine for the latter) and exit with 0,
/// as every LLVM tool does. Call it once.
bool parseCommandLine(int Argc, const char **Argv, CommandLine &CL, std::string &Error,
                      const std::string &VersionLine);

} // namespace sharedstate::scan
