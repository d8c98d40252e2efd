// The four categories of Django's threading review, read for C++: one finding
// per shared variable (namespace-scope global, static data member,
// function-local static).
//   1 thread-safe           never written after its initialization
//   2 probably thread-safe  written only while the program initializes
//   3 not thread-safe       its elements or fields are mutated at run time
//   4 not thread-safe       it is reassigned at run time
// A variable both mutated and reassigned at run time is category 4: replacing
// the whole object is the stronger hazard, and the evidence lists both kinds.
// The verdict then asks whether every run-time write was synchronized.
#include "classify/Messages.h"
#include "classify/Rules.h"

#include <set>

namespace sharedstate {

namespace {

/// Variables that hand out non-const access: returned by non-const reference
/// or pointer, or bound to a non-const local alias. Declaring them const
/// would not compile. A forwarding-reference parameter is not borrowing:
/// given a const object it deduces const T&.
std::set<std::string> borrowedVariables(const ProgramFacts &P) {
  std::set<std::string> Borrowed = P.borrowed;
  for (const ReturnAlias &R : P.returnAliases)
    if (R.target.isVariable() && R.alias.kind == AccessTarget::Kind::CallResult)
      Borrowed.insert(R.target.key);
  return Borrowed;
}

std::vector<std::string> qualifiersOf(const SharedVariable &V) {
  std::vector<std::string> Q;
  if (V.isConst)
    Q.emplace_back("const");
  if (V.isReference)
    Q.emplace_back("reference");
  if (V.isSyncPrimitive)
    Q.emplace_back("synchronization");
  if (V.isGuarded)
    Q.emplace_back("guarded_by");
  return Q;
}

/// Sets F's category and verdict from its evidence, and says it.
void categorize(const SharedVariable &V, Finding &F, bool Borrowed) {
  bool AnyWrite = false, RuntimeReassign = false, RuntimeMutate = false, Escaped = false, Unsynchronized = false;
  for (const Evidence &E : F.evidence) {
    if (!isWrite(E.what))
      continue;
    AnyWrite = true;
    // An escaped non-const alias can be written through at any time, so it
    // counts as a run-time mutation whatever phase it escaped in.
    bool Runtime = E.phase == Phase::Runtime || E.what == AccessWhat::Escape;
    if (!Runtime)
      continue;
    RuntimeReassign |= E.what == AccessWhat::Reassign;
    RuntimeMutate |= E.what != AccessWhat::Reassign;
    Escaped |= E.what == AccessWhat::Escape;
    Unsynchronized |= E.sync == Sync::None;
  }
  F.category = RuntimeReassign ? 4 : RuntimeMutate ? 3 : AnyWrite ? 2 : 1;
  if (F.category == 1)
    F.verdict = Verdict::ThreadSafe;
  else if (F.category == 2 || !Unsynchronized || V.isGuarded)
    F.verdict = Verdict::ProbablyThreadSafe;
  else
    F.verdict = Verdict::NotThreadSafe;
  describeVariable(V, F, RuntimeReassign, Escaped && !RuntimeReassign, Borrowed);
}

} // namespace

std::vector<Finding> sharedVariableFindings(const ProgramAnalysis &A) {
  const ProgramFacts &P = A.program;
  const std::set<std::string> Borrowed = borrowedVariables(P);
  std::vector<Finding> Out;
  for (const auto &[Key, V] : P.variables) {
    Finding F;
    F.key = Key;
    F.check = checkFor(V.kind);
    F.kind = toString(V.kind);
    F.id = fingerprint(F.check, Key);
    F.symbol = V.name;
    F.type = V.type;
    F.location = V.location;
    F.qualifiers = qualifiersOf(V);
    // A synchronization object's own calls (lock, store) are how it is used.
    auto It = A.accesses.byVariable.find(Key);
    if (It != A.accesses.byVariable.end() && !V.isSyncPrimitive)
      F.evidence = It->second;
    foldInstantiations(F.evidence);
    categorize(V, F, Borrowed.count(Key) != 0);
    Out.push_back(std::move(F));
  }
  return Out;
}

} // namespace sharedstate
