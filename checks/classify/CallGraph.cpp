// The call-graph fixed points (see CallGraph.h for what they decide).
//
// "Every caller satisfies X" is a greatest fixed point, but only over the
// functions reachable from where X holds: a recursive function that nothing
// else calls must not vouch for itself. So each property starts from what its
// seeds reach and then shrinks until every remaining function's callers all
// keep it.
#include "classify/CallGraph.h"

#include <algorithm>
#include <optional>

namespace sharedstate {

namespace {

/// The program's call edges indexed both ways.
class Graph {
public:
  explicit Graph(const ProgramFacts &P) : P(P) {
    for (const CallEdge &E : P.edges) {
      Callers[E.callee].push_back(&E);
      Callees[E.caller].push_back(&E);
    }
  }

  bool isInitializer(const std::string &K) const {
    const Function *F = info(K);
    return F && F->isInitializer;
  }
  /// Callable from code the call graph does not show: main, a function
  /// whose address escapes, a virtual function (called through a base).
  bool isEntry(const std::string &K) const {
    const Function *F = info(K);
    return F && (F->isEntry || F->isMain || F->isVirtual);
  }
  const std::vector<const CallEdge *> &callersOf(const std::string &K) const {
    auto It = Callers.find(K);
    return It == Callers.end() ? None : It->second;
  }

  /// What the seeds reach without passing through an entry.
  std::set<std::string> reachableFrom(std::vector<std::string> Work) const {
    std::set<std::string> Seen;
    while (!Work.empty()) {
      std::string K = std::move(Work.back());
      Work.pop_back();
      if (isEntry(K) || !Seen.insert(K).second)
        continue;
      auto It = Callees.find(K);
      if (It != Callees.end())
        for (const CallEdge *E : It->second)
          Work.push_back(E->callee);
    }
    return Seen;
  }

  /// Removes from Set every entry, every function nobody calls, and every
  /// function one of whose calls EdgeKeeps rejects, until nothing changes.
  template <typename EdgeKeeps> void shrinkUntilStable(std::set<std::string> &Set, EdgeKeeps &&Keeps) const {
    for (bool Changed = true; Changed;) {
      Changed = false;
      for (auto It = Set.begin(); It != Set.end();) {
        const auto &In = callersOf(*It);
        bool Keep = !isEntry(*It) && !In.empty() &&
                    std::all_of(In.begin(), In.end(), [&](const CallEdge *E) { return Keeps(*E); });
        if (Keep) {
          ++It;
        } else {
          It = Set.erase(It);
          Changed = true;
        }
      }
    }
  }

private:
  const Function *info(const std::string &K) const {
    auto It = P.functions.find(K);
    return It == P.functions.end() ? nullptr : &It->second;
  }

  const ProgramFacts &P;
  std::map<std::string, std::vector<const CallEdge *>> Callers, Callees;
  const std::vector<const CallEdge *> None;
};

/// Reached from a static initializer, and called only by initialization
/// code; the initializers themselves included.
std::set<std::string> initializationOnly(const Graph &G, const std::vector<std::string> &Initializers) {
  std::set<std::string> Init = G.reachableFrom(Initializers);
  for (const std::string &K : Initializers)
    Init.erase(K); // roots are not subject to the caller rule
  G.shrinkUntilStable(Init, [&](const CallEdge &E) { return G.isInitializer(E.caller) || Init.count(E.caller); });
  Init.insert(Initializers.begin(), Initializers.end());
  return Init;
}

/// Reached through a synchronized call, and every call into it is
/// synchronized or made from protected code; with the kind each inherits:
/// what its incoming calls agree on (an unsynchronized call from protected
/// code passes on its caller's kind), or "lock" where they differ.
std::map<std::string, Sync> protection(const ProgramFacts &P, const Graph &G,
                                       const std::vector<std::string> &Initializers) {
  std::vector<std::string> Locked;
  for (const CallEdge &E : P.edges)
    if (E.sync != Sync::None)
      Locked.push_back(E.callee);
  std::set<std::string> Protected = G.reachableFrom(Locked);
  for (const std::string &K : Initializers)
    Protected.erase(K);
  G.shrinkUntilStable(Protected, [&](const CallEdge &E) { return E.sync != Sync::None || Protected.count(E.caller); });

  std::map<std::string, Sync> By;
  for (const std::string &K : Protected)
    By[K] = Sync::None;
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (auto &[K, Kind] : By) {
      std::optional<Sync> Agreed;
      for (const CallEdge *E : G.callersOf(K)) {
        Sync S = E->sync != Sync::None ? E->sync : By[E->caller];
        if (S == Sync::None)
          continue; // not known yet
        Agreed = (!Agreed || *Agreed == S) ? S : Sync::Lock;
      }
      if (Agreed && *Agreed != Kind) {
        Kind = *Agreed;
        Changed = true;
      }
    }
  }
  for (auto &[K, Kind] : By)
    if (Kind == Sync::None)
      Kind = Sync::Lock; // only reachable through protected cycles
  return By;
}

} // namespace

CallGraphFacts analyzeCallGraph(const ProgramFacts &P) {
  const Graph G(P);
  std::vector<std::string> Initializers;
  for (const auto &[K, F] : P.functions)
    if (F.isInitializer)
      Initializers.push_back(K);
  CallGraphFacts Out;
  Out.initialization = initializationOnly(G, Initializers);
  Out.protectedBy = protection(P, G, Initializers);
  return Out;
}

std::set<std::string> reachable(const ProgramFacts &P, const std::vector<std::string> &Roots, int Depth) {
  std::multimap<std::string, std::string> Callees;
  for (const CallEdge &E : P.edges)
    Callees.emplace(E.caller, E.callee);
  std::set<std::string> Seen(Roots.begin(), Roots.end());
  std::vector<std::string> Frontier = Roots;
  for (int D = 1; D < Depth && !Frontier.empty(); ++D) {
    std::vector<std::string> Next;
    for (const std::string &F : Frontier) {
      auto [B, E] = Callees.equal_range(F);
      for (auto It = B; It != E; ++It)
        if (Seen.insert(It->second).second)
          Next.push_back(It->second);
    }
    Frontier = std::move(Next);
  }
  return Seen;
}

} // namespace sharedstate
