// Mutation: which mentions of a shared variable are writes, and of what kind.
// The rule: a write is what can change the object (assignment, ++, a
// non-const call that is not an accessor, binding to a non-const reference
// or pointer parameter); everything else is a read, recorded once per function.
#include "Harness.h"

using namespace sharedstate;
using namespace sharedstate::extracttest;

TEST_SUITE("extract: mutation") {

TEST_CASE("assignment and ++ of the whole variable reassign it") {
  TUFacts F = extract("int hits; int last;\n"
                      "void serve(int x) { ++hits; last = x; }\n");
  REQUIRE(accessesTo(F, "hits").size() == 1);
  CHECK(accessesTo(F, "hits").front().what == AccessWhat::Reassign);
  CHECK(accessesTo(F, "hits").front().detail == "'++'");
  CHECK(accessesTo(F, "hits").front().functionName == "serve");
  CHECK(accessesTo(F, "last", AccessWhat::Reassign).size() == 1);
}

TEST_CASE("a read is no write, it is recorded once per function and lock set") {
  TUFacts F = extract("#include <ministd.h>\n"
                      "int limit = 3; int table[4]; const int fixed = 1; std::mutex mu;\n"
                      "int get(int i) { int x = limit; return x + limit + table[i] + fixed + sizeof(limit = 2); }\n"
                      "int locked() { std::lock_guard<std::mutex> g(mu); return limit; }\n");
  CHECK(accessesTo(F, "limit").empty());
  CHECK(accessesTo(F, "table").empty());
  std::vector<Access> Reads = readsOf(F, "limit");
  REQUIRE(Reads.size() == 2);
  CHECK(Reads[0].functionName == "get");
  CHECK(Reads[0].locks.empty());
  CHECK(Reads[1].functionName == "locked");
  REQUIRE(Reads[1].locks.size() == 1);
  CHECK(Reads[1].locks[0].name == "mu");
  CHECK(readsOf(F, "table").size() == 1);
  // A constant cannot race, and a mutex's own use is how it synchronizes.
  CHECK(readsOf(F, "fixed").empty());
  CHECK(readsOf(F, "mu").empty());
}

TEST_CASE("an element or field written is a mutation, not a reassignment") {
  TUFacts F = extract("struct Stats { int served; }; Stats stats; int slots[8];\n"
                      "void serve(int i) { stats.served = 1; slots[i] = 2; }\n");
  CHECK(accessesTo(F, "stats", AccessWhat::Mutate).size() == 1);
  CHECK(accessesTo(F, "slots", AccessWhat::Mutate).size() == 1);
  CHECK(accessesTo(F, "stats", AccessWhat::Reassign).empty());
}

TEST_CASE("a non-const member call writes, an accessor with a const overload does not") {
  TUFacts F = extract("#include <ministd.h>\n"
                      "std::vector<int> log_lines; std::map<int, int> cache;\n"
                      "int serve(int k) { log_lines.push_back(k); return log_lines[0] + (cache.find(k) == "
                      "cache.end()); }\n"
                      "void fill(int k) { cache[k] = 1; }\n");
  std::vector<Access> Log = accessesTo(F, "log_lines");
  REQUIRE(Log.size() == 1);
  CHECK(Log.front().detail == "calls non-const 'push_back'");
  CHECK_FALSE(Log.front().method.empty());
  // map::find has a const overload: an accessor; map::operator[] has none.
  std::vector<Access> Cache = accessesTo(F, "cache");
  REQUIRE(Cache.size() == 1);
  CHECK(Cache.front().functionName == "fill");
}

TEST_CASE("passing by non-const reference or pointer writes, by value or const reference reads") {
  TUFacts F = extract("void take(int &); void peek(const int &); void copy(int); void point(int *);\n"
                      "int a, b, c, d;\n"
                      "void serve() { take(a); peek(b); copy(c); point(&d); }\n");
  CHECK(accessesTo(F, "a").front().detail == "passed by non-const reference to 'take'");
  CHECK(accessesTo(F, "b").empty());
  CHECK(accessesTo(F, "c").empty());
  CHECK(accessesTo(F, "d").front().detail == "passed by pointer to 'point'");
}

TEST_CASE("a write through a local reference is a write to the variable, the alias is borrowed") {
  TUFacts F = extract("int counters[4];\n"
                      "void serve(int i) { int &slot = counters[i]; ++slot; }\n");
  CHECK(accessesTo(F, "counters", AccessWhat::Mutate).size() == 1);
  CHECK(F.borrowed == std::vector<std::string>{variable(F, "counters").key});
}

TEST_CASE("a function returning a reference into a variable is its alias") {
  TUFacts F = extract("int table[4];\n"
                      "int &slot(int i) { return table[i]; }\n"
                      "void serve() { slot(1) = 2; }\n");
  REQUIRE(F.returnAliases.size() == 1);
  const ReturnAlias &R = F.returnAliases.front();
  CHECK(R.alias.kind == AccessTarget::Kind::CallResult);
  CHECK(R.alias.key == function(F, "slot").key);
  CHECK(R.target == AccessTarget::variable(variable(F, "table").key));
  CHECK_FALSE(R.whole);
  // The write lands on the call's result; classification resolves it.
  bool Found = false;
  for (const Access &A : F.accesses)
    Found = Found || (A.target == AccessTarget::callResult(function(F, "slot").key) && A.functionName == "serve");
  CHECK(Found);
}

TEST_CASE("a forwarding reference decides nothing by itself: the call site binds it") {
  TUFacts F = extract("template <class T> void reset(T &&x) { x = {}; }\n"
                      "int pending;\n"
                      "void serve() { reset(pending); }\n");
  REQUIRE(F.returnAliases.size() == 1);
  CHECK(F.returnAliases.front().alias.kind == AccessTarget::Kind::Parameter);
  CHECK(F.returnAliases.front().alias.index == 0);
  CHECK(F.returnAliases.front().target == AccessTarget::variable(variable(F, "pending").key));
  bool WriteThroughParameter = false;
  for (const Access &A : F.accesses)
    WriteThroughParameter = WriteThroughParameter || (A.target.kind == AccessTarget::Kind::Parameter &&
                                                      A.what == AccessWhat::Reassign);
  CHECK(WriteThroughParameter);
}

TEST_CASE("a dynamic initializer is an access of its own, a constant one is not") {
  TUFacts F = extract("int compute(); int dynamic = compute(); int constant = 3;\n");
  REQUIRE(accessesTo(F, "dynamic", AccessWhat::Init).size() == 1);
  CHECK(accessesTo(F, "dynamic", AccessWhat::Init).front().functionName == "(initializer of dynamic)");
  CHECK(accessesTo(F, "constant").empty());
}

TEST_CASE("writes to fields of this are member writes, outside constructors") {
  TUFacts F = extract("struct Handler {\n"
                      "  Handler() { count = 0; }\n"
                      "  void serve() { ++count; }\n"
                      "  int count;\n"
                      "};\n");
  REQUIRE(F.memberWrites.size() == 1);
  const Access &W = F.memberWrites.front();
  CHECK(W.target.kind == AccessTarget::Kind::ClassField);
  CHECK(W.field == "count");
  CHECK(W.functionName == "Handler::serve");
}

} // TEST_SUITE
