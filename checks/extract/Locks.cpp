// Lock tracking (see Locks.h for the rules).
#include "extract/Locks.h"

#include "extract/TUContext.h"

#include <clang/AST/Attr.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>

#include <algorithm>

namespace sharedstate::extract {

using namespace clang;

std::optional<LockState> Locks::lockCall(const Stmt *S) {
  const Expr *E = dyn_cast_or_null<Expr>(S);
  if (!E)
    return std::nullopt;
  E = E->IgnoreImplicit();
  const AnalysisOptions &Opts = TU.options;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (!M || !M->getDeclName().isIdentifier())
      return std::nullopt;
    // Thread-safety annotations say what a method does, whatever its name.
    if (const auto *A = M->getAttr<AcquireCapabilityAttr>())
      return A->isShared() ? LockState::Shared : LockState::Exclusive;
    if (M->hasAttr<ReleaseCapabilityAttr>())
      return LockState::None;
    QualType ObjT = MC->getImplicitObjectArgument()->getType();
    if (ObjT->isPointerType())
      ObjT = ObjT->getPointeeType();
    bool SharedGuard = TU.listed.classIn(ObjT, Opts.sharedLockGuardTypes).has_value();
    if (!TU.listed.syncType(ObjT) && !TU.listed.classIn(ObjT, Opts.lockGuardTypes) && !SharedGuard)
      return std::nullopt;
    llvm::StringRef N = M->getName();
    if (N == "lock")
      return SharedGuard ? LockState::Shared : LockState::Exclusive;
    if (N == "lock_shared")
      return LockState::Shared;
    if (N == "unlock" || N == "unlock_shared")
      return LockState::None;
    return std::nullopt;
  }
  if (const auto *C = dyn_cast<CallExpr>(E))
    if (const FunctionDecl *F = C->getDirectCallee(); F && F->getDeclName().isIdentifier()) {
      std::string N = F->getQualifiedNameAsString();
      if (TU.listed.has(Opts.lockFunctions, N))
        return LockState::Exclusive;
      if (TU.listed.has(Opts.sharedLockFunctions, N))
        return LockState::Shared;
      if (TU.listed.has(Opts.unlockFunctions, N))
        return LockState::None;
    }
  return std::nullopt;
}

LockState Locks::declaredGuard(const Stmt *S) {
  const auto *DS = dyn_cast_or_null<DeclStmt>(S);
  if (!DS)
    return LockState::None;
  LockState Result = LockState::None;
  for (const Decl *D : DS->decls()) {
    const auto *V = dyn_cast<VarDecl>(D);
    if (!V)
      continue;
    const auto *RD = V->getType()->getAsCXXRecordDecl();
    bool ScopedLockable = RD && RD->hasAttr<ScopedLockableAttr>(); // thread-safety annotated guard
    LockState Kind = TU.listed.classIn(V->getType(), TU.options.lockGuardTypes) || ScopedLockable
                         ? LockState::Exclusive
                     : TU.listed.classIn(V->getType(), TU.options.sharedLockGuardTypes) ? LockState::Shared
                                                                                         : LockState::None;
    if (Kind == LockState::None)
      continue;
    // std::unique_lock<std::mutex> l(m, std::defer_lock) holds nothing yet.
    bool Deferred = false;
    if (const auto *CE = dyn_cast_or_null<CXXConstructExpr>(V->getInit() ? V->getInit()->IgnoreImplicit() : nullptr))
      for (const Expr *Arg : CE->arguments())
        if (const auto *ArgRD = Arg->getType()->getAsCXXRecordDecl())
          Deferred = Deferred || ArgRD->getName() == "defer_lock_t";
    if (!Deferred)
      Result = std::max(Result, Kind);
  }
  return Result;
}

LockState Locks::heldBefore(const CompoundStmt *CS, const Stmt *Child) {
  std::vector<LockState> &Held = Cache[CS];
  if (Held.empty()) {
    LockState Now = LockState::None;
    for (const Stmt *S : CS->body()) {
      Held.push_back(Now);
      if (LockState G = declaredGuard(S); G != LockState::None)
        Now = std::max(Now, G);
      else if (auto Change = lockCall(S))
        Now = *Change;
    }
    Held.push_back(Now);
  }
  size_t I = 0;
  for (const Stmt *S : CS->body()) {
    if (S == Child)
      return Held[I];
    ++I;
  }
  return LockState::None;
}

bool Locks::isOnceCall(const Stmt *S) {
  const auto *C = dyn_cast_or_null<CallExpr>(S);
  if (!C)
    return false;
  const FunctionDecl *F = C->getDirectCallee();
  return F && TU.listed.has(TU.options.onceFunctions, F->getQualifiedNameAsString());
}

Sync Locks::syncAt(size_t I, bool *SharedOnly) {
  const Ancestors &Stack = TU.stack;
  bool Shared = false;
  auto Done = [&](Sync S) {
    if (SharedOnly)
      *SharedOnly = S == Sync::None && Shared;
    return S;
  };
  for (size_t J = I; J-- > 0;) {
    const Frame &F = Stack[J];
    if (F.D)
      return Done(Sync::None); // left the function or initializer
    if (isa<LambdaExpr>(F.S)) {
      // A lambda runs when it is called, not where it is written; only
      // call_once tells us how.
      for (size_t K = J; K > 0 && Stack[K - 1].S; --K) {
        const Stmt *Outer = Stack[K - 1].S;
        if (isOnceCall(Outer))
          return Done(Sync::Once);
        if (!isa<MaterializeTemporaryExpr, ImplicitCastExpr, CXXBindTemporaryExpr, CXXConstructExpr, ParenExpr,
                 ExprWithCleanups, CXXFunctionalCastExpr>(Outer))
          break;
      }
      return Done(Sync::None);
    }
    const Stmt *Child = Stack[J + 1].S;
    LockState Held = LockState::None;
    if (const auto *CS = dyn_cast<CompoundStmt>(F.S))
      Held = heldBefore(CS, Child);
    else if (const auto *If = dyn_cast<IfStmt>(F.S); If && If->getInit() != Child)
      Held = declaredGuard(If->getInit());
    else if (const auto *Sw = dyn_cast<SwitchStmt>(F.S); Sw && Sw->getInit() != Child)
      Held = declaredGuard(Sw->getInit());
    if (Held == LockState::Exclusive)
      return Done(Sync::Lock);
    Shared = Shared || Held == LockState::Shared;
  }
  return Done(Sync::None);
}

} // namespace sharedstate::extract
