// Concurrency: what can run at the same time as what, in each program.
//
// Code runs in contexts:
// - in a program (a TU defining main): main's start-up (its statements
//   before the first that can start a thread or enter a server loop), its
//   run time (from there on), its quiet stretches (after the statements
//   that join every thread running then, when main started them all), and
//   each root the program starts: a thread, an executor task, a callback
//   kept by code the scan cannot see, a request handler. A thread main
//   starts and joins runs alongside main's statements from the one that
//   starts it to the one that joins it (its handle: the std::thread,
//   pthread_t or container of them); a thread another function starts
//   and joins, on main's thread or in a test, only alongside that
//   function's statements between the two (its window); any other root
//   from the end of start-up on;
// - outside any program (a library's code): its API (functions with
//   external linkage that nothing scanned calls, and functions whose
//   address escapes), its test bodies, and the roots they start.
// A function runs in every context its callers run in (call edges, plus
// virtual dispatch from a base to its overrides, plus a callable given to a
// function the program defines, which runs inside it); a static
// initializer's code runs before main, in none. A function in no context
// at all is dead code: nothing calls it and nothing outside can.
//
// Two contexts are concurrent when they belong to the same program (other
// programs are other processes) and: one is a root and the other main's run
// time while the root runs, or another root whose stretch of main overlaps
// its own; or both are the same root with many instances
// (started in a loop, a callback or handler a server may run on several
// threads, or started from code that itself has many); or either is the
// library's API, whose callers may be anywhere. Start-up and shutdown are
// concurrent with nothing, and test bodies run one after another (a thread
// a test body starts is concurrent with other such threads, not with the
// test bodies: a test joins what it starts). Callbacks
// of a serial API (an event loop) all share one context. A program whose
// main runs an event loop itself (io_context::run) and whose every root is
// a callback of that loop, or kept by the program's own code, is
// single-threaded: the callbacks run one at a time inside main's call.
#pragma once

#include "classify/CallGraph.h"
#include "classify/Resolve.h"
#include "facts/Merge.h"

#include <deque>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace sharedstate {

/// Where concurrency starts, resolved for the whole program.
struct RootInfo {
  RootKind kind = RootKind::Thread;
  bool handler = false; ///< a request handler (a controller, a registered object)
  std::string via;
  SourceLocation location;
  std::vector<std::string> entries;
  std::string starter;
  bool many = false;
  bool serial = false;
  bool onLoop = false; ///< a callback of the program's event loop, if it has one (Root::onLoop)
  bool borrowsThread = false; ///< a signal or atexit handler (Root::borrowsThread)
  std::string handle;  ///< Root::handle
  /// Started only from test bodies: it runs while its test runs, which
  /// (joined before the test ends, as tests do) is no other test.
  bool fromTests = false;
};

struct Context {
  enum class Kind { Startup, Runtime, Shutdown, Root, Tests, Api };
  static constexpr int Never = std::numeric_limits<int>::max();
  Context(Kind K, int Program, int Root) : kind(K), program(Program), root(Root) {}
  Kind kind = Kind::Runtime;
  int program = -1; ///< index into ConcurrencyModel::programs(); -1: the library
  int root = -1;    ///< Root contexts: index into roots()
  /// Root contexts of a program: the first and the last of main's
  /// statements it can run alongside, from the one that starts it to the
  /// one that joins it (Never: it is not joined).
  int from = 0, to = Never;
  /// Runtime contexts: whether only some of the program's roots run
  /// alongside this stretch of main, and which (indexes into roots()).
  bool limited = false;
  std::vector<int> with;
  /// Root contexts of a thread a function other than main starts and joins
  /// before it returns, and the Runtime context of that function's own
  /// thread while the thread runs (its "window"): the function's key.
  std::string scope;
};

class ConcurrencyModel {
public:
  /// SerialApi: the library's API is called from one thread at a time
  /// (LibraryCallers: serial): it is concurrent only with the threads and
  /// callbacks that run beside it, not with itself or the test bodies.
  ConcurrencyModel(const ProgramFacts &P, const CallGraphFacts &Graph, const AliasIndex &Aliases,
                   bool SerialApi = false);

  const std::vector<RootInfo> &roots() const { return Roots; }
  const std::vector<Context> &contexts() const { return Contexts; }
  /// The programs' main keys, in context order.
  const std::vector<std::string> &programs() const { return Programs; }

  /// The contexts an access runs in: its function's, or for main's own
  /// code, its statement's. Empty: initialization, or dead code.
  std::vector<int> contextsOf(const Access &A) const;
  /// The phase an access runs in (initialization, start-up, run time or
  /// shutdown), from its contexts.
  Phase phaseOf(const Access &A) const;
  /// Whether nothing can call the access's function (dead code).
  bool isDead(const Access &A) const;

  bool concurrent(int A, int B) const;
  /// Whether the function can run concurrently with itself.
  bool selfConcurrent(const std::string &Function) const;
  const std::vector<int> &contextsOf(const std::string &Function) const;

  /// The locks every call of a function holds (the caller's, inherited
  /// through the calls, and its own body's), sorted.
  const std::vector<LockRef> &inheritedLocks(const std::string &Function) const;
  /// The flags every call of a function is followed by a release store of,
  /// and those an acquire load saw set before every call of it (HandOffs).
  const std::vector<LockRef> &inheritedReleases(const std::string &Function) const;
  const std::vector<LockRef> &inheritedAcquires(const std::string &Function) const;
  /// A lock with its CallResult identity resolved to the variable it is.
  LockRef resolved(const LockRef &L) const;

  /// Where start-up ends in each program (the statement's location), if it does.
  const std::map<std::string, SourceLocation> &startupEnds() const { return StartupEnds; }
  /// Programs that start no thread and serve no request: single-threaded.
  bool singleThreaded(int Program) const;

  /// "worker threads started at main.cpp:40", "the library's API", ...
  std::string describe(int Context, const std::string &Root) const;

private:
  struct MainSteps;
  void completeGraph();
  template <typename EdgeFn> void completeSpecialMembers(EdgeFn &Edge);
  void collectRoots();
  void analyzePrograms();
  static bool within(const SourceLocation &L, const SourceLocation &Begin, const SourceLocation &End);
  static void addUnique(std::vector<int> &To, int V);
  // ConcurrencyPrograms.cpp
  std::set<std::string> startingFunctions() const;
  std::vector<int> programRoots(const std::string &MainKey, std::set<std::string> &Universe) const;
  bool runsEventLoop(const std::vector<std::string> &From) const;
  size_t startupBoundary(const ProgramMain &M, const std::set<std::string> &Starts) const;
  void analyzeProgram(const ProgramMain &M, const std::set<std::string> &Starts);
  /// The statements of main each root of a program runs alongside (Context::from/to).
  std::map<int, std::pair<int, int>> rootLifetimes(const ProgramMain &M, const std::vector<int> &ProgramRoots,
                                                   size_t Boundary, size_t Shutdown) const;
  void analyzeLibrary();
  void propagate();
  void scopeThreads();
  /// The statement of Steps that starts Root, and the first from there
  /// that joins its handle.
  struct JoinSpan {
    std::optional<size_t> start, join;
  };
  static JoinSpan joinSpan(const std::vector<MainStep> &Steps, const RootInfo &Root);
  /// Appends what K calls to Next (an Expand of closure()).
  void calleesInto(const std::string &K, std::vector<std::string> &Next) const {
    if (auto It = Callees.find(K); It != Callees.end())
      Next.insert(Next.end(), It->second.begin(), It->second.end());
  }
  void countInstances();
  void inheritLocks();
  /// Every function's incoming call edges, and the functions also called
  /// from where the scan cannot see (they inherit nothing).
  struct CallSites {
    std::map<std::string, std::vector<const CallEdge *>> in;
    std::map<std::string, std::set<std::string>> callees; ///< by caller
    std::set<std::string> calledBare;
  };
  CallSites callSites() const;
  template <typename SiteFn, typename OwnFn>
  std::map<std::string, std::vector<LockRef>> meetOverCalls(const CallSites &Sites, SiteFn AtSite, OwnFn Own) const;
  int addContext(Context C);
  void reach(int Context, const std::vector<std::string> &Entries);
  /// Visits From and what Expand(K, Next) leads to from each K, breadth
  /// first, each function once: Seen gains every one visited (those it
  /// already holds are not visited again).
  template <typename ExpandFn>
  static void closure(const std::vector<std::string> &From, std::set<std::string> &Seen, ExpandFn Expand) {
    std::deque<std::string> Work(From.begin(), From.end());
    std::vector<std::string> Next;
    while (!Work.empty()) {
      std::string K = std::move(Work.front());
      Work.pop_front();
      if (!Seen.insert(K).second)
        continue;
      Next.clear();
      Expand(K, Next);
      Work.insert(Work.end(), Next.begin(), Next.end());
    }
  }

  bool SerialApi = false;
  const ProgramFacts &P;
  const CallGraphFacts &Graph;
  const AliasIndex &Aliases;
  std::map<std::string, std::vector<std::string>> Callees, Callers;
  std::set<std::string> CalledIndirectly;
  std::vector<RootInfo> Roots;
  /// Callables kept in a std::function of a type the program calls: they
  /// run in those calls, in the programs whose code keeps them.
  struct KeptCallable {
    std::string starter; ///< the function that keeps it
    std::vector<std::string> entries;
  };
  std::vector<KeptCallable> KeptCallables;
  std::map<std::string, std::vector<int>> KeptBy; ///< a std::function-calling function -> what it may run
  std::vector<std::string> keptCallees(const std::string &K, int Program) const;
  /// What each program runs (by program index), and what any program runs.
  std::vector<std::set<std::string>> Universes;
  std::set<std::string> InSomeProgram;
  std::vector<std::string> Programs;
  std::vector<Context> Contexts;
  std::map<std::string, std::vector<int>> FunctionContexts;
  /// main's statements by program: the context of code at a location in main.
  struct Step {
    SourceLocation begin, end;
    int context;
  };
  std::map<std::string, std::vector<Step>> MainContexts;
  std::map<std::string, SourceLocation> StartupEnds;
  /// The statements of functions that start and join threads, between the
  /// first start and the last join: the window context of code there.
  std::map<std::string, std::vector<Step>> WindowSteps;
  /// What each such function's window calls, through calls.
  std::map<std::string, std::set<std::string>> WindowReach;
  std::map<std::string, std::vector<LockRef>> Inherited, InheritedReleases, InheritedAcquires;
  std::set<int> SingleThreadedPrograms;
};

} // namespace sharedstate
