// Merge rules (see Merge.h for why merging exists):
// - variables: one per key. The definition's location and initializer win over
//   a declaration's; flags that only some TUs can see (guarded_by on the
//   definition, say) are or-ed.
// - functions: one per key; "entry", "external", "virtual" are or-ed because
//   any TU that sees the address taken makes the function callable from
//   anywhere; overrides are the union.
// - programs: one per main (main's key is its TU's own).
// - classes: one per key, the definition's location being the same in every TU.
// - accesses, aliases, edges, member writes, handler instances: set union.
#include "facts/Merge.h"
#include "facts/Paths.h"

#include <algorithm>
#include <tuple>

namespace sharedstate {

namespace {
void mergeVariable(SharedVariable &Into, const SharedVariable &From) {
  if (From.isDefinition && !Into.isDefinition) {
    bool Guarded = Into.isGuarded || From.isGuarded;
    Into = From;
    Into.isGuarded = Guarded;
    return;
  }
  Into.isGuarded = Into.isGuarded || From.isGuarded;
  if (Into.init == InitKind::None)
    Into.init = From.init;
  // Two declarations (or two definitions of an inline variable): keep the
  // earliest location so the result does not depend on TU order.
  if (From.isDefinition == Into.isDefinition && From.location < Into.location)
    Into.location = From.location;
}

auto accessKey(const Access &A) {
  return std::tie(A.target, A.location, A.what, A.functionKey, A.sync, A.detail, A.functionName, A.method,
                  A.field, A.locks);
}
/// Sorts V by Key and keeps one element per key.
template <typename T, typename KeyFn> void sortUnique(std::vector<T> &V, KeyFn Key) {
  std::sort(V.begin(), V.end(), [&](const T &A, const T &B) { return Key(A) < Key(B); });
  V.erase(std::unique(V.begin(), V.end(), [&](const T &A, const T &B) { return Key(A) == Key(B); }), V.end());
}

/// Into ∪ From, sorted and unique.
template <typename T> void unionInto(std::vector<T> &Into, const std::vector<T> &From) {
  Into.insert(Into.end(), From.begin(), From.end());
  std::sort(Into.begin(), Into.end());
  Into.erase(std::unique(Into.begin(), Into.end()), Into.end());
}

} // namespace

void mergeInto(ProgramFacts &P, const TUFacts &TU) {
  for (const SharedVariable &V : TU.variables) {
    auto [It, Inserted] = P.variables.emplace(V.key, V);
    if (!Inserted)
      mergeVariable(It->second, V);
  }
  const bool TestTU =
      std::any_of(TU.roots.begin(), TU.roots.end(), [](const Root &R) { return R.kind == RootKind::Test; }) ||
      isTestSupportPath(TU.mainFile);
  for (const Function &F : TU.functions) {
    if (F.hasBody)
      (TestTU ? P.definedInTests : P.definedElsewhere).insert(F.key);
    auto [It, Inserted] = P.functions.emplace(F.key, F);
    if (!Inserted) {
      Function &Into = It->second;
      Into.isEntry = Into.isEntry || F.isEntry;
      Into.isInitializer = Into.isInitializer || F.isInitializer;
      Into.isMain = Into.isMain || F.isMain;
      Into.isExternal = Into.isExternal || F.isExternal;
      Into.isVirtual = Into.isVirtual || F.isVirtual;
      Into.hasBody = Into.hasBody || F.hasBody;
      Into.runsEventLoop = Into.runsEventLoop || F.runsEventLoop;
      for (const std::string &O : F.overrides)
        if (std::find(Into.overrides.begin(), Into.overrides.end(), O) == Into.overrides.end())
          Into.overrides.push_back(O);
      if (Into.bodyLocks.empty())
        Into.bodyLocks = F.bodyLocks;
      if (Into.ownLocks.empty())
        Into.ownLocks = F.ownLocks;
      unionInto(Into.paramEffects, F.paramEffects);
      unionInto(Into.paramPasses, F.paramPasses);
      if (Into.signature.empty())
        Into.signature = F.signature;
      if (It->second.enclosing.empty())
        It->second.enclosing = F.enclosing;
      if (It->second.memberOf.empty()) {
        It->second.memberOf = F.memberOf;
        It->second.isPublic = F.isPublic;
        It->second.isCallOperator = F.isCallOperator;
        It->second.isStructor = F.isStructor;
      }
    }
  }
  for (const ClassInfo &C : TU.classes) {
    auto [It, Inserted] = P.classes.emplace(C.key, C);
    if (!Inserted && C.location.valid() && (!It->second.location.valid() || C.location < It->second.location))
      It->second.location = C.location;
  }
  P.memberWrites.insert(P.memberWrites.end(), TU.memberWrites.begin(), TU.memberWrites.end());
  P.handlerInstances.insert(P.handlerInstances.end(), TU.handlerInstances.begin(), TU.handlerInstances.end());
  P.accesses.insert(P.accesses.end(), TU.accesses.begin(), TU.accesses.end());
  P.returnAliases.insert(P.returnAliases.end(), TU.returnAliases.begin(), TU.returnAliases.end());
  P.edges.insert(P.edges.end(), TU.edges.begin(), TU.edges.end());
  P.guardedChecks.insert(P.guardedChecks.end(), TU.guardedChecks.begin(), TU.guardedChecks.end());
  P.borrowed.insert(TU.borrowed.begin(), TU.borrowed.end());
  P.roots.insert(P.roots.end(), TU.roots.begin(), TU.roots.end());
  P.indirectCalls.insert(P.indirectCalls.end(), TU.indirectCalls.begin(), TU.indirectCalls.end());
  for (const ProgramMain &M : TU.programs)
    P.programs.emplace(M.function, M);
  // An inline function's statements are the same in every TU that has it.
  for (const ProgramMain &M : TU.starters)
    P.starters.emplace(M.function, M);
}

void finalize(ProgramFacts &P) {
  sortUnique(P.accesses, accessKey);
  sortUnique(P.memberWrites, accessKey);
  sortUnique(P.handlerInstances, [](const HandlerInstance &H) {
    return std::tie(H.classKey, H.location, H.kind, H.held, H.subject, H.via, H.entries, H.entryRule);
  });
  sortUnique(P.returnAliases, [](const ReturnAlias &R) {
    return std::tie(R.alias, R.target, R.whole);
  });
  sortUnique(P.edges, [](const CallEdge &E) { return E.tie(); });
  // A thread started in a header or template is seen once per TU.
  sortUnique(P.roots, [](const Root &R) {
    return std::tie(R.location, R.kind, R.starter, R.entries, R.entryClass, R.via, R.inLoop, R.serial, R.handedTo);
  });
  for (auto &[K, F] : P.functions)
    std::sort(F.overrides.begin(), F.overrides.end());
  sortUnique(P.indirectCalls, [](const IndirectCall &C) { return C.tie(); });
  // A check in a header or template is seen once per TU or instantiation.
  sortUnique(P.guardedChecks, [](const GuardedCheck &G) { return std::tie(G.location, G.target, G.functionName); });
}

ProgramFacts merge(const std::vector<TUFacts> &TUs) {
  ProgramFacts P;
  for (const TUFacts &TU : TUs)
    mergeInto(P, TU);
  finalize(P);
  return P;
}

} // namespace sharedstate
