// HandOff: the release stores after an access and the acquire loads before
// it, by flag. Relaxed operations and loads in the wrong branch order
// nothing; a read before the wait is not after it.
#include "Harness.h"

using namespace sharedstate;
using namespace sharedstate::extracttest;

namespace {
/// The flags (by key) released after, and acquired before, the only access
/// of Var of kind What in Code.
struct Around {
  std::vector<std::string> released, acquired;
};

std::vector<std::string> keysOf(const std::vector<LockRef> &L) {
  std::vector<std::string> Out;
  Out.reserve(L.size());
  for (const LockRef &R : L)
    Out.push_back(R.key);
  return Out;
}

Around around(const std::string &Code, const std::string &Var, AccessWhat What) {
  TUFacts F = extract("#include <ministd.h>\n" + Code);
  std::vector<Access> Found;
  for (const Access &A : What == AccessWhat::Read ? readsOf(F, Var) : accessesTo(F, Var))
    if (A.what == What)
      Found.push_back(A);
  REQUIRE_MESSAGE(Found.size() == 1, "accesses to " << Var << ": " << Found.size());
  return {keysOf(Found.front().handOffs.releasedAfter), keysOf(Found.front().handOffs.acquiredBefore)};
}

std::string keyOf(const std::string &Code, const std::string &Var) {
  return variable(extract("#include <ministd.h>\n" + Code), Var).key;
}

const char *const Flags = "std::atomic<bool> ready; std::atomic<bool> other; int data;\n";
} // namespace

TEST_SUITE("extract: hand-off") {

TEST_CASE("a write before a release store is released after it") {
  std::string Code = std::string(Flags) + "void f() { data = 1; ready.store(true, std::memory_order_release); }\n";
  Around A = around(Code, "data", AccessWhat::Reassign);
  CHECK(A.released == std::vector<std::string>{keyOf(Code, "ready")});
  CHECK(A.acquired.empty());
}

TEST_CASE("assignment to an atomic is a seq_cst store, a release too") {
  std::string Code = std::string(Flags) + "void f() { { data = 1; } ready = true; }\n";
  CHECK(around(Code, "data", AccessWhat::Reassign).released == std::vector<std::string>{keyOf(Code, "ready")});
}

TEST_CASE("a relaxed store, or a store before the write, releases nothing") {
  CHECK(around(std::string(Flags) + "void f() { data = 1; ready.store(true, std::memory_order_relaxed); }\n", "data",
               AccessWhat::Reassign)
            .released.empty());
  CHECK(around(std::string(Flags) + "void f() { ready.store(true); data = 1; }\n", "data", AccessWhat::Reassign)
            .released.empty());
}

TEST_CASE("a checked loop on an acquire load precedes what follows it, not what precedes it") {
  std::string Code = std::string(Flags) + "int g; void f() { g = data; while (!ready.load(std::memory_order_acquire)) {}\n"
                                          "  data = 2; }\n";
  CHECK(around(Code, "data", AccessWhat::Reassign).acquired == std::vector<std::string>{keyOf(Code, "ready")});
  CHECK(around(Code, "data", AccessWhat::Read).acquired.empty());
}

TEST_CASE("an if on the flag acquires in the branch where it is set") {
  std::string Code = std::string(Flags) + "int g; void f() { if (ready.load(std::memory_order_acquire)) data = 1;\n"
                                          "  else g = data; }\n";
  CHECK(around(Code, "data", AccessWhat::Reassign).acquired == std::vector<std::string>{keyOf(Code, "ready")});
  CHECK(around(Code, "data", AccessWhat::Read).acquired.empty());
  std::string Early = std::string(Flags) + "void f() { if (!ready) return; data = 1; }\n";
  CHECK(around(Early, "data", AccessWhat::Reassign).acquired == std::vector<std::string>{keyOf(Early, "ready")});
}

TEST_CASE("a relaxed load acquires nothing") {
  CHECK(around(std::string(Flags) + "void f() { while (!ready.load(std::memory_order_relaxed)) {} data = 1; }\n",
               "data", AccessWhat::Reassign)
            .acquired.empty());
}

TEST_CASE("a lambda's body is not around its definition") {
  CHECK(around(std::string(Flags) + "void later(void (*)());\n"
                                    "void f() { while (!ready) {} later([] { data = 1; }); ready = false; }\n",
               "data", AccessWhat::Reassign)
            .acquired.empty());
}

TEST_CASE("the __atomic builtins on a plain int") {
  std::string Code = "int flag; int data;\n"
                     "void f() { data = 1; __atomic_store_n(&flag, 1, __ATOMIC_RELEASE); }\n"
                     "int g() { while (!__atomic_load_n(&flag, __ATOMIC_ACQUIRE)) {} return data; }\n";
  CHECK(around(Code, "data", AccessWhat::Reassign).released == std::vector<std::string>{keyOf(Code, "flag")});
  CHECK(around(Code, "data", AccessWhat::Read).acquired == std::vector<std::string>{keyOf(Code, "flag")});
  bool AtomicRead = false;
  for (const Access &A : readsOf(extract(Code), "flag"))
    AtomicRead = AtomicRead || (A.what == AccessWhat::Read && A.sync == Sync::Atomic);
  CHECK(AtomicRead);
}

TEST_CASE("the hand-offs at a call are on its edge") {
  TUFacts F = extract("#include <ministd.h>\n" + std::string(Flags) +
                      "void fill() { data = 1; }\n"
                      "void f() { fill(); ready.store(true, std::memory_order_release); }\n");
  bool Found = false;
  for (const CallEdge &E : F.edges)
    if (E.callee.find("fill") != std::string::npos)
      Found = E.handOffs.releasedAfter.size() == 1;
  CHECK(Found);
}

TEST_CASE("a semaphore: what precedes the post is released, what follows the wait acquired") {
  std::string Code = "sem_t s; int data; int early;\n"
                     "void post() { data = 1; sem_post(&s); early = 1; }\n"
                     "int take() { int e = early; sem_wait(&s); return e + data; }\n";
  std::string S = keyOf(Code, "s");
  CHECK(around(Code, "data", AccessWhat::Reassign).released == std::vector<std::string>{S});
  CHECK(around(Code, "data", AccessWhat::Read).acquired == std::vector<std::string>{S});
  CHECK(around(Code, "early", AccessWhat::Reassign).released.empty());
  CHECK(around(Code, "early", AccessWhat::Read).acquired.empty());
}

TEST_CASE("std::counting_semaphore and std::latch order like sem_t") {
  std::string Code = "std::counting_semaphore<> s; std::latch l; int a; int b;\n"
                     "void give() { a = 1; s.release(); b = 1; l.count_down(); }\n"
                     "int get() { s.acquire(); int x = a; l.wait(); return x + b; }\n";
  CHECK(around(Code, "a", AccessWhat::Reassign).released ==
        std::vector<std::string>{keyOf(Code, "l"), keyOf(Code, "s")});
  CHECK(around(Code, "b", AccessWhat::Reassign).released == std::vector<std::string>{keyOf(Code, "l")});
  CHECK(around(Code, "a", AccessWhat::Read).acquired == std::vector<std::string>{keyOf(Code, "s")});
  CHECK(around(Code, "b", AccessWhat::Read).acquired ==
        std::vector<std::string>{keyOf(Code, "l"), keyOf(Code, "s")});
}

TEST_CASE("a barrier wait releases what precedes it and acquires what follows it") {
  std::string Code = "pthread_barrier_t b; int before; int after;\n"
                     "void f() { before = 1; pthread_barrier_wait(&b); after = 1; }\n";
  CHECK(around(Code, "before", AccessWhat::Reassign).released == std::vector<std::string>{keyOf(Code, "b")});
  CHECK(around(Code, "before", AccessWhat::Reassign).acquired.empty());
  CHECK(around(Code, "after", AccessWhat::Reassign).acquired == std::vector<std::string>{keyOf(Code, "b")});
  CHECK(around(Code, "after", AccessWhat::Reassign).released.empty());
}

TEST_CASE("a condition variable: a locked write of the flag releases, a predicate on it acquires") {
  std::string Code = "std::mutex m; std::condition_variable cv; bool ready; int data; int late;\n"
                     "void give() { data = 1; { std::lock_guard<std::mutex> g(m); ready = true; } cv.notify_one();"
                     " late = 1; }\n"
                     "int take() { std::unique_lock<std::mutex> l(m); cv.wait(l, [] { return ready; });"
                     " return data + late; }\n";
  std::string Ready = keyOf(Code, "ready");
  CHECK(around(Code, "data", AccessWhat::Reassign).released == std::vector<std::string>{Ready});
  CHECK(around(Code, "late", AccessWhat::Reassign).released.empty());
  CHECK(around(Code, "data", AccessWhat::Read).acquired == std::vector<std::string>{Ready});
}

TEST_CASE("an unlocked write of the flag releases nothing; a wait without a predicate acquires nothing") {
  std::string Code = "std::mutex m; std::condition_variable cv; bool ready; int data;\n"
                     "void give() { data = 1; ready = true; cv.notify_one(); }\n"
                     "int take() { std::unique_lock<std::mutex> l(m); cv.wait(l); return data; }\n";
  CHECK(around(Code, "data", AccessWhat::Reassign).released.empty());
  CHECK(around(Code, "data", AccessWhat::Read).acquired.empty());
}

TEST_CASE("a loop around pthread_cond_wait acquires what its condition reads") {
  std::string Code = "pthread_mutex_t m; pthread_cond_t c; int ready; int data;\n"
                     "void give() { data = 1; pthread_mutex_lock(&m); ready = 1; pthread_mutex_unlock(&m); }\n"
                     "int take() { pthread_mutex_lock(&m); while (!ready) pthread_cond_wait(&c, &m);"
                     " pthread_mutex_unlock(&m); return data; }\n";
  std::string Ready = keyOf(Code, "ready");
  CHECK(around(Code, "data", AccessWhat::Reassign).released == std::vector<std::string>{Ready});
  CHECK(around(Code, "data", AccessWhat::Read).acquired == std::vector<std::string>{Ready});
}

} // TEST_SUITE
