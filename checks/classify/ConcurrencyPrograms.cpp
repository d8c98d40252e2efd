// The programs and the library of the concurrency model (see Concurrency.h):
// which code each main runs, where its start-up ends and its shutdown
// begins, and the contexts of the code no program runs.
#include "classify/Concurrency.h"

#include <algorithm>

namespace sharedstate {

namespace {
bool isLambda(const Function &F) { return !F.enclosing.empty() || F.key.rfind("lambda", 0) == 0; }
} // namespace

/// Functions from which a root is started, through calls.
std::set<std::string> ConcurrencyModel::startingFunctions() const {
  std::set<std::string> Starts;
  std::vector<std::string> Starters;
  for (const RootInfo &R : Roots)
    if (R.kind != RootKind::Test && !R.starter.empty())
      Starters.push_back(R.starter);
  closure(Starters, Starts, [&](const std::string &K, std::vector<std::string> &Next) {
    if (auto It = Callers.find(K); It != Callers.end())
      Next.insert(Next.end(), It->second.begin(), It->second.end());
  });
  return Starts;
}

/// What a program runs (main, what it calls, the roots it starts and what
/// they call, to a fixed point) into Universe; returns those roots.
std::vector<int> ConcurrencyModel::programRoots(const std::string &MainKey, std::set<std::string> &Universe) const {
  std::vector<std::string> Work{MainKey};
  std::vector<int> Out;
  for (bool Grew = true; Grew;) {
    Grew = false;
    closure(Work, Universe, [&](const std::string &K, std::vector<std::string> &Next) { calleesInto(K, Next); });
    Work.clear();
    // Callables the program keeps, run by std::function calls it makes.
    for (const auto &[Caller, Kept] : KeptBy)
      if (Universe.count(Caller))
        for (int I : Kept)
          if (Universe.count(KeptCallables[I].starter))
            for (const std::string &E : KeptCallables[I].entries)
              if (!Universe.count(E)) {
                Work.push_back(E);
                Grew = true;
              }
    for (int R = 0; R < static_cast<int>(Roots.size()); ++R)
      if (Roots[R].kind != RootKind::Test && Universe.count(Roots[R].starter) &&
          std::find(Out.begin(), Out.end(), R) == Out.end()) {
        Out.push_back(R);
        Work.insert(Work.end(), Roots[R].entries.begin(), Roots[R].entries.end());
        Grew = true;
      }
  }
  return Out;
}

/// Whether the functions, or one they call, run an event loop themselves
/// (`server.run()` that ends in io_context::run()).
bool ConcurrencyModel::runsEventLoop(const std::vector<std::string> &From) const {
  std::set<std::string> Reached;
  closure(From, Reached, [&](const std::string &K, std::vector<std::string> &Next) { calleesInto(K, Next); });
  return std::any_of(Reached.begin(), Reached.end(), [&](const std::string &K) {
    auto F = P.functions.find(K);
    return F != P.functions.end() && F->second.runsEventLoop;
  });
}

/// The first of main's statements that can start concurrency: it starts a
/// root, calls a function that starts one, enters a server loop, or calls a
/// member function of an object an earlier statement gave a callback to.
/// Steps.size() when none does.
size_t ConcurrencyModel::startupBoundary(const ProgramMain &M, const std::set<std::string> &Starts) const {
  std::set<std::string> Registered;
  for (size_t I = 0; I < M.steps.size(); ++I) {
    const MainStep &S = M.steps[I];
    bool StartsHere = S.serverLoop;
    for (const RootInfo &R : Roots)
      StartsHere = StartsHere || (R.starter == M.function && within(R.location, S.begin, S.end));
    for (const std::string &C : S.callees)
      StartsHere = StartsHere || Starts.count(C);
    for (const std::string &U : S.uses)
      StartsHere = StartsHere || Registered.count(U);
    if (StartsHere)
      return I;
    Registered.insert(S.registers.begin(), S.registers.end());
  }
  return M.steps.size();
}

void ConcurrencyModel::analyzePrograms() {
  const std::set<std::string> Starts = startingFunctions();
  for (const auto &[MainKey, M] : P.programs)
    analyzeProgram(M, Starts);
  analyzeLibrary();
}

void ConcurrencyModel::analyzeProgram(const ProgramMain &M, const std::set<std::string> &Starts) {
  const std::string &MainKey = M.function;
  const int Program = static_cast<int>(Programs.size());
  Programs.push_back(MainKey);
  std::set<std::string> &Universe = Universes.emplace_back();
  const std::vector<int> ProgramRoots = programRoots(MainKey, Universe);
  InSomeProgram.insert(Universe.begin(), Universe.end());

  const std::vector<MainStep> &Steps = M.steps;
  size_t Boundary = startupBoundary(M, Starts);
  // One event loop: main runs it on its own thread, and every root is a
  // callback of it (or kept by project code, which runs there): the
  // callbacks run one at a time, inside main's call. No thread at all. The
  // same when every root borrows a thread (signal and atexit handlers): with
  // no thread but main's, they interrupt main, one at a time.
  std::vector<std::string> StepCallees;
  for (const MainStep &S : Steps)
    StepCallees.insert(StepCallees.end(), S.callees.begin(), S.callees.end());
  const bool RunsLoop = std::any_of(Steps.begin(), Steps.end(), [](const MainStep &S) { return S.eventLoop; }) ||
                        runsEventLoop(StepCallees);
  const bool OneLoop = std::all_of(ProgramRoots.begin(), ProgramRoots.end(), [&](int R) {
    return Roots[R].borrowsThread || (RunsLoop && !Roots[R].handler && Roots[R].onLoop);
  });
  const bool Concurrent = !ProgramRoots.empty() && !OneLoop;
  if (Concurrent && Boundary == Steps.size())
    Boundary = 0; // roots started where main's statements do not show it
  // Shutdown: after the last join, when main started every thread there is.
  size_t Shutdown = Steps.size();
  const bool OnlyMainThreads = Concurrent && std::all_of(ProgramRoots.begin(), ProgramRoots.end(), [&](int R) {
                                 return Roots[R].kind == RootKind::Thread && Roots[R].starter == MainKey;
                               });
  if (OnlyMainThreads)
    for (size_t I = Steps.size(); I-- > Boundary + 1;)
      if (Steps[I].joins) {
        Shutdown = I + 1;
        break;
      }
  if (!Concurrent)
    SingleThreadedPrograms.insert(Program);
  const std::map<int, std::pair<int, int>> Lifetimes = rootLifetimes(M, ProgramRoots, Boundary, Shutdown);

  const int StartupCtx = addContext({Context::Kind::Startup, Program, -1});
  const int RuntimeCtx = addContext({Context::Kind::Runtime, Program, -1});
  const int ShutdownCtx = addContext({Context::Kind::Shutdown, Program, -1});
  // A stretch of main alongside only some roots: one context per such set.
  std::map<std::vector<int>, int> Stretches;
  auto StretchOf = [&](size_t I) {
    std::vector<int> Active;
    for (int R : ProgramRoots)
      if (const auto &[From, To] = Lifetimes.at(R); From <= static_cast<int>(I) && static_cast<int>(I) <= To)
        Active.push_back(R);
    if (Active.empty())
      return ShutdownCtx; // every thread main started is joined: main runs alone
    if (Active.size() == ProgramRoots.size())
      return RuntimeCtx;
    auto [It, New] = Stretches.emplace(Active, -1);
    if (New) {
      Context C{Context::Kind::Runtime, Program, -1};
      C.limited = true;
      C.with = Active;
      It->second = addContext(std::move(C));
    }
    return It->second;
  };
  std::map<int, std::vector<std::string>> Entries; // context -> what main's statements there call
  std::vector<Step> &MainSteps = MainContexts[MainKey];
  for (size_t I = 0; I < Steps.size(); ++I) {
    // A program that never starts a thread has no start-up: all of it is
    // run time, on the one thread there is.
    int Ctx = !Concurrent ? RuntimeCtx : I < Boundary ? StartupCtx : StretchOf(I);
    MainSteps.push_back({Steps[I].begin, Steps[I].end, Ctx});
    std::vector<std::string> &To = Entries[Ctx];
    To.insert(To.end(), Steps[I].callees.begin(), Steps[I].callees.end());
    addUnique(FunctionContexts[MainKey], Ctx);
  }
  if (Concurrent && Boundary < Steps.size())
    StartupEnds[MainKey] = Steps[Boundary].begin;
  // In context order, so that what the reports list does not depend on the map.
  for (auto &[Ctx, Callees] : Entries)
    reach(Ctx, Callees);
  for (int R : ProgramRoots) {
    if (OneLoop) {
      reach(RuntimeCtx, Roots[R].entries);
      continue;
    }
    Context C{Context::Kind::Root, Program, R};
    std::tie(C.from, C.to) = Lifetimes.at(R);
    reach(addContext(std::move(C)), Roots[R].entries);
  }
}

ConcurrencyModel::JoinSpan ConcurrencyModel::joinSpan(const std::vector<MainStep> &Steps, const RootInfo &Root) {
  JoinSpan Out;
  for (size_t I = 0; I < Steps.size() && !Out.start; ++I)
    if (within(Root.location, Steps[I].begin, Steps[I].end))
      Out.start = I;
  for (size_t J = Out.start.value_or(Steps.size()); J < Steps.size() && !Root.handle.empty() && !Out.join; ++J)
    if (std::find(Steps[J].joined.begin(), Steps[J].joined.end(), Root.handle) != Steps[J].joined.end())
      Out.join = J;
  return Out;
}

/// A thread main starts runs alongside main's statements from the one that
/// starts it to the first later one that joins its handle. Without a
/// handle main joins, when every root is a thread main started, it runs
/// until the last statement that joins any thread. Any other root runs
/// from the end of start-up on.
std::map<int, std::pair<int, int>> ConcurrencyModel::rootLifetimes(const ProgramMain &M,
                                                                   const std::vector<int> &ProgramRoots,
                                                                   size_t Boundary, size_t Shutdown) const {
  const std::vector<MainStep> &Steps = M.steps;
  std::map<int, std::pair<int, int>> Out;
  for (int R : ProgramRoots) {
    const RootInfo &Root = Roots[R];
    int From = static_cast<int>(Boundary), To = Context::Never;
    if (const JoinSpan Span = Root.starter == M.function ? joinSpan(Steps, Root) : JoinSpan(); Span.start) {
      From = static_cast<int>(*Span.start);
      if (Span.join)
        To = static_cast<int>(*Span.join);
      else if (Shutdown < Steps.size())
        To = static_cast<int>(Shutdown) - 1;
    }
    Out[R] = {From, To};
  }
  return Out;
}

/// A thread that a function other than main starts, and joins in a later
/// statement of its own, runs only while that function is between the two
/// statements: alongside the function's own code there (its window, a
/// context of the caller's thread) and the threads started there, and no
/// other code of the thread that called it. Only when the function runs on
/// main's thread or in test bodies: one that runs in a root, or in the
/// library's API, may run many times at once.
void ConcurrencyModel::scopeThreads() {
  std::map<int, std::vector<int>> RootContexts;
  for (int C = 0; C < static_cast<int>(Contexts.size()); ++C)
    if (Contexts[C].kind == Context::Kind::Root)
      RootContexts[Contexts[C].root].push_back(C);
  for (const auto &[Key, S] : P.starters) {
    const std::vector<int> Callers = contextsOf(Key);
    if (Callers.empty() || std::any_of(Callers.begin(), Callers.end(), [&](int C) {
          return Contexts[C].kind == Context::Kind::Root || Contexts[C].kind == Context::Kind::Api;
        }))
      continue;
    std::vector<int> Scoped;
    size_t First = S.steps.size(), Last = 0;
    for (int R = 0; R < static_cast<int>(Roots.size()); ++R) {
      const RootInfo &Root = Roots[R];
      if (Root.kind != RootKind::Thread || Root.starter != Key)
        continue;
      if (const JoinSpan Span = joinSpan(S.steps, Root); Span.start && Span.join) {
        Scoped.push_back(R);
        First = std::min(First, *Span.start);
        Last = std::max(Last, *Span.join);
      }
    }
    if (Scoped.empty())
      continue;
    std::vector<std::string> InWindow;
    for (size_t I = First; I <= Last; ++I)
      InWindow.insert(InWindow.end(), S.steps[I].callees.begin(), S.steps[I].callees.end());
    std::set<std::string> &Reach = WindowReach[Key];
    closure(InWindow, Reach, [&](const std::string &K, std::vector<std::string> &Next) { calleesInto(K, Next); });
    std::set<int> ProgramsOfS;
    for (int C : Callers)
      ProgramsOfS.insert(Contexts[C].program);
    for (int Program : ProgramsOfS) {
      Context W{Context::Kind::Runtime, Program, -1};
      W.limited = true;
      W.with = Scoped;
      W.scope = Key;
      const int Window = addContext(std::move(W));
      WindowSteps[Key].push_back({S.steps[First].begin, S.steps[Last].end, Window});
      reach(Window, InWindow);
    }
    for (int R : Scoped)
      for (int C : RootContexts[R])
        Contexts[C].scope = Key;
  }
}

/// The library: code no program runs. Its API may be called from anywhere;
/// its tests run one after another; and the roots its code starts. A
/// function only test TUs define (a test helper, a test-support header's
/// inline code, a file named as test support: facts/Paths.h) is not API:
/// tests call it, one after another, so it runs where the tests do.
void ConcurrencyModel::analyzeLibrary() {
  std::vector<std::string> Api, Tests;
  // A test helper runs with the tests, one after another. A test class's
  // constructor or destructor that nothing visibly calls is made and
  // destroyed inside code the scan does not follow (std::make_shared, a
  // fixture the framework builds), not from outside: no context of its own.
  auto testOrApi = [&](const std::string &K, const Function &F) {
    if (!P.testOnly(K))
      Api.push_back(K);
    else if (!F.isStructor)
      Tests.push_back(K);
  };
  for (const auto &[K, F] : P.functions) {
    if (F.isEntry && !CalledIndirectly.count(K)) {
      (P.testOnly(K) ? Tests : Api).push_back(K); // its address escapes to code the scan cannot see
      continue;
    }
    if (InSomeProgram.count(K) || F.isMain || F.isInitializer || Graph.initialization.count(K) || isLambda(F))
      continue;
    bool Called = Callers.count(K) && !Callers.at(K).empty();
    if (!Called && (F.isExternal || F.isVirtual))
      testOrApi(K, F);
  }
  for (const RootInfo &R : Roots)
    if (R.kind == RootKind::Test)
      Tests.insert(Tests.end(), R.entries.begin(), R.entries.end());
  const int ApiCtx = addContext({Context::Kind::Api, -1, -1});
  const int TestsCtx = addContext({Context::Kind::Tests, -1, -1});
  reach(ApiCtx, Api);
  reach(TestsCtx, Tests);
  // An external function whose only callers are itself, or dead code, is
  // still API: a recursion does not call itself into existence.
  Api.clear();
  Tests.clear();
  for (const auto &[K, F] : P.functions)
    if ((F.isExternal || F.isVirtual) && !F.isMain && !F.isInitializer && !isLambda(F) &&
        !Graph.initialization.count(K) && !InSomeProgram.count(K) && contextsOf(K).empty())
      testOrApi(K, F);
  reach(ApiCtx, Api);
  reach(TestsCtx, Tests);
  // Roots the library's code starts, until no more are found.
  std::set<int> Started;
  for (bool Grew = true; Grew;) {
    Grew = false;
    for (int R = 0; R < static_cast<int>(Roots.size()); ++R) {
      if (Roots[R].kind == RootKind::Test || Started.count(R))
        continue;
      auto It = FunctionContexts.find(Roots[R].starter);
      bool InLibrary = It != FunctionContexts.end() && std::any_of(It->second.begin(), It->second.end(),
                                                                   [&](int C) { return Contexts[C].program < 0; });
      if (!InLibrary)
        continue;
      Started.insert(R);
      // A callback a test body hands to a library the scan cannot see (a
      // gtest matcher, a mock's action) runs during that test: what runs
      // it elsewhere is a listed thread or executor, a root of its own.
      const bool DuringTest = Roots[R].kind == RootKind::Callback && !Roots[R].handler &&
                              std::all_of(It->second.begin(), It->second.end(),
                                          [&](int C) { return Contexts[C].kind == Context::Kind::Tests; });
      reach(DuringTest ? TestsCtx : addContext({Context::Kind::Root, -1, R}), Roots[R].entries);
      Grew = true;
    }
  }
}

} // namespace sharedstate
