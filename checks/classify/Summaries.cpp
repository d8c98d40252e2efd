// Function summaries (see Summaries.h).
#include "classify/Summaries.h"

#include <algorithm>

namespace sharedstate {

Summaries::Summaries(const ProgramFacts &P) : P(P) {
  summarizeMethods();
  summarizeParameters();
}

void Summaries::summarizeMethods() {
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

/// A least fixed point from "reads": each parameter's use is the strongest
/// of its body's own effects, of what the functions it is handed on to do
/// with it, and of what the overrides of a virtual do; a function without a
/// body and without overrides (unknown) writes.
void Summaries::summarizeParameters() {
  std::map<std::string, std::vector<std::string>> Overriders;
  for (const auto &[K, F] : P.functions)
    for (const std::string &O : F.overrides)
      Overriders[O].push_back(K);
  for (const auto &[K, F] : P.functions)
    if (F.hasBody || Overriders.count(K))
      Summarized.insert(K);
  // An override we cannot see into may write: so may a call of the base.
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const auto &[Base, Os] : Overriders)
      if (Summarized.count(Base) &&
          std::any_of(Os.begin(), Os.end(), [&](const std::string &O) { return !Summarized.count(O); })) {
        Summarized.erase(Base);
        Changed = true;
      }
  }
  for (const auto &[K, F] : P.functions)
    for (const ParamEffect &E : F.paramEffects)
      if (Summarized.count(K)) {
        ParamUse &U = Params[{K, E.param}];
        U = std::max(U, E.writes ? ParamUse::Writes : ParamUse::Keeps);
      }
  for (bool Changed = true; Changed;) {
    Changed = false;
    auto Raise = [&](const std::string &K, unsigned Param, ParamUse To) {
      ParamUse &U = Params[{K, Param}];
      if (To > U) {
        U = To;
        Changed = true;
      }
    };
    for (const auto &[K, F] : P.functions) {
      if (!Summarized.count(K))
        continue;
      for (const ParamPass &Pass : F.paramPasses)
        Raise(K, Pass.param, paramUse(Pass.callee, Pass.calleeParam));
      // A virtual call of K may run any override: what they do, K does.
      if (auto It = Overriders.find(K); It != Overriders.end())
        for (const std::string &O : It->second)
          for (auto P = Params.lower_bound({O, 0}); P != Params.end() && P->first.first == O; ++P)
            Raise(K, P->first.second, P->second);
    }
  }
}

ParamUse Summaries::paramUse(const std::string &K, unsigned Param) const {
  if (!Summarized.count(K))
    return ParamUse::Writes;
  auto It = Params.find({K, Param});
  return It == Params.end() ? ParamUse::Reads : It->second;
}

std::vector<std::string> Summaries::selfLocks(const std::string &K) const {
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
