// The concurrency facts of one TU: where threads start (roots), what main's
// statements do (programs), which mutex each access holds (lock identity),
// and which project classes are mutexes and guards by their shape.
#include "Harness.h"

#include <algorithm>

using namespace sharedstate;
using namespace sharedstate::extracttest;

namespace {
const Root *rootVia(const TUFacts &F, const std::string &Via) {
  for (const Root &R : F.roots)
    if (R.via == Via)
      return &R;
  return nullptr;
}
} // namespace

TEST_SUITE("extract: concurrency") {

TEST_CASE("a std::thread constructor is a thread root, in a loop it has many instances") {
  TUFacts F = extract("#include <ministd.h>\n"
                      "void work();\n"
                      "void once() { std::thread t(work); t.join(); }\n"
                      "void pool() { for (int i = 0; i < 4; ++i) { std::thread t([] { work(); }); t.join(); } }\n");
  REQUIRE(F.roots.size() == 2);
  const Root &Once = F.roots[0], &Pool = F.roots[1];
  CHECK(Once.kind == RootKind::Thread);
  CHECK(Once.via == "std::thread::thread");
  REQUIRE(Once.entries.size() == 1);
  CHECK(Once.entries[0].find("work") != std::string::npos);
  CHECK(Once.starter == function(F, "once").key);
  CHECK_FALSE(Once.inLoop);
  CHECK(Pool.inLoop);
  CHECK(Pool.starter == function(F, "pool").key);
}

TEST_CASE("a callable handed to a std::function-keeping member is a callback root kept by the project") {
  TUFacts F = extract("#include <ministd.h>\n"
                      "struct Bus { void on(std::function<void()> f); };\n"
                      "Bus bus; int seen;\n"
                      "void setup() { bus.on([] { ++seen; }); }\n");
  const Root *R = rootVia(F, "Bus::on");
  REQUIRE(R);
  CHECK(R->kind == RootKind::Callback);
  CHECK(R->onLoop); // kept by project code: it runs where the program runs it
  CHECK(R->handedTo.empty());
}

TEST_CASE("main's statements say where threads start and which objects main owns") {
  TUFacts F = extract("#include <ministd.h>\n"
                      "struct Server { void run(); };\n"
                      "int port;\n"
                      "void work();\n"
                      "int main() {\n"
                      "  port = 8080;\n"
                      "  Server server;\n"
                      "  std::thread t(work);\n"
                      "  t.join();\n"
                      "}\n");
  REQUIRE(F.programs.size() == 1);
  const ProgramMain &M = F.programs[0];
  CHECK(M.function == function(F, "main").key);
  REQUIRE(M.steps.size() == 4);
  CHECK(M.steps[0].begin.line == 6);
  CHECK(M.steps[3].joins);
  CHECK_FALSE(M.steps[0].joins);
  REQUIRE(M.locals.size() == 1);
  CHECK(M.locals[0].find("Server") != std::string::npos);
  // main's key is its TU's own: two programs' mains never merge.
  CHECK(function(F, "main").key.find('@') != std::string::npos);
  CHECK(function(F, "main").isMain);
}

TEST_CASE("each access holds its mutexes by identity, unlocking one releases only it") {
  TUFacts F = extract("#include <ministd.h>\n"
                      "pthread_mutex_t a, b; int x, y;\n"
                      "void f() {\n"
                      "  pthread_mutex_lock(&a);\n"
                      "  pthread_mutex_lock(&b);\n"
                      "  pthread_mutex_unlock(&b);\n"
                      "  x = 1;\n"
                      "  pthread_mutex_unlock(&a);\n"
                      "  y = 1;\n"
                      "}\n");
  std::vector<Access> X = accessesTo(F, "x");
  REQUIRE(X.size() == 1);
  REQUIRE(X[0].locks.size() == 1);
  CHECK(X[0].locks[0].kind == LockRef::Kind::Variable);
  CHECK(X[0].locks[0].key == variable(F, "a").key);
  CHECK(X[0].sync == Sync::Lock);
  std::vector<Access> Y = accessesTo(F, "y");
  REQUIRE(Y.size() == 1);
  CHECK(Y[0].locks.empty());
  CHECK(Y[0].sync == Sync::None);
}

TEST_CASE("a project Mutex and MutexLock are recognized by their shape") {
  TUFacts F = extract("#include <ministd.h>\n"
                      "class Mutex { public: void Lock(); void Unlock(); private: pthread_mutex_t mu_; };\n"
                      "class MutexLock { public: explicit MutexLock(Mutex *m); ~MutexLock(); };\n"
                      "class Worker { public: explicit Worker(Mutex *m); ~Worker(); };\n"
                      "Mutex mu; int guarded, near_worker;\n"
                      "void f() { MutexLock l(&mu); guarded = 1; }\n"
                      "void g() { Worker w(&mu); near_worker = 1; }\n");
  CHECK(variable(F, "mu").isSyncPrimitive);
  REQUIRE(accessesTo(F, "guarded").size() == 1);
  CHECK(accessesTo(F, "guarded")[0].sync == Sync::Lock);
  // Constructed with a mutex, but not named like a guard: holds nothing.
  REQUIRE(accessesTo(F, "near_worker").size() == 1);
  CHECK(accessesTo(F, "near_worker")[0].sync == Sync::None);
}

TEST_CASE("__attribute__((constructor)) functions are initializers") {
  TUFacts F = extract("int table[4];\n"
                      "__attribute__((constructor)) static void fill() { table[0] = 1; }\n");
  CHECK(function(F, "fill").isInitializer);
  CHECK_FALSE(function(F, "fill").isExternal);
}

} // TEST_SUITE
