// GuardedChecks: a condition testing that a shared variable is unset, with
// the region that runs when it is.
#include "Harness.h"

using namespace sharedstate;
using namespace sharedstate::extracttest;

TEST_SUITE("extract: guarded checks") {

TEST_CASE("an emptiness check, its region and what the region calls") {
  TUFacts F = extract("#include <ministd.h>\n"
                      "std::vector<int> table;\n"
                      "void fill(std::vector<int> &);\n"
                      "void load() { table.push_back(1); }\n"
                      "int get() {\n"
                      "  if (table.empty()) {\n"
                      "    load();\n"
                      "  }\n"
                      "  return table[0];\n"
                      "}\n");
  REQUIRE(F.guardedChecks.size() == 1);
  const GuardedCheck &G = F.guardedChecks.front();
  CHECK(G.target == AccessTarget::variable(variable(F, "table").key));
  CHECK(G.kind == CheckKind::Emptiness);
  CHECK(G.location.line == 6);
  CHECK(G.functionName == "get");
  CHECK(G.regionBegin.line == 6);
  CHECK(G.regionEnd.line == 8);
  CHECK(G.callees == std::vector<std::string>{function(F, "load").key});
  CHECK(G.sync == Sync::None);
  CHECK_FALSE(G.doubleChecked);
}

TEST_CASE("`if (p) return p` guards the rest of the block") {
  TUFacts F = extract("struct Conn {}; Conn *conn;\n"
                      "Conn *get() {\n"
                      "  if (conn)\n"
                      "    return conn;\n"
                      "  conn = new Conn;\n"
                      "  return conn;\n"
                      "}\n");
  REQUIRE(F.guardedChecks.size() == 1);
  CHECK(F.guardedChecks.front().kind == CheckKind::Nullness);
  CHECK(F.guardedChecks.front().regionBegin.line == 5);
  CHECK(F.guardedChecks.front().regionEnd.line == 6);
}

TEST_CASE("checked again under a lock: double-checked") {
  TUFacts F = extract("#include <ministd.h>\n"
                      "struct T {}; T *instance; std::mutex m;\n"
                      "T *get() {\n"
                      "  if (!instance) {\n"
                      "    std::lock_guard<std::mutex> g(m);\n"
                      "    if (!instance)\n"
                      "      instance = new T;\n"
                      "  }\n"
                      "  return instance;\n"
                      "}\n");
  REQUIRE(F.guardedChecks.size() >= 1);
  CHECK(F.guardedChecks.front().doubleChecked);
  CHECK(F.guardedChecks.front().sync == Sync::None);
}

TEST_CASE("key lookups, flags, and what a call hands out") {
  TUFacts F = extract("#include <ministd.h>\n"
                      "std::map<int, int> memo; bool ready;\n"
                      "struct Registry { std::vector<int> items; };\n"
                      "Registry &registry() { static Registry r; return r; }\n"
                      "void f(int k) {\n"
                      "  if (memo.find(k) == memo.end()) memo[k] = 1;\n"
                      "  if (!ready) ready = true;\n"
                      "  if (registry().items.empty()) registry().items.push_back(1);\n"
                      "}\n");
  REQUIRE(F.guardedChecks.size() == 3);
  CHECK(F.guardedChecks[0].kind == CheckKind::KeyLookup);
  CHECK(F.guardedChecks[1].kind == CheckKind::Flag);
  CHECK(F.guardedChecks[2].target == AccessTarget::callResult(function(F, "registry").key));
}

TEST_CASE("a synchronization object is not a check") {
  TUFacts F = extract("#include <ministd.h>\nstd::mutex m;\n"
                      "void f() { if (&m) {} }\n");
  CHECK(F.guardedChecks.empty());
}

} // TEST_SUITE
