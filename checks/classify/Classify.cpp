// Classification rules (the categories are described in Classify.h).
//
// Phase: a write is in the initialization phase when it happens in the dynamic
// initializer of a static-storage variable, or in a function reached only from
// such initializers. "Only" is a greatest fixed point over the call graph: a
// function is initialization-only unless something that is not (main, an
// address-taken or virtual function, a function nobody we saw calls) calls it.
//
// Synchronization: a write is synchronized when the extractor saw a lock, an
// atomic operation or call_once at the write, or when every call of its
// function is itself synchronized (the same fixed point over call edges).
#include "classify/Classify.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>

namespace sharedstate {

namespace {
const char *const CheckIds[] = {
#define SHAREDSTATE_CHECK(Id, Kind, Class, Doc) Id,
#include "Checks.def"
};
const char *const VerdictNames[] = {"thread-safe", "probably-thread-safe", "not-thread-safe"};
} // namespace

const char *toString(Verdict V) { return VerdictNames[static_cast<int>(V)]; }
std::optional<Verdict> parseVerdict(const std::string &S) {
  for (int I = 0; I < 3; ++I)
    if (S == VerdictNames[I])
      return static_cast<Verdict>(I);
  return std::nullopt;
}

const char *checkFor(VarKind K) { return CheckIds[static_cast<int>(K)]; }

std::string describe(const Evidence &E) {
  std::string S = std::string(toString(E.what)) + (E.field.empty() ? "" : " '" + E.field + "'") + " in '" +
                  E.function + "'";
  if (!E.detail.empty())
    S += " (" + E.detail + ")";
  S += std::string(", ") + toString(E.phase);
  if (E.sync != Sync::None)
    S += std::string(", synchronized by ") + toString(E.sync);
  return S;
}

std::string fingerprint(const std::string &Check, const std::string &Key) {
  uint64_t H = 1469598103934665603ULL;
  auto Feed = [&H](const std::string &S) {
    for (unsigned char C : S) {
      H ^= C;
      H *= 1099511628211ULL;
    }
  };
  Feed(Check);
  Feed(std::string(1, '\0'));
  Feed(Key);
  char Buf[17];
  std::snprintf(Buf, sizeof Buf, "%016llx", static_cast<unsigned long long>(H));
  return Buf;
}

CallGraphFacts analyzeCallGraph(const ProgramFacts &P) {
  std::map<std::string, std::vector<const CallEdge *>> Callers, Callees;
  for (const CallEdge &E : P.edges) {
    Callers[E.callee].push_back(&E);
    Callees[E.caller].push_back(&E);
  }
  auto Info = [&](const std::string &K) -> const Function * {
    auto It = P.functions.find(K);
    return It == P.functions.end() ? nullptr : &It->second;
  };
  auto IsInitializer = [&](const std::string &K) {
    const Function *F = Info(K);
    return F && F->isInitializer;
  };
  auto IsEntry = [&](const std::string &K) {
    const Function *F = Info(K);
    return F && F->isEntry;
  };

  // "Every caller satisfies X" is a greatest fixed point, but only over the
  // functions reachable from where X holds: a recursive function that nothing
  // else calls must not vouch for itself.
  auto Reachable = [&](std::vector<std::string> Work) {
    std::set<std::string> Seen;
    while (!Work.empty()) {
      std::string K = std::move(Work.back());
      Work.pop_back();
      if (IsEntry(K) || !Seen.insert(K).second)
        continue;
      for (const CallEdge *E : Callees[K])
        Work.push_back(E->callee);
    }
    return Seen;
  };
  auto ShrinkUntilStable = [&](std::set<std::string> &Set, auto &&EdgeKeeps) {
    for (bool Changed = true; Changed;) {
      Changed = false;
      for (auto It = Set.begin(); It != Set.end();) {
        const auto &In = Callers[*It];
        bool Keep = !IsEntry(*It) && !In.empty() &&
                    std::all_of(In.begin(), In.end(), [&](const CallEdge *E) { return EdgeKeeps(*E); });
        if (Keep) {
          ++It;
        } else {
          It = Set.erase(It);
          Changed = true;
        }
      }
    }
  };

  CallGraphFacts Out;
  // Initialization: reached from a static initializer, and called only by
  // initialization code.
  std::vector<std::string> Initializers;
  for (const auto &[K, F] : P.functions)
    if (F.isInitializer)
      Initializers.push_back(K);
  std::set<std::string> Init = Reachable(Initializers);
  for (const std::string &K : Initializers)
    Init.erase(K); // roots are not subject to the caller rule
  ShrinkUntilStable(Init, [&](const CallEdge &E) { return IsInitializer(E.caller) || Init.count(E.caller); });
  Out.initialization = std::move(Init);
  for (const std::string &K : Initializers)
    Out.initialization.insert(K);

  // Protection: reached through a synchronized call, and every call into it
  // is synchronized or made from protected code.
  std::vector<std::string> Locked;
  for (const CallEdge &E : P.edges)
    if (E.sync != Sync::None)
      Locked.push_back(E.callee);
  std::set<std::string> Protected = Reachable(Locked);
  for (const std::string &K : Initializers)
    Protected.erase(K);
  ShrinkUntilStable(Protected, [&](const CallEdge &E) { return E.sync != Sync::None || Protected.count(E.caller); });

  // The kind a protected function inherits: what its incoming calls agree on
  // (an unsynchronized call from protected code passes on its caller's kind),
  // or "lock" where they differ.
  for (const std::string &K : Protected)
    Out.protectedBy[K] = Sync::None;
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (auto &[K, Kind] : Out.protectedBy) {
      std::optional<Sync> Agreed;
      for (const CallEdge *E : Callers[K]) {
        Sync S = E->sync != Sync::None ? E->sync : Out.protectedBy[E->caller];
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
  for (auto &[K, Kind] : Out.protectedBy)
    if (Kind == Sync::None)
      Kind = Sync::Lock; // only reachable through protected cycles
  return Out;
}

namespace {

/// A resolved access: which variable, and whether it reached the whole object.
struct Resolved {
  std::string varKey;
  bool whole = true;
};

/// Follows call-result targets through the functions' ReturnAlias facts:
/// `registry().add(x)` mutates whatever registry() returns a reference to.
void resolve(const AccessTarget &T, bool Whole,
             const std::multimap<std::string, const ReturnAlias *> &Aliases,
             std::set<std::string> &Visiting, std::vector<Resolved> &Out) {
  if (!T.varKey.empty()) {
    Out.push_back({T.varKey, Whole});
    return;
  }
  if (!Visiting.insert(T.calleeKey).second)
    return; // recursion through mutually returning functions
  auto [B, E] = Aliases.equal_range(T.calleeKey);
  for (auto It = B; It != E; ++It)
    resolve(It->second->target, Whole && It->second->whole, Aliases, Visiting, Out);
  Visiting.erase(T.calleeKey);
}

bool isWrite(AccessWhat W) {
  return W == AccessWhat::Reassign || W == AccessWhat::Mutate || W == AccessWhat::Escape;
}

std::string subject(const SharedVariable &V) {
  switch (V.kind) {
  case VarKind::NamespaceGlobal:
    return "global '" + V.name + "'";
  case VarKind::StaticMember:
    return "static member '" + V.name + "'";
  case VarKind::FunctionLocalStatic:
    return "function-local static '" + V.name + "'";
  }
  return "'" + V.name + "'";
}

void describe(const SharedVariable &V, Finding &F, bool Reassigned, bool Escaped, bool Borrowed) {
  const std::string S = subject(V);
  const std::string Cat = "category " + std::to_string(F.category);
  const char *Did = Reassigned ? "reassigned" : Escaped ? "mutated (or its address escapes)" : "mutated";
  switch (F.category) {
  case 1:
    if (V.isSyncPrimitive)
      F.message = S + " is a synchronization object (" + V.syncType +
                  ") and is meant to be shared (" + Cat + ", thread-safe)";
    else
      F.message = S + " is never written after initialization (" + Cat + ", thread-safe)";
    // Not for a variable that hands out non-const access (returned by
    // reference, bound to a non-const alias): const would not compile.
    if (!V.isConst && !V.isSyncPrimitive && !V.isReference && !V.hasSyncMembers && !Borrowed)
      F.hint = std::string("nothing writes it: declare it ") +
               (V.init == InitKind::Dynamic ? "const" : "constexpr or const") + " to say so";
    return;
  case 2:
    F.message = S + " is written only during initialization (" + Cat + ", probably thread-safe)";
    return;
  default:
    if (F.verdict == Verdict::NotThreadSafe)
      F.message = S + " is " + Did + " at run time without synchronization (" + Cat +
                  ", not thread-safe): concurrent requests race on it, which is undefined behaviour";
    else if (V.isGuarded)
      F.message = S + " is " + Did + " at run time under its guarded_by lock (" + Cat +
                  ", probably thread-safe)";
    else
      F.message = S + " is " + Did + " at run time, always synchronized (" + Cat +
                  ", probably thread-safe)";
  }
}

/// The same write seen in several template instantiations (or inline
/// functions in several TUs) is one piece of evidence: it is run time if any
/// copy is, and unsynchronized if any copy is.
void foldInstantiations(std::vector<Evidence> &Ev) {
  auto Key = [](const Evidence &E) { return std::tie(E.location, E.what, E.function, E.detail); };
  std::sort(Ev.begin(), Ev.end(), [&](const Evidence &A, const Evidence &B) { return Key(A) < Key(B); });
  std::vector<Evidence> Out;
  for (Evidence &E : Ev) {
    if (Out.empty() || Key(Out.back()) != Key(E)) {
      Out.push_back(std::move(E));
      continue;
    }
    // Run time dominates initialization, with the run-time copy's sync; within
    // one phase a single unsynchronized copy makes the write unsynchronized.
    Evidence &Kept = Out.back();
    if (E.phase == Phase::Runtime && Kept.phase == Phase::Initialization)
      Kept = std::move(E);
    else if (E.phase == Kept.phase && E.sync == Sync::None)
      Kept.sync = Sync::None;
  }
  Ev = std::move(Out);
}

/// A write resolved to a variable, with the access it came from.
struct AccessOn {
  const Access *access;
  Evidence evidence;
};

bool within(const SourceLocation &L, const SourceLocation &Begin, const SourceLocation &End) {
  return L.file == Begin.file && !(L < Begin) && !(End < L);
}

/// Functions reachable from Roots in at most Depth calls.
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

std::string lazyMessage(const std::string &Shape, const SharedVariable &V) {
  const std::string N = "'" + V.name + "'";
  std::string Why, Fix;
  if (Shape == "incomplete-init") {
    Why = "it is filled after a check that it is empty, without synchronization: another request can use it "
          "half-built";
    Fix = "build it whole in a function-local 'static const auto x = build();', or fill it inside std::call_once";
  } else if (Shape == "duplicate-init") {
    Why = "it is initialized after a check that it is unset, without synchronization: two requests can both "
          "initialize it, a data race in C++ unless it is atomic";
    Fix = "use a function-local 'static T *const x = make();', std::call_once, or a std::atomic pointer published "
          "with release/acquire";
  } else if (Shape == "double-checked") {
    Why = "the check outside the lock races with the write inside it, because the variable is not atomic";
    Fix = "make it a std::atomic with acquire/release, or use a function-local static or std::call_once";
  } else if (Shape == "memoize") {
    Why = "it is looked up and then inserted into without synchronization: concurrent requests race on the container";
    Fix = "hold one lock across the lookup and the insert, or fill the cache once with std::call_once";
  } else {
    Why = "the flag is tested and then set without synchronization: another request can see it set before the "
          "data it guards is ready, or run the initialization twice";
    Fix = "use std::call_once or a function-local static instead of the flag";
  }
  return "lazy initialization race on " + N + " (" + Shape + "): " + Why + "; " + Fix;
}

/// Lazy initialization: a check that a shared variable is unset, followed on
/// the unset path (directly, or in functions called from it, in any TU) by
/// writes to it. Not a race when the check holds a lock (the writes are then
/// expected under the same lock), when the writes all run inside call_once,
/// or when the whole thing runs only during static initialization.
std::vector<Finding> lazyInitFindings(const ProgramFacts &P, const CallGraphFacts &Graph,
                                      const std::map<std::string, std::vector<AccessOn>> &WritesByVar,
                                      const std::multimap<std::string, const ReturnAlias *> &Aliases) {
  std::vector<Finding> Out;
  std::map<std::string, int> Ordinal; // checks of one variable in one function
  for (const GuardedCheck &G : P.guardedChecks) {
    // Numbered before any check is skipped, so that a check that becomes
    // safe does not hand its id to the next one.
    int N = Ordinal[G.varKey + "\n" + G.functionKey]++;
    // `registry().items.empty()`: the variables the function hands out.
    std::vector<std::string> Tested{G.varKey};
    if (G.varKey.rfind("callee:", 0) == 0) {
      std::vector<Resolved> Targets;
      std::set<std::string> Visiting;
      resolve(AccessTarget{"", G.varKey.substr(7)}, true, Aliases, Visiting, Targets);
      Tested.clear();
      for (const Resolved &R : Targets)
        Tested.push_back(R.varKey);
    }
    for (const std::string &VarKey : Tested) {
    auto VarIt = P.variables.find(VarKey);
    auto WIt = WritesByVar.find(VarKey);
    if (VarIt == P.variables.end() || WIt == WritesByVar.end() || VarIt->second.isSyncPrimitive)
      continue;
    // A check made under a lock, its own or one every caller holds.
    bool Locked = G.sync != Sync::None || Graph.protectedBy.count(G.functionKey);
    if ((Locked && !G.doubleChecked) || Graph.initialization.count(G.functionKey))
      continue;
    std::set<std::string> Called = reachable(P, G.callees, 4);
    std::vector<Evidence> Writes;
    bool Reassigned = false, AllOnce = true, GuardsData = false;
    if (G.kind == CheckKind::Flag)
      for (const auto &[Other, OtherWrites] : WritesByVar)
        for (const AccessOn &W : OtherWrites)
          GuardsData = GuardsData || (Other != VarKey && (within(W.access->location, G.regionBegin, G.regionEnd) ||
                                                            Called.count(W.access->functionKey)));
    for (const AccessOn &W : WIt->second) {
      bool InRegion = within(W.access->location, G.regionBegin, G.regionEnd);
      if (!InRegion && !Called.count(W.access->functionKey))
        continue;
      Writes.push_back(W.evidence);
      Reassigned = Reassigned || W.evidence.what == AccessWhat::Reassign;
      AllOnce = AllOnce && W.evidence.sync == Sync::Once;
    }
    if (Writes.empty() || AllOnce)
      continue;
    // A flag that guards no other shared data is itself the thing initialized
    // twice ("log once"): a duplicate initialization.
    std::string Shape = G.doubleChecked                               ? "double-checked"
                        : G.kind == CheckKind::KeyLookup              ? "memoize"
                        : G.kind == CheckKind::Flag && GuardsData     ? "flag"
                        : G.kind == CheckKind::Nullness   ? "duplicate-init"
                        : Reassigned                      ? "duplicate-init"
                                                          : "incomplete-init";
    if (Shape == "flag" && !Reassigned)
      continue; // the flag is never set here: not an initialization flag
    const SharedVariable &V = VarIt->second;
    Finding F;
    F.key = VarKey;
    F.check = "sharedstate-lazy-init";
    F.kind = "lazy-init";
    F.shape = Shape;
    F.category = 3;
    F.verdict = Verdict::NotThreadSafe;
    F.symbol = V.name;
    F.type = V.type;
    F.location = G.location;
    F.id = fingerprint(F.check, VarKey + "@" + G.functionKey + "#" + std::to_string(N));
    F.message = lazyMessage(Shape, V);
    Evidence Check;
    Check.what = AccessWhat::Check;
    Check.location = G.location;
    Check.function = G.functionName;
    Check.phase = Phase::Runtime;
    Check.sync = G.sync;
    Check.detail = std::string("tests that it is unset (") + toString(G.kind) + ")";
    F.evidence.push_back(Check);
    foldInstantiations(Writes);
    F.evidence.insert(F.evidence.end(), Writes.begin(), Writes.end());
    Out.push_back(std::move(F));
    }
  }
  return Out;
}

/// The function a lambda is defined in, from its key
/// ("lambda:<enclosing>#<index>@<file>"), or "" for other functions.
std::string enclosingOfLambda(const std::string &Key) {
  if (Key.rfind("lambda:", 0) != 0)
    return "";
  size_t Hash = Key.rfind('#');
  return Hash == std::string::npos ? "" : Key.substr(7, Hash - 7);
}

std::string quotedList(const std::vector<std::string> &Names) {
  std::string S;
  for (size_t I = 0; I < Names.size(); ++I)
    S += (I == 0 ? "" : I + 1 == Names.size() ? " and " : ", ") + ("'" + Names[I] + "'");
  return S;
}

/// Global instances and Meyers singletons of user classes: the methods
/// called on them at run time, outside any lock, are their entry points.
void variableInstances(const ProgramFacts &P, const CallGraphFacts &Graph,
                       const std::multimap<std::string, const ReturnAlias *> &Aliases,
                       std::map<std::string, std::vector<HandlerInstance>> &ByClass) {
  std::map<std::string, std::set<std::string>> Called; // variable -> methods
  for (const Access &A : P.accesses) {
    if (A.method.empty() || Graph.initialization.count(A.functionKey))
      continue;
    if (A.sync != Sync::None || Graph.protectedBy.count(A.functionKey))
      continue;
    std::vector<Resolved> Targets;
    std::set<std::string> Visiting;
    resolve(A.target, true, Aliases, Visiting, Targets);
    for (const Resolved &R : Targets)
      Called[R.varKey].insert(A.method);
  }
  for (const auto &[Key, Methods] : Called) {
    auto It = P.variables.find(Key);
    // A class listed as a synchronization type is meant to be shared.
    if (It == P.variables.end() || It->second.classKey.empty() || It->second.isSyncPrimitive)
      continue;
    const SharedVariable &V = It->second;
    HandlerInstance H;
    H.classKey = V.classKey;
    bool Meyers = V.kind == VarKind::FunctionLocalStatic;
    H.how = Meyers ? "meyers" : "global";
    H.detail = std::string(Meyers ? "Meyers singleton '" : V.kind == VarKind::StaticMember ? "static member '"
                                                                                          : "global instance '") +
               V.name + "', whose methods are called at run time";
    H.location = V.location;
    H.entries.assign(Methods.begin(), Methods.end());
    ByClass[H.classKey].push_back(std::move(H));
  }
}

std::string singletonMessage(const std::string &Name, const std::vector<Instance> &Instances,
                             const std::vector<std::string> &Fields) {
  return "'" + Name + "' has one instance per process (" + Instances.front().detail + ") and writes " +
         (Fields.size() == 1 ? "its field " : "its fields ") + quotedList(Fields) +
         " while serving requests (category 3, not thread-safe): one request's data stays behind for the next "
         "request, and concurrent requests race on " +
         (Fields.size() == 1 ? "it" : "them") +
         "; construct the handler per request, keep per-request data in locals or in the request or session, or "
         "guard the fields with a mutex";
}

/// Handlers that exist once per process (framework controllers, registered
/// functors and lambdas' captured objects, accessor-provided, global and
/// Meyers instances) and write their own fields while serving a request:
/// the writes reached from the entry points the framework calls, through
/// calls into the class and its bases (and lambdas they define), outside
/// locks and initialization.
std::vector<Finding> singletonFindings(const ProgramFacts &P, const CallGraphFacts &Graph,
                                       const std::multimap<std::string, const ReturnAlias *> &Aliases) {
  std::map<std::string, std::vector<HandlerInstance>> ByClass;
  for (const HandlerInstance &H : P.handlerInstances)
    ByClass[H.classKey].push_back(H);
  variableInstances(P, Graph, Aliases, ByClass);
  if (ByClass.empty())
    return {};

  std::map<std::string, std::vector<const Function *>> Members;
  std::map<std::string, std::vector<std::string>> Lambdas; // function -> lambdas defined in it
  for (const auto &[K, F] : P.functions) {
    if (!F.memberOf.empty())
      Members[F.memberOf].push_back(&F);
    if (std::string Outer = enclosingOfLambda(K); !Outer.empty())
      Lambdas[Outer].push_back(K);
  }
  std::map<std::string, std::vector<const CallEdge *>> Callees, Callers;
  for (const CallEdge &E : P.edges) {
    Callees[E.caller].push_back(&E);
    Callers[E.callee].push_back(&E);
  }
  auto MemberOf = [&](const std::string &K) -> std::string {
    auto It = P.functions.find(K);
    return It == P.functions.end() ? std::string() : It->second.memberOf;
  };
  auto IsStructor = [&](const std::string &K) {
    auto It = P.functions.find(K);
    return It != P.functions.end() && It->second.isStructor;
  };

  std::vector<Finding> Out;
  for (const auto &[ClassKey, Hs] : ByClass) {
    auto CI = P.classes.find(ClassKey);
    std::set<std::string> Family{ClassKey};
    if (CI != P.classes.end())
      Family.insert(CI->second.bases.begin(), CI->second.bases.end());

    // Entry points: what the framework calls.
    std::set<std::string> Reach;
    std::vector<std::string> Work;
    auto Enter = [&](const std::string &K) {
      if (!Graph.initialization.count(K) && Reach.insert(K).second)
        Work.push_back(K);
    };
    for (const HandlerInstance &H : Hs) {
      for (const std::string &K : H.entries)
        Enter(K);
      if (H.entryRule.empty())
        continue;
      for (const std::string &C : Family)
        for (const Function *F : Members[C]) {
          bool Fits = H.entryRule == "call-operators" ? F->isCallOperator : F->isPublic;
          // A public init() that only the constructor calls is construction.
          const auto &In = Callers[F->key];
          bool OnlyFromStructors = !In.empty() && std::all_of(In.begin(), In.end(), [&](const CallEdge *E) {
            return IsStructor(E->caller) && Family.count(MemberOf(E->caller));
          });
          if (Fits && !OnlyFromStructors)
            Enter(F->key);
        }
    }
    // What they reach in the class: its member functions and their lambdas.
    while (!Work.empty()) {
      std::string K = std::move(Work.back());
      Work.pop_back();
      for (const CallEdge *E : Callees[K])
        if (E->sync == Sync::None && Family.count(MemberOf(E->callee)) && !IsStructor(E->callee))
          Enter(E->callee);
      for (const std::string &L : Lambdas[K])
        Enter(L);
    }

    std::vector<Evidence> Writes;
    for (const Access &A : P.memberWrites) {
      if (!Family.count(A.target.varKey) || !Reach.count(A.functionKey) || A.sync != Sync::None ||
          Graph.protectedBy.count(A.functionKey))
        continue;
      Evidence E;
      E.what = A.what;
      E.location = A.location;
      E.function = A.functionName;
      E.phase = Phase::Runtime;
      E.detail = A.detail;
      E.field = A.field;
      Writes.push_back(std::move(E));
    }
    if (Writes.empty())
      continue;
    foldInstantiations(Writes);

    Finding F;
    F.key = ClassKey;
    F.check = "sharedstate-singleton-handler";
    F.kind = "singleton-handler";
    F.id = fingerprint(F.check, ClassKey);
    F.category = 3;
    F.verdict = Verdict::NotThreadSafe;
    for (const HandlerInstance &H : Hs)
      F.instances.push_back({H.how, H.detail, H.location});
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
    F.message = singletonMessage(F.symbol, F.instances, Fields);
    F.evidence = std::move(Writes);
    Out.push_back(std::move(F));
  }
  return Out;
}

} // namespace

std::vector<Finding> classify(const ProgramFacts &P) {
  const CallGraphFacts Graph = analyzeCallGraph(P);
  std::multimap<std::string, const ReturnAlias *> Aliases;
  std::set<std::string> Borrowed = P.borrowed;
  for (const ReturnAlias &R : P.returnAliases) {
    Aliases.emplace(R.functionKey, &R);
    // Returned by non-const reference or pointer. A forwarding-reference
    // parameter is not borrowing: given a const object it deduces const T&.
    if (!R.target.varKey.empty() && R.functionKey.rfind("param:", 0) != 0)
      Borrowed.insert(R.target.varKey);
  }

  std::map<std::string, std::vector<Evidence>> ByVar;
  std::map<std::string, std::vector<AccessOn>> WritesByVar;
  for (const Access &A : P.accesses) {
    std::vector<Resolved> Targets;
    std::set<std::string> Visiting;
    resolve(A.target, true, Aliases, Visiting, Targets);
    for (const Resolved &R : Targets) {
      Evidence E;
      // Through an element or field, "reassign" only replaces that part.
      E.what = (A.what == AccessWhat::Reassign && !R.whole) ? AccessWhat::Mutate : A.what;
      E.location = A.location;
      E.function = A.functionName;
      E.phase = (A.what == AccessWhat::Init || Graph.initialization.count(A.functionKey))
                    ? Phase::Initialization
                    : Phase::Runtime;
      E.sync = A.sync;
      if (E.sync == Sync::None) {
        auto It = Graph.protectedBy.find(A.functionKey);
        if (It != Graph.protectedBy.end())
          E.sync = It->second;
      }
      E.detail = A.detail;
      if (isWrite(E.what))
        WritesByVar[R.varKey].push_back({&A, E});
      ByVar[R.varKey].push_back(std::move(E));
    }
  }

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
    if (V.isConst)
      F.qualifiers.emplace_back("const");
    if (V.isReference)
      F.qualifiers.emplace_back("reference");
    if (V.isSyncPrimitive)
      F.qualifiers.emplace_back("synchronization");
    if (V.isGuarded)
      F.qualifiers.emplace_back("guarded_by");

    auto It = ByVar.find(Key);
    if (It != ByVar.end() && !V.isSyncPrimitive)
      F.evidence = std::move(It->second);
    foldInstantiations(F.evidence);

    bool AnyWrite = false, RuntimeReassign = false, RuntimeMutate = false, Escaped = false,
         Unsynchronized = false;
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
    describe(V, F, RuntimeReassign, Escaped && !RuntimeReassign, Borrowed.count(Key) != 0);
    Out.push_back(std::move(F));
  }
  for (Finding &F : lazyInitFindings(P, Graph, WritesByVar, Aliases))
    Out.push_back(std::move(F));
  for (Finding &F : singletonFindings(P, Graph, Aliases))
    Out.push_back(std::move(F));
  std::sort(Out.begin(), Out.end(), [](const Finding &A, const Finding &B) {
    return std::tie(A.location, A.symbol, A.check) < std::tie(B.location, B.symbol, B.check);
  });
  return Out;
}

} // namespace sharedstate
