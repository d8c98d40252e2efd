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
                      "void pool() { for (int i = 0; i < 4; ++i) { std::thread t([] { work(); }); t.detach(); } }\n"
                      "void serial() { for (int i = 0; i < 4; ++i) { std::thread t(work); t.join(); } }\n");
  REQUIRE(F.roots.size() == 3);
  const Root &Once = F.roots[0], &Pool = F.roots[1], &Serial = F.roots[2];
  CHECK_FALSE(Serial.inLoop); // joined in the iteration that starts it: one at a time
  CHECK(Once.kind == RootKind::Thread);
  CHECK(Once.via == "std::thread::thread");
  REQUIRE(Once.entries.size() == 1);
  CHECK(Once.entries[0].find("work") != std::string::npos);
  CHECK(Once.starter == function(F, "once").key);
  CHECK_FALSE(Once.inLoop);
  CHECK(Pool.inLoop);
  CHECK(Pool.starter == function(F, "pool").key);
}

TEST_CASE("signal, sigaction and atexit handlers borrow a thread; a makecontext fiber is called where it is made") {
  TUFacts F = extract("#include <ministd.h>\n"
                      "void on_int(int); void on_alarm(int) {} void at_end(); void fiber() {}\n"
                      "ucontext_t uc;\n"
                      "void setup() {\n"
                      "  signal(2, on_int);\n"
                      "  struct sigaction sa; sa.sa_handler = &on_alarm; sigaction(14, &sa, nullptr);\n"
                      "  atexit(at_end);\n"
                      "  makecontext(&uc, fiber, 0);\n"
                      "}\n");
  for (const char *Via : {"signal", "sigaction", "atexit"}) {
    const Root *R = rootVia(F, Via);
    REQUIRE_MESSAGE(R, Via);
    CHECK(R->kind == RootKind::Callback);
    CHECK(R->borrowsThread);
    CHECK(R->serial); // one call at a time
  }
  CHECK_FALSE(function(F, "on_alarm").isEntry); // stored for sigaction, not an escaping address
  CHECK(rootVia(F, "makecontext") == nullptr);
  bool FiberCalled = false;
  for (const CallEdge &E : F.edges)
    FiberCalled = FiberCalled || (E.caller == function(F, "setup").key && E.callee == function(F, "fiber").key);
  CHECK(FiberCalled);
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

TEST_CASE("a thread's handle is what keeps it, and main's statements say which handles they join") {
  TUFacts F = extract("#include <ministd.h>\n"
                      "void work();\n"
                      "int main() {\n"
                      "  std::thread a(work);\n"                         // 4
                      "  std::thread b(work);\n"                         // 5
                      "  a.join();\n"                                    // 6
                      "  std::vector<std::thread> pool;\n"               // 7
                      "  for (int i = 0; i < 2; ++i) pool.emplace_back(work);\n" // 8
                      "  for (auto &t : pool) t.join();\n"               // 9
                      "  { std::jthread s(work); }\n"                    // 10
                      "  std::thread c = std::thread(work);\n"           // 11
                      "  b.join();\n"                                    // 12
                      "}\n");
  REQUIRE(F.roots.size() == 5);
  REQUIRE(F.programs.size() == 1);
  const std::vector<MainStep> &Steps = F.programs[0].steps;
  REQUIRE(Steps.size() == 9);
  const std::string A = F.roots[0].handle, B = F.roots[1].handle, Pool = F.roots[2].handle,
                    Scoped = F.roots[3].handle, C = F.roots[4].handle;
  for (const std::string &H : {A, B, Pool, Scoped, C})
    CHECK_FALSE(H.empty());
  CHECK(A != B);
  CHECK(Steps[2].joined == std::vector<std::string>{A});
  CHECK(Steps[5].joined == std::vector<std::string>{Pool}); // the range-for's variable stands for the container
  CHECK(Steps[6].joined == std::vector<std::string>{Scoped}); // the jthread leaves its block there
  CHECK(Steps[8].joined == std::vector<std::string>{B});
  CHECK(Steps[7].joined.empty()); // c is never joined
  CHECK(Steps[0].joined.empty());
}

TEST_CASE("a function other than main that starts a thread has its statements among the starters") {
  TUFacts F = extract("#include <ministd.h>\n"
                      "void work();\n"
                      "void run() {\n"
                      "  std::thread t(work);\n"
                      "  work();\n"
                      "  t.join();\n"
                      "}\n"
                      "void idle() { work(); }\n");
  REQUIRE(F.roots.size() == 1);
  REQUIRE(F.starters.size() == 1); // run, not idle
  const ProgramMain &S = F.starters[0];
  CHECK(S.function == function(F, "run").key);
  REQUIRE(S.steps.size() == 3);
  REQUIRE(S.steps[1].callees.size() == 1);
  CHECK(S.steps[1].callees[0].find("work") != std::string::npos);
  CHECK(S.steps[2].joined == std::vector<std::string>{F.roots[0].handle});
  CHECK(F.programs.empty());
}

TEST_CASE("pthread_create fills the handle pthread_join joins, an array element standing for the array") {
  TUFacts F = extract("typedef unsigned long pthread_t;\n"
                      "extern \"C\" int pthread_create(pthread_t *, const void *, void *(*)(void *), void *);\n"
                      "extern \"C\" int pthread_join(pthread_t, void **);\n"
                      "void *work(void *);\n"
                      "int main() {\n"
                      "  pthread_t t[4];\n"
                      "  for (int i = 0; i < 4; ++i) pthread_create(&t[i], nullptr, work, nullptr);\n"
                      "  for (int i = 0; i < 4; ++i) pthread_join(t[i], nullptr);\n"
                      "}\n");
  REQUIRE(F.roots.size() == 1);
  REQUIRE(F.programs.size() == 1);
  CHECK_FALSE(F.roots[0].handle.empty());
  CHECK(F.roots[0].inLoop);
  REQUIRE(F.programs[0].steps.size() == 3);
  CHECK(F.programs[0].steps[2].joined == std::vector<std::string>{F.roots[0].handle});
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
