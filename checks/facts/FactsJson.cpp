// Facts <-> JSON. The format is what the scanner caches and what tests feed to
// merge/classify; unknown enum spellings are rejected rather than defaulted, so
// a stale or foreign file fails loudly instead of silently changing verdicts.
#include "facts/Facts.h"

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <tuple>

namespace sharedstate {

bool operator<(const SourceLocation &A, const SourceLocation &B) {
  return std::tie(A.file, A.line, A.column) < std::tie(B.file, B.line, B.column);
}

bool operator<(const AccessTarget &A, const AccessTarget &B) {
  return std::tie(A.kind, A.key, A.index) < std::tie(B.kind, B.key, B.index);
}

namespace {
template <typename E, size_t N>
std::optional<E> lookup(const char *const (&Names)[N], const std::string &S) {
  for (size_t I = 0; I < N; ++I)
    if (S == Names[I])
      return static_cast<E>(I);
  return std::nullopt;
}

const char *const VarKindNames[] = {"mutable-global", "mutable-static-member",
                                    "function-local-static"};
const char *const InitKindNames[] = {"none", "constant", "dynamic"};
const char *const AccessWhatNames[] = {"reassign", "mutate", "escape", "check", "init", "read"};
const char *const SyncNames[] = {"none", "lock", "atomic", "once"};
const char *const PhaseNames[] = {"initialization", "runtime", "startup", "shutdown"};
const char *const CheckKindNames[] = {"emptiness", "nullness", "flag", "key-lookup"};
const char *const TargetKindNames[] = {"variable", "call-result", "parameter", "class-field"};
const char *const InstanceKindNames[] = {"controller", "registration", "accessor", "global", "meyers"};
const char *const HeldAsNames[] = {"this-captured", "captured-by-reference", "captured-by-copy", "std-ref",
                                   "std-cref", "member-function", "this", "pointer", "smart-pointer", "object"};
const char *const EntryRuleNames[] = {"entries", "public-methods", "call-operators"};
const char *const RootKindNames[] = {"thread", "executor", "callback", "test"};
const char *const LockKindNames[] = {"variable", "object-field", "this-field", "call-result", "spelled"};

template <typename E, size_t N>
E require(const char *const (&Names)[N], const nlohmann::json &J, const char *What) {
  if (auto V = lookup<E>(Names, J.get<std::string>()))
    return *V;
  throw std::invalid_argument(std::string("unknown ") + What + " '" + J.get<std::string>() + "'");
}

nlohmann::json targetJson(const AccessTarget &T) {
  nlohmann::json J = {{"kind", TargetKindNames[static_cast<int>(T.kind)]}, {"key", T.key}};
  if (T.kind == AccessTarget::Kind::Parameter)
    J["index"] = T.index;
  return J;
}
nlohmann::json locksJson(const std::vector<LockRef> &Locks) {
  nlohmann::json Out = nlohmann::json::array();
  for (const LockRef &L : Locks) {
    nlohmann::json J = {{"kind", LockKindNames[static_cast<int>(L.kind)]}, {"key", L.key}};
    if (!L.field.empty())
      J["field"] = L.field;
    if (L.shared)
      J["shared"] = true;
    if (!L.name.empty())
      J["name"] = L.name;
    Out.push_back(std::move(J));
  }
  return Out;
}

std::vector<LockRef> locksFrom(const nlohmann::json &J) {
  std::vector<LockRef> Out;
  for (const auto &L : J) {
    LockRef R;
    R.kind = require<LockRef::Kind>(LockKindNames, L.at("kind"), "lock kind");
    L.at("key").get_to(R.key);
    R.field = L.value("field", "");
    R.shared = L.value("shared", false);
    R.name = L.value("name", "");
    Out.push_back(std::move(R));
  }
  return Out;
}

void handOffsTo(nlohmann::json &X, const HandOffs &H) {
  if (!H.releasedAfter.empty())
    X["released_after"] = locksJson(H.releasedAfter);
  if (!H.acquiredBefore.empty())
    X["acquired_before"] = locksJson(H.acquiredBefore);
}

HandOffs handOffsFrom(const nlohmann::json &X) {
  HandOffs H;
  H.releasedAfter = locksFrom(X.value("released_after", nlohmann::json::array()));
  H.acquiredBefore = locksFrom(X.value("acquired_before", nlohmann::json::array()));
  return H;
}

nlohmann::json accessesJson(const std::vector<Access> &List) {
  nlohmann::json Out = nlohmann::json::array();
  for (const Access &A : List) {
    nlohmann::json X = {{"target", targetJson(A.target)},
                        {"what", toString(A.what)},
                        {"location", A.location},
                        {"function", A.functionKey},
                        {"function_name", A.functionName},
                        {"sync", toString(A.sync)},
                        {"detail", A.detail}};
    if (!A.method.empty())
      X["method"] = A.method;
    if (!A.field.empty())
      X["field"] = A.field;
    if (!A.locks.empty())
      X["locks"] = locksJson(A.locks);
    handOffsTo(X, A.handOffs);
    if (!A.passedTo.empty())
      X["passed_to"] = {{"function", A.passedTo}, {"param", A.passedIndex}};
    Out.push_back(std::move(X));
  }
  return Out;
}

AccessTarget targetFrom(const nlohmann::json &J);

std::vector<Access> accessesFrom(const nlohmann::json &J) {
  std::vector<Access> Out;
  for (const auto &A : J) {
    Access X;
    X.target = targetFrom(A.at("target"));
    X.what = require<AccessWhat>(AccessWhatNames, A.at("what"), "access");
    A.at("location").get_to(X.location);
    A.at("function").get_to(X.functionKey);
    X.functionName = A.value("function_name", "");
    X.sync = require<Sync>(SyncNames, A.at("sync"), "synchronization");
    X.detail = A.value("detail", "");
    X.method = A.value("method", "");
    X.field = A.value("field", "");
    X.locks = locksFrom(A.value("locks", nlohmann::json::array()));
    X.handOffs = handOffsFrom(A);
    if (const auto P = A.find("passed_to"); P != A.end()) {
      P->at("function").get_to(X.passedTo);
      P->at("param").get_to(X.passedIndex);
    }
    Out.push_back(std::move(X));
  }
  return Out;
}

AccessTarget targetFrom(const nlohmann::json &J) {
  AccessTarget T;
  T.kind = require<AccessTarget::Kind>(TargetKindNames, J.at("kind"), "access target kind");
  J.at("key").get_to(T.key);
  if (T.key.empty())
    throw std::invalid_argument("access target without a key");
  if (T.kind == AccessTarget::Kind::Parameter)
    J.at("index").get_to(T.index);
  return T;
}
} // namespace

const char *toString(VarKind K) { return VarKindNames[static_cast<int>(K)]; }
const char *toString(InitKind K) { return InitKindNames[static_cast<int>(K)]; }
const char *toString(AccessWhat K) { return AccessWhatNames[static_cast<int>(K)]; }
const char *toString(Sync K) { return SyncNames[static_cast<int>(K)]; }
const char *toString(Phase K) { return PhaseNames[static_cast<int>(K)]; }
const char *toString(CheckKind K) { return CheckKindNames[static_cast<int>(K)]; }
const char *toString(AccessTarget::Kind K) { return TargetKindNames[static_cast<int>(K)]; }
const char *toString(InstanceKind K) { return InstanceKindNames[static_cast<int>(K)]; }
const char *toString(HeldAs K) { return HeldAsNames[static_cast<int>(K)]; }
const char *toString(EntryRule K) { return EntryRuleNames[static_cast<int>(K)]; }
const char *toString(LockRef::Kind K) { return LockKindNames[static_cast<int>(K)]; }
const char *toString(RootKind K) { return RootKindNames[static_cast<int>(K)]; }
std::optional<VarKind> parseVarKind(const std::string &S) { return lookup<VarKind>(VarKindNames, S); }
std::optional<InitKind> parseInitKind(const std::string &S) { return lookup<InitKind>(InitKindNames, S); }
std::optional<AccessWhat> parseAccessWhat(const std::string &S) { return lookup<AccessWhat>(AccessWhatNames, S); }
std::optional<Sync> parseSync(const std::string &S) { return lookup<Sync>(SyncNames, S); }
std::optional<Phase> parsePhase(const std::string &S) { return lookup<Phase>(PhaseNames, S); }
std::optional<CheckKind> parseCheckKind(const std::string &S) { return lookup<CheckKind>(CheckKindNames, S); }
std::optional<AccessTarget::Kind> parseTargetKind(const std::string &S) {
  return lookup<AccessTarget::Kind>(TargetKindNames, S);
}
std::optional<InstanceKind> parseInstanceKind(const std::string &S) {
  return lookup<InstanceKind>(InstanceKindNames, S);
}
std::optional<HeldAs> parseHeldAs(const std::string &S) { return lookup<HeldAs>(HeldAsNames, S); }
std::optional<EntryRule> parseEntryRule(const std::string &S) { return lookup<EntryRule>(EntryRuleNames, S); }
std::optional<LockRef::Kind> parseLockKind(const std::string &S) { return lookup<LockRef::Kind>(LockKindNames, S); }
std::optional<RootKind> parseRootKind(const std::string &S) { return lookup<RootKind>(RootKindNames, S); }

void to_json(nlohmann::json &J, const SourceLocation &L) {
  J = {{"file", L.file}, {"line", L.line}, {"column", L.column}};
}
void from_json(const nlohmann::json &J, SourceLocation &L) {
  J.at("file").get_to(L.file);
  J.at("line").get_to(L.line);
  J.at("column").get_to(L.column);
}

void to_json(nlohmann::json &J, const ProgramMain &M) {
  nlohmann::json Steps = nlohmann::json::array();
  for (const MainStep &S : M.steps)
    Steps.push_back({{"begin", S.begin},
                     {"end", S.end},
                     {"callees", S.callees},
                     {"server_loop", S.serverLoop},
                     {"event_loop", S.eventLoop},
                     {"joins", S.joins},
                     {"joined", S.joined},
                     {"registers", S.registers},
                     {"uses", S.uses}});
  J = {{"function", M.function}, {"file", M.file}, {"steps", std::move(Steps)}, {"locals", M.locals}};
}

void from_json(const nlohmann::json &J, ProgramMain &X) {
  X = ProgramMain();
  J.at("function").get_to(X.function);
  X.file = J.value("file", "");
  X.locals = J.value("locals", std::vector<std::string>());
  for (const auto &S : J.at("steps")) {
    MainStep Y;
    S.at("begin").get_to(Y.begin);
    S.at("end").get_to(Y.end);
    Y.callees = S.value("callees", std::vector<std::string>());
    Y.serverLoop = S.value("server_loop", false);
    Y.eventLoop = S.value("event_loop", false);
    Y.joins = S.value("joins", false);
    Y.joined = S.value("joined", std::vector<std::string>());
    Y.registers = S.value("registers", std::vector<std::string>());
    Y.uses = S.value("uses", std::vector<std::string>());
    X.steps.push_back(std::move(Y));
  }
}

void to_json(nlohmann::json &J, const TUFacts &F) {
  J = nlohmann::json::object();
  J["version"] = FactsVersion;
  J["main_file"] = F.mainFile;
  auto &Vars = J["variables"] = nlohmann::json::array();
  for (const SharedVariable &V : F.variables)
    Vars.push_back({{"key", V.key},
                    {"name", V.name},
                    {"kind", toString(V.kind)},
                    {"type", V.type},
                    {"location", V.location},
                    {"definition", V.isDefinition},
                    {"const", V.isConst},
                    {"reference", V.isReference},
                    {"pointer", V.holdsPointer},
                    {"sync_primitive", V.isSyncPrimitive},
                    {"sync_type", V.syncType},
                    {"guarded", V.isGuarded},
                    {"sync_members", V.hasSyncMembers},
                    {"init", toString(V.init)},
                    {"class", V.classKey}});
  J["accesses"] = accessesJson(F.accesses);
  J["member_writes"] = accessesJson(F.memberWrites);
  auto &Aliases = J["return_aliases"] = nlohmann::json::array();
  for (const ReturnAlias &R : F.returnAliases)
    Aliases.push_back({{"alias", targetJson(R.alias)}, {"target", targetJson(R.target)}, {"whole", R.whole}});
  auto &Functions = J["functions"] = nlohmann::json::array();
  for (const Function &Fn : F.functions) {
    nlohmann::json Effects = nlohmann::json::array(), Passes = nlohmann::json::array();
    for (const ParamEffect &E : Fn.paramEffects)
      Effects.push_back({{"param", E.param}, {"writes", E.writes}});
    for (const ParamPass &P : Fn.paramPasses)
      Passes.push_back({{"param", P.param}, {"callee", P.callee}, {"callee_param", P.calleeParam}});
    Functions.push_back({{"key", Fn.key},
                         {"name", Fn.name},
                         {"initializer", Fn.isInitializer},
                         {"entry", Fn.isEntry},
                         {"member_of", Fn.memberOf},
                         {"public", Fn.isPublic},
                         {"call_operator", Fn.isCallOperator},
                         {"structor", Fn.isStructor},
                         {"enclosing", Fn.enclosing},
                         {"main", Fn.isMain},
                         {"external", Fn.isExternal},
                         {"virtual", Fn.isVirtual},
                         {"has_body", Fn.hasBody},
                         {"runs_event_loop", Fn.runsEventLoop},
                         {"overrides", Fn.overrides},
                         {"body_locks", locksJson(Fn.bodyLocks)},
                         {"own_locks", locksJson(Fn.ownLocks)},
                         {"signature", Fn.signature},
                         {"param_effects", std::move(Effects)},
                         {"param_passes", std::move(Passes)}});
  }
  auto &Edges = J["edges"] = nlohmann::json::array();
  for (const CallEdge &E : F.edges) {
    nlohmann::json X = {{"caller", E.caller}, {"callee", E.callee}, {"sync", toString(E.sync)}};
    if (!E.locks.empty())
      X["locks"] = locksJson(E.locks);
    if (E.onThis)
      X["on_this"] = true;
    handOffsTo(X, E.handOffs);
    Edges.push_back(std::move(X));
  }
  J["borrowed"] = F.borrowed;
  auto &Checks = J["guarded_checks"] = nlohmann::json::array();
  for (const GuardedCheck &G : F.guardedChecks)
    Checks.push_back({{"target", targetJson(G.target)},
                      {"kind", toString(G.kind)},
                      {"location", G.location},
                      {"function", G.functionKey},
                      {"function_name", G.functionName},
                      {"sync", toString(G.sync)},
                      {"region_begin", G.regionBegin},
                      {"region_end", G.regionEnd},
                      {"callees", G.callees},
                      {"double_checked", G.doubleChecked}});
  auto &Instances = J["handler_instances"] = nlohmann::json::array();
  for (const HandlerInstance &H : F.handlerInstances)
    Instances.push_back({{"class", H.classKey},
                         {"kind", toString(H.kind)},
                         {"held", toString(H.held)},
                         {"subject", H.subject},
                         {"via", H.via},
                         {"location", H.location},
                         {"entries", H.entries},
                         {"entry_rule", toString(H.entryRule)},
                         {"generic", H.generic},
                         {"in_main", H.inMain}});
  auto &Classes = J["classes"] = nlohmann::json::array();
  for (const ClassInfo &C : F.classes)
    Classes.push_back({{"key", C.key}, {"name", C.name}, {"location", C.location}, {"bases", C.bases}});
  auto &Roots = J["roots"] = nlohmann::json::array();
  for (const Root &R : F.roots)
    Roots.push_back({{"kind", toString(R.kind)},
                     {"via", R.via},
                     {"entries", R.entries},
                     {"entry_class", R.entryClass},
                     {"starter", R.starter},
                     {"location", R.location},
                     {"in_loop", R.inLoop},
                     {"serial", R.serial},
                     {"borrows_thread", R.borrowsThread},
                     {"on_loop", R.onLoop},
                     {"handed_to", R.handedTo},
                     {"kept_as", R.keptAs},
                     {"handle", R.handle}});
  auto &Indirect = J["indirect_calls"] = nlohmann::json::array();
  for (const IndirectCall &C : F.indirectCalls)
    Indirect.push_back({{"caller", C.caller}, {"signature", C.signature}});
  auto &Programs = J["programs"] = nlohmann::json::array();
  for (const ProgramMain &M : F.programs)
    Programs.push_back(M);
  auto &Starters = J["starters"] = nlohmann::json::array();
  for (const ProgramMain &M : F.starters)
    Starters.push_back(M);
}

void from_json(const nlohmann::json &J, TUFacts &F) {
  if (J.at("version").get<int>() != FactsVersion)
    throw std::invalid_argument("facts version " + J.at("version").dump() + " is not " +
                                std::to_string(FactsVersion));
  F = TUFacts();
  J.at("main_file").get_to(F.mainFile);
  for (const auto &V : J.at("variables")) {
    SharedVariable S;
    V.at("key").get_to(S.key);
    V.at("name").get_to(S.name);
    S.kind = require<VarKind>(VarKindNames, V.at("kind"), "variable kind");
    V.at("type").get_to(S.type);
    V.at("location").get_to(S.location);
    S.isDefinition = V.value("definition", false);
    S.isConst = V.value("const", false);
    S.isReference = V.value("reference", false);
    S.holdsPointer = V.value("pointer", false);
    S.isSyncPrimitive = V.value("sync_primitive", false);
    S.syncType = V.value("sync_type", "");
    S.isGuarded = V.value("guarded", false);
    S.hasSyncMembers = V.value("sync_members", false);
    S.init = require<InitKind>(InitKindNames, V.at("init"), "initializer kind");
    S.classKey = V.value("class", "");
    F.variables.push_back(std::move(S));
  }
  F.accesses = accessesFrom(J.at("accesses"));
  F.memberWrites = accessesFrom(J.value("member_writes", nlohmann::json::array()));
  for (const auto &R : J.at("return_aliases")) {
    ReturnAlias X;
    X.alias = targetFrom(R.at("alias"));
    X.target = targetFrom(R.at("target"));
    X.whole = R.value("whole", true);
    F.returnAliases.push_back(std::move(X));
  }
  for (const auto &Fn : J.at("functions")) {
    Function X;
    Fn.at("key").get_to(X.key);
    Fn.at("name").get_to(X.name);
    X.isInitializer = Fn.value("initializer", false);
    X.isEntry = Fn.value("entry", false);
    X.memberOf = Fn.value("member_of", "");
    X.isPublic = Fn.value("public", false);
    X.isCallOperator = Fn.value("call_operator", false);
    X.isStructor = Fn.value("structor", false);
    X.enclosing = Fn.value("enclosing", "");
    X.isMain = Fn.value("main", false);
    X.isExternal = Fn.value("external", false);
    X.isVirtual = Fn.value("virtual", false);
    X.hasBody = Fn.value("has_body", false);
    X.runsEventLoop = Fn.value("runs_event_loop", false);
    X.overrides = Fn.value("overrides", std::vector<std::string>());
    X.bodyLocks = locksFrom(Fn.value("body_locks", nlohmann::json::array()));
    X.ownLocks = locksFrom(Fn.value("own_locks", nlohmann::json::array()));
    X.signature = Fn.value("signature", "");
    for (const auto &E : Fn.value("param_effects", nlohmann::json::array()))
      X.paramEffects.push_back({E.at("param").get<unsigned>(), E.at("writes").get<bool>()});
    for (const auto &P : Fn.value("param_passes", nlohmann::json::array()))
      X.paramPasses.push_back(
          {P.at("param").get<unsigned>(), P.at("callee").get<std::string>(), P.at("callee_param").get<unsigned>()});
    F.functions.push_back(std::move(X));
  }
  for (const auto &E : J.at("edges")) {
    CallEdge X;
    E.at("caller").get_to(X.caller);
    E.at("callee").get_to(X.callee);
    X.sync = require<Sync>(SyncNames, E.at("sync"), "synchronization");
    X.locks = locksFrom(E.value("locks", nlohmann::json::array()));
    X.onThis = E.value("on_this", false);
    X.handOffs = handOffsFrom(E);
    F.edges.push_back(std::move(X));
  }
  F.borrowed = J.value("borrowed", std::vector<std::string>());
  for (const auto &G : J.value("guarded_checks", nlohmann::json::array())) {
    GuardedCheck X;
    X.target = targetFrom(G.at("target"));
    X.kind = require<CheckKind>(CheckKindNames, G.at("kind"), "check kind");
    G.at("location").get_to(X.location);
    G.at("function").get_to(X.functionKey);
    X.functionName = G.value("function_name", "");
    X.sync = require<Sync>(SyncNames, G.at("sync"), "synchronization");
    G.at("region_begin").get_to(X.regionBegin);
    G.at("region_end").get_to(X.regionEnd);
    G.at("callees").get_to(X.callees);
    X.doubleChecked = G.value("double_checked", false);
    F.guardedChecks.push_back(std::move(X));
  }
  for (const auto &H : J.value("handler_instances", nlohmann::json::array())) {
    HandlerInstance X;
    H.at("class").get_to(X.classKey);
    X.kind = require<InstanceKind>(InstanceKindNames, H.at("kind"), "handler instance kind");
    X.held = require<HeldAs>(HeldAsNames, H.at("held"), "registration kind");
    X.subject = H.value("subject", "");
    X.via = H.value("via", "");
    H.at("location").get_to(X.location);
    X.entries = H.value("entries", std::vector<std::string>());
    X.entryRule = require<EntryRule>(EntryRuleNames, H.at("entry_rule"), "entry rule");
    X.generic = H.value("generic", false);
    X.inMain = H.value("in_main", false);
    F.handlerInstances.push_back(std::move(X));
  }
  for (const auto &C : J.value("classes", nlohmann::json::array())) {
    ClassInfo X;
    C.at("key").get_to(X.key);
    C.at("name").get_to(X.name);
    C.at("location").get_to(X.location);
    X.bases = C.value("bases", std::vector<std::string>());
    F.classes.push_back(std::move(X));
  }
  for (const auto &R : J.value("roots", nlohmann::json::array())) {
    Root X;
    X.kind = require<RootKind>(RootKindNames, R.at("kind"), "root kind");
    X.via = R.value("via", "");
    R.at("entries").get_to(X.entries);
    X.entryClass = R.value("entry_class", "");
    R.at("starter").get_to(X.starter);
    R.at("location").get_to(X.location);
    X.inLoop = R.value("in_loop", false);
    X.serial = R.value("serial", false);
    X.borrowsThread = R.value("borrows_thread", false);
    X.onLoop = R.value("on_loop", false);
    X.handedTo = R.value("handed_to", "");
    X.keptAs = R.value("kept_as", "");
    X.handle = R.value("handle", "");
    F.roots.push_back(std::move(X));
  }
  for (const auto &C : J.value("indirect_calls", nlohmann::json::array()))
    F.indirectCalls.push_back({C.at("caller").get<std::string>(), C.at("signature").get<std::string>()});
  for (const auto &M : J.value("programs", nlohmann::json::array()))
    F.programs.push_back(M.get<ProgramMain>());
  for (const auto &M : J.value("starters", nlohmann::json::array()))
    F.starters.push_back(M.get<ProgramMain>());
}

} // namespace sharedstate
