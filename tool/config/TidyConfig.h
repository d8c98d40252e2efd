// TidyConfig: the scanner's view of a project's .clang-tidy, the same
// CheckOptions the clang-tidy plugin reads, so that CI, local scans and
// editors agree.
//
// Only CheckOptions and InheritParentConfig matter here; everything else in
// the file (Checks, other checks' options, ...) is ignored, since the scanner
// always runs every sharedstate check. How the options then combine with
// the defaults and the command line is ResolveOptions.h's business.
//
// The YAML is parsed with LLVM's YAML parser; this header keeps LLVM out of
// its users.
#pragma once

#include "config/ResolveOptions.h"

#include <map>
#include <string>
#include <vector>

namespace sharedstate {

/// The name clang-tidy looks for in a directory and its parents.
inline constexpr const char *TidyConfigName = ".clang-tidy";

/// What one .clang-tidy file says that matters here.
struct TidyFile {
  std::map<std::string, std::string> checkOptions; ///< every CheckOptions entry
  bool inheritParentConfig = false;
};

/// Parses the text of a .clang-tidy file. CheckOptions may be a list of
/// {key, value} mappings or a mapping from key to value. An empty document
/// has no options. On malformed YAML, or CheckOptions of another shape,
/// returns false with one line in Error:
/// "<Name>:<line>:<column>: invalid configuration: <what>".
bool parseTidyFile(const std::string &Text, TidyFile &Out, std::string &Error,
                   const std::string &Name = TidyConfigName);

/// The CheckOptions of the files that apply, nearer files first: a key set
/// in a nearer file wins, and `origin` says which file each key came from.
struct TidyConfig {
  std::map<std::string, std::string> checkOptions;
  std::map<std::string, std::string> origin;
  std::vector<std::string> files; ///< the files read, nearest first; empty: none
};

/// Reads the configuration: ConfigFile if it is not empty, else the nearest
/// .clang-tidy in StartDir or its parents (an empty file is skipped, and
/// InheritParentConfig: true merges the parent's options under the child's,
/// as clang-tidy does). Finding no file is not an error. On error returns
/// false with a one-line Error naming the file.
bool loadTidyConfig(const std::string &ConfigFile, const std::string &StartDir, TidyConfig &Out,
                    std::string &Error);

/// The scanner's settings: loadTidyConfig, then resolveScan with the
/// command line. An invalid value is an error naming the file it came from:
/// "<file>: invalid configuration: sharedstate.WarnOn: ...". A key of ours
/// that names no option is a warning, with the known key it is closest to:
/// "<file>: unknown option 'sharedstate.WarnOnn'; did you mean 'sharedstate.WarnOn'?".
bool loadScanSettings(const std::string &ConfigFile, const std::string &StartDir,
                      const CommandLineOptions &CommandLine, ScanSettings &Out, std::string &Error,
                      std::vector<std::string> &Warnings);

} // namespace sharedstate
