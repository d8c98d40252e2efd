// Reporters: pure functions from findings to text. They never look at facts or
// ASTs, so every output format shows exactly what classification decided.
//
//   Json.cpp     the JSON report, a contract (docs/json-report.md,
//                docs/report.schema.json)
//   Text.cpp     compiler-style warnings and notes, and a summary
// Both name checks only through the checks table (Checks.def): a new check
// needs no change here.
#pragma once

#include "classify/Classify.h"
#include "classify/WarnOn.h"

#include <nlohmann/json_fwd.hpp>

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
