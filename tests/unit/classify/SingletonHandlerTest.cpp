// singleton-handler classification: which instances serve every request, which
// member functions they run, and which field writes that makes request state.
#include "Builders.h"

#include <algorithm>

using namespace sharedstate;
using namespace sharedstate::unittest;

namespace {
std::vector<Finding> handlers(const Program &P) {
  std::vector<Finding> Out;
  for (const Finding &F : P.findings())
    if (F.kind == "singleton-handler")
      Out.push_back(F);
  return Out;
}

std::vector<std::string> fields(const Finding &F) {
  std::vector<std::string> Out;
  Out.reserve(F.evidence.size());
  for (const Evidence &E : F.evidence)
    Out.push_back(E.field);
  std::sort(Out.begin(), Out.end());
  return Out;
}
} // namespace

TEST_SUITE("singleton-handler") {

TEST_CASE("a controller writing a field in a public member function is reported at the class") {
  Program P;
  P.cls("UserCtrl", 12)
      .method("UserCtrl::profile", "UserCtrl")
      .instance("UserCtrl", InstanceKind::Controller, EntryRule::PublicMethods)
      .fieldWrite("UserCtrl", "current_user_", "UserCtrl::profile", 20, AccessWhat::Reassign);
  std::vector<Finding> Found = handlers(P);
  REQUIRE(Found.size() == 1);
  const Finding &F = Found.front();
  CHECK(F.check == "sharedstate-singleton-handler");
  CHECK(F.symbol == "UserCtrl");
  CHECK(F.category == 3);
  CHECK(F.verdict == Verdict::NotThreadSafe);
  CHECK(F.location == at(12));
  CHECK(F.id == fingerprint("sharedstate-singleton-handler", keyOf("UserCtrl")));
  REQUIRE(F.instances.size() == 1);
  CHECK(F.instances.front().how == "controller");
  REQUIRE(F.evidence.size() == 1);
  CHECK(F.evidence.front().field == "current_user_");
  CHECK(F.evidence.front().what == AccessWhat::Reassign);
  CHECK(F.message.find("'current_user_'") != std::string::npos);
  CHECK(F.message.find("per request") != std::string::npos);
}

TEST_CASE("a handler writing many fields names the first four and counts the rest") {
  Program P;
  P.cls("Big", 12).method("Big::serve", "Big").instance("Big", InstanceKind::Controller, EntryRule::PublicMethods);
  for (int I = 0; I < 9; ++I)
    P.fieldWrite("Big", "f" + std::to_string(I), "Big::serve", 20 + I, AccessWhat::Reassign);
  std::vector<Finding> Found = handlers(P);
  REQUIRE(Found.size() == 1);
  const Finding &F = Found.front();
  CHECK(F.evidence.size() == 9); // every field stays in the evidence
  CHECK(F.message.find("'f0', 'f1', 'f2', 'f3' and 5 more (see the evidence)") != std::string::npos);
  CHECK(F.message.find("'f4'") == std::string::npos);
}

TEST_CASE("private helpers are followed from the entry points, other functions are not") {
  Program P;
  P.cls("Api", 1)
      .method("Api::get", "Api")
      .method("Api::remember", "Api", /*Public=*/false)
      .method("Api::configure", "Api")
      .call("Api::get", "Api::remember")
      .instance("Api", InstanceKind::Registration, EntryRule::Entries, {"Api::get"})
      .fieldWrite("Api", "seen_", "Api::remember", 30)
      .fieldWrite("Api", "port_", "Api::configure", 40);
  std::vector<Finding> Found = handlers(P);
  REQUIRE(Found.size() == 1);
  CHECK(fields(Found.front()) == std::vector<std::string>{"seen_"});
}

TEST_CASE("writes under a lock, in a locked call or only at startup are not request state") {
  Program P;
  P.cls("Stats", 1)
      .method("Stats::handle", "Stats")
      .method("Stats::bump", "Stats", false)
      .method("Stats::load", "Stats", false)
      .initializer("init:cfg")
      .call("Stats::handle", "Stats::bump", Sync::Lock)
      .call("init:cfg", "Stats::load")
      .instance("Stats", InstanceKind::Controller, EntryRule::PublicMethods)
      .fieldWrite("Stats", "paths_", "Stats::handle", 10, AccessWhat::Mutate, Sync::Lock)
      .fieldWrite("Stats", "count_", "Stats::bump", 20)
      .fieldWrite("Stats", "table_", "Stats::load", 30);
  CHECK(handlers(P).empty());
}

TEST_CASE("a public init() that only constructors call is construction") {
  Program P;
  P.cls("Ctl", 1)
      .method("Ctl::Ctl", "Ctl", true, false, /*Structor=*/true)
      .method("Ctl::init", "Ctl")
      .method("Ctl::serve", "Ctl")
      .call("Ctl::Ctl", "Ctl::init")
      .instance("Ctl", InstanceKind::Controller, EntryRule::PublicMethods)
      .fieldWrite("Ctl", "routes_", "Ctl::init", 10);
  CHECK(handlers(P).empty());
  P.fieldWrite("Ctl", "last_", "Ctl::serve", 20);
  std::vector<Finding> Found = handlers(P);
  REQUIRE(Found.size() == 1);
  CHECK(fields(Found.front()) == std::vector<std::string>{"last_"});
}

TEST_CASE("functors: only call operators are entry points") {
  Program P;
  P.cls("Counter", 1)
      .method("Counter::operator()", "Counter", true, /*CallOperator=*/true)
      .method("Counter::reset", "Counter")
      .instance("Counter", InstanceKind::Registration, EntryRule::CallOperators)
      .fieldWrite("Counter", "n_", "Counter::reset", 10);
  CHECK(handlers(P).empty());
  P.fieldWrite("Counter", "n_", "Counter::operator()", 5, AccessWhat::Reassign);
  CHECK(handlers(P).size() == 1);
}

TEST_CASE("fields of base classes count, and lambdas defined in reached functions run with them") {
  Program P;
  P.cls("Base", 1).cls("Derived", 10, {keyOf("Base")});
  P.method("Base::log", "Base", false)
      .method("Derived::handle", "Derived")
      .lambda("lambda:Derived::handle#0@/src/server.cpp", "Derived::handle")
      .call("Derived::handle", "Base::log")
      .instance("Derived", InstanceKind::Controller, EntryRule::PublicMethods)
      .fieldWrite("Base", "lines_", "Base::log", 5)
      .fieldWrite("Derived", "last_", "lambda:Derived::handle#0@/src/server.cpp", 15);
  std::vector<Finding> Found = handlers(P);
  REQUIRE(Found.size() == 1);
  CHECK(Found.front().symbol == "Derived");
  CHECK(fields(Found.front()) == std::vector<std::string>{"last_", "lines_"});
}

TEST_CASE("global and Meyers instances: the methods called at run time outside a lock are entry points") {
  auto Base = [] {
    Program P;
    SharedVariable V = variable("sessions", 50);
    V.classKey = keyOf("Store");
    P.var(V).cls("Store", 1).method("Store::put", "Store").method("Store::load", "Store").entry("handle");
    P.fieldWrite("Store", "by_id_", "Store::put", 5).fieldWrite("Store", "all_", "Store::load", 8);
    return P;
  };
  auto Call = [](Program &P, const std::string &Method, const std::string &From, Sync S = Sync::None) {
    P.access("sessions", AccessWhat::Mutate, From, 60, S);
    P.tu.accesses.back().method = Method;
  };
  SUBCASE("called from a request handler") {
    Program P = Base();
    Call(P, "Store::put", "handle");
    std::vector<Finding> Found = handlers(P);
    REQUIRE(Found.size() == 1);
    CHECK(Found.front().instances.front().how == "global");
    CHECK(fields(Found.front()) == std::vector<std::string>{"by_id_"});
  }
  SUBCASE("called under a lock") {
    Program P = Base();
    Call(P, "Store::put", "handle", Sync::Lock);
    CHECK(handlers(P).empty());
  }
  SUBCASE("called only while the program initializes") {
    Program P = Base();
    P.initializer("init:x");
    Call(P, "Store::load", "init:x");
    CHECK(handlers(P).empty());
  }
  SUBCASE("a synchronization type is meant to be shared") {
    Program P = Base();
    P.tu.variables.front().isSyncPrimitive = true;
    Call(P, "Store::put", "handle");
    CHECK(handlers(P).empty());
  }
}

TEST_CASE("an instance whose class writes nothing is not reported") {
  Program P;
  P.cls("Hello", 1).method("Hello::operator()", "Hello", true, true).instance("Hello", InstanceKind::Registration,
                                                                             EntryRule::CallOperators);
  CHECK(handlers(P).empty());
}

} // TEST_SUITE
