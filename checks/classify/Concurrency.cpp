// The concurrency model (see Concurrency.h for what it decides).
#include "classify/Concurrency.h"

#include <algorithm>
#include <deque>
#include <utility>

namespace sharedstate {

bool ConcurrencyModel::within(const SourceLocation &L, const SourceLocation &Begin, const SourceLocation &End) {
  return L.file == Begin.file && !(L < Begin) && !(End < L);
}

void ConcurrencyModel::addUnique(std::vector<int> &To, int V) {
  if (std::find(To.begin(), To.end(), V) == To.end())
    To.push_back(V);
}

namespace {

std::string shortWhere(const SourceLocation &L) {
  size_t Slash = L.file.rfind('/');
  return (Slash == std::string::npos ? L.file : L.file.substr(Slash + 1)) + ":" + std::to_string(L.line);
}

} // namespace

ConcurrencyModel::ConcurrencyModel(const ProgramFacts &P, const CallGraphFacts &Graph, const AliasIndex &Aliases,
                                   bool SerialApi)
    : SerialApi(SerialApi), P(P), Graph(Graph), Aliases(Aliases) {
  completeGraph();
  collectRoots();
  analyzePrograms();
  scopeThreads();
  countInstances();
  inheritLocks();
}

// --- the graph ------------------------------------------------------------------------

/// Call edges, plus virtual dispatch: a call of a base function may run
/// any override of it.
void ConcurrencyModel::completeGraph() {
  auto Edge = [&](const std::string &From, const std::string &To) {
    Callees[From].push_back(To);
    Callers[To].push_back(From);
  };
  for (const CallEdge &E : P.edges)
    Edge(E.caller, E.callee);
  for (const auto &[K, F] : P.functions)
    for (const std::string &O : F.overrides)
      Edge(O, K);
  // A call through a pointer may call any function of its type whose
  // address escapes.
  std::map<std::string, std::vector<std::string>> Escaped;
  for (const auto &[K, F] : P.functions)
    if (F.isEntry && !F.signature.empty())
      Escaped[F.signature].push_back(K);
  for (const IndirectCall &C : P.indirectCalls)
    if (auto It = Escaped.find(C.signature); It != Escaped.end())
      for (const std::string &K : It->second) {
        Edge(C.caller, K);
        CalledIndirectly.insert(K);
      }
  completeSpecialMembers(Edge);
}

namespace {
bool isDestructor(const Function &F) {
  size_t Colons = F.name.rfind("::");
  return F.name.compare(Colons == std::string::npos ? 0 : Colons + 2, 1, "~") == 0;
}
bool isAssignment(const Function &F) {
  const std::string Op = "::operator=";
  return F.name.size() > Op.size() && F.name.compare(F.name.size() - Op.size(), Op.size(), Op) == 0;
}
} // namespace

/// Copies, moves, assignments and destructors run where objects of their
/// class are made and handled, mostly without a call the scan sees (inside
/// a standard container, at the end of a scope). One that nothing visibly
/// calls runs where a constructor of its class, or of a class derived from
/// it, is called.
template <typename EdgeFn> void ConcurrencyModel::completeSpecialMembers(EdgeFn &Edge) {
  std::map<std::string, std::vector<std::string>> Makers; // class -> callers of its constructors
  for (const auto &[K, F] : P.functions) {
    if (!F.isStructor || F.memberOf.empty() || isDestructor(F))
      continue;
    auto It = Callers.find(K);
    if (It == Callers.end())
      continue;
    std::vector<std::string> Classes{F.memberOf};
    if (auto C = P.classes.find(F.memberOf); C != P.classes.end())
      Classes.insert(Classes.end(), C->second.bases.begin(), C->second.bases.end());
    for (const std::string &C : Classes)
      Makers[C].insert(Makers[C].end(), It->second.begin(), It->second.end());
  }
  for (auto &[Class, Ms] : Makers) {
    std::sort(Ms.begin(), Ms.end());
    Ms.erase(std::unique(Ms.begin(), Ms.end()), Ms.end());
  }
  std::vector<std::pair<std::string, std::string>> Added;
  for (const auto &[K, F] : P.functions) {
    if (F.memberOf.empty() || !(F.isStructor || isAssignment(F)) || Callers.count(K))
      continue;
    if (auto It = Makers.find(F.memberOf); It != Makers.end())
      for (const std::string &M : It->second)
        if (M != K)
          Added.emplace_back(M, K);
  }
  for (const auto &[From, To] : Added)
    Edge(From, To);
}

/// The roots of the facts, resolved: a callable handed to a function the
/// program defines runs inside it (a call edge, not a root), as does one
/// kept in a std::function of a type the program calls; a functor's
/// entries are its class's call operators. Request handlers that are
/// objects (controllers, registered objects) are roots on their public
/// methods or call operators.
void ConcurrencyModel::collectRoots() {
  std::map<std::string, std::vector<std::string>> CallOperators, PublicMethods;
  for (const auto &[K, F] : P.functions) {
    if (F.memberOf.empty())
      continue;
    if (F.isCallOperator)
      CallOperators[F.memberOf].push_back(K);
    if (F.isPublic)
      PublicMethods[F.memberOf].push_back(K);
  }
  // Who calls through each signature: what is kept in a std::function runs
  // where std::functions of its type are called.
  std::map<std::string, std::vector<std::string>> IndirectCallers;
  for (const IndirectCall &C : P.indirectCalls)
    IndirectCallers[C.signature].push_back(C.caller);
  for (const Root &R : P.roots) {
    std::vector<std::string> Entries = R.entries;
    if (!R.entryClass.empty())
      for (const std::string &K : CallOperators[R.entryClass])
        if (std::find(Entries.begin(), Entries.end(), K) == Entries.end())
          Entries.push_back(K);
    if (Entries.empty())
      continue;
    if (R.kind == RootKind::Callback && !R.handedTo.empty() && P.functions.count(R.handedTo)) {
      for (const std::string &E : Entries) {
        Callees[R.starter].push_back(E);
        Callers[E].push_back(R.starter);
      }
      continue;
    }
    // Kept in a std::function the program calls: it runs in those calls,
    // in the programs that keep it (keptCallees).
    if (auto It = IndirectCallers.find(stdFunctionCall(R.keptAs));
        R.kind == RootKind::Callback && !R.keptAs.empty() && It != IndirectCallers.end()) {
      const int Index = static_cast<int>(KeptCallables.size());
      KeptCallables.push_back({R.starter, Entries});
      for (const std::string &Caller : It->second) {
        KeptBy[Caller].push_back(Index);
        for (const std::string &E : Entries)
          Callers[E].push_back(Caller);
      }
      continue;
    }
    RootInfo I;
    I.kind = R.kind;
    I.via = R.via;
    I.location = R.location;
    I.entries = std::move(Entries);
    I.starter = R.starter;
    I.serial = R.serial;
    I.onLoop = R.onLoop;
    I.borrowsThread = R.borrowsThread;
    I.handle = R.handle;
    I.many = R.inLoop || R.kind == RootKind::Executor || (R.kind == RootKind::Callback && !R.serial);
    Roots.push_back(std::move(I));
  }
  for (const HandlerInstance &H : P.handlerInstances) {
    bool Object = H.kind == InstanceKind::Controller ||
                  (H.kind == InstanceKind::Registration && H.entryRule != EntryRule::Entries);
    if (!Object)
      continue;
    std::vector<std::string> Family{H.classKey};
    if (auto C = P.classes.find(H.classKey); C != P.classes.end())
      Family.insert(Family.end(), C->second.bases.begin(), C->second.bases.end());
    RootInfo I;
    I.kind = RootKind::Callback;
    I.handler = true;
    I.via = H.via;
    I.location = H.location;
    I.many = true;
    I.entries = H.entries;
    for (const std::string &C : Family)
      for (const std::string &K :
           H.entryRule == EntryRule::CallOperators ? CallOperators[C] : PublicMethods[C])
        I.entries.push_back(K);
    if (!I.entries.empty())
      Roots.push_back(std::move(I));
  }
}

int ConcurrencyModel::addContext(Context C) {
  Contexts.push_back(std::move(C));
  return static_cast<int>(Contexts.size()) - 1;
}

/// Gives Context to Entries and to everything they call (what a static
/// initializer runs stays in none).
void ConcurrencyModel::reach(int Context, const std::vector<std::string> &Entries) {
  std::set<std::string> Reached;
  const int Program = Contexts[Context].program;
  closure(Entries, Reached, [&](const std::string &K, std::vector<std::string> &Next) {
    if (Graph.initialization.count(K))
      return;
    addUnique(FunctionContexts[K], Context);
    calleesInto(K, Next);
    std::vector<std::string> Kept = keptCallees(K, Program);
    Next.insert(Next.end(), Kept.begin(), Kept.end());
  });
}

/// What a call of std::functions in K runs in a program (-1: the library):
/// the callables kept in one of their type by that program's own code. The
/// std::function-calling code is often shared (a header-only library's
/// connection class); each program runs only the handlers it installs.
std::vector<std::string> ConcurrencyModel::keptCallees(const std::string &K, int Program) const {
  std::vector<std::string> Out;
  auto It = KeptBy.find(K);
  if (It == KeptBy.end())
    return Out;
  for (int I : It->second) {
    const KeptCallable &C = KeptCallables[I];
    bool Kept = Program >= 0 ? Universes[Program].count(C.starter) != 0 : !InSomeProgram.count(C.starter);
    if (Kept)
      Out.insert(Out.end(), C.entries.begin(), C.entries.end());
  }
  return Out;
}

/// A root started from code that itself runs many times at once (a
/// handler, the library's API, another such root, two roots that run at
/// the same time) has many instances.
void ConcurrencyModel::countInstances() {
  for (RootInfo &R : Roots) {
    const std::vector<int> &Cs = contextsOf(R.starter);
    R.fromTests = !Cs.empty() && std::all_of(Cs.begin(), Cs.end(), [&](int C) {
      return Contexts[C].kind == Context::Kind::Tests;
    });
  }
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (RootInfo &R : Roots) {
      if (R.many)
        continue;
      for (int C : contextsOf(R.starter)) {
        const Context &Ctx = Contexts[C];
        // Even called one at a time, the API may start one more before the
        // last has finished.
        if (Ctx.kind == Context::Kind::Api || (Ctx.kind == Context::Kind::Root && Roots[Ctx.root].many)) {
          R.many = true;
          break;
        }
      }
      // Started from two threads that run at once (two workers that each
      // start one): two of it can run at once.
      R.many = R.many || selfConcurrent(R.starter);
      Changed = Changed || R.many;
    }
  }
}

// --- locks ------------------------------------------------------------------------------

/// Every call of a function holds what its caller holds at the call, and
/// what every call of the caller holds: a greatest fixed point over the
/// call edges, intersecting over the callers. A lock on a field of `this`
/// passes only through calls on `this`. Hand-offs pass the same way: a
/// function called only before a release store of a flag runs before it.
ConcurrencyModel::CallSites ConcurrencyModel::callSites() const {
  CallSites S;
  for (const CallEdge &E : P.edges) {
    S.in[E.callee].push_back(&E);
    S.callees[E.caller].insert(E.callee);
  }
  // A function called from where we cannot see (its address escapes, or a
  // root runs it) has nothing on those calls: it inherits nothing.
  for (const auto &[K, F] : P.functions)
    if (F.isEntry)
      S.calledBare.insert(K);
  for (const RootInfo &R : Roots)
    S.calledBare.insert(R.entries.begin(), R.entries.end());
  return S;
}

template <typename SiteFn, typename OwnFn>
std::map<std::string, std::vector<LockRef>> ConcurrencyModel::meetOverCalls(const CallSites &Sites, SiteFn AtSite,
                                                                            OwnFn Own) const {
  // nullopt: not known yet (everything).
  std::map<std::string, std::optional<std::vector<LockRef>>> Held;
  for (const auto &[K, Edges] : Sites.in)
    if (!Sites.calledBare.count(K))
      Held[K] = std::nullopt;
  auto HeldBy = [&](const std::string &K) -> std::optional<std::vector<LockRef>> {
    auto It = Held.find(K);
    std::vector<LockRef> Out = Own(K);
    if (It == Held.end())
      return Out;
    if (!It->second)
      return std::nullopt;
    Out.insert(Out.end(), It->second->begin(), It->second->end());
    return Out;
  };
  // A worklist: a function is looked at again only when one of its callers
  // changed (a long call chain converges in one pass, not one per link).
  std::deque<const std::string *> Work;
  std::set<std::string> Queued;
  for (const auto &Entry : Held) {
    Work.push_back(&Entry.first);
    Queued.insert(Entry.first);
  }
  while (!Work.empty()) {
    const std::string &K = *Work.front();
    Work.pop_front();
    Queued.erase(K);
    std::optional<std::vector<LockRef>> &Current = Held.at(K);
    {
      std::optional<std::vector<LockRef>> Meet;
      bool Unknown = true;
      for (const CallEdge *E : Sites.in.at(K)) {
        std::optional<std::vector<LockRef>> Caller = HeldBy(E->caller);
        if (!Caller)
          continue; // not known yet: does not constrain
        Unknown = false;
        std::vector<LockRef> At = AtSite(*E);
        for (const LockRef &L : *Caller)
          if (L.kind != LockRef::Kind::ThisField || E->onThis)
            At.push_back(L);
        if (!Meet) {
          Meet = At;
          continue;
        }
        Meet->erase(std::remove_if(Meet->begin(), Meet->end(),
                                   [&](const LockRef &L) {
                                     return std::none_of(At.begin(), At.end(),
                                                         [&](const LockRef &A) { return A.sameMutex(L); });
                                   }),
                    Meet->end());
      }
      if (Unknown)
        continue;
      std::sort(Meet->begin(), Meet->end());
      Meet->erase(std::unique(Meet->begin(), Meet->end()), Meet->end());
      if (!Current || *Current != *Meet) {
        Current = std::move(Meet);
        if (auto It = Sites.callees.find(K); It != Sites.callees.end())
          for (const std::string &Callee : It->second)
            if (auto H = Held.find(Callee); H != Held.end() && Queued.insert(Callee).second)
              Work.push_back(&H->first);
      }
    }
  }
  std::map<std::string, std::vector<LockRef>> Out;
  for (const auto &[K, F] : P.functions) {
    std::vector<LockRef> All = Own(K);
    if (auto It = Held.find(K); It != Held.end() && It->second)
      All.insert(All.end(), It->second->begin(), It->second->end());
    for (LockRef &L : All)
      L = resolved(L);
    std::sort(All.begin(), All.end());
    All.erase(std::unique(All.begin(), All.end()), All.end());
    if (!All.empty())
      Out[K] = std::move(All);
  }
  return Out;
}

void ConcurrencyModel::inheritLocks() {
  const std::vector<LockRef> None;
  auto BodyLocks = [&](const std::string &K) -> const std::vector<LockRef> & {
    auto It = P.functions.find(K);
    return It == P.functions.end() ? None : It->second.bodyLocks;
  };
  auto Nothing = [&](const std::string &) -> const std::vector<LockRef> & { return None; };
  const CallSites Sites = callSites();
  Inherited = meetOverCalls(Sites, [](const CallEdge &E) { return E.locks; }, BodyLocks);
  InheritedReleases = meetOverCalls(Sites, [](const CallEdge &E) { return E.handOffs.releasedAfter; }, Nothing);
  InheritedAcquires = meetOverCalls(Sites, [](const CallEdge &E) { return E.handOffs.acquiredBefore; }, Nothing);
}

LockRef ConcurrencyModel::resolved(const LockRef &L) const {
  if (L.kind != LockRef::Kind::CallResult)
    return L;
  std::vector<Resolved> To = resolve(AccessTarget::callResult(L.key), Aliases);
  if (To.size() != 1)
    return L;
  LockRef Out = L;
  Out.kind = LockRef::Kind::Variable;
  Out.key = To.front().varKey;
  return Out;
}

namespace {
const std::vector<LockRef> &entryOf(const std::map<std::string, std::vector<LockRef>> &M, const std::string &K) {
  static const std::vector<LockRef> None;
  auto It = M.find(K);
  return It == M.end() ? None : It->second;
}
} // namespace

const std::vector<LockRef> &ConcurrencyModel::inheritedReleases(const std::string &Function) const {
  return entryOf(InheritedReleases, Function);
}

const std::vector<LockRef> &ConcurrencyModel::inheritedAcquires(const std::string &Function) const {
  return entryOf(InheritedAcquires, Function);
}

const std::vector<LockRef> &ConcurrencyModel::inheritedLocks(const std::string &Function) const {
  return entryOf(Inherited, Function);
}

// --- questions --------------------------------------------------------------------------

const std::vector<int> &ConcurrencyModel::contextsOf(const std::string &Function) const {
  static const std::vector<int> None;
  auto It = FunctionContexts.find(Function);
  return It == FunctionContexts.end() ? None : It->second;
}

std::vector<int> ConcurrencyModel::contextsOf(const Access &A) const {
  if (A.what == AccessWhat::Init || Graph.initialization.count(A.functionKey))
    return {};
  if (auto It = MainContexts.find(A.functionKey); It != MainContexts.end()) {
    for (const Step &S : It->second)
      if (within(A.location, S.begin, S.end))
        return {S.context};
  }
  std::vector<int> Out = contextsOf(A.functionKey);
  if (auto It = WindowSteps.find(A.functionKey); It != WindowSteps.end())
    for (const Step &S : It->second)
      if (within(A.location, S.begin, S.end))
        addUnique(Out, S.context);
  return Out;
}

Phase ConcurrencyModel::phaseOf(const Access &A) const {
  std::vector<int> Cs = contextsOf(A);
  if (Cs.empty())
    return Phase::Initialization;
  bool AllStartup = true, AllQuiet = true;
  for (int C : Cs) {
    Context::Kind K = Contexts[C].kind;
    AllStartup = AllStartup && K == Context::Kind::Startup;
    AllQuiet = AllQuiet && (K == Context::Kind::Startup || K == Context::Kind::Shutdown);
  }
  if (AllStartup)
    return Phase::Startup;
  if (AllQuiet)
    return std::all_of(Cs.begin(), Cs.end(), [&](int C) { return Contexts[C].kind == Context::Kind::Shutdown; })
               ? Phase::Shutdown
               : Phase::Startup;
  return Phase::Runtime;
}

bool ConcurrencyModel::isDead(const Access &A) const {
  return A.what != AccessWhat::Init && !Graph.initialization.count(A.functionKey) && contextsOf(A).empty();
}

bool ConcurrencyModel::concurrent(int A, int B) const {
  const Context &X = Contexts[A], &Y = Contexts[B];
  if (X.program != Y.program)
    return false; // another program is another process
  auto Quiet = [](Context::Kind K) { return K == Context::Kind::Startup || K == Context::Kind::Shutdown; };
  if (Quiet(X.kind) || Quiet(Y.kind))
    return false;
  if (X.kind == Context::Kind::Api || Y.kind == Context::Kind::Api) {
    if (!SerialApi)
      return true;
    // Called one at a time, on the callers' one thread, where the test
    // bodies run too: beside the threads and callbacks only.
    const Context &Other = X.kind == Context::Kind::Api ? Y : X;
    return Other.kind == Context::Kind::Root;
  }
  auto TestAndItsThread = [&](const Context &T, const Context &R) {
    return T.kind == Context::Kind::Tests && R.kind == Context::Kind::Root && Roots[R.root].fromTests;
  };
  if (TestAndItsThread(X, Y) || TestAndItsThread(Y, X))
    return false;
  if (X.kind == Context::Kind::Root && Y.kind == Context::Kind::Root) {
    if (X.root == Y.root)
      return Roots[X.root].many;
    if (X.to < Y.from || Y.to < X.from)
      return false; // main joins one before it starts the other
    if (!X.scope.empty() && !Y.scope.empty() && X.scope != Y.scope && !WindowReach.at(X.scope).count(Y.scope) &&
        !WindowReach.at(Y.scope).count(X.scope))
      return false; // two functions that each join what they start, one after the other
    return !(Roots[X.root].serial && Roots[Y.root].serial); // one event loop
  }
  // A stretch of main runs alongside the roots running then; a thread a
  // function joins before it returns runs only alongside that function's
  // window.
  auto Alongside = [](const Context &Main, const Context &Root) {
    if (!Root.scope.empty())
      return Main.scope == Root.scope;
    return !Main.limited || std::find(Main.with.begin(), Main.with.end(), Root.root) != Main.with.end();
  };
  if (X.kind == Context::Kind::Root && Y.kind == Context::Kind::Runtime)
    return Alongside(Y, X);
  if (Y.kind == Context::Kind::Root && X.kind == Context::Kind::Runtime)
    return Alongside(X, Y);
  return X.kind == Context::Kind::Root || Y.kind == Context::Kind::Root;
}

bool ConcurrencyModel::selfConcurrent(const std::string &Function) const {
  const std::vector<int> &Cs = contextsOf(Function);
  for (int A : Cs)
    for (int B : Cs)
      if (concurrent(A, B))
        return true;
  return false;
}

bool ConcurrencyModel::singleThreaded(int Program) const { return SingleThreadedPrograms.count(Program) != 0; }

std::string ConcurrencyModel::describe(int C, const std::string &) const {
  const Context &X = Contexts[C];
  switch (X.kind) {
  case Context::Kind::Startup:
    return "main's start-up";
  case Context::Kind::Shutdown:
    return "main, after its threads are joined";
  case Context::Kind::Runtime: {
    if (!X.scope.empty()) {
      auto F = P.functions.find(X.scope);
      return "'" + (F == P.functions.end() ? X.scope : F->second.name) + "' while the threads it starts run";
    }
    auto It = StartupEnds.find(Programs[X.program]);
    return It == StartupEnds.end() ? "main" : "main, after " + shortWhere(It->second);
  }
  case Context::Kind::Api:
    return "the library's API, whose callers may be concurrent";
  case Context::Kind::Tests:
    return "a test body";
  case Context::Kind::Root:
    break;
  }
  const RootInfo &R = Roots[X.root];
  std::string At = " at " + shortWhere(R.location);
  if (R.handler)
    return "request handlers of '" + R.via + "'" + At;
  switch (R.kind) {
  case RootKind::Thread:
    return (R.many ? "threads started" : "the thread started") + At;
  case RootKind::Executor:
    return "tasks posted with '" + R.via + "'" + At;
  case RootKind::Callback:
    if (R.borrowsThread)
      return (R.via == "atexit" || R.via == "at_quick_exit" ? "the exit handler registered" : "the signal handler installed") + At;
    return (R.serial ? "callbacks of '" : "callbacks kept by '") + R.via + "'" + At;
  case RootKind::Test:
    return "a test body";
  }
  return At;
}

} // namespace sharedstate
