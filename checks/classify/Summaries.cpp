// Method summaries (see Summaries.h).
#include "classify/Summaries.h"

#include <map>

namespace sharedstate {

MethodSummaries::MethodSummaries(const ProgramFacts &P) : P(P) {
  // Writers: methods that write a field of `this` themselves, or whose body
  // we did not see; then, backwards, every method that calls one on
  // `this`, and every virtual an override of which writes.
  std::set<std::string> Writers;
  for (const Access &W : P.memberWrites)
    Writers.insert(W.functionKey);
  std::map<std::string, std::vector<std::string>> OnThisCallers, Overridden;
  for (const CallEdge &E : P.edges)
    if (E.onThis)
      OnThisCallers[E.callee].push_back(E.caller);
  for (const auto &[K, F] : P.functions) {
    if (!F.memberOf.empty() && !F.hasBody)
      Writers.insert(K);
    for (const std::string &O : F.overrides)
      Overridden[K].push_back(O);
  }
  std::vector<std::string> Work(Writers.begin(), Writers.end());
  while (!Work.empty()) {
    std::string K = std::move(Work.back());
    Work.pop_back();
    for (const auto *Next : {&OnThisCallers[K], &Overridden[K]})
      for (const std::string &C : *Next)
        if (Writers.insert(C).second)
          Work.push_back(C);
  }
  for (const auto &[K, F] : P.functions)
    if (!F.memberOf.empty() && F.hasBody && !F.isStructor && !Writers.count(K))
      Pure.insert(K);
}

std::vector<std::string> MethodSummaries::selfLocks(const std::string &K) const {
  std::vector<std::string> Out;
  auto It = P.functions.find(K);
  if (It == P.functions.end())
    return Out;
  for (const LockRef &L : It->second.bodyLocks)
    if (L.kind == LockRef::Kind::ThisField && !L.shared)
      Out.push_back(L.field);
  return Out;
}

} // namespace sharedstate
