// Reporters: pure functions from findings to text. They never look at facts or
// ASTs, so every output format shows exactly what classification decided.
#pragma once

#include "classify/Classify.h"
#include "classify/WarnOn.h"

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace sharedstate {

/// Version of the JSON report (docs/json-report.md); bump on incompatible change.
inline constexpr int ReportVersion = 1;

struct ReportInput {
  std::vector<Finding> findings;
  std::vector<TUError> errors;
  std::string root; ///< paths under it are printed relative to it
  std::string toolVersion;
  std::string llvmVersion;
  unsigned translationUnits = 0;
  /// Ids of the findings a NOLINT comment suppresses. They stay in the
  /// inventory ("suppressed": true) but are never warnings.
  std::set<std::string> suppressed;
};

/// Which findings are warnings: the WarnOn option of each finding's check,
/// else the shared one (the clang-tidy plugin decides the same way).
struct WarnPolicy {
  WarnOn fallback = WarnOn::defaults();
  std::map<std::string, WarnOn> perCheck; ///< check id -> its own WarnOn
  bool warns(const Finding &F) const;
};

struct TextOptions {
  TextOptions(bool All = false, WarnPolicy Warn = {}) : all(All), warn(std::move(Warn)) {}
  bool all;        ///< every finding, not only the warnings
  WarnPolicy warn; ///< which findings are warnings (default: not-thread-safe)
};

/// A finding that counts: selected by Policy and not suppressed. These are
/// the text report's warnings and make the scanner exit with 1.
bool isWarning(const ReportInput &In, const WarnPolicy &Policy, const Finding &F);

nlohmann::ordered_json toJson(const ReportInput &);
std::string renderJson(const ReportInput &);
std::string renderText(const ReportInput &, const TextOptions &);

/// Path as printed: relative to Root when inside it, else unchanged.
std::string displayPath(const std::string &Path, const std::string &Root);

} // namespace sharedstate
