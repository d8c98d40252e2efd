// The call graph's answers to "when does this function run?" and "is every
// call of it synchronized?", as greatest fixed points over the program's call
// edges.
//
// Phase: a function runs only during initialization when it is a dynamic
// initializer of a static-storage variable, or is reached from one and called
// only by initialization code. Anything an entry (main, an address-taken or
// virtual function, a function nobody we saw calls) reaches runs at run time.
//
// Protection: a function whose every call holds synchronization (a lock, or
// call_once) inherits it, so a write inside it is synchronized.
#pragma once

#include "facts/Merge.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace sharedstate {

/// Phases and inherited synchronization, from the call graph.
struct CallGraphFacts {
  /// Functions that run only while the program initializes.
  std::set<std::string> initialization;
  /// Functions every call of which holds synchronization, with its kind.
  std::map<std::string, Sync> protectedBy;
};
CallGraphFacts analyzeCallGraph(const ProgramFacts &);

/// Functions reachable from Roots in at most Depth calls (Roots included).
std::set<std::string> reachable(const ProgramFacts &P, const std::vector<std::string> &Roots, int Depth);

} // namespace sharedstate
