// Locks: the synchronization recorded at a write. An RAII guard or lock()
// earlier in an enclosing block holds a lock; a shared (reader) lock alone
// does not order writers; call_once runs its callable once; an unlock ends it.
#include "Harness.h"

using namespace sharedstate;
using namespace sharedstate::extracttest;

namespace {
Sync syncOf(const std::string &Code, const std::string &Var) {
  TUFacts F = extract("#include <ministd.h>\n" + Code);
  std::vector<Access> A = accessesTo(F, Var);
  REQUIRE_MESSAGE(A.size() == 1, "accesses to " << Var << ": " << A.size());
  return A.front().sync;
}
} // namespace

TEST_SUITE("extract: locks") {

TEST_CASE("a lock_guard in an enclosing block holds a lock") {
  CHECK(syncOf("std::mutex m; int n;\n"
               "void f() { std::lock_guard<std::mutex> g(m); if (true) { ++n; } }\n",
               "n") == Sync::Lock);
}

TEST_CASE("lock() and unlock() bracket the locked statements") {
  CHECK(syncOf("std::mutex m; int n;\nvoid f() { m.lock(); ++n; m.unlock(); }\n", "n") == Sync::Lock);
  CHECK(syncOf("std::mutex m; int n;\nvoid f() { m.lock(); m.unlock(); ++n; }\n", "n") == Sync::None);
}

TEST_CASE("a deferred unique_lock holds nothing until lock()") {
  CHECK(syncOf("std::mutex m; int n;\n"
               "void f() { std::unique_lock<std::mutex> l(m, std::defer_lock); ++n; }\n",
               "n") == Sync::None);
}

TEST_CASE("a shared lock alone does not synchronize a write, and the detail says why") {
  TUFacts F = extract("#include <ministd.h>\nstd::shared_mutex m; int n;\n"
                      "void f() { std::shared_lock<std::shared_mutex> l(m); ++n; }\n");
  REQUIRE(accessesTo(F, "n").size() == 1);
  CHECK(accessesTo(F, "n").front().sync == Sync::None);
  CHECK(accessesTo(F, "n").front().detail.find("only a shared (reader) lock is held") != std::string::npos);
}

TEST_CASE("the callable of call_once runs once") {
  CHECK(syncOf("std::once_flag once; int n;\n"
               "void f() { std::call_once(once, [] { ++n; }); }\n",
               "n") == Sync::Once);
}

TEST_CASE("a lambda written under a lock runs where it is called, unlocked") {
  CHECK(syncOf("std::mutex m; int n; void later(void (*)());\n"
               "void f() { std::lock_guard<std::mutex> g(m); later([] { ++n; }); }\n",
               "n") == Sync::None);
}

TEST_CASE("the lock held at a call is on its edge") {
  TUFacts F = extract("#include <ministd.h>\nstd::mutex m; int n;\n"
                      "void bump() { ++n; }\n"
                      "void f() { std::lock_guard<std::mutex> g(m); bump(); }\n"
                      "void g() { bump(); }\n");
  std::string Bump = function(F, "bump").key, Locked = function(F, "f").key, Unlocked = function(F, "g").key;
  int Seen = 0;
  for (const CallEdge &E : F.edges)
    if (E.callee == Bump) {
      CHECK(E.sync == (E.caller == Locked ? Sync::Lock : Sync::None));
      Seen += E.caller == Locked || E.caller == Unlocked;
    }
  CHECK(Seen == 2);
}

TEST_CASE("POSIX lock calls and a listed project lock count") {
  AnalysisOptions Opts = AnalysisOptions::defaults();
  Opts.syncTypes.emplace_back("app::Spin");
  TUFacts F = extract("namespace app { struct Spin { void lock(); void unlock(); }; }\n"
                      "app::Spin spin; int n;\n"
                      "void f() { spin.lock(); ++n; spin.unlock(); }\n",
                      Opts);
  REQUIRE(accessesTo(F, "n").size() == 1);
  CHECK(accessesTo(F, "n").front().sync == Sync::Lock);
  CHECK(variable(F, "spin").isSyncPrimitive);
}

} // TEST_SUITE
