// How sharedstate's options resolve, in one place, for every front-end.
//
//   built-in defaults  <  CheckOptions  <  the command line
//
// CheckOptions are the clang-tidy options: the project's .clang-tidy for the
// scanner (TidyConfig.h), clang-tidy's own merged configuration for the
// plugin. A check's option is its own key (sharedstate-mutable-global.WarnOn)
// if set, else the shared key (sharedstate.WarnOn), else the check's default
// (Checks.def). Lists (ListOptions) add to the built-in ones and never remove.
//
// The plugin resolves each check on its own. The scanner runs one analysis
// for all checks, so its lists are the union of every check's (the shared
// key's items first, then each check's own, in table order), and WarnOn
// stays per check. Then the command line: its lists add, its --warn-on
// replaces every check's WarnOn.
//
// Nothing here reads files or links LLVM: the plugin uses it as it is.
#pragma once

#include "classify/WarnOn.h"
#include "facts/Options.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sharedstate {

/// The value of a CheckOptions key, if it is set.
using OptionLookup = std::function<std::optional<std::string>(const std::string &Key)>;
OptionLookup lookupIn(const std::map<std::string, std::string> &CheckOptions);

/// The prefix of the keys every sharedstate check reads: "sharedstate".
inline constexpr const char *SharedPrefix = "sharedstate";

/// A key that was set, and its value.
struct FoundOption {
  std::string key;
  std::string value;
};
/// Check's Option: its own key, else the shared key.
std::optional<FoundOption> checkOption(const OptionLookup &Lookup, const std::string &Check, const std::string &Option);

/// Check's WarnOn: own key, shared key, or the check's default. On an
/// invalid value returns nullopt; Error names the bad item and BadKey, when
/// given, receives the key it came from.
std::optional<WarnOn> resolveWarnOn(const OptionLookup &Lookup, const std::string &Check, std::string &Error,
                                    std::string *BadKey = nullptr);

/// What the plugin's check Check runs with.
struct CheckSettings {
  AnalysisOptions analysis; ///< the defaults plus this check's lists (and LibraryCallers)
  /// An invalid sharedstate.LibraryCallers: "<key>: <problem>" (the default is kept).
  std::string problem;
  /// Each list option's value as configured (own or shared key), for
  /// --dump-config.
  std::map<std::string, std::string> listValues;
};
CheckSettings resolveCheck(const OptionLookup &Lookup, const std::string &Check);

/// What the scanner's command line says about options.
struct CommandLineOptions : ExtensibleLists {
  std::optional<WarnOn> warnOn;              ///< --warn-on
  std::optional<bool> serialLibraryCallers; ///< --library-callers serial|concurrent
};

/// The shared key that says how the library's API is called:
/// "sharedstate.LibraryCallers", `concurrent` (the default) or `serial`.
inline constexpr const char *LibraryCallersKey = "sharedstate.LibraryCallers";

/// "concurrent" or "serial" into Serial; false with Error on anything else.
bool parseLibraryCallers(const std::string &Value, bool &Serial, std::string &Error);

/// The lists every check's CheckOptions add (without the defaults).
ExtensibleLists configuredLists(const OptionLookup &Lookup);

/// What the scanner runs with: the analysis options (root left empty) and
/// which findings warn. False on an invalid WarnOn; Error is then
/// "<key>: <problem>" and BadKey receives the key.
struct ScanSettings {
  AnalysisOptions analysis;
  WarnPolicy warn;
};

/// A CheckOptions key of ours (`sharedstate.X`, `sharedstate-<check>.X`)
/// that names no option, and the known key closest to it ("" if none is close).
struct UnknownKey {
  std::string key;
  std::string closest;
};
std::vector<UnknownKey> unknownKeys(const std::map<std::string, std::string> &CheckOptions);
bool resolveScan(const OptionLookup &Lookup, const CommandLineOptions &CommandLine, ScanSettings &Out,
                 std::string &Error, std::string *BadKey = nullptr);

} // namespace sharedstate
