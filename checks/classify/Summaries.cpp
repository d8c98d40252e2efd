// Function summaries (see Summaries.h).
#include "classify/Summaries.h"

#include <algorithm>
#include <iterator>
#include <optional>

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
  summarizeWriteLocks();
}

namespace {
/// The exclusive ThisField mutexes among Locks, sorted.
std::vector<std::string> thisMutexes(const std::vector<LockRef> &Locks) {
  std::vector<std::string> Out;
  for (const LockRef &L : Locks)
    if (L.kind == LockRef::Kind::ThisField && !L.shared)
      Out.push_back(L.field);
  std::sort(Out.begin(), Out.end());
  Out.erase(std::unique(Out.begin(), Out.end()), Out.end());
  return Out;
}

void intersect(std::optional<std::vector<std::string>> &Into, const std::vector<std::string> &With) {
  if (!Into) {
    Into = With;
    return;
  }
  std::vector<std::string> Out;
  std::set_intersection(Into->begin(), Into->end(), With.begin(), With.end(), std::back_inserter(Out));
  *Into = std::move(Out);
}
} // namespace

/// A greatest fixed point: every method seen whole starts out holding every
/// mutex at its writes, and loses what one of its writes, a call on `this`
/// of a writer (with what the call site holds), or an override does not
/// hold. A writer whose body was not seen holds nothing.
void Summaries::summarizeWriteLocks() {
  std::map<std::string, std::vector<std::vector<std::string>>> OwnWrites;
  for (const Access &W : P.memberWrites)
    OwnWrites[W.functionKey].push_back(thisMutexes(W.locks));
  struct Call {
    std::string callee;
    std::vector<std::string> held;
  };
  std::map<std::string, std::vector<Call>> Calls;
  for (const CallEdge &E : P.edges)
    if (E.onThis && !Pure.count(E.callee))
      Calls[E.caller].push_back({E.callee, thisMutexes(E.locks)});
  std::map<std::string, std::vector<std::string>> Overriders;
  for (const auto &[K, F] : P.functions)
    for (const std::string &O : F.overrides)
      Overriders[O].push_back(K);
  // Unknown (absent from Known): writes without any lock.
  std::map<std::string, std::optional<std::vector<std::string>>> Known;
  for (const auto &[K, F] : P.functions)
    if (!F.memberOf.empty() && F.hasBody && !Pure.count(K))
      Known[K] = std::nullopt; // top: no constraint yet
  auto Holds = [&](const std::string &K) -> std::optional<std::vector<std::string>> {
    auto It = Known.find(K);
    if (It == Known.end())
      return std::vector<std::string>(); // not seen whole: holds nothing
    return It->second;                   // nullopt: top
  };
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (auto &[K, Held] : Known) {
      std::optional<std::vector<std::string>> Now;
      for (const std::vector<std::string> &W : OwnWrites[K])
        intersect(Now, W);
      for (const Call &C : Calls[K]) {
        std::optional<std::vector<std::string>> Callee = Holds(C.callee);
        if (!Callee)
          continue; // top: no constraint (yet)
        std::vector<std::string> Both = C.held;
        Both.insert(Both.end(), Callee->begin(), Callee->end());
        std::sort(Both.begin(), Both.end());
        Both.erase(std::unique(Both.begin(), Both.end()), Both.end());
        intersect(Now, Both);
      }
      for (const std::string &O : Overriders[K])
        if (std::optional<std::vector<std::string>> Over = Holds(O))
          intersect(Now, *Over);
      if (Now && Now != Held) {
        Held = std::move(Now);
        Changed = true;
      }
    }
  }
  for (auto &[K, Held] : Known)
    if (Held && !Held->empty())
      WriteLocks[K] = std::move(*Held);
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

std::vector<LockRef> Summaries::ownLocks(const std::string &K) const {
  auto It = P.functions.find(K);
  return It == P.functions.end() ? std::vector<LockRef>() : It->second.ownLocks;
}

std::vector<std::string> Summaries::selfLocks(const std::string &K) const {
  std::vector<std::string> Out;
  auto It = P.functions.find(K);
  if (It == P.functions.end())
    return Out;
  for (const LockRef &L : It->second.bodyLocks)
    if (L.kind == LockRef::Kind::ThisField && !L.shared)
      Out.push_back(L.field);
  if (Out.empty())
    if (auto W = WriteLocks.find(K); W != WriteLocks.end())
      Out = W->second;
  return Out;
}

} // namespace sharedstate
