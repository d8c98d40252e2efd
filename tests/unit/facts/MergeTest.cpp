// Merging must not depend on which TU the build system happened to list
// first: a header-declared global is reported where it is defined, with the
// definition's initializer, and a fact seen in several TUs counts once.
#include "Builders.h"

#include <algorithm>
#include <tuple>

using namespace sharedstate;
using namespace sharedstate::unittest;

namespace {

/// `extern std::string motd;` in a header included by the TU.
SharedVariable declaration() {
  SharedVariable V = variable("motd", 2);
  V.location = at(2, 20, "/src/include/config.h");
  V.isDefinition = false;
  V.init = InitKind::None;
  return V;
}

/// `std::string motd = load_motd();` in config.cpp.
SharedVariable definition() {
  SharedVariable V = variable("motd", 7);
  V.location = at(7, 13, "/src/config.cpp");
  V.isDefinition = true;
  V.init = InitKind::Dynamic;
  return V;
}

TUFacts tuWith(SharedVariable V, const std::string &Main) {
  TUFacts TU;
  TU.mainFile = Main;
  TU.variables.push_back(std::move(V));
  return TU;
}

const SharedVariable &only(const ProgramFacts &P) {
  REQUIRE(P.variables.size() == 1);
  return P.variables.begin()->second;
}

/// What a user sees of a finding; two runs must agree on all of it.
auto visible(const Finding &F) {
  return std::tie(F.id, F.check, F.kind, F.category, F.verdict, F.symbol, F.type, F.location, F.message,
                  F.hint, F.qualifiers);
}
auto visible(const Evidence &E) {
  return std::tie(E.what, E.location, E.function, E.phase, E.sync, E.detail);
}

void checkSameFindings(const std::vector<Finding> &A, const std::vector<Finding> &B) {
  REQUIRE(A.size() == B.size());
  for (size_t I = 0; I < A.size(); ++I) {
    CAPTURE(A[I].symbol);
    CHECK(visible(A[I]) == visible(B[I]));
    REQUIRE(A[I].evidence.size() == B[I].evidence.size());
    for (size_t J = 0; J < A[I].evidence.size(); ++J)
      CHECK(visible(A[I].evidence[J]) == visible(B[I].evidence[J]));
  }
}

} // namespace

TEST_SUITE("merge") {

TEST_CASE("a variable keeps its definition's location and initializer whatever the TU order") {
  const TUFacts User = tuWith(declaration(), "/src/main.cpp");
  const TUFacts Owner = tuWith(definition(), "/src/config.cpp");
  for (bool DefinitionFirst : {false, true}) {
    CAPTURE(DefinitionFirst);
    ProgramFacts P = DefinitionFirst ? merge({Owner, User}) : merge({User, Owner});
    const SharedVariable &V = only(P);
    CHECK(V.location == definition().location);
    CHECK(V.init == InitKind::Dynamic);
    CHECK(V.isDefinition);
  }
}

TEST_CASE("two declarations keep the earliest location whatever the TU order") {
  SharedVariable Early = declaration();
  SharedVariable Late = declaration();
  Late.location = at(9, 1, "/src/include/more.h");
  REQUIRE(Early.location < Late.location);
  CHECK(only(merge({tuWith(Early, "a"), tuWith(Late, "b")})).location == Early.location);
  CHECK(only(merge({tuWith(Late, "b"), tuWith(Early, "a")})).location == Early.location);
}

TEST_CASE("guarded_by seen in any TU marks the variable guarded") {
  SUBCASE("on the declaration only") {
    SharedVariable Decl = declaration();
    Decl.isGuarded = true;
    CHECK(only(merge({tuWith(Decl, "a"), tuWith(definition(), "b")})).isGuarded);
    CHECK(only(merge({tuWith(definition(), "b"), tuWith(Decl, "a")})).isGuarded);
  }
  SUBCASE("on the definition only") {
    SharedVariable Def = definition();
    Def.isGuarded = true;
    CHECK(only(merge({tuWith(declaration(), "a"), tuWith(Def, "b")})).isGuarded);
    CHECK(only(merge({tuWith(Def, "b"), tuWith(declaration(), "a")})).isGuarded);
  }
  SUBCASE("nowhere") {
    CHECK_FALSE(only(merge({tuWith(declaration(), "a"), tuWith(definition(), "b")})).isGuarded);
  }
}

TEST_CASE("a function is an entry point if any TU says so") {
  TUFacts Caller, AddressTaker;
  Caller.functions.push_back(function("handler"));
  AddressTaker.functions.push_back(function("handler", false, /*Entry=*/true));
  for (bool EntryFirst : {false, true}) {
    CAPTURE(EntryFirst);
    ProgramFacts P = EntryFirst ? merge({AddressTaker, Caller}) : merge({Caller, AddressTaker});
    REQUIRE(P.functions.size() == 1);
    CHECK(P.functions.at("handler").isEntry);
  }
  CHECK_FALSE(merge({Caller, Caller}).functions.at("handler").isEntry);
}

TEST_CASE("facts seen in several TUs count once") {
  // An inline function in a header: every including TU reports the same facts.
  Program Header;
  Header.global("hits", 1)
      .fn("bump")
      .call("main", "bump")
      .call("main", "bump", Sync::Lock)
      .mutate("hits", "bump", 4)
      .returnsVar("hits_ref", "hits");
  ProgramFacts P = merge({Header.tu, Header.tu, Header.tu});
  CHECK(P.variables.size() == 1);
  CHECK(P.functions.size() == 1);
  CHECK(P.accesses.size() == 1);
  CHECK(P.returnAliases.size() == 1);
  // The locked and unlocked call are different facts and both stay.
  CHECK(P.edges.size() == 2);
}

TEST_CASE("accesses that differ in any field stay distinct") {
  Program P;
  P.global("hits", 1)
      .mutate("hits", "bump", 4)
      .mutate("hits", "bump", 5)
      .reassign("hits", "bump", 4)
      .mutate("hits", "bump", 4, Sync::Lock)
      .mutate("hits", "other", 4);
  ProgramFacts F = merge({P.tu, P.tu});
  CHECK(F.accesses.size() == 5);
}

TEST_CASE("merging TUs in any order gives the same findings") {
  // config.h declares motd and hits; config.cpp defines them and fills motd at
  // start-up; handlers.cpp writes them per request, one under a lock.
  Program Header;
  Header.var(declaration());
  SharedVariable HitsDecl = variable("hits", 3);
  HitsDecl.location = at(3, 13, "/src/include/config.h");
  HitsDecl.isDefinition = false;
  HitsDecl.init = InitKind::None;
  Header.var(HitsDecl);

  Program Config = Header;
  Config.var(definition());
  SharedVariable HitsDef = variable("hits", 9);
  HitsDef.location = at(9, 6, "/src/config.cpp");
  HitsDef.isGuarded = true;
  Config.var(HitsDef);
  Config.initializer("__init:motd").fn("load_motd").call("__init:motd", "load_motd");
  Config.mutate("motd", "load_motd", 12);

  Program Handlers = Header;
  Handlers.entry("main").fn("serve").fn("count").call("main", "serve").call("serve", "count", Sync::Lock);
  Handlers.reassign("motd", "serve", 30).mutate("hits", "count", 40);
  Handlers.tu.functions.push_back(function("load_motd"));

  std::vector<TUFacts> TUs = {Header.tu, Config.tu, Handlers.tu};
  const std::vector<Finding> Reference = classify(merge(TUs));
  REQUIRE(Reference.size() == 2);
  std::vector<size_t> Order = {0, 1, 2};
  while (std::next_permutation(Order.begin(), Order.end())) {
    std::string Which = std::to_string(Order[0]) + std::to_string(Order[1]) + std::to_string(Order[2]);
    CAPTURE(Which);
    checkSameFindings(classify(merge({TUs[Order[0]], TUs[Order[1]], TUs[Order[2]]})), Reference);
  }
  // The header lists the declarations first; the definitions must still win.
  for (const Finding &F : Reference)
    CHECK(F.location.file == "/src/config.cpp");
}

} // TEST_SUITE
