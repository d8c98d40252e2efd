// The classification rules, one file each, and what they share.
//
// classify() (Classify.cpp) analyzes the program once (call graph, alias
// resolution, access evidence) and hands the result to every rule in its
// table; a rule returns its findings and never looks at another's. A new
// check is a rule here and a row in checks/Checks.def
// (docs/development.md).
#pragma once

#include "classify/CallGraph.h"
#include "classify/Classify.h"
#include "classify/Concurrency.h"
#include "classify/Finding.h"
#include "classify/Resolve.h"
#include "classify/Summaries.h"
#include "facts/Merge.h"

#include <vector>

namespace sharedstate {

/// What every rule needs to know about the program, computed once.
struct ProgramAnalysis {
  explicit ProgramAnalysis(const ProgramFacts &P, const ClassifyOptions &Options = {});
  const ProgramFacts &program;
  CallGraphFacts graph;
  AliasIndex aliases;
  ConcurrencyModel concurrency;
  Summaries summaries;
  ResolvedAccesses accesses;
};

/// SharedVariables.cpp: one finding per shared variable, in one of the four
/// categories of the threading review (mutable-global, mutable-static-member,
/// function-local-static).
std::vector<Finding> sharedVariableFindings(const ProgramAnalysis &);

/// LazyInit.cpp: check-then-initialize races (lazy-init).
std::vector<Finding> lazyInitFindings(const ProgramAnalysis &);

/// SingletonHandler.cpp: per-process handler objects that write their own
/// fields while serving requests (singleton-handler).
std::vector<Finding> singletonHandlerFindings(const ProgramAnalysis &);

} // namespace sharedstate
