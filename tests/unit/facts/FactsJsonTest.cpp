// The facts file is a cache and a test input: whatever one TU's facts say must
// come back unchanged from JSON, and anything the reader does not understand
// must be refused, not defaulted (a defaulted "sync" would silently change a
// verdict).
#include "Builders.h"

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <tuple>

using namespace sharedstate;
using namespace sharedstate::unittest;
using nlohmann::json;

namespace {

auto fields(const SharedVariable &V) {
  return std::tie(V.key, V.name, V.kind, V.type, V.location, V.isDefinition, V.isConst, V.isReference,
                  V.isSyncPrimitive, V.syncType, V.isGuarded, V.init, V.classKey);
}
auto fields(const Access &A) {
  return std::tie(A.target, A.what, A.location, A.functionKey, A.functionName, A.sync, A.detail, A.method, A.field,
                  A.locks, A.passedTo, A.passedIndex);
}
auto fields(const ReturnAlias &R) {
  return std::tie(R.alias, R.target, R.whole);
}
auto fields(const Function &F) {
  return std::tie(F.key, F.name, F.isInitializer, F.isEntry, F.memberOf, F.isPublic, F.isCallOperator, F.isStructor,
                  F.enclosing, F.isMain, F.isExternal, F.isVirtual, F.hasBody, F.runsEventLoop, F.overrides, F.bodyLocks, F.signature,
                  F.paramEffects, F.paramPasses);
}
auto fields(const HandlerInstance &H) {
  return std::tie(H.classKey, H.kind, H.held, H.subject, H.via, H.location, H.entries, H.entryRule, H.generic,
                  H.inMain);
}
auto fields(const ClassInfo &C) { return std::tie(C.key, C.name, C.location, C.bases); }
auto fields(const Root &R) {
  return std::tie(R.kind, R.via, R.entries, R.entryClass, R.starter, R.location, R.inLoop, R.serial, R.onLoop,
                  R.handedTo, R.keptAs, R.handle);
}
auto fields(const MainStep &S) {
  return std::tie(S.begin, S.end, S.callees, S.serverLoop, S.eventLoop, S.joins, S.joined, S.registers, S.uses);
}
auto fields(const IndirectCall &C) { return C.tie(); }
auto fields(const CallEdge &E) { return std::tie(E.caller, E.callee, E.sync); }
auto fields(const GuardedCheck &G) {
  return std::tie(G.target, G.kind, G.location, G.functionKey, G.functionName, G.sync, G.regionBegin,
                  G.regionEnd, G.callees, G.doubleChecked);
}

template <typename T> void checkSame(const std::vector<T> &Got, const std::vector<T> &Want) {
  REQUIRE(Got.size() == Want.size());
  for (size_t I = 0; I < Want.size(); ++I) {
    CAPTURE(I);
    CHECK(fields(Got[I]) == fields(Want[I]));
  }
}

/// Every field set to something other than its default, and every enum value
/// used at least once, so a field the writer or reader forgets shows up.
TUFacts everything() {
  TUFacts F;
  F.mainFile = "/src/handlers.cpp";

  SharedVariable Flags = variable("flags", 3, VarKind::StaticMember);
  Flags.type = "std::mutex";
  Flags.location = at(3, 17, "/src/include/handlers.h");
  Flags.isConst = true;
  Flags.isReference = true;
  Flags.isSyncPrimitive = true;
  Flags.syncType = "std::mutex";
  Flags.isGuarded = true;
  Flags.init = InitKind::Dynamic;
  F.variables.push_back(Flags);
  SharedVariable Cache = variable("handle::cache", 9, VarKind::FunctionLocalStatic);
  Cache.isDefinition = false;
  Cache.init = InitKind::None;
  F.variables.push_back(Cache);
  F.variables.push_back(variable("counter", 12, VarKind::NamespaceGlobal));
  F.variables.back().classKey = "c:@S@Counter";

  const AccessWhat Whats[] = {AccessWhat::Reassign, AccessWhat::Mutate, AccessWhat::Escape,
                              AccessWhat::Check, AccessWhat::Init};
  const Sync Syncs[] = {Sync::None, Sync::Lock, Sync::Atomic, Sync::Once};
  unsigned Line = 20;
  for (AccessWhat W : Whats)
    for (Sync S : Syncs) {
      Access A;
      A.target = AccessTarget::variable(keyOf("counter"));
      A.what = W;
      A.location = at(Line++, 5);
      A.functionKey = "c:@F@handle#";
      A.functionName = "handle";
      A.sync = S;
      A.detail = "push_back";
      F.accesses.push_back(A);
    }
  Access ThroughCall;
  ThroughCall.target = AccessTarget::callResult("c:@F@registry#");
  ThroughCall.what = AccessWhat::Mutate;
  ThroughCall.location = at(50, 2);
  ThroughCall.functionKey = "c:@F@serve#";
  ThroughCall.functionName = "serve";
  ThroughCall.method = "c:@S@Registry@F@add#";
  F.accesses.push_back(ThroughCall);

  Access Field;
  Field.target = AccessTarget::classField("c:@S@Counter");
  Field.what = AccessWhat::Reassign;
  Field.location = at(60, 3);
  Field.functionKey = "c:@S@Counter@F@bump#";
  Field.functionName = "Counter::bump";
  Field.field = "n_";
  F.memberWrites.push_back(Field);
  Access ThroughParameter = ThroughCall;
  ThroughParameter.target = AccessTarget::parameter("c:@F@store#", 2);
  ThroughParameter.location = at(51, 2);
  F.accesses.push_back(ThroughParameter);
  // Every kind, registration form and entry rule at least once.
  const InstanceKind Kinds[] = {InstanceKind::Controller, InstanceKind::Registration, InstanceKind::Accessor,
                                InstanceKind::Global, InstanceKind::Meyers};
  const HeldAs Helds[] = {HeldAs::ThisCaptured, HeldAs::CapturedByReference, HeldAs::CapturedByCopy,
                          HeldAs::StdRef,       HeldAs::StdCref,             HeldAs::MemberFunction,
                          HeldAs::This,         HeldAs::Pointer,             HeldAs::SmartPointer,
                          HeldAs::Object};
  const EntryRule Rules[] = {EntryRule::Entries, EntryRule::PublicMethods, EntryRule::CallOperators};
  unsigned Column = 1;
  for (HeldAs H : Helds) {
    HandlerInstance I;
    I.classKey = "c:@S@Counter";
    I.kind = Kinds[Column % std::size(Kinds)];
    I.held = H;
    I.subject = "c" + std::to_string(Column);
    I.via = "add";
    I.location = at(70, Column);
    I.entries = {"c:@S@Counter@F@bump#"};
    I.entryRule = Rules[Column % std::size(Rules)];
    F.handlerInstances.push_back(I);
    ++Column;
  }
  F.classes.push_back(ClassInfo{"c:@S@Ctl", "Ctl", at(80, 7), {"c:@S@Base", "c:@S@Root"}});

  F.returnAliases.push_back(
      ReturnAlias{AccessTarget::callResult("c:@F@registry#"), AccessTarget::variable(keyOf("counter")), false});
  F.returnAliases.push_back(
      ReturnAlias{AccessTarget::callResult("c:@F@outer#"), AccessTarget::callResult("c:@F@registry#"), true});
  F.returnAliases.push_back(
      ReturnAlias{AccessTarget::parameter("c:@F@store#", 2), AccessTarget::variable(keyOf("counter")), true});

  F.functions.push_back(function("c:@F@handle#", false, true));
  F.functions.push_back(function("__init:counter", true, false));
  F.functions.back().name = "counter initializer";
  Function Bump = function("c:@S@Counter@F@bump#");
  Bump.memberOf = "c:@S@Counter";
  Bump.isPublic = Bump.isCallOperator = true;
  F.functions.push_back(Bump);
  Function Lambda = function("lambda:c:@F@handle##0@handlers.cpp");
  Lambda.enclosing = "c:@F@handle#";
  F.functions.push_back(Lambda);
  Function Ctor = function("c:@S@Counter@F@Counter#");
  Ctor.memberOf = "c:@S@Counter";
  Ctor.isStructor = true;
  F.functions.push_back(Ctor);
  for (Sync S : Syncs)
    F.edges.push_back(CallEdge{"c:@F@serve#", std::string("callee_") + toString(S), S, {}, false, {}});

  // The concurrency facts: every lock kind, root kind and main's steps.
  const LockRef::Kind LockKinds[] = {LockRef::Kind::Variable, LockRef::Kind::ObjectField, LockRef::Kind::ThisField,
                                     LockRef::Kind::CallResult, LockRef::Kind::Spelled};
  for (LockRef::Kind K : LockKinds) {
    LockRef L;
    L.kind = K;
    L.key = std::string("lock_") + toString(K);
    L.field = K == LockRef::Kind::ObjectField || K == LockRef::Kind::ThisField ? "mu_" : "";
    L.shared = K == LockRef::Kind::Spelled;
    L.name = "mu";
    F.accesses.front().locks.push_back(L);
    F.edges.front().locks.push_back(L);
  }
  F.edges.front().onThis = true;
  Function &Serve = F.functions.front();
  Serve.isExternal = Serve.isVirtual = Serve.hasBody = Serve.runsEventLoop = true;
  Serve.overrides = {"c:@S@Base@F@handle#"};
  Serve.bodyLocks = {F.accesses.front().locks.front()};
  Serve.signature = "void (int)";
  Serve.paramEffects = {{0, true}, {2, false}};
  Serve.paramPasses = {{1, "c:@F@bump#", 3}};
  F.accesses.front().passedTo = "c:@F@bump#";
  F.accesses.front().passedIndex = 2;
  F.functions.push_back(function("c:@F@main#@server.cpp"));
  F.functions.back().isMain = true;
  const RootKind RootKinds[] = {RootKind::Thread, RootKind::Executor, RootKind::Callback, RootKind::Test};
  for (RootKind K : RootKinds) {
    Root R;
    R.kind = K;
    R.via = std::string("start_") + toString(K);
    R.entries = {"c:@F@handle#"};
    R.entryClass = K == RootKind::Thread ? "c:@S@Worker" : "";
    R.starter = "c:@F@main#@server.cpp";
    R.location = at(90, 1 + static_cast<unsigned>(F.roots.size()));
    R.inLoop = K == RootKind::Thread;
    R.serial = K == RootKind::Callback;
    R.onLoop = K == RootKind::Executor;
    R.handedTo = K == RootKind::Callback ? "c:@F@register#" : "";
    R.keptAs = K == RootKind::Callback ? "void (int)" : "";
    R.handle = K == RootKind::Thread ? "c:server.cpp@1200@F@main#@workers" : "";
    F.roots.push_back(R);
  }
  ProgramMain M;
  M.function = "c:@F@main#@server.cpp";
  M.file = MainFile;
  M.locals = {"c:@S@Server"};
  MainStep Parse{at(100), at(101), {"c:@F@parse#"}, false, false, false, {}, {}, {}};
  MainStep Serve2{at(102), at(103), {}, true, true, false, {}, {"c:@server"}, {"c:@server"}};
  MainStep Join{at(104), at(104), {}, false, false, true, {"c:server.cpp@1200@F@main#@workers"}, {}, {}};
  M.steps = {Parse, Serve2, Join};
  F.programs.push_back(M);
  ProgramMain Starter = M;
  Starter.function = "c:@F@run_workers#";
  Starter.locals.clear();
  F.starters.push_back(Starter);
  F.indirectCalls.push_back(IndirectCall{"c:@F@serve#", "void (int)"});
  F.handlerInstances.front().generic = true;
  F.handlerInstances.front().inMain = true;
  return F;
}

TUFacts roundTrip(const TUFacts &In) {
  json J = In;
  // Through text, as the cache does.
  return json::parse(J.dump()).get<TUFacts>();
}

/// Valid facts with one access and one edge, as JSON to be spoiled by a test.
json minimalJson() {
  Program P;
  P.global("counter", 1).fn("f").call("main", "f").mutate("counter", "f", 5);
  return json(P.tu);
}

TUFacts read(const json &J) { return J.get<TUFacts>(); }

} // namespace

TEST_SUITE("facts") {

TEST_CASE("TU facts survive a JSON round trip unchanged") {
  const TUFacts In = everything();
  const TUFacts Out = roundTrip(In);
  CHECK(Out.mainFile == In.mainFile);
  checkSame(Out.variables, In.variables);
  checkSame(Out.accesses, In.accesses);
  checkSame(Out.returnAliases, In.returnAliases);
  checkSame(Out.functions, In.functions);
  checkSame(Out.edges, In.edges);
  checkSame(Out.memberWrites, In.memberWrites);
  checkSame(Out.handlerInstances, In.handlerInstances);
  checkSame(Out.classes, In.classes);
  checkSame(Out.roots, In.roots);
  checkSame(Out.indirectCalls, In.indirectCalls);
  REQUIRE(Out.programs.size() == 1);
  CHECK(Out.programs[0].function == In.programs[0].function);
  CHECK(Out.programs[0].file == In.programs[0].file);
  CHECK(Out.programs[0].locals == In.programs[0].locals);
  checkSame(Out.programs[0].steps, In.programs[0].steps);
  REQUIRE(Out.starters.size() == 1);
  CHECK(Out.starters[0].function == In.starters[0].function);
  checkSame(Out.starters[0].steps, In.starters[0].steps);
}

TEST_CASE("the facts JSON carries the format version") {
  json J = everything();
  CHECK(J.at("version") == FactsVersion);
}

TEST_CASE("reading facts replaces what the target held before") {
  TUFacts Target = everything();
  from_json(minimalJson(), Target);
  CHECK(Target.variables.size() == 1);
  CHECK(Target.accesses.size() == 1);
  CHECK(Target.returnAliases.empty());
}

TEST_CASE("every enum spelling parses back to its value") {
  for (VarKind K : {VarKind::NamespaceGlobal, VarKind::StaticMember, VarKind::FunctionLocalStatic})
    CHECK(parseVarKind(toString(K)) == K);
  for (InitKind K : {InitKind::None, InitKind::Constant, InitKind::Dynamic})
    CHECK(parseInitKind(toString(K)) == K);
  for (AccessWhat K : {AccessWhat::Reassign, AccessWhat::Mutate, AccessWhat::Escape, AccessWhat::Check,
                       AccessWhat::Init})
    CHECK(parseAccessWhat(toString(K)) == K);
  for (Sync K : {Sync::None, Sync::Lock, Sync::Atomic, Sync::Once})
    CHECK(parseSync(toString(K)) == K);
  for (Phase K : {Phase::Initialization, Phase::Runtime})
    CHECK(parsePhase(toString(K)) == K);
  for (Verdict K : {Verdict::ThreadSafe, Verdict::ProbablyThreadSafe, Verdict::NotThreadSafe})
    CHECK(parseVerdict(toString(K)) == K);
  for (auto K : {AccessTarget::Kind::Variable, AccessTarget::Kind::CallResult, AccessTarget::Kind::Parameter,
                 AccessTarget::Kind::ClassField})
    CHECK(parseTargetKind(toString(K)) == K);
  for (InstanceKind K : {InstanceKind::Controller, InstanceKind::Registration, InstanceKind::Accessor,
                         InstanceKind::Global, InstanceKind::Meyers})
    CHECK(parseInstanceKind(toString(K)) == K);
  for (HeldAs K : {HeldAs::ThisCaptured, HeldAs::CapturedByReference, HeldAs::CapturedByCopy, HeldAs::StdRef,
                   HeldAs::StdCref, HeldAs::MemberFunction, HeldAs::This, HeldAs::Pointer, HeldAs::SmartPointer,
                   HeldAs::Object})
    CHECK(parseHeldAs(toString(K)) == K);
  for (EntryRule K : {EntryRule::Entries, EntryRule::PublicMethods, EntryRule::CallOperators})
    CHECK(parseEntryRule(toString(K)) == K);
}

TEST_CASE("junk enum spellings do not parse") {
  CHECK_FALSE(parseVarKind("global").has_value());
  CHECK_FALSE(parseInitKind("").has_value());
  CHECK_FALSE(parseAccessWhat("write").has_value());
  CHECK_FALSE(parseSync("Lock").has_value());
  CHECK_FALSE(parsePhase("init").has_value());
  CHECK_FALSE(parseVerdict("safe").has_value());
  CHECK_FALSE(parseTargetKind("callee").has_value());
  CHECK_FALSE(parseInstanceKind("singleton").has_value());
  CHECK_FALSE(parseHeldAs("ref").has_value());
  CHECK_FALSE(parseEntryRule("").has_value());
}

TEST_CASE("facts with an unknown enum spelling are rejected") {
  REQUIRE_NOTHROW(read(minimalJson()));
  SUBCASE("variable kind") {
    json J = minimalJson();
    J["variables"][0]["kind"] = "global";
    CHECK_THROWS(read(J));
  }
  SUBCASE("initializer kind") {
    json J = minimalJson();
    J["variables"][0]["init"] = "lazy";
    CHECK_THROWS(read(J));
  }
  SUBCASE("access kind") {
    json J = minimalJson();
    J["accesses"][0]["what"] = "write";
    CHECK_THROWS(read(J));
  }
  SUBCASE("access synchronization") {
    json J = minimalJson();
    J["accesses"][0]["sync"] = "mutex";
    CHECK_THROWS(read(J));
  }
  SUBCASE("handler instance kind") {
    json J = minimalJson();
    J["handler_instances"] = json(everything())["handler_instances"];
    J["handler_instances"][0]["kind"] = "singleton";
    CHECK_THROWS_AS(read(J), std::invalid_argument);
  }
  SUBCASE("call edge synchronization") {
    json J = minimalJson();
    J["edges"][0]["sync"] = "LOCK";
    CHECK_THROWS(read(J));
  }
}

TEST_CASE("facts of another format version are rejected") {
  SUBCASE("newer") {
    json J = minimalJson();
    J["version"] = FactsVersion + 1;
    CHECK_THROWS(read(J));
  }
  SUBCASE("older") {
    json J = minimalJson();
    J["version"] = FactsVersion - 1;
    CHECK_THROWS(read(J));
  }
  SUBCASE("missing") {
    json J = minimalJson();
    J.erase("version");
    CHECK_THROWS(read(J));
  }
}

TEST_CASE("an access target needs a known kind and a key, and a parameter its index") {
  SUBCASE("unknown kind") {
    json J = minimalJson();
    J["accesses"][0]["target"] = {{"kind", "callee"}, {"key", "c:@F@registry#"}};
    CHECK_THROWS_AS(read(J), std::invalid_argument);
  }
  SUBCASE("no kind") {
    json J = minimalJson();
    J["accesses"][0]["target"] = {{"key", "c:@counter"}};
    CHECK_THROWS(read(J));
  }
  SUBCASE("empty key") {
    json J = minimalJson();
    J["accesses"][0]["target"] = {{"kind", "variable"}, {"key", ""}};
    CHECK_THROWS_AS(read(J), std::invalid_argument);
  }
  SUBCASE("parameter without its index") {
    json J = minimalJson();
    J["accesses"][0]["target"] = {{"kind", "parameter"}, {"key", "c:@F@store#"}};
    CHECK_THROWS(read(J));
  }
  SUBCASE("return alias without a target") {
    json J = minimalJson();
    J["return_aliases"] = json::array(
        {{{"alias", {{"kind", "call-result"}, {"key", "c:@F@registry#"}}}, {"target", json::object()}}});
    CHECK_THROWS(read(J));
  }
}

} // TEST_SUITE

// Guarded checks (lazy initialization): the same contract as the rest of the
// facts. Every field non-default, every check kind and synchronization used.
namespace {

TUFacts withGuardedChecks() {
  TUFacts F = everything();
  const CheckKind Kinds[] = {CheckKind::Emptiness, CheckKind::Nullness, CheckKind::Flag, CheckKind::KeyLookup};
  const Sync Syncs[] = {Sync::None, Sync::Lock, Sync::Atomic, Sync::Once};
  unsigned Line = 100;
  for (CheckKind K : Kinds)
    for (Sync S : Syncs) {
      GuardedCheck G;
      G.target = (Line % 10) == 0 ? AccessTarget::variable(keyOf("counter"))
                                  : AccessTarget::callResult("c:@F@registry#");
      G.kind = K;
      G.location = at(Line, 7);
      G.functionKey = "c:@F@handle#";
      G.functionName = "handle";
      G.sync = S;
      G.regionBegin = at(Line, 30);
      G.regionEnd = at(Line + 3, 4, "/src/include/handlers.h");
      G.callees = {"c:@F@load#", "c:@F@register#"};
      G.doubleChecked = (Line % 2) == 0;
      F.guardedChecks.push_back(G);
      Line += 5;
    }
  GuardedCheck Bare; // no callees, defaults where the format allows them
  Bare.target = AccessTarget::variable(keyOf("handle::cache"));
  Bare.location = at(200, 3);
  Bare.functionKey = "c:@F@get#";
  Bare.regionBegin = at(201, 1);
  Bare.regionEnd = at(201, 20);
  F.guardedChecks.push_back(Bare);
  return F;
}

json withOneGuardedCheck() {
  Program P;
  P.global("cache", 1)
      .fn("get")
      .mutate("cache", "get", 11)
      .guarded(guardedCheck("cache", CheckKind::Emptiness, "get", 10, 10, 12));
  return json(P.tu);
}

} // namespace

TEST_SUITE("facts") {

TEST_CASE("guarded checks survive a JSON round trip unchanged") {
  const TUFacts In = withGuardedChecks();
  const TUFacts Out = roundTrip(In);
  checkSame(Out.guardedChecks, In.guardedChecks);
  // ... and do not disturb the rest.
  checkSame(Out.variables, In.variables);
  checkSame(Out.accesses, In.accesses);
  checkSame(Out.edges, In.edges);
}

TEST_CASE("guarded checks are written under guarded_checks") {
  json J = withGuardedChecks();
  REQUIRE(J.contains("guarded_checks"));
  CHECK(J.at("guarded_checks").size() == 17);
  const json &First = J.at("guarded_checks").at(0);
  CHECK(First.at("kind") == "emptiness");
  CHECK(First.at("target").at("kind") == "variable");
  CHECK(First.at("target").at("key") == keyOf("counter"));
  CHECK(First.at("callees").size() == 2);
}

TEST_CASE("every check kind spelling parses back, and junk does not") {
  for (CheckKind K : {CheckKind::Emptiness, CheckKind::Nullness, CheckKind::Flag, CheckKind::KeyLookup})
    CHECK(parseCheckKind(toString(K)) == K);
  CHECK_FALSE(parseCheckKind("empty").has_value());
  CHECK_FALSE(parseCheckKind("Nullness").has_value());
  CHECK_FALSE(parseCheckKind("key_lookup").has_value());
  CHECK_FALSE(parseCheckKind("").has_value());
}

TEST_CASE("guarded checks with an unknown enum spelling are rejected") {
  REQUIRE_NOTHROW(read(withOneGuardedCheck()));
  REQUIRE(read(withOneGuardedCheck()).guardedChecks.size() == 1);
  SUBCASE("check kind") {
    json J = withOneGuardedCheck();
    J["guarded_checks"][0]["kind"] = "emptyness";
    CHECK_THROWS_AS(read(J), std::invalid_argument);
  }
  SUBCASE("check kind in another case") {
    json J = withOneGuardedCheck();
    J["guarded_checks"][0]["kind"] = "Emptiness";
    CHECK_THROWS_AS(read(J), std::invalid_argument);
  }
  SUBCASE("synchronization at the check") {
    json J = withOneGuardedCheck();
    J["guarded_checks"][0]["sync"] = "mutex";
    CHECK_THROWS_AS(read(J), std::invalid_argument);
  }
}

TEST_CASE("a guarded check missing a required field is rejected") {
  for (const char *Field : {"target", "kind", "location", "function", "sync", "region_begin", "region_end", "callees"}) {
    CAPTURE(Field);
    json J = withOneGuardedCheck();
    J["guarded_checks"][0].erase(Field);
    CHECK_THROWS(read(J));
  }
}

} // TEST_SUITE
