// Alias resolution and access evidence (see Resolve.h).
#include "classify/Resolve.h"

#include "classify/Concurrency.h"
#include "classify/Summaries.h"

#include <algorithm>
#include <set>

namespace sharedstate {

namespace {
void resolveInto(const AccessTarget &T, bool Whole, const AliasIndex &Aliases, std::set<AccessTarget> &Visiting,
                 std::vector<Resolved> &Out) {
  if (T.isVariable()) {
    Out.push_back({T.key, Whole});
    return;
  }
  if (!Visiting.insert(T).second)
    return; // recursion through mutually returning functions
  auto [B, E] = Aliases.equal_range(T);
  for (auto It = B; It != E; ++It)
    resolveInto(It->second->target, Whole && It->second->whole, Aliases, Visiting, Out);
  Visiting.erase(T);
}
} // namespace

AliasIndex indexAliases(const ProgramFacts &P) {
  AliasIndex Index;
  for (const ReturnAlias &R : P.returnAliases)
    Index.emplace(R.alias, &R);
  return Index;
}

std::vector<Resolved> resolve(const AccessTarget &T, const AliasIndex &Aliases) {
  std::vector<Resolved> Out;
  std::set<AccessTarget> Visiting;
  resolveInto(T, true, Aliases, Visiting, Out);
  return Out;
}

bool isWrite(AccessWhat W) {
  return W == AccessWhat::Reassign || W == AccessWhat::Mutate || W == AccessWhat::Escape;
}

ResolvedAccesses resolveAccesses(const ProgramFacts &P, const CallGraphFacts &Graph, const AliasIndex &Aliases,
                                 const ConcurrencyModel &Model, const Summaries &Methods) {
  ResolvedAccesses Out;
  for (const Access &A : P.accesses) {
    if (Model.isDead(A))
      continue;
    const bool Method = !A.method.empty() && A.what == AccessWhat::Mutate;
    const bool Reads = Method && !Methods.writesThis(A.method);
    // The object's own mutexes a call holds: for a call that changes it,
    // those held at its every change; for one that only reads it (a
    // non-const accessor), those it locks, as it reads under them.
    std::vector<LockRef> Own;
    if (Method && !Reads)
      for (const std::string &Field : Methods.selfLocks(A.method)) {
        LockRef L;
        L.kind = LockRef::Kind::ThisField;
        L.field = Field;
        Own.push_back(std::move(L));
      }
    else if (Reads)
      Own = Methods.ownLocks(A.method);
    for (const Resolved &R : resolve(A.target, Aliases)) {
      Evidence E;
      E.what = (A.what == AccessWhat::Reassign && !R.whole) ? AccessWhat::Mutate : A.what;
      if (Reads)
        E.what = AccessWhat::Read;
      E.detail = A.detail;
      if (!A.passedTo.empty() && isWrite(E.what))
        switch (Methods.paramUse(A.passedTo, A.passedIndex)) {
        case ParamUse::Reads:
          E.what = AccessWhat::Read;
          break;
        case ParamUse::Keeps:
          E.what = AccessWhat::Escape;
          E.detail += ", which keeps it";
          break;
        case ParamUse::Writes:
          break;
        }
      std::vector<LockRef> Locks = A.locks;
      for (const LockRef &Field : Own) {
        LockRef L;
        L.kind = LockRef::Kind::ObjectField;
        L.key = R.varKey;
        L.field = Field.field;
        L.name = Field.field;
        L.shared = Field.shared;
        Locks.push_back(std::move(L));
      }
      E.location = A.location;
      E.function = A.functionName;
      E.phase = Model.phaseOf(A);
      E.sync = A.sync;
      if (E.sync == Sync::None) {
        auto It = Graph.protectedBy.find(A.functionKey);
        if (It != Graph.protectedBy.end())
          E.sync = It->second;
      }
      // A call of a method that locks the object's own mutex is locked;
      // inside call_once it stays once-only, whatever the method locks.
      if (E.sync == Sync::None && std::any_of(Own.begin(), Own.end(), [](const LockRef &L) { return !L.shared; }))
        E.sync = Sync::Lock;
      AccessOn On{&A, std::move(E), std::move(Locks)};
      On.selfSynced = Method && !Reads && !Own.empty();
      auto V = P.variables.find(R.varKey);
      On.readsAddress = On.evidence.what == AccessWhat::Read && A.method.empty() && V != P.variables.end() &&
                        V->second.holdsPointer;
      if (isWrite(On.evidence.what))
        Out.writesByVariable[R.varKey].push_back(On);
      Out.byVariable[R.varKey].push_back(std::move(On));
    }
  }
  return Out;
}

} // namespace sharedstate
