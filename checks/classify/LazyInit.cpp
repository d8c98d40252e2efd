// Lazy initialization: a check that a shared variable is unset, followed on
// the unset path (directly, or in functions called from it, in any TU) by
// writes to it. Not a race when the check holds a lock (the writes are then
// expected under the same lock), when the writes all run inside call_once,
// when the whole thing runs only during static initialization, or when no
// two threads can get there at once (the concurrency model: a check that
// only main's start-up, one test body at a time or a single-threaded
// program makes).
//
// The shape says which race it is: a container filled after an emptiness
// check (incomplete-init), a pointer or value set after a null check
// (duplicate-init), the check repeated under a lock on a non-atomic
// (double-checked), a lookup followed by an insert (memoize), or a flag that
// guards other data (flag).
#include "classify/Messages.h"
#include "classify/Rules.h"

#include <algorithm>
#include <optional>
#include <set>

namespace sharedstate {

namespace {

/// How far calls from the guarded region are followed for its writes.
constexpr int RegionCallDepth = 4;

bool within(const SourceLocation &L, const SourceLocation &Begin, const SourceLocation &End) {
  return L.file == Begin.file && !(L < Begin) && !(End < L);
}

/// The variables a check tests: the variable itself, or for
/// `registry().items.empty()` the variables the function hands out.
std::vector<std::string> testedVariables(const GuardedCheck &G, const AliasIndex &Aliases) {
  std::vector<std::string> Tested;
  for (const Resolved &R : resolve(G.target, Aliases))
    Tested.push_back(R.varKey);
  return Tested;
}

/// The writes to one tested variable on the unset path, and the shape of
/// the race they make with the check; nullopt when there is no race.
struct Race {
  LazyShape shape;
  std::vector<Evidence> writes;
};

std::optional<Race> raceOn(const ProgramAnalysis &A, const GuardedCheck &G, const std::string &VarKey,
                           const std::vector<AccessOn> &VarWrites) {
  const std::set<std::string> Called = reachable(A.program, G.callees, RegionCallDepth);
  auto OnUnsetPath = [&](const Access &W) {
    return within(W.location, G.regionBegin, G.regionEnd) || Called.count(W.functionKey);
  };
  Race R{LazyShape::IncompleteInit, {}};
  bool Reassigned = false, AllOnce = true, GuardsData = false;
  if (G.kind == CheckKind::Flag)
    for (const auto &[Other, OtherWrites] : A.accesses.writesByVariable)
      for (const AccessOn &W : OtherWrites)
        GuardsData = GuardsData || (Other != VarKey && OnUnsetPath(*W.access));
  for (const AccessOn &W : VarWrites) {
    if (!OnUnsetPath(*W.access))
      continue;
    R.writes.push_back(W.evidence);
    Reassigned = Reassigned || W.evidence.what == AccessWhat::Reassign;
    AllOnce = AllOnce && W.evidence.sync == Sync::Once;
  }
  if (R.writes.empty() || AllOnce)
    return std::nullopt;
  // Two threads must be able to find it unset at once, or one must be able
  // to write it while another checks: the check's function concurrent with
  // itself or with a write's.
  const ConcurrencyModel &M = A.concurrency;
  const std::vector<int> &CheckAt = M.contextsOf(G.functionKey);
  auto Concurrent = [&](const std::vector<int> &X, const std::vector<int> &Y) {
    return std::any_of(X.begin(), X.end(),
                       [&](int C) { return std::any_of(Y.begin(), Y.end(), [&](int D) { return M.concurrent(C, D); }); });
  };
  bool Racy = CheckAt.empty() || Concurrent(CheckAt, CheckAt); // not in the model: the cautious answer
  for (const AccessOn &W : VarWrites)
    Racy = Racy || (OnUnsetPath(*W.access) && Concurrent(CheckAt, M.contextsOf(*W.access)));
  if (!Racy)
    return std::nullopt;
  // A flag that guards no other shared data is itself the thing initialized
  // twice ("log once"): a duplicate initialization.
  R.shape = G.doubleChecked                           ? LazyShape::DoubleChecked
            : G.kind == CheckKind::KeyLookup          ? LazyShape::Memoize
            : G.kind == CheckKind::Flag && GuardsData ? LazyShape::Flag
            : G.kind == CheckKind::Nullness           ? LazyShape::DuplicateInit
            : Reassigned                              ? LazyShape::DuplicateInit
                                                      : LazyShape::IncompleteInit;
  if (R.shape == LazyShape::Flag && !Reassigned)
    return std::nullopt; // the flag is never set here: not an initialization flag
  return R;
}

Finding lazyInitFinding(const GuardedCheck &G, const SharedVariable &V, int Ordinal, Race R) {
  Finding F;
  F.key = V.key;
  F.check = "sharedstate-lazy-init";
  F.kind = "lazy-init";
  F.shape = toString(R.shape);
  F.category = 3;
  F.verdict = Verdict::NotThreadSafe;
  F.symbol = V.name;
  F.type = V.type;
  F.location = G.location;
  F.id = fingerprint(F.check, V.key + "@" + G.functionKey + "#" + std::to_string(Ordinal));
  F.message = lazyInitMessage(R.shape, V);
  Evidence Check;
  Check.what = AccessWhat::Check;
  Check.location = G.location;
  Check.function = G.functionName;
  Check.phase = Phase::Runtime;
  Check.sync = G.sync;
  Check.detail = checkDetail(G.kind);
  F.evidence.push_back(std::move(Check));
  foldInstantiations(R.writes);
  F.evidence.insert(F.evidence.end(), R.writes.begin(), R.writes.end());
  return F;
}

} // namespace

std::vector<Finding> lazyInitFindings(const ProgramAnalysis &A) {
  const ProgramFacts &P = A.program;
  std::vector<Finding> Out;
  std::map<std::pair<AccessTarget, std::string>, int> Ordinal; // checks of one target in one function
  for (const GuardedCheck &G : P.guardedChecks) {
    // Numbered before any check is skipped, so that a check that becomes
    // safe does not hand its id to the next one.
    int N = Ordinal[{G.target, G.functionKey}]++;
    // A check made under a lock, its own or one every caller holds.
    bool Locked = G.sync != Sync::None || A.graph.protectedBy.count(G.functionKey);
    bool Skip = (Locked && !G.doubleChecked) || A.graph.initialization.count(G.functionKey);
    for (const std::string &VarKey : testedVariables(G, A.aliases)) {
      auto VarIt = P.variables.find(VarKey);
      auto WIt = A.accesses.writesByVariable.find(VarKey);
      if (VarIt == P.variables.end() || WIt == A.accesses.writesByVariable.end() || VarIt->second.isSyncPrimitive ||
          Skip)
        continue;
      if (std::optional<Race> R = raceOn(A, G, VarKey, WIt->second))
        Out.push_back(lazyInitFinding(G, VarIt->second, N, std::move(*R)));
    }
  }
  return Out;
}

} // namespace sharedstate
