// WarnOn: which findings are warnings rather than inventory.
//
// One option, read the same way by the scanner (text output, exit code) and
// the clang-tidy plugin (which findings become diagnostics), so that CI, local
// scans and editors agree. It is a comma- or semicolon-separated list of
// verdicts (thread-safe, probably-thread-safe, not-thread-safe), categories
// (1-4) or "all"; a finding warns when its verdict or its category is listed.
#pragma once

#include "classify/Finding.h"

#include <map>
#include <optional>
#include <set>
#include <string>

namespace sharedstate {

struct WarnOn {
  std::set<Verdict> verdicts;
  std::set<int> categories;

  /// The default: not-thread-safe findings only.
  static WarnOn defaults();
  /// Parses Spec; on junk returns nullopt and names the bad item in Error.
  static std::optional<WarnOn> parse(const std::string &Spec, std::string &Error);

  bool warns(const Finding &F) const;
  /// The canonical spelling, as echoed back by --dump-config.
  std::string str() const;
};

/// Which findings are warnings: the WarnOn of each finding's check, else
/// the shared one (the clang-tidy plugin decides the same way).
struct WarnPolicy {
  WarnOn fallback = WarnOn::defaults();
  std::map<std::string, WarnOn> perCheck; ///< check id -> its own WarnOn
  bool warns(const Finding &F) const;
};

} // namespace sharedstate
