// Reporters: pure functions from findings to text. They never look at facts or
// ASTs, so every output format shows exactly what classification decided.
#pragma once

#include "Classify.h"

#include <nlohmann/json_fwd.hpp>

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
};

struct TextOptions {
  bool all = false; ///< every finding, not only not-thread-safe ones
};

nlohmann::ordered_json toJson(const ReportInput &);
std::string renderJson(const ReportInput &);
std::string renderText(const ReportInput &, const TextOptions &);

/// Path as printed: relative to Root when inside it, else unchanged.
std::string displayPath(const std::string &Path, const std::string &Root);

} // namespace sharedstate
