// Paths as sharedstate prints and keys them: relative to the project root when
// inside it, so that reports and fingerprints do not depend on where the
// project is checked out; unchanged (absolute) otherwise.
#pragma once

#include <string>

namespace sharedstate {

/// Path relative to Root when it lies inside Root, else Path unchanged.
std::string relativeTo(const std::string &Path, const std::string &Root);

/// A source file of test support by its name: made of words (split at
/// _ - .) one of which says test (`testutil.cc`, `atomic_hook_test_helper.cc`,
/// `hash_generator_testing.cc`, `gtest-all.cc`). Its functions are called
/// by tests. Only the file name counts: the directories above it may be
/// anywhere.
bool isTestSupportPath(const std::string &Path);

} // namespace sharedstate
