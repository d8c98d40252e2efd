// Locks: which mutexes are held at a node, by identity.
//
// Within a function, a mutex is held after an RAII guard on it is declared
// (std::lock_guard, std::scoped_lock over several, a thread-safety
// `scoped_lockable` class) or after a lock() / pthread_mutex_lock() call on
// it, until the end of the block or the unlock of that same mutex: unlocking
// b does not release a, and a guard's own unlock() releases its mutex. A
// shared (reader) lock is held too, but marked shared: it orders a write only
// against accesses holding the same mutex exclusively. A lambda runs where it
// is called, not where it is written: the locks around its definition are
// not held in its body; only call_once says how it runs.
//
// A conditional lock (`if (mu.TryLock()) { ... }`, or `if (!mu.TryLock())
// return;` before the rest of the block) holds the mutex where it
// succeeded.
//
// Each enclosing block is simulated on its own, from the locks it acquires
// itself: an unlock in a nested block does not release a lock of its parent
// (a known approximation).
#pragma once

#include "facts/Facts.h"

#include <clang/AST/Type.h>
#include <llvm/ADT/DenseMap.h>

#include <cstddef>
#include <optional>
#include <vector>

namespace clang {
class CompoundStmt;
class Expr;
class Stmt;
class VarDecl;
} // namespace clang

namespace sharedstate::extract {

struct TUContext;

/// What is held at a point.
struct Held {
  std::vector<LockRef> locks; ///< sorted; each mutex once, exclusive over shared
  bool once = false;          ///< inside the callable of call_once

  bool anyExclusive() const;
  /// The summary the evidence shows: Once, Lock (an exclusive lock), or None.
  Sync sync() const;
  /// Only reader locks are held.
  bool sharedOnly() const;
};

class Locks {
public:
  explicit Locks(TUContext &TU) : TU(TU) {}

  /// What is held at the node at stack index I, within its function.
  Held heldAt(size_t I);

  /// The mutexes held just before Child, a statement of CS, from CS's own
  /// statements.
  const std::vector<LockRef> &heldBefore(const clang::CompoundStmt *CS, const clang::Stmt *Child);

  /// The mutexes held from the first statement of Body to its end: a guard
  /// that opens the body and is never released.
  std::vector<LockRef> heldThroughout(const clang::CompoundStmt *Body);

  /// The mutex fields of `this` a member function's body locks anywhere
  /// (a guard, a lock() call, a successful try-lock), sorted: exclusive
  /// where any lock of it is.
  std::vector<LockRef> ownLocksTaken(const clang::Stmt *Body);

  /// A call of a listed once-function (std::call_once).
  bool isOnceCall(const clang::Stmt *S);

  /// Which mutex E designates (`m`, `&m`, `this->mu_`, `stats.mu`,
  /// `registry_mutex()`), as a LockRef held exclusively.
  std::optional<LockRef> mutexOf(const clang::Expr *E);

private:
  std::optional<LockRef> identityOf(const clang::Expr *E);
  /// What one statement does to the mutexes held.
  struct Change {
    std::vector<LockRef> acquire;
    std::vector<LockRef> release;
  };
  Change changeOf(const clang::Stmt *S);
  /// The guards a declaration statement (or an if/switch initializer) declares.
  std::vector<LockRef> declaredGuards(const clang::Stmt *S);
  /// The mutex a condition try-locks (`mu.TryLock()`, `!mu.try_lock()`);
  /// Negated when the condition is true where the lock failed.
  std::optional<LockRef> tryLocked(const clang::Expr *Cond, bool &Negated);
  /// The mutexes a guard variable holds: its constructor's mutex arguments;
  /// none when it was made with std::defer_lock, unless Deferred (what its
  /// own lock() takes).
  std::vector<LockRef> guardedBy(const clang::VarDecl *Guard, bool Shared, bool Deferred = false);
  bool isGuardType(clang::QualType T, bool &Shared);

  TUContext &TU;
  llvm::DenseMap<const clang::CompoundStmt *, std::vector<std::vector<LockRef>>> Cache;
};

} // namespace sharedstate::extract
