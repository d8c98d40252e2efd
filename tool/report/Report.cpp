// What every reporter agrees on: which findings are warnings, and how a path
// is printed.
#include "report/Report.h"

#include "facts/Paths.h"

namespace sharedstate {

std::string displayPath(const std::string &Path, const std::string &Root) { return relativeTo(Path, Root); }

bool isWarning(const ReportInput &In, const WarnPolicy &Policy, const Finding &F) {
  return !In.suppressed.count(F.id) && Policy.warns(F);
}

} // namespace sharedstate
