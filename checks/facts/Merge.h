// Merge: many TUs' facts into one program's facts.
//
// A variable declared in a header that ten TUs include, or a static member of a
// template instantiated five times, arrives many times under one key; merge
// keeps one entry (preferring the TU that holds its definition) and one copy of
// each distinct access, so every later stage sees each entity exactly once.
#pragma once

#include "facts/Facts.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace sharedstate {

struct ProgramFacts {
  std::map<std::string, SharedVariable> variables;
  std::vector<Access> accesses;
  std::vector<ReturnAlias> returnAliases;
  std::map<std::string, Function> functions;
  std::vector<CallEdge> edges;
  std::vector<GuardedCheck> guardedChecks;
  std::set<std::string> borrowed;
  std::vector<Access> memberWrites;
  std::vector<HandlerInstance> handlerInstances;
  std::map<std::string, ClassInfo> classes;
  std::vector<Root> roots;
  std::map<std::string, ProgramMain> programs; ///< by main's key
  std::map<std::string, ProgramMain> starters; ///< TUFacts::starters, by function key
  std::vector<IndirectCall> indirectCalls;
  /// Functions defined (with a body) in a TU that has test bodies, and in
  /// one that has none: a function only test TUs define is test code.
  std::set<std::string> definedInTests, definedElsewhere;
  bool testOnly(const std::string &Function) const {
    return definedInTests.count(Function) && !definedElsewhere.count(Function);
  }
};

/// Adds one TU's facts. Order-independent: merging the same TUs in any order
/// gives the same ProgramFacts (up to the order of vectors, which is sorted).
void mergeInto(ProgramFacts &Program, const TUFacts &TU);

/// Sorts and deduplicates the vectors; call once after the last mergeInto.
void finalize(ProgramFacts &Program);

ProgramFacts merge(const std::vector<TUFacts> &TUs);

} // namespace sharedstate
