// CallGraph and Variables: functions, edges, entries, the pseudo-functions of
// initializers, and the inventory of shared variables with their keys.
#include "Harness.h"

using namespace sharedstate;
using namespace sharedstate::extracttest;

TEST_SUITE("extract: call graph and variables") {

TEST_CASE("calls are edges, main is a program, virtual functions are marked, address-taken ones are entries") {
  TUFacts F = extract("void helper() {}\n"
                      "void hook() {}\n"
                      "void (*ptr)() = &hook;\n"
                      "struct Base { virtual void on() {} };\n"
                      "int main() { helper(); return 0; }\n");
  CHECK(calls(F, "main", "helper"));
  CHECK(function(F, "main").isMain);
  CHECK_FALSE(function(F, "main").isEntry);
  CHECK(function(F, "hook").isEntry);
  CHECK(function(F, "Base::on").isVirtual);
  CHECK_FALSE(function(F, "Base::on").isEntry);
  CHECK_FALSE(function(F, "helper").isEntry);
  CHECK_FALSE(function(F, "helper").isMain);
}

TEST_CASE("a dynamic initializer is a pseudo-function calling what it calls") {
  TUFacts F = extract("int compute() { return 3; }\nint value = compute();\n");
  const Function &Init = function(F, "(initializer of value)");
  CHECK(Init.isInitializer);
  CHECK(calls(F, "(initializer of value)", "compute"));
}

TEST_CASE("the variable inventory: kinds, const, initializers, classes") {
  TUFacts F = extract("#include <ministd.h>\n"
                      "struct Store { void put(); };\n"
                      "int global = 1;\n"
                      "const int limit = 2;\n"
                      "constexpr int never = 3;\n"
                      "thread_local int per_thread;\n"
                      "std::mutex lock;\n"
                      "Store store;\n"
                      "struct Registry { static int entries; };\n"
                      "int next() { static int id = 0; return ++id; }\n");
  CHECK(variable(F, "global").kind == VarKind::NamespaceGlobal);
  CHECK(variable(F, "global").init == InitKind::Constant);
  CHECK(variable(F, "limit").isConst);
  CHECK_FALSE(hasVariable(F, "never"));
  CHECK_FALSE(hasVariable(F, "per_thread"));
  CHECK(variable(F, "lock").isSyncPrimitive);
  CHECK(variable(F, "lock").syncType == "std::mutex");
  CHECK(variable(F, "Registry::entries").kind == VarKind::StaticMember);
  CHECK(variable(F, "next::id").kind == VarKind::FunctionLocalStatic);
  CHECK_FALSE(variable(F, "store").classKey.empty());
}

TEST_CASE("a static local is keyed by its function and name, not its offset") {
  const std::string Body = "int next() { static int id = 0; return ++id; }\n";
  std::string Key = variable(extract(Body), "next::id").key;
  CHECK(Key.rfind("local:", 0) == 0);
  CHECK(variable(extract("// a comment that moves the code down\n\n" + Body), "next::id").key == Key);
}

TEST_CASE("variables in system headers are not listed") {
  TUFacts F = extract("#include <ministd.h>\nint mine;\n");
  for (const SharedVariable &V : F.variables)
    CHECK_MESSAGE(V.name.rfind("std::", 0) != 0, V.name);
  CHECK(hasVariable(F, "mine"));
}

} // TEST_SUITE
