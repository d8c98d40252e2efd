// Paths as sharedstate prints and keys them: relative to the project root when
// inside it, so that reports and fingerprints do not depend on where the
// project is checked out; unchanged (absolute) otherwise.
#pragma once

#include <string>

namespace sharedstate {

/// Path relative to Root when it lies inside Root, else Path unchanged.
std::string relativeTo(const std::string &Path, const std::string &Root);

} // namespace sharedstate
