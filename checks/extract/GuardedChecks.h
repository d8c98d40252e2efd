// GuardedChecks: "use it if initialized, otherwise initialize it".
//
// Records each condition that tests whether a shared variable is unset
// (empty(), == nullptr, !flag, find() == end(), ...), with the region of
// code that runs when it is unset: the then-branch, or for
// `if (p) return p;` the rest of the block. Also the functions the region
// calls and whether it tests the variable again under a lock (double-checked
// locking). The writes in the region decide, in classification
// (classify/LazyInit.cpp), whether this is a lazy-initialization race.
#pragma once

#include "facts/Facts.h"

#include <clang/Basic/SourceLocation.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace clang {
class Expr;
class IfStmt;
class Stmt;
} // namespace clang

namespace sharedstate::extract {

struct TUContext;

class GuardedChecks {
public:
  explicit GuardedChecks(TUContext &TU) : TU(TU) {}

  void visitIf(const clang::IfStmt *If);
  void emit(TUFacts &Out) { Out.guardedChecks = std::move(Checks); }

private:
  /// What a condition tests.
  struct Tested {
    AccessTarget target;
    CheckKind kind;
    bool unsetWhenTrue;
    clang::SourceLocation mention;
  };

  std::optional<AccessTarget> sharedIn(const clang::Expr *E);
  std::optional<Tested> testedVariable(const clang::Expr *Cond);
  std::optional<Tested> testedByCall(const clang::Expr *Cond);
  std::optional<Tested> testedByComparison(const clang::Expr *Cond);
  /// Locked: an exclusive lock is held before S.
  void scanRegion(const clang::Stmt *S, const Tested &T, bool Locked, std::set<std::string> &Callees,
                  bool &DoubleChecked);

  TUContext &TU;
  std::vector<GuardedCheck> Checks;
};

} // namespace sharedstate::extract
