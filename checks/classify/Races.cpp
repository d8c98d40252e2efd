// Race detection on one variable (see Races.h).
#include "classify/Races.h"

#include <algorithm>

namespace sharedstate {

namespace {
/// Own (resolved) and what every call of the function holds or has around it.
std::vector<LockRef> withInherited(const std::vector<LockRef> &Own, const std::vector<LockRef> &Inherited,
                                   const ConcurrencyModel &Model) {
  std::vector<LockRef> Out;
  Out.reserve(Own.size() + Inherited.size());
  for (const LockRef &L : Own)
    Out.push_back(Model.resolved(L));
  Out.insert(Out.end(), Inherited.begin(), Inherited.end());
  return Out;
}

bool common(const std::vector<LockRef> &X, const std::vector<LockRef> &Y) {
  return std::any_of(X.begin(), X.end(), [&](const LockRef &L) {
    return std::any_of(Y.begin(), Y.end(), [&](const LockRef &M) { return L.sameMutex(M); });
  });
}
} // namespace

std::vector<LockRef> locksOf(const AccessOn &A, const ConcurrencyModel &Model) {
  return withInherited(A.locks, Model.inheritedLocks(A.access->functionKey), Model);
}

bool handedOff(const AccessOn &Before, const AccessOn &After, const ConcurrencyModel &Model) {
  const Access &B = *Before.access, &A = *After.access;
  return common(withInherited(B.handOffs.releasedAfter, Model.inheritedReleases(B.functionKey), Model),
                withInherited(A.handOffs.acquiredBefore, Model.inheritedAcquires(A.functionKey), Model));
}

bool ordered(const AccessOn &A, const AccessOn &B, const ConcurrencyModel &Model) {
  const Sync SA = A.evidence.sync, SB = B.evidence.sync;
  if (SA == Sync::Once || SB == Sync::Once)
    return true;
  if (SA == Sync::Atomic && SB == Sync::Atomic)
    return true;
  const std::vector<LockRef> LA = locksOf(A, Model), LB = locksOf(B, Model);
  for (const LockRef &X : LA)
    for (const LockRef &Y : LB)
      if (X.sameMutex(Y) && !(X.shared && Y.shared))
        return true;
  return handedOff(A, B, Model) || handedOff(B, A, Model);
}

namespace {
bool runtime(const AccessOn &A) { return A.evidence.phase == Phase::Runtime || A.evidence.what == AccessWhat::Escape; }
} // namespace

RaceAnalysis analyzeRaces(const std::vector<AccessOn> &Accesses, const ConcurrencyModel &Model) {
  RaceAnalysis Out;
  std::vector<const AccessOn *> Runtime;
  for (const AccessOn &A : Accesses)
    if (runtime(A) && A.evidence.what != AccessWhat::Init && A.evidence.what != AccessWhat::Check)
      Runtime.push_back(&A);
  bool AnyConcurrent = false;
  std::vector<int> Seen;
  for (const AccessOn *W : Runtime) {
    const std::vector<int> WC = Model.contextsOf(*W->access);
    Seen.insert(Seen.end(), WC.begin(), WC.end());
    // An escape is where a pointer leaves, not a write: what is written
    // through the pointer is seen where it is written, if the scan sees it.
    if (!isWrite(W->evidence.what) || W->evidence.what == AccessWhat::Escape)
      continue;
    for (const AccessOn *X : Runtime) {
      // The object changes itself under its own mutex; reading the
      // pointer to it reads nothing that change touches.
      if (W->selfSynced && X->readsAddress)
        continue;
      const std::vector<int> XC = Model.contextsOf(*X->access);
      for (int CW : WC)
        for (int CX : XC) {
          if (!Model.concurrent(CW, CX))
            continue;
          AnyConcurrent = true;
          if (ordered(*W, *X, Model))
            continue;
          Out.why = RaceAnalysis::Why::Races;
          Out.first = W;
          Out.second = X;
          Out.firstContext = CW;
          Out.secondContext = CX;
          return Out;
        }
    }
  }
  if (AnyConcurrent) {
    Out.why = RaceAnalysis::Why::Ordered;
    return Out;
  }
  std::sort(Seen.begin(), Seen.end());
  Seen.erase(std::unique(Seen.begin(), Seen.end()), Seen.end());
  auto Joined = [&](int C) {
    const Context &X = Model.contexts()[C];
    return X.kind == Context::Kind::Root && (X.to != Context::Never || !X.scope.empty());
  };
  if (Seen.size() == 1 && Model.contexts()[Seen.front()].kind == Context::Kind::Root) {
    Out.why = RaceAnalysis::Why::Confined;
    Out.firstContext = Seen.front();
    return Out;
  }
  Out.why = std::any_of(Seen.begin(), Seen.end(), Joined) ? RaceAnalysis::Why::Sequential
                                                          : RaceAnalysis::Why::SingleThreaded;
  return Out;
}

std::vector<RunsIn> runsIn(const Access &A, const ConcurrencyModel &Model) {
  std::vector<RunsIn> Out;
  for (int C : Model.contextsOf(A)) {
    const Context &X = Model.contexts()[C];
    RunsIn R;
    switch (X.kind) {
    case Context::Kind::Root: {
      const RootInfo &Root = Model.roots()[X.root];
      R.kind = Root.handler ? "handler" : toString(Root.kind);
      R.via = Root.via;
      R.location = Root.location;
      R.many = Root.many;
      break;
    }
    case Context::Kind::Api:
      R.kind = "api";
      R.many = true;
      break;
    case Context::Kind::Tests:
      R.kind = "test";
      break;
    default:
      R.kind = X.program < 0 ? "test" : "main"; // a test body's window on the threads it starts
      break;
    }
    if (std::find(Out.begin(), Out.end(), R) == Out.end())
      Out.push_back(std::move(R));
  }
  return Out;
}

} // namespace sharedstate
