// HandOff: release/acquire hand-offs around a node, by the flag's identity.
//
// A store to an atomic flag with release semantics (memory_order_release,
// acq_rel, or seq_cst, the default: `ready = true` on a std::atomic too)
// publishes what its thread did before it. A load with acquire semantics
// (acquire, consume, acq_rel, seq_cst) that sees the stored value orders
// everything after it after those writes. The scanner recognizes the direct
// pattern, within one function:
//
// - released after: a later statement of an enclosing block stores the flag
//   with release (`payload = 42; ready.store(true, release);`);
// - acquired before: an earlier statement of an enclosing block is a loop
//   whose condition acquire-loads the flag (`while (!ready.load(acquire))
//   {}`), `flag.wait(false)`, or `if (!flag.load(acquire)) return;`; or the
//   node is in the branch of an `if` where an acquire load saw the flag set
//   (`if (ready.load(acquire)) use(payload);`).
//
// The operations are std::atomic's and std::atomic_flag's members, the
// std::atomic_* free functions, and the __atomic, __c11_atomic and __sync
// builtins. Other synchronization objects hand off the same way, the object
// being the flag:
//
// - a semaphore: sem_post and std::counting_semaphore::release release,
//   sem_wait (timed too) and acquire() wait and acquire, try_acquire in an
//   `if` acquires in the branch where it succeeded;
// - a barrier or latch: pthread_barrier_wait, std::barrier's and
//   std::latch's arrive_and_wait release what precedes them and acquire what
//   follows; count_down and arrive release, wait acquires;
// - a condition variable: a write of a variable while the block holds a
//   mutex (`{ std::lock_guard g(m); ready = true; }`, `jobs.push(j)` after
//   pthread_mutex_lock) releases that variable; a wait whose predicate reads
//   it (`cv.wait(lock, [] { return ready; })`), or a loop around a wait whose
//   condition reads it (`while (!ready) pthread_cond_wait(&c, &m);`,
//   `while (jobs.empty()) cv.wait(lock);`), acquires it. A wait without a
//   predicate acquires nothing: it may wake spuriously.
//
// A release or wait in a nested block counts for the statements around the
// block. Relaxed operations order nothing, and an order the scanner
// cannot evaluate counts as relaxed. Flags are assumed to be set once: a
// flag reset and set again is not told apart. A read-modify-write with both
// semantics (a compare-exchange spin lock) is both, so an inline spin lock
// orders its critical sections like a mutex.
#pragma once

#include "facts/Facts.h"

#include <llvm/ADT/DenseMap.h>

#include <cstddef>
#include <optional>
#include <vector>

namespace clang {
class CallExpr;
class CompoundStmt;
class Expr;
class Stmt;
} // namespace clang

namespace sharedstate::extract {

struct TUContext;

class HandOff {
public:
  explicit HandOff(TUContext &TU) : TU(TU) {}

  /// The hand-offs around the node at stack index I, within its function.
  HandOffs at(size_t I);

private:
  struct AtomicOp {
    LockRef flag;
    bool load = false, store = false; ///< what it does (both: a read-modify-write)
    bool waits = false;               ///< blocks until the value changes (atomic::wait)
    bool acquire = false, release = false;
  };
  /// E itself, if it is an atomic operation on an object we can name.
  std::optional<AtomicOp> atomicOp(const clang::Expr *E);
  /// Every atomic operation in S, outside lambdas.
  void atomicOpsIn(const clang::Stmt *S, std::vector<AtomicOp> &Out);
  /// The flag S, a statement, stores with release, if it is one.
  std::optional<LockRef> releaseStatement(const clang::Stmt *S);
  /// The flag a condition acquire-loads; Negated when the condition is
  /// true where the flag was not set (`!ready.load(acquire)`).
  std::optional<LockRef> acquireTest(const clang::Expr *Cond, bool &Negated);
  /// The flags S, a statement, waits for (a checked loop, wait(), an early
  /// return, a condition-variable wait with a predicate, a nested block).
  std::vector<LockRef> waitedFor(const clang::Stmt *S);
  /// What S, a statement of CS, releases: a release store, a semaphore post
  /// or barrier wait, a write under a mutex, in S or the blocks nested in it.
  std::vector<LockRef> releasesOf(const clang::CompoundStmt *CS, const clang::Stmt *S);
  /// A semaphore's, latch's or barrier's operation, as an AtomicOp on the object.
  std::optional<AtomicOp> syncCallOp(const clang::CallExpr *Call);
  /// The variables and fields of `this` S reads, by identity.
  void readsIn(const clang::Stmt *S, std::vector<LockRef> &Out);
  /// The flags a condition-variable wait's predicate reads.
  std::vector<LockRef> predicateFlags(const clang::CallExpr *Call);
  /// The variable S, an expression statement of CS, writes while CS holds a
  /// mutex: what a condition-variable wait may wait for.
  void lockedWrites(const clang::CompoundStmt *CS, const clang::Stmt *S, std::vector<LockRef> &Out);

  struct Block {
    std::vector<std::vector<LockRef>> acquiredBefore, releasedAfter; ///< by statement index
  };
  const Block &block(const clang::CompoundStmt *CS);

  TUContext &TU;
  llvm::DenseMap<const clang::CompoundStmt *, Block> Cache;
};

} // namespace sharedstate::extract
