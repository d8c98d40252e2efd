// The four categories of Django's threading review, read for C++: one finding
// per shared variable (namespace-scope global, static data member,
// function-local static).
//   1 thread-safe           never written after its initialization
//   2 probably thread-safe  written only while the program initializes
//   3 not thread-safe       its elements or fields are mutated at run time
//   4 not thread-safe       it is reassigned at run time
// A variable both mutated and reassigned at run time is category 4: replacing
// the whole object is the stronger hazard, and the evidence lists both kinds.
// "Initialization" is static initialization, main's start-up (before its
// first thread starts) and its shutdown (after every thread is joined): the
// thread start and the join order those writes with everything else.
//
// The verdict of a variable written at run time is the race analysis's
// (Races.h): not thread-safe when two of its accesses, one a write, can run at
// once with nothing ordering them, and the message names both; probably
// thread-safe when every concurrent pair is ordered, when everything that
// touches it runs in one thread, or when nothing runs concurrently at all.
#include "classify/Messages.h"
#include "classify/Races.h"
#include "classify/Rules.h"

#include <algorithm>
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

/// A lock's name as the evidence shows it.
std::string lockName(const LockRef &L, const ProgramFacts &P) {
  if (L.kind == LockRef::Kind::Variable)
    if (auto It = P.variables.find(L.key); It != P.variables.end())
      return It->second.name;
  if (L.kind == LockRef::Kind::ThisField)
    if (auto It = P.classes.find(L.key); It != P.classes.end())
      return It->second.name + "::" + L.field;
  return L.name.empty() ? L.key : L.name;
}

/// The run-time evidence says where it runs and what it holds.
void annotate(AccessOn &A, const ProgramAnalysis &PA) {
  if (A.evidence.phase != Phase::Runtime)
    return;
  A.evidence.runsIn = runsIn(*A.access, PA.concurrency);
  for (const LockRef &L : locksOf(A, PA.concurrency)) {
    std::string Name = lockName(L, PA.program) + (L.shared ? " (shared)" : "");
    if (std::find(A.evidence.locks.begin(), A.evidence.locks.end(), Name) == A.evidence.locks.end())
      A.evidence.locks.push_back(std::move(Name));
  }
}

/// Where a variable written only before or after the threads is written:
/// the start-up end of the first program that writes it in its start-up.
std::string startupEndOf(const std::vector<AccessOn> &Writes, const ConcurrencyModel &Model) {
  for (const AccessOn &W : Writes) {
    if (W.evidence.phase != Phase::Startup)
      continue;
    for (int C : Model.contextsOf(*W.access)) {
      const Context &X = Model.contexts()[C];
      if (X.kind != Context::Kind::Startup || X.program < 0)
        continue;
      auto It = Model.startupEnds().find(Model.programs()[X.program]);
      if (It != Model.startupEnds().end()) {
        const std::string &F = It->second.file;
        size_t Slash = F.rfind('/');
        return (Slash == std::string::npos ? F : F.substr(Slash + 1)) + ":" + std::to_string(It->second.line);
      }
    }
  }
  return "";
}

/// Sets F's category, verdict, evidence and message from the accesses.
void categorize(const SharedVariable &V, Finding &F, std::vector<AccessOn> Accesses, bool Borrowed,
                const ProgramAnalysis &PA) {
  VariableVerdict W;
  W.borrowed = Borrowed;
  bool AnyWrite = false, RuntimeMutate = false, StartupWrite = false, RuntimeRealWrite = false;
  std::vector<AccessOn> Writes;
  for (AccessOn &A : Accesses) {
    annotate(A, PA);
    const Evidence &E = A.evidence;
    if (!isWrite(E.what))
      continue;
    Writes.push_back(A);
    AnyWrite = true;
    StartupWrite = StartupWrite || E.phase == Phase::Startup;
    // An escaped non-const alias can be written through at any time, so it
    // counts as a run-time mutation whatever phase it escaped in.
    bool Runtime = E.phase == Phase::Runtime || E.what == AccessWhat::Escape;
    if (!Runtime)
      continue;
    W.reassigned |= E.what == AccessWhat::Reassign;
    RuntimeMutate |= E.what != AccessWhat::Reassign;
    W.escaped |= E.what == AccessWhat::Escape;
    RuntimeRealWrite |= E.what != AccessWhat::Escape;
    if (E.what == AccessWhat::Escape && W.escapesIn.empty())
      W.escapesIn = E.function;
  }
  W.escaped = W.escaped && !W.reassigned;
  F.category = W.reassigned ? 4 : RuntimeMutate ? 3 : AnyWrite ? 2 : 1;
  RaceAnalysis R;
  if (F.category >= 3)
    R = analyzeRaces(Accesses, PA.concurrency);
  if (F.category == 1) {
    F.verdict = Verdict::ThreadSafe;
  } else if (F.category == 2) {
    F.verdict = Verdict::ProbablyThreadSafe;
    W.startupEnds = StartupWrite ? startupEndOf(Writes, PA.concurrency) : "";
    W.shutdownOnly = !StartupWrite && std::all_of(Writes.begin(), Writes.end(), [](const AccessOn &A) {
      return A.evidence.phase == Phase::Shutdown;
    });
  } else if (V.isGuarded) {
    F.verdict = Verdict::ProbablyThreadSafe;
    W.why = VariableVerdict::Why::Guarded;
  } else if (R.why == RaceAnalysis::Why::Races) {
    F.verdict = Verdict::NotThreadSafe;
    W.why = VariableVerdict::Why::Races;
    const ConcurrencyModel &M = PA.concurrency;
    if (R.first->access->functionKey == R.second->access->functionKey && R.firstContext == R.secondContext)
      W.race = std::string("written") +
               (R.second->evidence.what == AccessWhat::Read ? " and read" : "") + " in '" +
               R.first->evidence.function + "' by " + M.describe(R.firstContext, "") + ", several at once";
    else
      W.race = raceSide(R.first->evidence, M.describe(R.firstContext, "")) + " while " +
               raceSide(R.second->evidence, M.describe(R.secondContext, ""));
  } else {
    F.verdict = Verdict::ProbablyThreadSafe;
    W.why = !RuntimeRealWrite                            ? VariableVerdict::Why::EscapesOnly
            : R.why == RaceAnalysis::Why::Confined       ? VariableVerdict::Why::Confined
            : R.why == RaceAnalysis::Why::Sequential     ? VariableVerdict::Why::Sequential
            : R.why == RaceAnalysis::Why::SingleThreaded ? VariableVerdict::Why::SingleThreaded
                                                         : VariableVerdict::Why::Synchronized;
    if (R.why == RaceAnalysis::Why::Confined)
      W.confinedTo = PA.concurrency.describe(R.firstContext, "");
  }
  // The evidence: every write, and the read a race is with.
  for (AccessOn &A : Accesses) {
    bool Racing = R.why == RaceAnalysis::Why::Races && (A.access == R.first->access || A.access == R.second->access);
    if (A.evidence.what == AccessWhat::Read && !Racing)
      continue;
    A.evidence.races = Racing;
    F.evidence.push_back(std::move(A.evidence));
  }
  foldInstantiations(F.evidence);
  describeVariable(V, F, W);
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
    std::vector<AccessOn> Accesses;
    auto It = A.accesses.byVariable.find(Key);
    if (It != A.accesses.byVariable.end() && !V.isSyncPrimitive)
      Accesses = It->second;
    categorize(V, F, std::move(Accesses), Borrowed.count(Key) != 0, A);
    Out.push_back(std::move(F));
  }
  return Out;
}

} // namespace sharedstate
