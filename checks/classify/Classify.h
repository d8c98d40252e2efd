// Classify: program facts in, findings out.
//
// Each rule (Rules.h, one file each) turns the merged facts of the whole
// program into findings: the four categories of shared variables, lazy
// initialization races, singleton handlers. This is the only stage that
// decides what is safe; extraction only records, reporting only prints.
#pragma once

#include "classify/CallGraph.h"
#include "classify/Finding.h"
#include "classify/Messages.h"
#include "facts/Facts.h"
#include "facts/Merge.h"

#include <vector>

namespace sharedstate {

/// What classification assumes where the facts cannot tell.
struct ClassifyOptions {
  /// LibraryCallers: serial. The library's API (what nothing scanned calls)
  /// is called from one thread at a time, not from any thread at once.
  bool serialLibraryCallers = false;
};

/// Every rule's findings, sorted by location.
std::vector<Finding> classify(const ProgramFacts &, const ClassifyOptions &Options = {});

} // namespace sharedstate
