// Singleton handlers: objects that exist once per process and serve every
// request (framework controllers, registered functors and the objects a
// registered lambda captures, accessor-provided, global and Meyers
// instances), and that write their own fields while serving one. The fields
// then carry one request's data into the next, and concurrent requests race
// on them.
//
// The writes counted are those reached from the entry points the framework
// calls (an instance's entries, or the class's public methods or call
// operators), through calls into the class and its bases and the lambdas
// they define, outside locks and initialization, and that can run while
// another request is served (the concurrency model: a server whose
// handlers all run on one thread has no such writes). Constructors and a
// public init() only constructors call are construction, not serving.
//
// A listed registration or base is the framework's word that one object
// serves everything. A generic one (a member function that keeps a
// std::function) is only a callback of some object, so it makes a
// singleton only when the class has an instance that lives as long as the
// process: a global, a Meyers instance, one of main's locals.
#include "classify/Messages.h"
#include "classify/Rules.h"

#include <algorithm>
#include <map>
#include <set>

namespace sharedstate {

namespace {

/// One reason one instance serves every request, as the finding shows it,
/// with the functions the framework calls on it.
struct Serving {
  Instance shown;
  std::vector<std::string> entries;
  EntryRule rule = EntryRule::Entries;
};
using ServingByClass = std::map<std::string, std::vector<Serving>>;

/// The classes with an instance that lives as long as the process: a
/// global, a static member, a Meyers instance, one of main's locals, and
/// the bases of those.
std::set<std::string> processLifetimeClasses(const ProgramFacts &P) {
  std::set<std::string> Direct;
  for (const auto &[K, V] : P.variables)
    if (!V.classKey.empty())
      Direct.insert(V.classKey);
  for (const auto &[K, M] : P.programs)
    Direct.insert(M.locals.begin(), M.locals.end());
  std::set<std::string> Out = Direct;
  for (const std::string &C : Direct)
    if (auto It = P.classes.find(C); It != P.classes.end())
      Out.insert(It->second.bases.begin(), It->second.bases.end());
  return Out;
}

/// A generic registration (a std::function kept by some member function)
/// is a callback of an object, not a sign that one object serves every
/// request: per-connection and per-request objects register callbacks too.
/// It counts only when main registers it (the registry is main's, and
/// lives as long as the program), or for a class with an instance of
/// process lifetime.
void factInstances(const ProgramFacts &P, ServingByClass &ByClass) {
  const std::set<std::string> Lifelong = processLifetimeClasses(P);
  for (const HandlerInstance &H : P.handlerInstances)
    if (!H.generic || H.inMain || Lifelong.count(H.classKey))
      ByClass[H.classKey].push_back({{toString(H.kind), instanceDetail(H), H.location}, H.entries, H.entryRule});
}

/// Whether a write in function K can run while another request is served:
/// concurrently with itself, or with another function that serves.
bool servesConcurrently(const std::string &K, const std::set<std::string> &Serving, const ConcurrencyModel &M) {
  const std::vector<int> &Mine = M.contextsOf(K);
  if (Mine.empty())
    return true; // not in the model (a pseudo-function): keep the cautious answer
  for (const std::string &S : Serving)
    for (int A : Mine)
      for (int B : M.contextsOf(S))
        if (M.concurrent(A, B))
          return true;
  return false;
}

/// Global instances and Meyers singletons of user classes: the methods
/// called on them at run time, outside any lock, are their entry points.
void variableInstances(const ProgramAnalysis &A, ServingByClass &ByClass) {
  const ProgramFacts &P = A.program;
  std::map<std::string, std::set<std::string>> Called; // variable -> methods
  std::map<std::string, std::set<int>> Where;          // variable -> the contexts of those calls
  for (const Access &X : P.accesses) {
    if (X.method.empty() || A.concurrency.phaseOf(X) != Phase::Runtime)
      continue;
    if (X.sync != Sync::None || A.graph.protectedBy.count(X.functionKey))
      continue;
    for (const Resolved &R : resolve(X.target, A.aliases)) {
      Called[R.varKey].insert(X.method);
      for (int C : A.concurrency.contextsOf(X))
        Where[R.varKey].insert(C);
    }
  }
  // The instance serves requests when its methods can be called on it at
  // the same time: an instance only one test body uses serves no one.
  auto CalledConcurrently = [&](const std::set<int> &Contexts) {
    return std::any_of(Contexts.begin(), Contexts.end(), [&](int X) {
      return std::any_of(Contexts.begin(), Contexts.end(), [&](int Y) { return A.concurrency.concurrent(X, Y); });
    });
  };
  for (const auto &[Key, Methods] : Called) {
    auto It = P.variables.find(Key);
    // A class listed as a synchronization type is meant to be shared.
    if (It == P.variables.end() || It->second.classKey.empty() || It->second.isSyncPrimitive)
      continue;
    if (auto W = Where.find(Key); W != Where.end() && !W->second.empty() && !CalledConcurrently(W->second))
      continue;
    const SharedVariable &V = It->second;
    InstanceKind Kind = V.kind == VarKind::FunctionLocalStatic ? InstanceKind::Meyers : InstanceKind::Global;
    ByClass[V.classKey].push_back(
        {{toString(Kind), variableInstanceDetail(V), V.location}, {Methods.begin(), Methods.end()}, EntryRule::Entries});
  }
}

/// The program's functions and calls, indexed for walking a class.
struct ClassIndex {
  explicit ClassIndex(const ProgramFacts &P) : P(P) {
    for (const auto &[K, F] : P.functions) {
      if (!F.memberOf.empty())
        Members[F.memberOf].push_back(&F);
      if (!F.enclosing.empty())
        Lambdas[F.enclosing].push_back(K);
    }
    for (const CallEdge &E : P.edges) {
      Callees[E.caller].push_back(&E);
      Callers[E.callee].push_back(&E);
    }
  }
  std::string memberOf(const std::string &K) const {
    auto It = P.functions.find(K);
    return It == P.functions.end() ? std::string() : It->second.memberOf;
  }
  bool isStructor(const std::string &K) const {
    auto It = P.functions.find(K);
    return It != P.functions.end() && It->second.isStructor;
  }
  template <typename M> static const typename M::mapped_type &at(const M &Map, const std::string &K) {
    static const typename M::mapped_type Empty;
    auto It = Map.find(K);
    return It == Map.end() ? Empty : It->second;
  }

  const ProgramFacts &P;
  std::map<std::string, std::vector<const Function *>> Members;
  std::map<std::string, std::vector<std::string>> Lambdas; // function -> lambdas defined in it
  std::map<std::string, std::vector<const CallEdge *>> Callees, Callers;
};

/// The functions that serve requests on instances Hs of a class whose
/// family (itself and its bases) is Family: the entry points the framework
/// calls and what they reach inside the family.
std::set<std::string> servingFunctions(const ProgramAnalysis &A, const ClassIndex &Index,
                                       const std::vector<Serving> &Hs, const std::set<std::string> &Family) {
  std::set<std::string> Reach;
  std::vector<std::string> Work;
  auto Enter = [&](const std::string &K) {
    if (!A.graph.initialization.count(K) && Reach.insert(K).second)
      Work.push_back(K);
  };
  for (const Serving &H : Hs) {
    for (const std::string &K : H.entries)
      Enter(K);
    if (H.rule == EntryRule::Entries)
      continue;
    for (const std::string &C : Family)
      for (const Function *F : ClassIndex::at(Index.Members, C)) {
        bool Fits = H.rule == EntryRule::CallOperators ? F->isCallOperator : F->isPublic;
        // A public init() that only the constructor calls is construction.
        const auto &In = ClassIndex::at(Index.Callers, F->key);
        bool OnlyFromStructors = !In.empty() && std::all_of(In.begin(), In.end(), [&](const CallEdge *E) {
          return Index.isStructor(E->caller) && Family.count(Index.memberOf(E->caller));
        });
        if (Fits && !OnlyFromStructors)
          Enter(F->key);
      }
  }
  while (!Work.empty()) {
    std::string K = std::move(Work.back());
    Work.pop_back();
    for (const CallEdge *E : ClassIndex::at(Index.Callees, K))
      if (E->sync == Sync::None && Family.count(Index.memberOf(E->callee)) && !Index.isStructor(E->callee))
        Enter(E->callee);
    for (const std::string &L : ClassIndex::at(Index.Lambdas, K))
      Enter(L);
  }
  return Reach;
}

Finding handlerFinding(const ProgramFacts &P, const std::string &ClassKey, const std::vector<Serving> &Hs,
                       std::vector<Evidence> Writes) {
  foldInstantiations(Writes);
  auto CI = P.classes.find(ClassKey);
  Finding F;
  F.key = ClassKey;
  F.check = "sharedstate-singleton-handler";
  F.kind = "singleton-handler";
  F.id = fingerprint(F.check, ClassKey);
  F.category = 3;
  F.verdict = Verdict::NotThreadSafe;
  for (const Serving &H : Hs)
    F.instances.push_back(H.shown);
  std::sort(F.instances.begin(), F.instances.end(), [](const Instance &A, const Instance &B) {
    return std::tie(A.location, A.how, A.detail) < std::tie(B.location, B.how, B.detail);
  });
  F.instances.erase(std::unique(F.instances.begin(), F.instances.end()), F.instances.end());
  F.symbol = CI != P.classes.end() ? CI->second.name : ClassKey;
  F.type = F.symbol;
  F.location = CI != P.classes.end() && CI->second.location.valid() ? CI->second.location
                                                                     : F.instances.front().location;
  std::vector<std::string> Fields;
  for (const Evidence &E : Writes)
    if (std::find(Fields.begin(), Fields.end(), E.field) == Fields.end())
      Fields.push_back(E.field);
  F.message = singletonHandlerMessage(F.symbol, F.instances, Fields);
  F.evidence = std::move(Writes);
  return F;
}

} // namespace

std::vector<Finding> singletonHandlerFindings(const ProgramAnalysis &A) {
  const ProgramFacts &P = A.program;
  ServingByClass ByClass;
  factInstances(P, ByClass);
  variableInstances(A, ByClass);
  if (ByClass.empty())
    return {};
  const ClassIndex Index(P);
  std::vector<Finding> Out;
  for (const auto &[ClassKey, Hs] : ByClass) {
    std::set<std::string> Family{ClassKey};
    if (auto CI = P.classes.find(ClassKey); CI != P.classes.end())
      Family.insert(CI->second.bases.begin(), CI->second.bases.end());
    const std::set<std::string> Serving = servingFunctions(A, Index, Hs, Family);
    std::vector<Evidence> Writes;
    for (const Access &W : P.memberWrites) {
      if (!Family.count(W.target.key) || !Serving.count(W.functionKey) || W.sync != Sync::None ||
          A.graph.protectedBy.count(W.functionKey) || !servesConcurrently(W.functionKey, Serving, A.concurrency))
        continue;
      // A call on a field that writes nothing of it (an accessor), or that
      // changes it only under the field object's own mutex (a logger that
      // locks itself): the method summaries of Summaries.h.
      if (!W.method.empty() && W.what == AccessWhat::Mutate &&
          (!A.summaries.writesThis(W.method) || !A.summaries.selfLocks(W.method).empty()))
        continue;
      Evidence E;
      E.what = W.what;
      E.location = W.location;
      E.function = W.functionName;
      E.phase = Phase::Runtime;
      E.detail = W.detail;
      E.field = W.field;
      Writes.push_back(std::move(E));
    }
    if (!Writes.empty())
      Out.push_back(handlerFinding(P, ClassKey, Hs, std::move(Writes)));
  }
  return Out;
}

} // namespace sharedstate
