// Which findings a NOLINT comment in the source suppresses, for the scanner
// (clang-tidy applies NOLINT itself). The comment goes on the line of the
// finding's location, as in clang-tidy: the declaration, not a write.
#pragma once

#include "classify/Finding.h"

#include <set>
#include <string>
#include <vector>

namespace sharedstate {

/// The ids of the suppressed findings. Each file is read once; one that
/// cannot be read suppresses nothing.
std::set<std::string> suppressedFindings(const std::vector<Finding> &Findings);

} // namespace sharedstate
