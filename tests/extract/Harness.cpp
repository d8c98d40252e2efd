// See Harness.h.
#include "Harness.h"

#include "extract/Extractor.h"

#include <clang/AST/ASTContext.h>
#include <clang/Frontend/ASTUnit.h>
#include <clang/Tooling/Tooling.h>

#ifndef SHAREDSTATE_RESOURCE_DIR
#define SHAREDSTATE_RESOURCE_DIR ""
#endif

namespace sharedstate::extracttest {

const char *const MiniStd = R"(
namespace std {
using size_t = decltype(sizeof 0);
struct mutex { void lock(); void unlock(); bool try_lock(); };
struct shared_mutex { void lock(); void unlock(); void lock_shared(); void unlock_shared(); };
struct defer_lock_t {};
inline constexpr defer_lock_t defer_lock{};
template <class M> struct lock_guard { explicit lock_guard(M &); ~lock_guard(); };
template <class M> struct unique_lock {
  explicit unique_lock(M &); unique_lock(M &, defer_lock_t); ~unique_lock(); void lock(); void unlock();
};
template <class M> struct shared_lock { explicit shared_lock(M &); ~shared_lock(); };
struct condition_variable {
  void notify_one(); void wait(unique_lock<mutex> &);
  template <class P> void wait(unique_lock<mutex> &l, P p) { while (!p()) wait(l); }
};
template <long Max = 1> struct counting_semaphore { void release(); void acquire(); bool try_acquire(); };
struct latch { void count_down(); void wait() const; void arrive_and_wait(); };
struct once_flag {};
template <class F> void call_once(once_flag &, F &&f) { f(); }
template <class T> T &&move(T &t) noexcept { return static_cast<T &&>(t); }
template <class T> struct reference_wrapper { T *p; };
template <class T> reference_wrapper<T> ref(T &t) { return {&t}; }
template <class T> struct vector {
  void push_back(const T &);
  template <class... A> void emplace_back(A &&...);
  T *begin();
  T *end();
  T &operator[](size_t);
  const T &operator[](size_t) const;
  size_t size() const;
  bool empty() const;
  void clear();
};
template <class K, class V> struct map {
  struct iterator { V &operator*() const; bool operator==(const iterator &) const; };
  struct const_iterator { const V &operator*() const; bool operator==(const const_iterator &) const; };
  V &operator[](const K &);
  iterator find(const K &);
  const_iterator find(const K &) const;
  iterator end();
  const_iterator end() const;
  size_t count(const K &) const;
  bool empty() const;
};
template <class F> struct function;
template <class R, class... A> struct function<R(A...)> {
  template <class G> function(G) {}
  R operator()(A...) const;
};
struct thread {
  template <class F, class... A> explicit thread(F &&, A &&...) {}
  void join();
  void detach();
};
struct jthread {
  template <class F, class... A> explicit jthread(F &&, A &&...) {}
  ~jthread();
  void join();
};
enum memory_order { memory_order_relaxed, memory_order_consume, memory_order_acquire,
                    memory_order_release, memory_order_acq_rel, memory_order_seq_cst };
template <class T> struct atomic {
  T load(memory_order = memory_order_seq_cst) const;
  void store(T, memory_order = memory_order_seq_cst);
  T exchange(T, memory_order = memory_order_seq_cst);
  operator T() const;
  T operator=(T);
};
} // namespace std
typedef struct { int opaque; } pthread_mutex_t;
extern "C" int pthread_mutex_lock(pthread_mutex_t *);
extern "C" int pthread_mutex_unlock(pthread_mutex_t *);
typedef struct { int opaque; } pthread_cond_t;
extern "C" int pthread_cond_wait(pthread_cond_t *, pthread_mutex_t *);
typedef struct { int opaque; } sem_t;
extern "C" int sem_post(sem_t *);
extern "C" int sem_wait(sem_t *);
typedef struct { int opaque; } pthread_barrier_t;
extern "C" int pthread_barrier_wait(pthread_barrier_t *);
extern "C" void (*signal(int, void (*)(int)))(int);
struct sigaction { void (*sa_handler)(int); };
extern "C" int sigaction(int, const struct sigaction *, struct sigaction *);
extern "C" int atexit(void (*)());
typedef struct { int opaque; } ucontext_t;
extern "C" void makecontext(ucontext_t *, void (*)(), int, ...);
)";

TUFacts extract(const std::string &Code, const AnalysisOptions &Opts) {
  // ministd.h is a system header, as the real one is: the extractor skips
  // system headers' bodies, and calls into them are library calls.
  std::vector<std::string> Args = {"-std=c++17", "-fsyntax-only", "-isystem", "/sharedstate-test/include"};
  if (*SHAREDSTATE_RESOURCE_DIR)
    Args.push_back(std::string("-resource-dir=") + SHAREDSTATE_RESOURCE_DIR);
  std::unique_ptr<clang::ASTUnit> AST = clang::tooling::buildASTFromCodeWithArgs(
      Code, Args, "input.cc", "sharedstate-extract-tests", std::make_shared<clang::PCHContainerOperations>(),
      clang::tooling::getClangStripDependencyFileAdjuster(),
      {{"/sharedstate-test/include/ministd.h", MiniStd}});
  REQUIRE(AST);
  REQUIRE_MESSAGE(!AST->getDiagnostics().hasErrorOccurred(), "the snippet does not compile:\n" << Code);
  return extractFacts(AST->getASTContext(), Opts);
}

const SharedVariable &variable(const TUFacts &F, const std::string &Name) {
  for (const SharedVariable &V : F.variables)
    if (V.name == Name)
      return V;
  FAIL("no variable named '" << Name << "'");
  throw; // unreachable: FAIL throws
}

bool hasVariable(const TUFacts &F, const std::string &Name) {
  for (const SharedVariable &V : F.variables)
    if (V.name == Name)
      return true;
  return false;
}

std::vector<Access> accessesTo(const TUFacts &F, const std::string &Name) {
  const std::string Key = variable(F, Name).key;
  std::vector<Access> Out;
  for (const Access &A : F.accesses)
    if (A.target.isVariable() && A.target.key == Key && A.what != AccessWhat::Read)
      Out.push_back(A);
  return Out;
}

std::vector<Access> readsOf(const TUFacts &F, const std::string &Name) {
  const std::string Key = variable(F, Name).key;
  std::vector<Access> Out;
  for (const Access &A : F.accesses)
    if (A.target.isVariable() && A.target.key == Key && A.what == AccessWhat::Read)
      Out.push_back(A);
  return Out;
}

std::vector<Access> accessesTo(const TUFacts &F, const std::string &Name, AccessWhat What) {
  std::vector<Access> Out;
  const std::string Key = variable(F, Name).key;
  for (const Access &A : F.accesses)
    if (A.target.isVariable() && A.target.key == Key && A.what == What)
      Out.push_back(A);
  return Out;
}

const Function &function(const TUFacts &F, const std::string &Name) {
  const Function *Found = nullptr;
  for (const Function &Fn : F.functions)
    if (Fn.name == Name) {
      REQUIRE_MESSAGE(!Found, "two functions named '" << Name << "'");
      Found = &Fn;
    }
  REQUIRE_MESSAGE(Found, "no function named '" << Name << "'");
  return *Found;
}

bool calls(const TUFacts &F, const std::string &Caller, const std::string &Callee) {
  const std::string From = function(F, Caller).key, To = function(F, Callee).key;
  for (const CallEdge &E : F.edges)
    if (E.caller == From && E.callee == To)
      return true;
  return false;
}

} // namespace sharedstate::extracttest
