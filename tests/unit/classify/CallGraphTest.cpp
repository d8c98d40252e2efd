// Phases and inherited synchronization come from the call graph: a function
// runs only while initializing when only initializers reach it, and holds a
// lock when every call into it does. Checked both on analyzeCallGraph and on
// the verdicts users see.
#include "Builders.h"

using namespace sharedstate;
using namespace sharedstate::unittest;

TEST_SUITE("call graph") {

TEST_CASE("a function called from an initializer and from main runs at run time") {
  Program P;
  P.global("routes", 1)
      .initializer("__init:table")
      .entry("main")
      .fn("add_route")
      .call("__init:table", "add_route")
      .call("main", "add_route")
      .mutate("routes", "add_route", 5);
  CHECK_FALSE(P.graph().initialization.count("add_route"));
  Finding F = P.finding("routes");
  CHECK(F.category == 3);
  CHECK(F.verdict == Verdict::NotThreadSafe);
}

TEST_CASE("main reaching a function indirectly makes it run time too") {
  Program P;
  P.global("routes", 1)
      .initializer("__init:table")
      .entry("main")
      .fn("reload")
      .fn("add_route")
      .call("__init:table", "add_route")
      .call("main", "reload")
      .call("reload", "add_route")
      .mutate("routes", "add_route", 5);
  CHECK(P.finding("routes").category == 3);
}

TEST_CASE("an entry point is run time even if only an initializer calls it") {
  // Its address is taken (or it is virtual): anything may call it later.
  Program P;
  P.global("routes", 1)
      .initializer("__init:table")
      .entry("add_route")
      .fn("helper")
      .call("__init:table", "add_route")
      .call("add_route", "helper")
      .mutate("routes", "add_route", 5)
      .mutate("routes", "helper", 6);
  CallGraphFacts G = P.graph();
  CHECK_FALSE(G.initialization.count("add_route"));
  CHECK_FALSE(G.initialization.count("helper"));
  Finding F = P.finding("routes");
  CHECK(F.category == 3);
  for (const Evidence &E : F.evidence)
    CHECK(E.phase == Phase::Runtime);
}

TEST_CASE("recursion reached only from an initializer stays initialization") {
  SUBCASE("a cycle of two") {
    Program P;
    P.global("tree", 1)
        .initializer("__init:tree")
        .fn("build")
        .fn("build_child")
        .call("__init:tree", "build")
        .call("build", "build_child")
        .call("build_child", "build")
        .mutate("tree", "build_child", 5);
    CallGraphFacts G = P.graph();
    CHECK(G.initialization.count("build"));
    CHECK(G.initialization.count("build_child"));
    Finding F = P.finding("tree");
    CHECK(F.category == 2);
    CHECK(F.verdict == Verdict::ProbablyThreadSafe);
  }
  SUBCASE("self-recursion") {
    Program P;
    P.global("tree", 1)
        .initializer("__init:tree")
        .fn("build")
        .call("__init:tree", "build")
        .call("build", "build")
        .mutate("tree", "build", 5);
    CHECK(P.finding("tree").category == 2);
  }
  SUBCASE("but not once main reaches into the cycle") {
    Program P;
    P.global("tree", 1)
        .initializer("__init:tree")
        .entry("main")
        .fn("build")
        .fn("build_child")
        .call("__init:tree", "build")
        .call("build", "build_child")
        .call("build_child", "build")
        .call("main", "build_child")
        .mutate("tree", "build", 5);
    CHECK_FALSE(P.graph().initialization.count("build"));
    CHECK(P.finding("tree").category == 3);
  }
}

// A recursive function nobody else calls (an exported API, say) must not vouch
// for itself: its own call is "a caller", but no initializer reaches it. A
// function nobody we saw calls is run time (see ClassifyTest), recursive or not.
TEST_CASE("a recursive function that no initializer reaches runs at run time") {
  SUBCASE("self-recursion") {
    Program P;
    P.global("visited", 1).fn("walk").call("walk", "walk").mutate("visited", "walk", 5);
    CHECK_FALSE(P.graph().initialization.count("walk"));
    Finding F = P.finding("visited");
    CHECK(F.category == 3);
    CHECK(F.verdict == Verdict::NotThreadSafe);
  }
  SUBCASE("a cycle of two") {
    Program P;
    P.global("visited", 1)
        .fn("walk")
        .fn("walk_child")
        .call("walk", "walk_child")
        .call("walk_child", "walk")
        .mutate("visited", "walk_child", 5);
    CHECK_FALSE(P.graph().initialization.count("walk_child"));
    CHECK(P.finding("visited").category == 3);
  }
}

TEST_CASE("a function whose every caller holds a lock inherits the lock") {
  Program P;
  P.global("sessions", 1)
      .entry("main")
      .fn("login")
      .fn("logout")
      .fn("add_session")
      .call("main", "login")
      .call("main", "logout")
      .call("login", "add_session", Sync::Lock)
      .call("logout", "add_session", Sync::Lock)
      .mutate("sessions", "add_session", 9);
  CHECK(P.graph().protectedBy.count("add_session"));
  Finding F = P.finding("sessions");
  CHECK(F.category == 3);
  CHECK(F.verdict == Verdict::ProbablyThreadSafe);
  REQUIRE(F.evidence.size() == 1);
  CHECK(F.evidence[0].sync == Sync::Lock);
}

TEST_CASE("one caller without the lock breaks the inheritance") {
  Program P;
  P.global("sessions", 1)
      .entry("main")
      .fn("login")
      .fn("logout")
      .fn("add_session")
      .call("main", "login")
      .call("main", "logout")
      .call("login", "add_session", Sync::Lock)
      .call("logout", "add_session")
      .mutate("sessions", "add_session", 9);
  CHECK_FALSE(P.graph().protectedBy.count("add_session"));
  Finding F = P.finding("sessions");
  CHECK(F.verdict == Verdict::NotThreadSafe);
  REQUIRE(F.evidence.size() == 1);
  CHECK(F.evidence[0].sync == Sync::None);
}

TEST_CASE("the lock is inherited through unlocked calls from a protected function") {
  Program P;
  P.global("sessions", 1)
      .entry("main")
      .fn("login")
      .fn("store")
      .call("main", "login", Sync::Lock)
      .call("login", "store")
      .mutate("sessions", "store", 9);
  CallGraphFacts G = P.graph();
  CHECK(G.protectedBy.count("login"));
  CHECK(G.protectedBy.count("store"));
  CHECK(P.finding("sessions").verdict == Verdict::ProbablyThreadSafe);
}

TEST_CASE("the inherited kind is the one every synchronized call agrees on") {
  Program P;
  P.global("config", 1)
      .entry("main")
      .entry("reload")
      .fn("load")
      .call("main", "load", Sync::Once)
      .call("reload", "load", Sync::Once)
      .mutate("config", "load", 9);
  CHECK(P.graph().protectedBy.at("load") == Sync::Once);
  Finding F = P.finding("config");
  REQUIRE(F.evidence.size() == 1);
  CHECK(F.evidence[0].sync == Sync::Once);
}

TEST_CASE("an entry point never inherits its callers' lock") {
  // Anyone may call it, without the lock.
  Program P;
  P.global("sessions", 1).entry("main").entry("store").call("main", "store", Sync::Lock).mutate("sessions",
                                                                                              "store", 9);
  CHECK_FALSE(P.graph().protectedBy.count("store"));
  CHECK(P.finding("sessions").verdict == Verdict::NotThreadSafe);
}

// Likewise for protection: a recursive function that no locked call reaches is
// not protected by its own unlocked recursive call, or its writes would be
// shown as synchronized by a lock that nobody takes.
TEST_CASE("recursion alone does not make a function protected") {
  Program P;
  P.global("visited", 1).fn("walk").call("walk", "walk").mutate("visited", "walk", 5);
  CHECK_FALSE(P.graph().protectedBy.count("walk"));
  Program Q;
  Q.global("visited", 1)
      .fn("walk")
      .fn("walk_child")
      .call("walk", "walk_child")
      .call("walk_child", "walk")
      .mutate("visited", "walk", 5);
  CHECK_FALSE(Q.graph().protectedBy.count("walk"));
}

TEST_CASE("recursion under a lock stays protected") {
  Program P;
  P.global("visited", 1)
      .entry("main")
      .fn("walk")
      .call("main", "walk", Sync::Lock)
      .call("walk", "walk")
      .mutate("visited", "walk", 5);
  CHECK(P.graph().protectedBy.count("walk"));
  CHECK(P.finding("visited").verdict == Verdict::ProbablyThreadSafe);
}

} // TEST_SUITE
