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

namespace {

Function &method(ProgramFacts &P, const std::string &Key, bool HasBody = true) {
  Function &F = define(P, Key, HasBody);
  F.memberOf = "C";
  return F;
}

LockRef thisMutex(const std::string &Field, bool Shared = false) {
  LockRef L;
  L.kind = LockRef::Kind::ThisField;
  L.key = "C";
  L.field = Field;
  L.shared = Shared;
  return L;
}

void writeField(ProgramFacts &P, const std::string &Method, std::vector<LockRef> Locks) {
  Access W;
  W.target = AccessTarget::classField("C");
  W.functionKey = Method;
  W.field = "items";
  W.locks = std::move(Locks);
  P.memberWrites.push_back(std::move(W));
}

void callOnThis(ProgramFacts &P, const std::string &Caller, const std::string &Callee, std::vector<LockRef> Locks) {
  CallEdge E;
  E.caller = Caller;
  E.callee = Callee;
  E.onThis = true;
  E.locks = std::move(Locks);
  P.edges.push_back(std::move(E));
}

} // namespace

TEST_SUITE("method summaries") {

TEST_CASE("a method is synchronized on the object when every write to this holds one of its mutexes") {
  ProgramFacts P;
  method(P, "C::add");
  writeField(P, "C::add", {thisMutex("mu")});
  writeField(P, "C::add", {thisMutex("mu"), thisMutex("other")});
  method(P, "C::reset"); // one write outside the lock
  writeField(P, "C::reset", {thisMutex("mu")});
  writeField(P, "C::reset", {});
  method(P, "C::under_reader"); // a reader lock orders nothing among writers
  writeField(P, "C::under_reader", {thisMutex("mu", /*Shared=*/true)});
  Summaries S(P);
  CHECK(S.selfLocks("C::add") == std::vector<std::string>{"mu"});
  CHECK(S.selfLocks("C::reset").empty());
  CHECK(S.selfLocks("C::under_reader").empty());
}

TEST_CASE("calls on this: the callee's locks or the call site's, through a cycle; an unseen callee holds nothing") {
  ProgramFacts P;
  method(P, "C::outer");
  callOnThis(P, "C::outer", "C::locked_helper", {});
  callOnThis(P, "C::outer", "C::bare_helper", {thisMutex("mu")});
  method(P, "C::locked_helper");
  writeField(P, "C::locked_helper", {thisMutex("mu")});
  method(P, "C::bare_helper");
  writeField(P, "C::bare_helper", {});
  method(P, "C::ping");
  callOnThis(P, "C::ping", "C::pong", {});
  method(P, "C::pong");
  callOnThis(P, "C::pong", "C::ping", {});
  writeField(P, "C::pong", {thisMutex("mu")});
  method(P, "C::to_unseen");
  callOnThis(P, "C::to_unseen", "C::unseen", {thisMutex("other")});
  writeField(P, "C::to_unseen", {thisMutex("mu")});
  method(P, "C::unseen", /*HasBody=*/false);
  Summaries S(P);
  CHECK(S.selfLocks("C::outer") == std::vector<std::string>{"mu"});
  CHECK(S.selfLocks("C::bare_helper").empty());
  CHECK(S.selfLocks("C::ping") == std::vector<std::string>{"mu"});
  CHECK(S.selfLocks("C::to_unseen").empty()); // "other" at the call, "mu" at its own write: nothing in common
}

TEST_CASE("a whole-body guard decides first; what a method locks is kept for reads") {
  ProgramFacts P;
  method(P, "C::guarded").bodyLocks = {thisMutex("mu")};
  writeField(P, "C::guarded", {thisMutex("mu")});
  method(P, "C::lookup").ownLocks = {thisMutex("mu", /*Shared=*/true)};
  Summaries S(P);
  CHECK(S.selfLocks("C::guarded") == std::vector<std::string>{"mu"});
  CHECK_FALSE(S.writesThis("C::lookup"));
  REQUIRE(S.ownLocks("C::lookup").size() == 1);
  CHECK(S.ownLocks("C::lookup").front().shared);
}

} // TEST_SUITE
