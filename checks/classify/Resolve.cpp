// Alias resolution and access evidence (see Resolve.h).
#include "classify/Resolve.h"

#include "classify/Concurrency.h"
#include "classify/Summaries.h"

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
    const std::vector<std::string> SelfLocks = Method ? Methods.selfLocks(A.method) : std::vector<std::string>();
    for (const Resolved &R : resolve(A.target, Aliases)) {
      Evidence E;
      E.what = (A.what == AccessWhat::Reassign && !R.whole) ? AccessWhat::Mutate : A.what;
      if (Method && !Methods.writesThis(A.method))
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
      for (const std::string &Field : SelfLocks) {
        LockRef L;
        L.kind = LockRef::Kind::ObjectField;
        L.key = R.varKey;
        L.field = Field;
        L.name = Field;
        Locks.push_back(std::move(L));
      }
      E.location = A.location;
      E.function = A.functionName;
      E.phase = Model.phaseOf(A);
      E.sync = SelfLocks.empty() ? A.sync : Sync::Lock;
      if (E.sync == Sync::None) {
        auto It = Graph.protectedBy.find(A.functionKey);
        if (It != Graph.protectedBy.end())
          E.sync = It->second;
      }
      if (isWrite(E.what))
        Out.writesByVariable[R.varKey].push_back({&A, E, Locks});
      Out.byVariable[R.varKey].push_back({&A, std::move(E), std::move(Locks)});
    }
  }
  return Out;
}

} // namespace sharedstate
