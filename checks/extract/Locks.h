// Locks: which synchronization is in force at a node.
//
// Within a function, a lock is held after an RAII guard is declared
// (std::lock_guard, a thread-safety `scoped_lockable` class) or after a
// lock()/pthread_mutex_lock() call, until the end of the block or the
// matching unlock. A shared (reader) lock orders nothing among writers, so
// a write under one alone is not synchronized. A lambda runs where it is
// called, not where it is written: only call_once says how it runs.
#pragma once

#include "facts/Facts.h"

#include <llvm/ADT/DenseMap.h>

#include <cstddef>
#include <optional>
#include <vector>

namespace clang {
class CompoundStmt;
class Stmt;
} // namespace clang

namespace sharedstate::extract {

struct TUContext;

/// Locks held at a point; ordered so that max() is "the strongest".
enum class LockState { None, Shared, Exclusive };

class Locks {
public:
  explicit Locks(TUContext &TU) : TU(TU) {}

  /// Synchronization in force at the node at stack index I: an RAII guard
  /// or lock() earlier in an enclosing block, or the callable of call_once.
  /// A shared (reader) lock yields Sync::None, with SharedOnly set so the
  /// evidence can say why.
  Sync syncAt(size_t I, bool *SharedOnly = nullptr);

  /// The lock held just before Child, a statement of a compound statement.
  LockState heldBefore(const clang::CompoundStmt *CS, const clang::Stmt *Child);

  /// The lock a declaration statement acquires through an RAII guard.
  LockState declaredGuard(const clang::Stmt *S);

  /// What a statement does to the locks held: acquire (exclusively or
  /// shared), release, or nothing (nullopt).
  std::optional<LockState> lockCall(const clang::Stmt *S);

  /// A call of a listed once-function (std::call_once).
  bool isOnceCall(const clang::Stmt *S);

private:
  TUContext &TU;
  llvm::DenseMap<const clang::CompoundStmt *, std::vector<LockState>> Cache;
};

} // namespace sharedstate::extract
