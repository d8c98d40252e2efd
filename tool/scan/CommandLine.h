// The scanner's command line: what the user asked for, parsed.
//
// Accepts "-p dir", "-pdir", "--format json" and "--format=json"; the list
// flags (--sync-type, ...) come from the ListOptions table, as does their
// part of the usage text.
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
  bool help = false, version = false;
};

/// Parses argv; on error returns false with a one-line message in Error.
bool parseCommandLine(int Argc, const char **Argv, CommandLine &CL, std::string &Error);

/// The --help text.
std::string usage();

} // namespace sharedstate::scan
