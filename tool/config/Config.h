// The scanner's view of a project's .clang-tidy: the same CheckOptions the
// clang-tidy plugin reads, so that CI, local scans and editors agree.
//
// Read: sharedstate.<Option> and <check id>.<Option> for the options WarnOn,
// SyncTypes, LockGuardTypes, OnceFunctions, HandlerBaseClasses,
// RegistrationFunctions and SingletonAccessors. Lists are the union of every
// value found; WarnOn stays per check, as in the plugin (a check's own value,
// else sharedstate.WarnOn, else not-thread-safe). Everything else in the file
// (Checks, other checks' options, ...) is ignored: the scanner always runs
// every sharedstate check.
//
// The YAML is parsed with LLVM's YAML parser; this header keeps LLVM out of
// its users.
#pragma once

#include "facts/Options.h"
#include "report/Report.h"

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

/// The options that sharedstate-scan applies.
/// The lists (ExtensibleLists) hold what the files add to the defaults.
struct ScanConfig : ExtensibleLists {
  std::vector<std::string> files; ///< the files read, nearest first; empty: none
  WarnPolicy warn;
};

/// The check ids whose <id>.<Option> keys are read (checks/Checks.def).
std::vector<std::string> sharedstateCheckIds();

/// Turns CheckOptions into a ScanConfig (its files are left alone). On an
/// invalid WarnOn returns false; Error names the key and the problem, and
/// BadKey, when given, receives the key.
bool resolveCheckOptions(const std::map<std::string, std::string> &CheckOptions, ScanConfig &Out,
                         std::string &Error, std::string *BadKey = nullptr);

/// Reads the configuration: ConfigFile if it is not empty, else the nearest
/// .clang-tidy in StartDir or its parents (an empty file is skipped, and
/// InheritParentConfig: true merges the parent's options under the child's,
/// as clang-tidy does). Finding no file is not an error. On error returns
/// false with a one-line Error naming the file.
bool loadScanConfig(const std::string &ConfigFile, const std::string &StartDir, ScanConfig &Out,
                    std::string &Error);

} // namespace sharedstate
