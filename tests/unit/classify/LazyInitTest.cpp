// Lazy initialization, classification alone: guarded checks and writes in,
// sharedstate-lazy-init findings out. Each program is what the extractor would
// report for a fixture under fixtures/lazy_init (named in the test), so a
// failure here points at Classify.cpp, not at the AST walk. The rule under
// test: a check that a shared variable is unset, followed in its guarded
// region (or up to 4 calls from it) by writes to that variable, is a race
// unless the check holds a lock, every write runs inside call_once, or the
// check runs only during static initialization.
#include "Builders.h"

#include <iterator>
#include <set>
#include <string>
#include <vector>

using namespace sharedstate;
using namespace sharedstate::unittest;

namespace {

const std::string Lazy = "sharedstate-lazy-init";

std::vector<Finding> lazyFindings(const Program &P) {
  std::vector<Finding> Out;
  for (const Finding &F : P.findings())
    if (F.check == Lazy)
      Out.push_back(F);
  return Out;
}

/// The one lazy-init finding; fails the test if there is not exactly one.
Finding onlyLazy(const Program &P) {
  std::vector<Finding> All = lazyFindings(P);
  REQUIRE_MESSAGE(All.size() == 1, "lazy-init findings: " << All.size());
  return All.front();
}

/// The variable's own finding (mutable-global and friends), not the lazy one.
Finding ownFinding(const Program &P, const std::string &Name) {
  std::vector<Finding> Matching;
  for (const Finding &F : P.findings())
    if (F.symbol == Name && F.check != Lazy)
      Matching.push_back(F);
  REQUIRE_MESSAGE(Matching.size() == 1, "own findings for '" << Name << "': " << Matching.size());
  return Matching.front();
}

std::vector<unsigned> writeLines(const Finding &F) {
  std::vector<unsigned> Lines;
  for (const Evidence &E : F.evidence)
    if (E.what != AccessWhat::Check)
      Lines.push_back(E.location.line);
  return Lines;
}

/// fixtures/lazy_init/incomplete_init.cpp: `types()` tests
/// `mime_types.empty()` at line 10 and push_backs at lines 11 and 12.
Program incompleteInit(unsigned Shift = 0) {
  Program P;
  P.global("mime_types", 1 + Shift)
      .entry("types")
      .guarded(guardedCheck("mime_types", CheckKind::Emptiness, "types", 10 + Shift, 10 + Shift, 13 + Shift))
      .mutate("mime_types", "types", 11 + Shift)
      .mutate("mime_types", "types", 12 + Shift);
  return P;
}

/// fixtures/lazy_init/duplicate_init.cpp: `if (!config) config = new Config();`
Program duplicateInit() {
  Program P;
  P.global("config", 1)
      .entry("get_config")
      .guarded(guardedCheck("config", CheckKind::Nullness, "get_config", 10, 11, 11))
      .reassign("config", "get_config", 11);
  return P;
}

/// fixtures/lazy_init/double_checked.cpp: the unlocked test of `pool`, the
/// locked test and assignment inside it.
Program doubleChecked(Sync AtOuterCheck = Sync::None) {
  GuardedCheck Outer = guardedCheck("pool", CheckKind::Nullness, "get_pool", 10, 10, 14);
  Outer.sync = AtOuterCheck;
  Outer.doubleChecked = true;
  GuardedCheck Inner = guardedCheck("pool", CheckKind::Nullness, "get_pool", 12, 13, 13);
  Inner.sync = Sync::Lock;
  Program P;
  P.global("pool", 1)
      .entry("get_pool")
      .guarded(Outer)
      .guarded(Inner)
      .reassign("pool", "get_pool", 13, Sync::Lock);
  return P;
}

/// fixtures/lazy_init/memoize.cpp: `if (lengths.find(s) == lengths.end()) lengths[s] = ...;`
Program memoize() {
  Program P;
  P.global("lengths", 1)
      .entry("length")
      .guarded(guardedCheck("lengths", CheckKind::KeyLookup, "length", 10, 11, 11))
      .mutate("lengths", "length", 11)
      .mutate("lengths", "length", 12); // `return lengths[s];`, after the region
  return P;
}

/// fixtures/lazy_init/flag.cpp: `if (!loaded) { blocklist.push_back(..); loaded = true; }`
Program flag() {
  Program P;
  P.global("loaded", 1)
      .global("blocklist", 2)
      .entry("blocked")
      .guarded(guardedCheck("loaded", CheckKind::Flag, "blocked", 10, 10, 14))
      .mutate("blocklist", "blocked", 11)
      .mutate("blocklist", "blocked", 12)
      .reassign("loaded", "blocked", 13);
  return P;
}

/// fixtures/lazy_init/django_serializers.cpp: the check in get_serializer, the
/// write two calls away in register_serializer, outside the region.
Program djangoSerializers() {
  GuardedCheck G = guardedCheck("serializers", CheckKind::Emptiness, "get_serializer", 20, 21, 21);
  G.callees = {"load_serializers"};
  Program P;
  P.global("serializers", 1)
      .entry("get_serializer")
      .fn("load_serializers")
      .fn("register_serializer")
      .call("get_serializer", "load_serializers")
      .call("load_serializers", "register_serializer")
      .guarded(G)
      .mutate("serializers", "register_serializer", 12);
  return P;
}

} // namespace

TEST_SUITE("lazy-init") {

TEST_CASE("incomplete-init: an emptiness check, then element-wise filling") {
  const Program P = incompleteInit();
  Finding F = onlyLazy(P);
  CHECK(F.check == "sharedstate-lazy-init");
  CHECK(F.kind == "lazy-init");
  CHECK(F.shape == "incomplete-init");
  CHECK(F.category == 3);
  CHECK(F.verdict == Verdict::NotThreadSafe);
  CHECK(F.symbol == "mime_types");
  CHECK(F.key == keyOf("mime_types"));
  CHECK(F.location == at(10, 7)); // the check, not the declaration
  REQUIRE(F.evidence.size() == 3);
  // The check first, then every write with its function.
  CHECK(F.evidence[0].what == AccessWhat::Check);
  CHECK(F.evidence[0].location == at(10, 7));
  CHECK(F.evidence[0].function == "types");
  CHECK(F.evidence[0].sync == Sync::None);
  CHECK(F.evidence[0].detail.find("emptiness") != std::string::npos);
  for (size_t I : {1u, 2u}) {
    CAPTURE(I);
    CHECK(F.evidence[I].what == AccessWhat::Mutate);
    CHECK(F.evidence[I].function == "types");
    CHECK(F.evidence[I].phase == Phase::Runtime);
  }
  CHECK(writeLines(F) == std::vector<unsigned>{11, 12});
}

TEST_CASE("duplicate-init: a whole assignment after a check") {
  SUBCASE("a nullness check and an assignment") {
    Finding F = onlyLazy(duplicateInit());
    CHECK(F.shape == "duplicate-init");
    CHECK(F.symbol == "config");
    CHECK(writeLines(F) == std::vector<unsigned>{11});
    CHECK(F.evidence.back().what == AccessWhat::Reassign);
  }
  SUBCASE("an emptiness check, a temporary built, then assigned (django_template_loaders)") {
    Program P;
    P.global("template_loaders", 1)
        .entry("loaders")
        .guarded(guardedCheck("template_loaders", CheckKind::Emptiness, "loaders", 10, 10, 15))
        .reassign("template_loaders", "loaders", 14);
    CHECK(onlyLazy(P).shape == "duplicate-init");
  }
  SUBCASE("filled and then reassigned: the reassignment decides") {
    Program P;
    P.global("hosts", 1)
        .entry("all_hosts")
        .guarded(guardedCheck("hosts", CheckKind::Emptiness, "all_hosts", 10, 10, 15))
        .mutate("hosts", "all_hosts", 11)
        .reassign("hosts", "all_hosts", 12);
    Finding F = onlyLazy(P);
    CHECK(F.shape == "duplicate-init");
    CHECK(writeLines(F) == std::vector<unsigned>{11, 12});
  }
  SUBCASE("a nullness check is duplicate-init even with element writes only") {
    Program P;
    P.global("slot", 1)
        .entry("fill")
        .guarded(guardedCheck("slot", CheckKind::Nullness, "fill", 10, 11, 11))
        .mutate("slot", "fill", 11);
    CHECK(onlyLazy(P).shape == "duplicate-init");
  }
}

TEST_CASE("double-checked: the unlocked check races with the locked write") {
  SUBCASE("the outer check holds no lock") {
    const Program P = doubleChecked();
    Finding F = onlyLazy(P); // the inner, locked check is not a finding
    CHECK(F.shape == "double-checked");
    CHECK(F.location == at(10, 7));
    REQUIRE(F.evidence.size() == 2);
    CHECK(F.evidence[1].what == AccessWhat::Reassign);
    CHECK(F.evidence[1].sync == Sync::Lock);
    // The variable's own verdict is about its writes, which are all locked.
    Finding Own = ownFinding(P, "pool");
    CHECK(Own.category == 4);
    CHECK(Own.verdict == Verdict::ProbablyThreadSafe);
  }
  SUBCASE("a check marked double-checked is a finding even under a lock") {
    Finding F = onlyLazy(doubleChecked(Sync::Lock));
    CHECK(F.shape == "double-checked");
    CHECK(F.evidence[0].sync == Sync::Lock);
  }
  SUBCASE("double-checked wins over the check kind") {
    for (CheckKind K : {CheckKind::Emptiness, CheckKind::Nullness, CheckKind::Flag, CheckKind::KeyLookup}) {
      CAPTURE(K);
      GuardedCheck G = guardedCheck("table", CheckKind::Emptiness, "get", 10, 10, 14);
      G.kind = K;
      G.doubleChecked = true;
      Program P;
      P.global("table", 1).entry("get").guarded(G).reassign("table", "get", 13, Sync::Lock);
      CHECK(onlyLazy(P).shape == "double-checked");
    }
  }
}

TEST_CASE("memoize: a key lookup, then an insert") {
  Finding F = onlyLazy(memoize());
  CHECK(F.shape == "memoize");
  CHECK(F.evidence[0].detail.find("key-lookup") != std::string::npos);
  // `return lengths[s];` after the region is not part of the race evidence.
  CHECK(writeLines(F) == std::vector<unsigned>{11});
}

TEST_CASE("memoize: a key lookup followed by an assignment is still memoize") {
  Program P;
  P.global("seen", 1)
      .entry("first_time")
      .guarded(guardedCheck("seen", CheckKind::KeyLookup, "first_time", 10, 11, 11))
      .reassign("seen", "first_time", 11);
  CHECK(onlyLazy(P).shape == "memoize");
}

TEST_CASE("flag: a bool tested, then set in the region") {
  const Program P = flag();
  Finding F = onlyLazy(P);
  CHECK(F.shape == "flag");
  CHECK(F.symbol == "loaded");
  // Evidence is about the flag: the data it guards has its own finding.
  CHECK(writeLines(F) == std::vector<unsigned>{13});
  CHECK(ownFinding(P, "blocklist").verdict == Verdict::NotThreadSafe);
}

TEST_CASE("flag: a flag the region never sets is not an initialization flag") {
  Program P;
  P.global("ready", 1)
      .global("queue", 2)
      .entry("poll")
      .entry("start")
      .guarded(guardedCheck("ready", CheckKind::Flag, "poll", 10, 11, 11))
      .mutate("queue", "poll", 11)
      .reassign("ready", "start", 30); // set, but elsewhere
  CHECK(lazyFindings(P).empty());
  CHECK(ownFinding(P, "ready").category == 4);
}

TEST_CASE("the shape is in the shape field and in the message") {
  const std::pair<const char *, Program> Cases[] = {
      {"incomplete-init", incompleteInit()}, {"duplicate-init", duplicateInit()},
      {"double-checked", doubleChecked()},   {"memoize", memoize()},
      {"flag", flag()},
  };
  std::set<std::string> Messages;
  for (const auto &[Shape, P] : Cases) {
    CAPTURE(Shape);
    Finding F = onlyLazy(P);
    CHECK(F.shape == Shape);
    CHECK(F.message.find(std::string("(") + Shape + ")") != std::string::npos);
    CHECK(F.message.find("'" + F.symbol + "'") != std::string::npos);
    CHECK(F.message.find("lazy initialization race") != std::string::npos);
    // Messages are lowercase and have no trailing period (CONVENTIONS.md).
    CHECK(F.message.front() == 'l');
    CHECK(F.message.back() != '.');
    Messages.insert(F.message.substr(F.message.find(')')));
  }
  CHECK(Messages.size() == std::size(Cases)); // each shape explains itself
}

TEST_CASE("each message offers the C++ fix that fits the shape") {
  CHECK(onlyLazy(incompleteInit()).message.find("static const auto x = build();") != std::string::npos);
  CHECK(onlyLazy(duplicateInit()).message.find("std::atomic pointer published with release/acquire") !=
        std::string::npos);
  CHECK(onlyLazy(doubleChecked()).message.find("not atomic") != std::string::npos);
  CHECK(onlyLazy(memoize()).message.find("one lock across the lookup and the insert") != std::string::npos);
  CHECK(onlyLazy(flag()).message.find("std::call_once") != std::string::npos);
}

TEST_CASE("only writes in the guarded region count") {
  SUBCASE("a write before or after the region, in the same function") {
    Program P;
    P.global("mime_types", 1)
        .entry("types")
        .guarded(guardedCheck("mime_types", CheckKind::Emptiness, "types", 10, 10, 13))
        .mutate("mime_types", "types", 9)
        .mutate("mime_types", "types", 14);
    CHECK(lazyFindings(P).empty());
    CHECK(ownFinding(P, "mime_types").verdict == Verdict::NotThreadSafe);
  }
  SUBCASE("a write outside the region is left out of the evidence") {
    Program P = incompleteInit();
    P.mutate("mime_types", "types", 20);
    CHECK(writeLines(onlyLazy(P)) == std::vector<unsigned>{11, 12});
    CHECK(ownFinding(P, "mime_types").evidence.size() == 3);
  }
  SUBCASE("the region's first and last lines are inside it") {
    Program P;
    P.global("v", 1)
        .entry("f")
        .guarded(guardedCheck("v", CheckKind::Emptiness, "f", 10, 10, 13))
        .mutate("v", "f", 10)
        .mutate("v", "f", 13);
    CHECK(writeLines(onlyLazy(P)) == std::vector<unsigned>{10, 13});
  }
  SUBCASE("the same lines in another file are not the region") {
    Program P;
    P.global("v", 1).entry("f").entry("g").guarded(guardedCheck("v", CheckKind::Emptiness, "f", 10, 10, 13));
    Access A;
    A.target = AccessTarget::variable(keyOf("v"));
    A.what = AccessWhat::Mutate;
    A.location = at(11, 3, "/src/other.cpp");
    A.functionKey = "g";
    A.functionName = "g";
    P.tu.accesses.push_back(A);
    CHECK(lazyFindings(P).empty());
  }
  SUBCASE("a write in a function the region does not call") {
    Program P;
    P.global("v", 1)
        .entry("f")
        .entry("fill")
        .guarded(guardedCheck("v", CheckKind::Emptiness, "f", 10, 10, 13))
        .mutate("v", "fill", 30);
    CHECK(lazyFindings(P).empty());
  }
  SUBCASE("a check with no write to its variable at all") {
    Program P;
    P.global("v", 1).entry("f").guarded(guardedCheck("v", CheckKind::Emptiness, "f", 10, 10, 13));
    CHECK(lazyFindings(P).empty());
  }
}

TEST_CASE("writes in functions called from the region count, across calls") {
  SUBCASE("two levels deep (django_serializers)") {
    const Program P = djangoSerializers();
    Finding F = onlyLazy(P);
    CHECK(F.shape == "incomplete-init");
    CHECK(F.location == at(20, 7));
    REQUIRE(F.evidence.size() == 2);
    CHECK(F.evidence[0].function == "get_serializer");
    CHECK(F.evidence[1].function == "register_serializer");
    CHECK(F.evidence[1].location == at(12, 3));
  }
  SUBCASE("in another translation unit (cross_tu/lazy_fill_elsewhere)") {
    Program Check, Fill;
    GuardedCheck G = guardedCheck("plugins", CheckKind::Emptiness, "all_plugins", 7, 8, 8);
    G.callees = {"load_plugins"};
    Check.global("plugins", 4).entry("all_plugins").call("all_plugins", "load_plugins").guarded(G);
    Fill.tu.mainFile = "/src/fill.cpp";
    Access A;
    A.target = AccessTarget::variable(keyOf("plugins"));
    A.what = AccessWhat::Mutate;
    A.location = at(4, 3, "/src/fill.cpp");
    A.functionKey = "load_plugins";
    A.functionName = "load_plugins";
    Fill.tu.accesses.push_back(A);
    Fill.fn("load_plugins");
    std::vector<Finding> All = classify(merge({Check.tu, Fill.tu}));
    std::vector<Finding> Lazies;
    for (const Finding &F : All)
      if (F.check == Lazy)
        Lazies.push_back(F);
    REQUIRE(Lazies.size() == 1);
    CHECK(Lazies[0].shape == "incomplete-init");
    CHECK(Lazies[0].evidence.back().location == at(4, 3, "/src/fill.cpp"));
    // Each TU alone (what clang-tidy sees) has no lazy-init finding.
    CHECK(lazyFindings(Check).empty());
    CHECK(lazyFindings(Fill).empty());
  }
  SUBCASE("a function the region calls that is also called elsewhere") {
    Program P = djangoSerializers();
    P.entry("admin").call("admin", "register_serializer");
    CHECK(onlyLazy(P).evidence.size() == 2);
  }
  SUBCASE("up to 4 calls deep, not 5") {
    auto Chain = [](unsigned Depth) {
      GuardedCheck G = guardedCheck("v", CheckKind::Emptiness, "f", 10, 11, 11);
      G.callees = {"d1"};
      Program P;
      P.global("v", 1).entry("f").call("f", "d1");
      for (unsigned I = 1; I < Depth; ++I)
        P.call("d" + std::to_string(I), "d" + std::to_string(I + 1));
      P.guarded(G).mutate("v", "d" + std::to_string(Depth), 40);
      return P;
    };
    CHECK(lazyFindings(Chain(1)).size() == 1);
    CHECK(lazyFindings(Chain(4)).size() == 1);
    CHECK(lazyFindings(Chain(5)).empty());
  }
  SUBCASE("a cycle among the callees terminates") {
    GuardedCheck G = guardedCheck("v", CheckKind::Emptiness, "f", 10, 11, 11);
    G.callees = {"a"};
    Program P;
    P.global("v", 1).entry("f").call("f", "a").call("a", "b").call("b", "a").guarded(G).mutate("v", "b", 40);
    CHECK(lazyFindings(P).size() == 1);
  }
  SUBCASE("a write through a reference a function returns (registry().push_back)") {
    Program P;
    P.global("items", 1)
        .entry("f")
        .returnsVar("registry", "items")
        .guarded(guardedCheck("items", CheckKind::Emptiness, "f", 10, 11, 11))
        .accessResult("registry", AccessWhat::Mutate, "f", 11);
    Finding F = onlyLazy(P);
    CHECK(F.shape == "incomplete-init");
    CHECK(writeLines(F) == std::vector<unsigned>{11});
  }
}

TEST_CASE("a check under a held lock is not a race") {
  Program P;
  GuardedCheck G = guardedCheck("locked_list", CheckKind::Emptiness, "locked", 10, 10, 13);
  G.sync = Sync::Lock;
  P.global("locked_list", 1).entry("locked").guarded(G).mutate("locked_list", "locked", 11, Sync::Lock);
  CHECK(lazyFindings(P).empty());
  SUBCASE("the variable keeps its own finding") {
    Finding Own = ownFinding(P, "locked_list");
    CHECK(Own.category == 3);
    CHECK(Own.verdict == Verdict::ProbablyThreadSafe);
  }
  SUBCASE("with doubleChecked set it is") {
    G.doubleChecked = true;
    Program Q;
    Q.global("locked_list", 1).entry("locked").guarded(G).mutate("locked_list", "locked", 11, Sync::Lock);
    CHECK(onlyLazy(Q).shape == "double-checked");
  }
}

TEST_CASE("writes all inside call_once are not a race") {
  Program P;
  P.global("once_table", 1)
      .entry("with_once")
      .guarded(guardedCheck("once_table", CheckKind::Emptiness, "with_once", 10, 10, 13))
      .mutate("once_table", "with_once", 11, Sync::Once)
      .mutate("once_table", "with_once", 12, Sync::Once);
  CHECK(lazyFindings(P).empty());
  SUBCASE("one write outside call_once is enough for a finding") {
    P.mutate("once_table", "with_once", 13);
    Finding F = onlyLazy(P);
    CHECK(writeLines(F) == std::vector<unsigned>{11, 12, 13});
  }
  SUBCASE("a lock is not once") {
    P.mutate("once_table", "with_once", 13, Sync::Lock);
    CHECK(lazyFindings(P).size() == 1);
  }
}

TEST_CASE("a check in code that only static initialization reaches is not a race") {
  // fixtures/lazy_init/only_at_startup.cpp
  Program P;
  P.global("primes", 1)
      .initializer("__init:warmed")
      .fn("ensure_primes")
      .call("__init:warmed", "ensure_primes")
      .guarded(guardedCheck("primes", CheckKind::Emptiness, "ensure_primes", 10, 10, 13))
      .mutate("primes", "ensure_primes", 11)
      .mutate("primes", "ensure_primes", 12);
  CHECK(lazyFindings(P).empty());
  CHECK(ownFinding(P, "primes").category == 2);
  SUBCASE("once a request handler calls it too, it is") {
    P.entry("handle").call("handle", "ensure_primes");
    CHECK(lazyFindings(P).size() == 1);
  }
  SUBCASE("a check in a static initializer itself") {
    Program Q;
    Q.global("primes", 1)
        .initializer("__init:primes_ready")
        .guarded(guardedCheck("primes", CheckKind::Emptiness, "__init:primes_ready", 10, 10, 13))
        .mutate("primes", "__init:primes_ready", 11);
    CHECK(lazyFindings(Q).empty());
  }
}

TEST_CASE("a synchronization object is never a lazy-init finding") {
  SharedVariable V = variable("published", 1);
  V.type = "std::atomic<int *>";
  V.isSyncPrimitive = true;
  V.syncType = "std::atomic";
  Program P;
  P.var(V)
      .entry("atomic_pointer")
      .guarded(guardedCheck("published", CheckKind::Nullness, "atomic_pointer", 10, 10, 15))
      .reassign("published", "atomic_pointer", 12, Sync::Atomic);
  CHECK(lazyFindings(P).empty());
}

TEST_CASE("the variable keeps its own finding next to the lazy-init one") {
  const Program P = incompleteInit();
  std::vector<Finding> All = P.findings();
  REQUIRE(All.size() == 2);
  // Sorted by location: the declaration (line 1) before the check (line 10).
  CHECK(All[0].check == "sharedstate-mutable-global");
  CHECK(All[0].category == 3);
  CHECK(All[0].verdict == Verdict::NotThreadSafe);
  CHECK(All[0].shape.empty());
  CHECK(All[0].location == at(1));
  CHECK(All[1].check == Lazy);
  CHECK(All[0].id != All[1].id);
  SUBCASE("for a static member and a function-local static too") {
    for (VarKind K : {VarKind::StaticMember, VarKind::FunctionLocalStatic}) {
      CAPTURE(K);
      Program Q;
      Q.var(variable("cache", 1, K))
          .entry("get")
          .guarded(guardedCheck("cache", CheckKind::Emptiness, "get", 10, 10, 13))
          .mutate("cache", "get", 11);
      CHECK(ownFinding(Q, "cache").check == checkFor(K));
      CHECK(onlyLazy(Q).shape == "incomplete-init");
    }
  }
}

TEST_CASE("a check seen in several translation units is one finding") {
  // A check in an inline function or template in a header: every TU that
  // includes it reports the same check.
  Program A = incompleteInit(), B = incompleteInit();
  B.tu.mainFile = "/src/other.cpp";
  std::vector<Finding> All = classify(merge({A.tu, B.tu}));
  size_t Lazies = 0;
  for (const Finding &F : All)
    Lazies += F.check == Lazy;
  CHECK(Lazies == 1);
}

TEST_CASE("lazy-init ids") {
  SUBCASE("do not depend on locations") {
    Finding Before = onlyLazy(incompleteInit());
    Finding After = onlyLazy(incompleteInit(/*Shift=*/100));
    CHECK_FALSE(Before.location == After.location);
    CHECK(Before.id == After.id);
    CHECK(Before.id.size() == 16);
  }
  SUBCASE("do not depend on the shape or the message") {
    Program P = incompleteInit();
    P.tu.guardedChecks[0].kind = CheckKind::Nullness; // now duplicate-init
    Finding F = onlyLazy(P);
    CHECK(F.shape == "duplicate-init");
    CHECK(F.id == onlyLazy(incompleteInit()).id);
  }
  SUBCASE("differ for two checks of one variable in one function") {
    Program P = incompleteInit();
    P.guarded(guardedCheck("mime_types", CheckKind::Emptiness, "types", 20, 20, 23))
        .mutate("mime_types", "types", 21);
    std::vector<Finding> L = lazyFindings(P);
    REQUIRE(L.size() == 2);
    CHECK(L[0].id != L[1].id);
    CHECK(L[0].id != ownFinding(P, "mime_types").id);
    CHECK(L[1].id != ownFinding(P, "mime_types").id);
    // And stay put when both move.
    Program Q = incompleteInit(50);
    Q.guarded(guardedCheck("mime_types", CheckKind::Emptiness, "types", 70, 70, 73))
        .mutate("mime_types", "types", 71);
    std::vector<Finding> M = lazyFindings(Q);
    REQUIRE(M.size() == 2);
    CHECK(M[0].id == L[0].id);
    CHECK(M[1].id == L[1].id);
  }
  SUBCASE("differ for one variable checked in two functions") {
    Program P = incompleteInit();
    P.entry("reload")
        .guarded(guardedCheck("mime_types", CheckKind::Emptiness, "reload", 30, 30, 33))
        .mutate("mime_types", "reload", 31);
    std::vector<Finding> L = lazyFindings(P);
    REQUIRE(L.size() == 2);
    CHECK(L[0].id != L[1].id);
  }
  SUBCASE("differ for two variables checked in one function") {
    Program P = incompleteInit();
    P.global("charsets", 2)
        .guarded(guardedCheck("charsets", CheckKind::Emptiness, "types", 14, 14, 16))
        .mutate("charsets", "types", 15);
    std::vector<Finding> L = lazyFindings(P);
    REQUIRE(L.size() == 2);
    CHECK(L[0].id != L[1].id);
  }
}

// Locked callers, and id stability when an earlier check becomes safe.

TEST_CASE("a check in a function every caller of which holds a lock is not a race") {
  // static void ensure_locked() { if (v.empty()) v.push_back(1); }
  // void caller1() { std::lock_guard<std::mutex> l(mu); ensure_locked(); }
  // void caller2() { std::lock_guard<std::mutex> l(mu); ensure_locked(); }
  // The writes inherit the callers' lock (analyzeCallGraph's protectedBy), and
  // the variable is probably-thread-safe; but lazyInitFindings looks only at
  // the lock seen at the check (GuardedCheck::sync), so the check counts as
  // unlocked and the finding says not-thread-safe.
  Program P;
  P.global("v", 1)
      .fn("ensure_locked")
      .entry("caller1")
      .entry("caller2")
      .call("caller1", "ensure_locked", Sync::Lock)
      .call("caller2", "ensure_locked", Sync::Lock)
      .guarded(guardedCheck("v", CheckKind::Emptiness, "ensure_locked", 10, 11, 11))
      .mutate("v", "ensure_locked", 11);
  REQUIRE(ownFinding(P, "v").verdict == Verdict::ProbablyThreadSafe);
  CHECK(lazyFindings(P).empty());
}

TEST_CASE("a lazy-init id does not move to another check when an earlier one is fixed") {
  // Two checks of one variable in one function. The id's ordinal counts only
  // the checks that became findings, so when the first one is fixed (a lock
  // at the check), the second takes over the first one's id: a baseline that
  // accepted the first finding now silently accepts the second.
  auto TwoChecks = [](Sync AtFirst) {
    GuardedCheck First = guardedCheck("v", CheckKind::Emptiness, "f", 10, 10, 13);
    First.sync = AtFirst;
    Program P;
    P.global("v", 1)
        .entry("f")
        .guarded(First)
        .mutate("v", "f", 11, AtFirst)
        .guarded(guardedCheck("v", CheckKind::Emptiness, "f", 20, 20, 23))
        .mutate("v", "f", 21);
    return P;
  };
  std::vector<Finding> Both = lazyFindings(TwoChecks(Sync::None));
  std::vector<Finding> SecondOnly = lazyFindings(TwoChecks(Sync::Lock));
  REQUIRE(Both.size() == 2);
  REQUIRE(SecondOnly.size() == 1);
  REQUIRE(SecondOnly[0].location == Both[1].location);
  CHECK(SecondOnly[0].id == Both[1].id);
  CHECK(SecondOnly[0].id != Both[0].id);
}

} // TEST_SUITE
