// Categories and verdicts: the four categories of Classify.h, and whether every
// run-time write was synchronized. Each case is one variable and the smallest
// set of writes that puts it in its category.
#include "Builders.h"

using namespace sharedstate;
using namespace sharedstate::unittest;

namespace {
bool hasEvidence(const Finding &F, AccessWhat What, Phase Ph) {
  for (const Evidence &E : F.evidence)
    if (E.what == What && E.phase == Ph)
      return true;
  return false;
}
} // namespace

TEST_SUITE("classify") {

TEST_CASE("one finding per variable, written or not") {
  Program P;
  P.global("a", 1).global("b", 2).global("c", 3).entry("main").mutate("b", "main", 10);
  CHECK(P.findings().size() == 3);
}

TEST_CASE("category 1: a variable nothing writes") {
  SUBCASE("non-const: thread-safe, with a hint to say so in the type") {
    Program P;
    P.global("port", 1).entry("main").access("port", AccessWhat::Check, "main", 10);
    Finding F = P.finding("port");
    CHECK(F.category == 1);
    CHECK(F.verdict == Verdict::ThreadSafe);
    CHECK_FALSE(F.hint.empty());
    CHECK_FALSE(hasQualifier(F, "const"));
  }
  SUBCASE("const: thread-safe, nothing to suggest") {
    SharedVariable V = variable("port", 1);
    V.isConst = true;
    Program P;
    P.var(V);
    Finding F = P.finding("port");
    CHECK(F.category == 1);
    CHECK(F.verdict == Verdict::ThreadSafe);
    CHECK(F.hint.empty());
    CHECK(hasQualifier(F, "const"));
  }
  SUBCASE("a dynamic initializer is not a write") {
    SharedVariable V = variable("table", 1);
    V.init = InitKind::Dynamic;
    Program P;
    P.var(V).initializer("__init:table").access("table", AccessWhat::Init, "__init:table", 1);
    Finding F = P.finding("table");
    CHECK(F.category == 1);
    CHECK(F.verdict == Verdict::ThreadSafe);
  }
}

TEST_CASE("category 1: a synchronization object is meant to be shared") {
  SharedVariable V = variable("mu", 1);
  V.type = "std::mutex";
  V.isSyncPrimitive = true;
  V.syncType = "std::mutex";
  Program P;
  P.var(V).entry("main").mutate("mu", "main", 10).reassign("mu", "main", 11);
  Finding F = P.finding("mu");
  CHECK(F.category == 1);
  CHECK(F.verdict == Verdict::ThreadSafe);
  CHECK(hasQualifier(F, "synchronization"));
  // lock() and unlock() are what a mutex is for: not evidence of anything.
  CHECK(F.evidence.empty());
  CHECK(F.hint.empty());
}

TEST_CASE("category 2: written only while the program initializes") {
  SUBCASE("in a variable's dynamic initializer") {
    Program P;
    P.global("routes", 1).initializer("__init:table").mutate("routes", "__init:table", 5);
    Finding F = P.finding("routes");
    CHECK(F.category == 2);
    CHECK(F.verdict == Verdict::ProbablyThreadSafe);
    REQUIRE(F.evidence.size() == 1);
    CHECK(F.evidence[0].phase == Phase::Initialization);
  }
  SUBCASE("in a function whose only caller is an initializer") {
    Program P;
    P.global("routes", 1)
        .initializer("__init:table")
        .fn("register_routes")
        .call("__init:table", "register_routes")
        .mutate("routes", "register_routes", 5)
        .reassign("routes", "register_routes", 6);
    Finding F = P.finding("routes");
    CHECK(F.category == 2);
    CHECK(F.verdict == Verdict::ProbablyThreadSafe);
    CHECK(hasEvidence(F, AccessWhat::Mutate, Phase::Initialization));
    CHECK(hasEvidence(F, AccessWhat::Reassign, Phase::Initialization));
  }
  SUBCASE("two levels below the initializer") {
    Program P;
    P.global("routes", 1)
        .initializer("__init:table")
        .fn("setup")
        .fn("add_route")
        .call("__init:table", "setup")
        .call("setup", "add_route")
        .mutate("routes", "add_route", 5);
    CHECK(P.finding("routes").category == 2);
  }
}

TEST_CASE("category 3: mutated at run time") {
  Program P;
  P.global("sessions", 1).entry("main").fn("login").call("main", "login").mutate("sessions", "login", 7);
  Finding F = P.finding("sessions");
  CHECK(F.category == 3);
  CHECK(F.verdict == Verdict::NotThreadSafe);
  REQUIRE(F.evidence.size() == 1);
  CHECK(F.evidence[0].phase == Phase::Runtime);
  CHECK(F.evidence[0].what == AccessWhat::Mutate);
  CHECK(F.evidence[0].location == at(7, 3));
}

TEST_CASE("a function nobody we saw calls runs at run time") {
  // An exported function: its callers are in code we did not scan.
  Program P;
  P.global("sessions", 1).fn("login").mutate("sessions", "login", 7);
  CHECK(P.finding("sessions").category == 3);
}

TEST_CASE("category 4: reassigned at run time") {
  SUBCASE("reassigned only") {
    Program P;
    P.global("requests", 1).entry("main").reassign("requests", "main", 7);
    Finding F = P.finding("requests");
    CHECK(F.category == 4);
    CHECK(F.verdict == Verdict::NotThreadSafe);
  }
  SUBCASE("mutated and reassigned: 4, with both kinds as evidence") {
    Program P;
    P.global("requests", 1).entry("main").mutate("requests", "main", 7).reassign("requests", "main", 8);
    Finding F = P.finding("requests");
    CHECK(F.category == 4);
    CHECK(hasEvidence(F, AccessWhat::Mutate, Phase::Runtime));
    CHECK(hasEvidence(F, AccessWhat::Reassign, Phase::Runtime));
  }
  SUBCASE("reassigned while initializing, mutated at run time: 3") {
    Program P;
    P.global("requests", 1)
        .initializer("__init:x")
        .entry("main")
        .reassign("requests", "__init:x", 3)
        .mutate("requests", "main", 7);
    CHECK(P.finding("requests").category == 3);
  }
}

TEST_CASE("reads and lazy-init checks are not writes") {
  Program P;
  P.global("config", 1)
      .entry("main")
      .access("config", AccessWhat::Check, "main", 7)
      .access("config", AccessWhat::Init, "main", 8);
  CHECK(P.finding("config").category == 1);
}

TEST_CASE("an escaping non-const alias counts as a run-time mutation even while initializing") {
  Program P;
  P.global("buffer", 1).initializer("__init:x").access("buffer", AccessWhat::Escape, "__init:x", 3);
  Finding F = P.finding("buffer");
  CHECK(F.category == 3);
  // No write is seen: the escape alone is for review, not a race.
  CHECK(F.verdict == Verdict::ProbablyThreadSafe);
  CHECK(F.message.find("its address escapes in '__init:x'") != std::string::npos);
}

TEST_CASE("an escape does not hide a write the scan sees") {
  Program P;
  P.global("buffer", 1).fn("serve").access("buffer", AccessWhat::Escape, "serve", 3).mutate("buffer", "serve", 4);
  CHECK(P.finding("buffer").verdict == Verdict::NotThreadSafe);
}

TEST_CASE("verdict: any unsynchronized run-time write makes it not thread-safe") {
  Program P;
  P.global("cache", 1)
      .entry("main")
      .mutate("cache", "main", 7, Sync::Lock)
      .mutate("cache", "main", 8, Sync::Atomic)
      .mutate("cache", "main", 9);
  Finding F = P.finding("cache");
  CHECK(F.category == 3);
  CHECK(F.verdict == Verdict::NotThreadSafe);
}

TEST_CASE("verdict: run-time writes that are all synchronized are probably thread-safe") {
  for (Sync S : {Sync::Lock, Sync::Atomic, Sync::Once}) {
    CAPTURE(S);
    Program P;
    P.global("cache", 1).entry("main").mutate("cache", "main", 7, S).reassign("cache", "main", 8, S);
    Finding F = P.finding("cache");
    CHECK(F.category == 4);
    CHECK(F.verdict == Verdict::ProbablyThreadSafe);
    for (const Evidence &E : F.evidence)
      CHECK(E.sync == S);
  }
}

TEST_CASE("verdict: unsynchronized writes while initializing do not count") {
  Program P;
  P.global("cache", 1)
      .initializer("__init:x")
      .entry("main")
      .mutate("cache", "__init:x", 3)
      .mutate("cache", "main", 7, Sync::Lock);
  Finding F = P.finding("cache");
  CHECK(F.category == 3);
  CHECK(F.verdict == Verdict::ProbablyThreadSafe);
}

TEST_CASE("verdict: a guarded_by variable is probably thread-safe") {
  SharedVariable V = variable("cache", 1);
  V.isGuarded = true;
  Program P;
  P.var(V).entry("main").mutate("cache", "main", 7).reassign("cache", "main", 8);
  Finding F = P.finding("cache");
  CHECK(F.category == 4);
  CHECK(F.verdict == Verdict::ProbablyThreadSafe);
  CHECK(hasQualifier(F, "guarded_by"));
}

TEST_CASE("the finding names the check of the variable's kind") {
  Program P;
  P.var(variable("g", 1, VarKind::NamespaceGlobal))
      .var(variable("S::m", 2, VarKind::StaticMember))
      .var(variable("f::s", 3, VarKind::FunctionLocalStatic));
  CHECK(P.finding("g").check == checkFor(VarKind::NamespaceGlobal));
  CHECK(P.finding("S::m").check == checkFor(VarKind::StaticMember));
  CHECK(P.finding("f::s").check == checkFor(VarKind::FunctionLocalStatic));
  CHECK(P.finding("S::m").kind == std::string(toString(VarKind::StaticMember)));
}

TEST_CASE("findings are sorted by location, not by name or key") {
  Program P;
  SharedVariable A = variable("a", 9);
  SharedVariable B = variable("b", 3);
  SharedVariable C = variable("c", 50, VarKind::StaticMember);
  C.location = at(1, 1, "/src/aaa.h");
  SharedVariable D = variable("d", 3);
  D.location.column = 2;
  P.var(A).var(B).var(C).var(D);
  std::vector<Finding> F = P.findings();
  REQUIRE(F.size() == 4);
  CHECK(F[0].symbol == "c");
  CHECK(F[1].symbol == "b");
  CHECK(F[2].symbol == "d");
  CHECK(F[3].symbol == "a");
}

TEST_CASE("the same write in two template instantiations is one piece of evidence") {
  // template <class T> void remember(T v) { memo[v] = v; } instantiated twice:
  // one access per instantiation, same location and pattern name.
  auto Instantiations = [](Program &P, const std::string &IntCaller, Sync IntSync,
                           const std::string &LongCaller, Sync LongSync) {
    P.global("memo", 1).fn("remember<int>").fn("remember<long>");
    P.call(IntCaller, "remember<int>", IntSync).call(LongCaller, "remember<long>", LongSync);
    for (const char *Key : {"remember<int>", "remember<long>"}) {
      Access A;
      A.target = AccessTarget::variable(keyOf("memo"));
      A.what = AccessWhat::Mutate;
      A.location = at(20, 44);
      A.functionKey = Key;
      A.functionName = "remember";
      P.tu.accesses.push_back(A);
    }
  };
  SUBCASE("run time if any copy is") {
    Program P;
    P.initializer("__init:x").entry("main");
    Instantiations(P, "__init:x", Sync::None, "main", Sync::None);
    Finding F = P.finding("memo");
    REQUIRE(F.evidence.size() == 1);
    CHECK(F.evidence[0].phase == Phase::Runtime);
    CHECK(F.category == 3);
    CHECK(F.verdict == Verdict::NotThreadSafe);
  }
  SUBCASE("unsynchronized if any run-time copy is") {
    Program P;
    P.entry("main");
    Instantiations(P, "main", Sync::Lock, "main", Sync::None);
    Finding F = P.finding("memo");
    REQUIRE(F.evidence.size() == 1);
    CHECK(F.evidence[0].sync == Sync::None);
    CHECK(F.verdict == Verdict::NotThreadSafe);
  }
  SUBCASE("initialization if every copy is") {
    Program P;
    P.initializer("__init:x").initializer("__init:y");
    Instantiations(P, "__init:x", Sync::None, "__init:y", Sync::None);
    Finding F = P.finding("memo");
    REQUIRE(F.evidence.size() == 1);
    CHECK(F.evidence[0].phase == Phase::Initialization);
    CHECK(F.category == 2);
  }
  SUBCASE("synchronized if every copy is") {
    Program P;
    P.entry("main");
    Instantiations(P, "main", Sync::Lock, "main", Sync::Lock);
    Finding F = P.finding("memo");
    REQUIRE(F.evidence.size() == 1);
    CHECK(F.evidence[0].sync == Sync::Lock);
    CHECK(F.verdict == Verdict::ProbablyThreadSafe);
  }
}

// Folding instantiations must not take "run time" from one copy and
// "unsynchronized" from another: an unlocked write during initialization plus a
// locked write at run time is not an unlocked run-time write.
TEST_CASE("an unlocked copy at initialization does not make a locked run-time copy unsynchronized") {
  Program P;
  P.global("memo", 1).initializer("__init:x").entry("main").fn("serve").fn("remember<int>").fn(
      "remember<long>");
  P.call("__init:x", "remember<int>").call("main", "serve").call("serve", "remember<long>", Sync::Lock);
  for (const char *Key : {"remember<int>", "remember<long>"}) {
    Access A;
    A.target = AccessTarget::variable(keyOf("memo"));
    A.what = AccessWhat::Mutate;
    A.location = at(20, 44);
    A.functionKey = Key;
    A.functionName = "remember";
    P.tu.accesses.push_back(A);
  }
  Finding F = P.finding("memo");
  CHECK(F.category == 3);
  CHECK(F.verdict == Verdict::ProbablyThreadSafe);
  REQUIRE(F.evidence.size() == 1);
  CHECK(F.evidence[0].phase == Phase::Runtime);
  CHECK(F.evidence[0].sync == Sync::Lock);
}

} // TEST_SUITE
