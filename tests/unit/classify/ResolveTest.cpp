// Writes through a call's result: `registry().add(x)` mutates whatever
// registry() returns a reference to. The extractor records the access against
// the callee and, separately, what each function returns; classification must
// join the two, across any number of functions, and stop on cycles.
#include "Builders.h"

using namespace sharedstate;
using namespace sharedstate::unittest;

TEST_SUITE("call results") {

TEST_CASE("a write through a function's result is evidence on the variable it returns") {
  Program P;
  P.global("registry_", 1)
      .entry("main")
      .returnsVar("registry", "registry_")
      .accessResult("registry", AccessWhat::Mutate, "main", 12);
  Finding F = P.finding("registry_");
  CHECK(F.category == 3);
  CHECK(F.verdict == Verdict::NotThreadSafe);
  REQUIRE(F.evidence.size() == 1);
  CHECK(F.evidence[0].location == at(12, 3));
  CHECK(F.evidence[0].function == "main");
}

TEST_CASE("results are followed through several functions") {
  // main: instance().table()[k] = v;  table() returns instance()'s table_,
  // instance() returns the global.
  Program P;
  P.global("table_", 1)
      .entry("main")
      .returnsResultOf("app_table", "table")
      .returnsVar("table", "table_")
      .accessResult("app_table", AccessWhat::Reassign, "main", 12);
  Finding F = P.finding("table_");
  CHECK(F.category == 4);
  REQUIRE(F.evidence.size() == 1);
  CHECK(F.evidence[0].what == AccessWhat::Reassign);
}

TEST_CASE("reassigning through an element or field only mutates the variable") {
  SUBCASE("directly") {
    Program P;
    P.global("table_", 1)
        .entry("main")
        .returnsVar("slot", "table_", /*Whole=*/false)
        .accessResult("slot", AccessWhat::Reassign, "main", 12);
    Finding F = P.finding("table_");
    CHECK(F.category == 3);
    REQUIRE(F.evidence.size() == 1);
    CHECK(F.evidence[0].what == AccessWhat::Mutate);
  }
  SUBCASE("anywhere along the chain") {
    Program P;
    P.global("table_", 1)
        .entry("main")
        .returnsResultOf("slot", "table", /*Whole=*/false)
        .returnsVar("table", "table_", /*Whole=*/true)
        .accessResult("slot", AccessWhat::Reassign, "main", 12);
    Finding F = P.finding("table_");
    CHECK(F.category == 3);
    REQUIRE(F.evidence.size() == 1);
    CHECK(F.evidence[0].what == AccessWhat::Mutate);
  }
}

TEST_CASE("a function that may return either of two variables writes both") {
  Program P;
  P.global("primary", 1)
      .global("fallback", 2)
      .entry("main")
      .returnsVar("current", "primary")
      .returnsVar("current", "fallback")
      .accessResult("current", AccessWhat::Mutate, "main", 12);
  CHECK(P.finding("primary").category == 3);
  CHECK(P.finding("fallback").category == 3);
}

TEST_CASE("a cycle of returned results terminates") {
  SUBCASE("with a variable on the cycle") {
    Program P;
    P.global("state", 1)
        .entry("main")
        .returnsResultOf("ping", "pong")
        .returnsResultOf("pong", "ping")
        .returnsVar("pong", "state")
        .accessResult("ping", AccessWhat::Mutate, "main", 12);
    Finding F = P.finding("state");
    CHECK(F.category == 3);
    CHECK(F.evidence.size() == 1);
  }
  SUBCASE("with nothing but the cycle") {
    Program P;
    P.global("state", 1)
        .entry("main")
        .returnsResultOf("self", "self")
        .accessResult("self", AccessWhat::Mutate, "main", 12);
    Finding F = P.finding("state");
    CHECK(F.category == 1);
    CHECK(F.evidence.empty());
  }
}

TEST_CASE("a write through a function that returns no shared variable is nobody's evidence") {
  Program P;
  P.global("state", 1).entry("main").accessResult("make_local", AccessWhat::Mutate, "main", 12);
  Finding F = P.finding("state");
  CHECK(F.category == 1);
  CHECK(F.evidence.empty());
}

TEST_CASE("a write through a result takes the phase of the writing function") {
  Program P;
  P.global("registry_", 1)
      .initializer("__init:plugins")
      .returnsVar("registry", "registry_")
      .accessResult("registry", AccessWhat::Mutate, "__init:plugins", 12);
  Finding F = P.finding("registry_");
  CHECK(F.category == 2);
  REQUIRE(F.evidence.size() == 1);
  CHECK(F.evidence[0].phase == Phase::Initialization);
}

} // TEST_SUITE
