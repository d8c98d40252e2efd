// Lock tracking by mutex identity (see Locks.h for the rules).
#include "extract/Locks.h"

#include "extract/AstQueries.h"
#include "extract/TUContext.h"

#include <clang/AST/Attr.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>

#include <algorithm>

namespace sharedstate::extract {

using namespace clang;

namespace {

/// Adds L to Set, keeping one entry per mutex (exclusive over shared).
void hold(std::vector<LockRef> &Set, const LockRef &L) {
  for (LockRef &Have : Set)
    if (Have.sameMutex(L)) {
      Have.shared = Have.shared && L.shared;
      return;
    }
  Set.push_back(L);
}

void release(std::vector<LockRef> &Set, const LockRef &L) {
  Set.erase(std::remove_if(Set.begin(), Set.end(), [&](const LockRef &Have) { return Have.sameMutex(L); }),
            Set.end());
}

/// The type names std::defer_lock, std::try_to_lock and std::adopt_lock have.
bool isLockTag(const Expr *Arg, bool &Deferred) {
  const auto *RD = Arg->getType()->getAsCXXRecordDecl();
  if (!RD || !RD->getDeclName().isIdentifier())
    return false;
  llvm::StringRef N = RD->getName();
  Deferred = N == "defer_lock_t" || N == "try_to_lock_t";
  return N == "defer_lock_t" || N == "try_to_lock_t" || N == "adopt_lock_t";
}

} // namespace

bool Held::anyExclusive() const {
  return std::any_of(locks.begin(), locks.end(), [](const LockRef &L) { return !L.shared; });
}

Sync Held::sync() const { return anyExclusive() ? Sync::Lock : once ? Sync::Once : Sync::None; }

bool Held::sharedOnly() const { return !locks.empty() && !anyExclusive(); }

std::optional<LockRef> Locks::mutexOf(const Expr *E) {
  std::optional<LockRef> L = identityOf(E);
  if (L && L->name.empty() && E) {
    const Expr *Named = E->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(Named); UO && UO->getOpcode() == UO_AddrOf)
      Named = UO->getSubExpr()->IgnoreParenImpCasts();
    llvm::raw_string_ostream OS(L->name);
    Named->printPretty(OS, nullptr, TU.ids.policy());
  }
  return L;
}

std::optional<LockRef> Locks::identityOf(const Expr *E) {
  if (!E)
    return std::nullopt;
  E = E->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && (UO->getOpcode() == UO_AddrOf || UO->getOpcode() == UO_Deref))
    E = UO->getSubExpr()->IgnoreParenImpCasts();
  LockRef L;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
    if (!V)
      return std::nullopt;
    if (TU.variables.isShared(V)) {
      L.kind = LockRef::Kind::Variable;
      L.key = TU.ids.variableKey(TU.ids.canonicalVariable(V));
      return L;
    }
    // `auto &m = registry.mu;`: the mutex it refers to.
    if (V->hasLocalStorage() && V->getType()->isReferenceType() && V->getInit())
      return identityOf(V->getInit());
    L.kind = LockRef::Kind::Spelled;
    L.key = TU.ids.declKey(V); // a parameter or local: this declaration only
    return L;
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    if (const auto *V = dyn_cast<VarDecl>(ME->getMemberDecl()); V && TU.variables.isShared(V)) {
      L.kind = LockRef::Kind::Variable; // a static data member
      L.key = TU.ids.variableKey(TU.ids.canonicalVariable(V));
      return L;
    }
    const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!F)
      return std::nullopt;
    std::string Path = F->getNameAsString();
    const Expr *Base = ME->getBase()->IgnoreParenImpCasts();
    // this->a.b: the path from this (`a.b` in a member function is
    // `this->a.b`, an arrow to this and a dot).
    while (const auto *Inner = dyn_cast<MemberExpr>(Base)) {
      const auto *IF = dyn_cast<FieldDecl>(Inner->getMemberDecl());
      const Expr *InnerBase = Inner->getBase()->IgnoreParenImpCasts();
      if (!IF || (Inner->isArrow() && !isa<CXXThisExpr>(InnerBase)))
        break;
      Path = IF->getNameAsString() + "." + Path;
      F = IF;
      Base = InnerBase;
    }
    if (isa<CXXThisExpr>(Base)) {
      L.kind = LockRef::Kind::ThisField;
      L.key = TU.ids.declKey(F->getParent());
      L.field = Path;
      return L;
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(Base))
      if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl()); V && TU.variables.isShared(V)) {
        L.kind = LockRef::Kind::ObjectField;
        L.key = TU.ids.variableKey(TU.ids.canonicalVariable(V));
        L.field = Path;
        return L;
      }
  }
  if (const auto *Call = dyn_cast<CallExpr>(E))
    if (const FunctionDecl *F = Call->getDirectCallee(); F && F->getReturnType()->isReferenceType()) {
      L.kind = LockRef::Kind::CallResult;
      L.key = TU.ids.functionKey(F);
      return L;
    }
  // impl_->mu, (*p).mu, ...: matched by how the code spells it.
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  E->printPretty(OS, nullptr, TU.ids.policy());
  L.kind = LockRef::Kind::Spelled;
  L.key = OS.str();
  return L;
}

bool Locks::isGuardType(QualType T, bool &Shared) {
  Shared = false;
  const AnalysisOptions &Opts = TU.options;
  if (TU.listed.classIn(T, Opts.lockGuardTypes))
    return true;
  if (TU.listed.classIn(T, Opts.sharedLockGuardTypes)) {
    Shared = true;
    return true;
  }
  const auto *RD = T->getAsCXXRecordDecl();
  if (RD && RD->hasAttr<ScopedLockableAttr>()) // thread-safety annotated guard
    return true;
  return RD && !TU.ids.inSystemHeader(RD->getLocation()) && TU.listed.isProjectGuard(RD, Shared);
}

std::vector<LockRef> Locks::guardedBy(const VarDecl *Guard, bool Shared, bool Deferred) {
  const Expr *Init = Guard->getInit() ? Guard->getInit()->IgnoreImplicit() : nullptr;
  if (const auto *Cleanups = dyn_cast_or_null<ExprWithCleanups>(Init))
    Init = Cleanups->getSubExpr()->IgnoreImplicit();
  const auto *CE = dyn_cast_or_null<CXXConstructExpr>(Init);
  if (!CE)
    return {};
  std::vector<LockRef> Mutexes;
  std::vector<const Expr *> Candidates;
  for (const Expr *Arg : CE->arguments()) {
    bool Defers = false;
    if (isLockTag(Arg, Defers)) {
      if (Defers && !Deferred)
        return {}; // std::unique_lock<std::mutex> l(m, std::defer_lock) holds nothing yet
      continue;
    }
    Candidates.push_back(Arg);
  }
  // The arguments that are synchronization objects; a user guard over a
  // mutex type nobody listed guards its first argument.
  for (const Expr *Arg : Candidates) {
    QualType T = Arg->getType();
    if (T->isPointerType())
      T = T->getPointeeType();
    if (TU.listed.syncType(T))
      if (std::optional<LockRef> L = mutexOf(Arg))
        Mutexes.push_back(*L);
  }
  if (Mutexes.empty() && !Candidates.empty())
    if (std::optional<LockRef> L = mutexOf(Candidates.front()))
      Mutexes.push_back(*L);
  for (LockRef &L : Mutexes)
    L.shared = Shared;
  return Mutexes;
}

std::vector<LockRef> Locks::declaredGuards(const Stmt *S) {
  const auto *DS = dyn_cast_or_null<DeclStmt>(S);
  if (!DS)
    return {};
  std::vector<LockRef> Out;
  for (const Decl *D : DS->decls())
    if (const auto *V = dyn_cast<VarDecl>(D)) {
      bool Shared = false;
      if (isGuardType(V->getType(), Shared))
        for (const LockRef &L : guardedBy(V, Shared))
          hold(Out, L);
    }
  return Out;
}

Locks::Change Locks::changeOf(const Stmt *S) {
  Change C;
  C.acquire = declaredGuards(S);
  if (!C.acquire.empty())
    return C;
  const Expr *E = dyn_cast_or_null<Expr>(S);
  if (!E)
    return C;
  E = E->IgnoreImplicit();
  const AnalysisOptions &Opts = TU.options;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (!M || !M->getDeclName().isIdentifier())
      return C;
    const Expr *Object = MC->getImplicitObjectArgument();
    QualType ObjT = Object->getType();
    if (ObjT->isPointerType())
      ObjT = ObjT->getPointeeType();
    // A guard's own lock() and unlock(): its mutex.
    bool SharedGuard = false;
    if (isGuardType(ObjT, SharedGuard)) {
      const auto *DRE = dyn_cast<DeclRefExpr>(Object->IgnoreParenImpCasts());
      const auto *Guard = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
      if (!Guard)
        return C;
      llvm::StringRef N = M->getName();
      // The mutex it was made with, even deferred: l.lock() takes it then.
      if (N == "lock")
        C.acquire = guardedBy(Guard, SharedGuard, /*Deferred=*/true);
      else if (N == "unlock")
        C.release = guardedBy(Guard, SharedGuard, /*Deferred=*/true);
      return C;
    }
    std::optional<LockRef> Mutex = mutexOf(Object);
    if (!Mutex)
      return C;
    // Thread-safety annotations say what a method does, whatever its name.
    if (const auto *A = M->getAttr<AcquireCapabilityAttr>()) {
      Mutex->shared = A->isShared();
      C.acquire.push_back(*Mutex);
      return C;
    }
    if (M->hasAttr<ReleaseCapabilityAttr>()) {
      C.release.push_back(*Mutex);
      return C;
    }
    if (!TU.listed.syncType(ObjT))
      return C;
    int Effect = Listed::lockEffect(M->getName());
    if (Effect > 0) {
      Mutex->shared = Effect == 2;
      C.acquire.push_back(*Mutex);
    } else if (Effect < 0) {
      C.release.push_back(*Mutex);
    }
    return C;
  }
  if (const auto *Call = dyn_cast<CallExpr>(E))
    if (const FunctionDecl *F = Call->getDirectCallee(); F && F->getDeclName().isIdentifier() && Call->getNumArgs() > 0) {
      std::string N = F->getQualifiedNameAsString();
      bool Lock = TU.listed.has(Opts.lockFunctions, N), Shared = TU.listed.has(Opts.sharedLockFunctions, N),
           Unlock = TU.listed.has(Opts.unlockFunctions, N);
      if (!Lock && !Shared && !Unlock)
        return C;
      std::optional<LockRef> Mutex = mutexOf(Call->getArg(0));
      if (!Mutex)
        return C;
      Mutex->shared = Shared;
      (Unlock ? C.release : C.acquire).push_back(*Mutex);
    }
  return C;
}

std::optional<LockRef> Locks::tryLocked(const Expr *Cond, bool &Negated) {
  Negated = false;
  if (!Cond)
    return std::nullopt;
  const Expr *E = Cond->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_LNot) {
    Negated = true;
    E = UO->getSubExpr()->IgnoreParenImpCasts();
  }
  const auto *MC = dyn_cast<CXXMemberCallExpr>(E);
  const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
  if (!M || !M->getDeclName().isIdentifier())
    return std::nullopt;
  int Effect = Listed::tryLockEffect(M->getName());
  if (Effect == 0)
    return std::nullopt;
  QualType ObjT = MC->getImplicitObjectArgument()->getType();
  if (ObjT->isPointerType())
    ObjT = ObjT->getPointeeType();
  if (!TU.listed.syncType(ObjT))
    return std::nullopt;
  std::optional<LockRef> L = mutexOf(MC->getImplicitObjectArgument());
  if (L)
    L->shared = Effect == 2;
  return L;
}

const std::vector<LockRef> &Locks::heldBefore(const CompoundStmt *CS, const Stmt *Child) {
  std::vector<std::vector<LockRef>> &Held = Cache[CS];
  if (Held.empty()) {
    std::vector<LockRef> Now;
    for (const Stmt *S : CS->body()) {
      Held.push_back(Now);
      // `if (!mu.TryLock()) return;`: the rest of the block holds mu.
      if (const auto *If = dyn_cast<IfStmt>(S); If && !If->getElse() && alwaysExits(If->getThen())) {
        bool Negated = false;
        if (std::optional<LockRef> L = tryLocked(If->getCond(), Negated); L && Negated)
          hold(Now, *L);
      }
      Change C = changeOf(S);
      for (const LockRef &L : C.release)
        release(Now, L);
      for (const LockRef &L : C.acquire)
        hold(Now, L);
    }
    Held.push_back(Now);
  }
  size_t I = 0;
  for (const Stmt *S : CS->body()) {
    if (S == Child)
      return Held[I];
    ++I;
  }
  static const std::vector<LockRef> None;
  return None;
}

std::vector<LockRef> Locks::heldThroughout(const CompoundStmt *Body) {
  if (Body->body_empty())
    return {};
  heldBefore(Body, Body->body_front()); // fills the cache
  const std::vector<std::vector<LockRef>> &Held = Cache[Body];
  std::vector<LockRef> Out = Held[1];
  for (size_t I = 2; I < Held.size(); ++I)
    Out.erase(std::remove_if(Out.begin(), Out.end(),
                             [&](const LockRef &L) {
                               return std::find(Held[I].begin(), Held[I].end(), L) == Held[I].end();
                             }),
              Out.end());
  std::sort(Out.begin(), Out.end());
  return Out;
}

std::vector<LockRef> Locks::ownLocksTaken(const Stmt *Body) {
  std::vector<LockRef> Out;
  auto Take = [&](const LockRef &L) {
    if (L.kind == LockRef::Kind::ThisField)
      hold(Out, L);
  };
  std::vector<const Stmt *> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.back();
    Work.pop_back();
    if (!S || isa<LambdaExpr>(S))
      continue; // a lambda's body runs when it is called, maybe elsewhere
    if (isa<DeclStmt>(S) || isa<CXXMemberCallExpr>(S))
      for (const LockRef &L : changeOf(S).acquire)
        Take(L);
    if (const auto *If = dyn_cast<IfStmt>(S)) {
      bool Negated = false;
      if (std::optional<LockRef> L = tryLocked(If->getCond(), Negated))
        Take(*L);
    }
    for (const Stmt *Child : S->children())
      Work.push_back(Child);
  }
  for (LockRef &L : Out)
    L.name.clear(); // identity only: the facts name it in the accesses
  std::sort(Out.begin(), Out.end());
  return Out;
}

bool Locks::isOnceCall(const Stmt *S) {
  const auto *C = dyn_cast_or_null<CallExpr>(S);
  if (!C)
    return false;
  const FunctionDecl *F = C->getDirectCallee();
  return F && TU.listed.has(TU.options.onceFunctions, TU.listed.listName(F));
}

Held Locks::heldAt(size_t I) {
  const Ancestors &Stack = TU.stack;
  Held H;
  for (size_t J = I; J-- > 0;) {
    const Frame &F = Stack[J];
    if (F.D) {
      if (isFunctionBoundary(F.D))
        break;
      continue; // a local declaration: `auto &slot = cache[key];` runs where it stands
    }
    if (isa<LambdaExpr>(F.S)) {
      // A lambda runs when it is called, not where it is written; only
      // call_once tells us how.
      for (size_t K = J; K > 0 && Stack[K - 1].S; --K) {
        const Stmt *Outer = Stack[K - 1].S;
        if (isOnceCall(Outer)) {
          H.once = true;
          break;
        }
        if (!isa<MaterializeTemporaryExpr, ImplicitCastExpr, CXXBindTemporaryExpr, CXXConstructExpr, ParenExpr,
                 ExprWithCleanups, CXXFunctionalCastExpr>(Outer))
          break;
      }
      break;
    }
    const Stmt *Child = Stack[J + 1].S;
    if (const auto *CS = dyn_cast<CompoundStmt>(F.S)) {
      for (const LockRef &L : heldBefore(CS, Child))
        hold(H.locks, L);
    } else if (const auto *If = dyn_cast<IfStmt>(F.S); If && If->getInit() != Child) {
      for (const LockRef &L : declaredGuards(If->getInit()))
        hold(H.locks, L);
      // The branch where a try-lock succeeded holds its mutex.
      bool Negated = false;
      if (Child == If->getThen() || Child == If->getElse())
        if (std::optional<LockRef> L = tryLocked(If->getCond(), Negated); L && (Child == If->getThen()) != Negated)
          hold(H.locks, *L);
    } else if (const auto *Sw = dyn_cast<SwitchStmt>(F.S); Sw && Sw->getInit() != Child) {
      for (const LockRef &L : declaredGuards(Sw->getInit()))
        hold(H.locks, L);
    }
  }
  std::sort(H.locks.begin(), H.locks.end());
  return H;
}

} // namespace sharedstate::extract
