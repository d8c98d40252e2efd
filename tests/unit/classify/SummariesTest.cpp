// Parameter summaries: what a call does to what it is handed by pointer or
// non-const reference, from the callee's own effects, the functions it
// hands the parameter on to, and the overrides of a virtual.
#include "classify/Summaries.h"

#include <doctest/doctest.h>

using namespace sharedstate;

namespace {

Function &define(ProgramFacts &P, const std::string &Key, bool HasBody = true) {
  Function &F = P.functions[Key];
  F.key = Key;
  F.name = Key;
  F.hasBody = HasBody;
  return F;
}

} // namespace

TEST_SUITE("parameter summaries") {

TEST_CASE("a body's own effects: written, kept, or only read") {
  ProgramFacts P;
  define(P, "f").paramEffects = {{0, true}, {1, false}};
  Summaries S(P);
  CHECK(S.paramUse("f", 0) == ParamUse::Writes);
  CHECK(S.paramUse("f", 1) == ParamUse::Keeps);
  CHECK(S.paramUse("f", 2) == ParamUse::Reads);
}

TEST_CASE("an unknown function writes: no body, or not in the facts at all") {
  ProgramFacts P;
  define(P, "declared", /*HasBody=*/false);
  Summaries S(P);
  CHECK(S.paramUse("declared", 0) == ParamUse::Writes);
  CHECK(S.paramUse("never_seen", 0) == ParamUse::Writes);
}

TEST_CASE("handed on: what the callee does, through a chain and a cycle") {
  ProgramFacts P;
  define(P, "outer").paramPasses = {{0, "middle", 1}};
  define(P, "middle").paramPasses = {{1, "writer", 0}, {1, "outer", 0}};
  define(P, "writer").paramEffects = {{0, true}};
  define(P, "loop_a").paramPasses = {{0, "loop_b", 0}};
  define(P, "loop_b").paramPasses = {{0, "loop_a", 0}};
  define(P, "to_unknown").paramPasses = {{0, "opaque", 0}};
  Summaries S(P);
  CHECK(S.paramUse("outer", 0) == ParamUse::Writes);
  CHECK(S.paramUse("middle", 1) == ParamUse::Writes);
  CHECK(S.paramUse("loop_a", 0) == ParamUse::Reads);
  CHECK(S.paramUse("to_unknown", 0) == ParamUse::Writes);
}

TEST_CASE("a virtual call may run any override") {
  ProgramFacts P;
  define(P, "Base::take").paramEffects = {};
  define(P, "Reset::take").paramEffects = {{0, true}};
  P.functions["Reset::take"].overrides = {"Base::take"};
  define(P, "Pure::get", /*HasBody=*/false);
  define(P, "Impl::get").paramEffects = {{0, false}};
  P.functions["Impl::get"].overrides = {"Pure::get"};
  define(P, "Open::put");
  define(P, "Hidden::put", /*HasBody=*/false).overrides = {"Open::put"};
  Summaries S(P);
  CHECK(S.paramUse("Base::take", 0) == ParamUse::Writes);
  CHECK(S.paramUse("Pure::get", 0) == ParamUse::Keeps); // a pure virtual: its overrides decide
  CHECK(S.paramUse("Open::put", 0) == ParamUse::Writes); // an override we cannot see into
}

} // TEST_SUITE
