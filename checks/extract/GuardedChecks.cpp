// Lazy-initialization checks (see GuardedChecks.h).
#include "extract/GuardedChecks.h"

#include "extract/AstQueries.h"
#include "extract/TUContext.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>

#include <algorithm>

namespace sharedstate::extract {

using namespace clang;

namespace {

bool isNullConstant(const Expr *E, ASTContext &Ctx) {
  E = E->IgnoreParenImpCasts();
  if (isa<CXXNullPtrLiteralExpr, GNUNullExpr>(E))
    return true;
  if (const auto *B = dyn_cast<CXXBoolLiteralExpr>(E))
    return !B->getValue();
  if (const auto *I = dyn_cast<IntegerLiteral>(E))
    return I->getValue() == 0;
  return E->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull) != Expr::NPCK_NotNull;
}

bool terminates(const Stmt *S) {
  if (const auto *CS = dyn_cast_or_null<CompoundStmt>(S))
    S = CS->body_empty() ? nullptr : CS->body_back();
  return isa_and_nonnull<ReturnStmt, CXXThrowExpr, BreakStmt, ContinueStmt, GotoStmt>(S);
}

std::optional<AccessTarget> variableTarget(std::optional<std::string> Key) {
  return Key ? std::optional<AccessTarget>(AccessTarget::variable(std::move(*Key))) : std::nullopt;
}

bool exclusive(const std::vector<LockRef> &Locks) {
  return std::any_of(Locks.begin(), Locks.end(), [](const LockRef &L) { return !L.shared; });
}

CheckKind valueCheck(const Expr *E) {
  return E->IgnoreParenImpCasts()->getType()->isBooleanType() ? CheckKind::Flag : CheckKind::Nullness;
}

} // namespace

/// `if (<v is unset>) { ... }` and `if (<v is set>) return v; ...`: record
/// the check and the region that runs when v is unset.
void GuardedChecks::visitIf(const IfStmt *If) {
  const Ancestors &Stack = TU.stack;
  if (If->isConstexpr() || Stack.empty() || Stack.back().S != If)
    return;
  auto T = testedVariable(If->getCond());
  if (!T)
    return;
  const Stmt *Region = T->unsetWhenTrue ? If->getThen() : If->getElse();
  // The statements that run when it is unset, with the lock held before each.
  std::vector<std::pair<const Stmt *, bool>> Parts;
  if (Region) {
    Parts.emplace_back(Region, false);
  } else if (!T->unsetWhenTrue && terminates(If->getThen()) && Stack.size() >= 2) {
    // `if (p) return p;` guards the rest of the block.
    if (const auto *CS = dyn_cast_or_null<CompoundStmt>(Stack[Stack.size() - 2].S)) {
      bool After = false;
      for (const Stmt *S : CS->body()) {
        if (After)
          Parts.emplace_back(S, exclusive(TU.locks.heldBefore(CS, S)));
        After = After || S == If;
      }
    }
  }
  if (Parts.empty())
    return;
  GuardedCheck G;
  G.target = T->target;
  G.kind = T->kind;
  G.location = TU.ids.location(T->mention);
  Context C = TU.calls.contextAt(Stack.top());
  G.functionKey = C.key;
  G.functionName = C.name;
  G.sync = TU.locks.heldAt(Stack.top()).sync();
  G.regionBegin = TU.ids.location(Parts.front().first->getBeginLoc());
  G.regionEnd = TU.ids.location(Parts.back().first->getEndLoc());
  std::set<std::string> Callees;
  for (const auto &[Part, Held] : Parts)
    scanRegion(Part, *T, Held, Callees, G.doubleChecked);
  G.callees.assign(Callees.begin(), Callees.end());
  Checks.push_back(std::move(G));
}

/// The shared object an expression designates, directly or through its
/// fields: a shared variable (`v`, `reg.items`, `reg_ptr->items`), or what
/// a function returning a non-const reference hands out (`registry().items`,
/// a CallResult target, resolved to variables in classification).
/// Synchronization objects are not checks: testing an atomic is how lazy
/// initialization is done right.
std::optional<AccessTarget> GuardedChecks::sharedIn(const Expr *E) {
  E = E ? E->IgnoreParenImpCasts() : nullptr;
  if (!E || TU.listed.syncType(E->getType()))
    return std::nullopt;
  while (const auto *ME = dyn_cast<MemberExpr>(E)) {
    if (const auto *V = dyn_cast<VarDecl>(ME->getMemberDecl()))
      return variableTarget(TU.variables.checkableKey(V)); // a static member reached through an object
    if (!isa<FieldDecl>(ME->getMemberDecl()))
      return std::nullopt;
    E = ME->getBase()->IgnoreParenImpCasts();
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl()))
      return variableTarget(TU.variables.checkableKey(V));
  if (const auto *Call = dyn_cast<CallExpr>(E))
    if (const FunctionDecl *F = Call->getDirectCallee();
        F && !TU.ids.inSystemHeader(F->getLocation()) &&
        (isMutableLValueRef(F->getReturnType()) || isPointerToMutable(F->getReturnType())))
      return AccessTarget::callResult(TU.ids.functionKey(F));
  return std::nullopt;
}

/// Does Cond test that a shared variable is unset (or set)?
std::optional<GuardedChecks::Tested> GuardedChecks::testedVariable(const Expr *Cond) {
  if (!Cond)
    return std::nullopt;
  Cond = Cond->IgnoreParenImpCasts();
  if (const auto *EWC = dyn_cast<ExprWithCleanups>(Cond))
    Cond = EWC->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *Not = dyn_cast<UnaryOperator>(Cond); Not && Not->getOpcode() == UO_LNot) {
    auto T = testedVariable(Not->getSubExpr());
    if (T)
      T->unsetWhenTrue = !T->unsetWhenTrue;
    return T;
  }
  if (const auto *And = dyn_cast<BinaryOperator>(Cond); And && And->getOpcode() == BO_LAnd)
    return testedVariable(And->getLHS());
  // C++20 rewrites `a != b` and `nullptr == p` into another call.
  if (const auto *Rewritten = dyn_cast<CXXRewrittenBinaryOperator>(Cond))
    return testedVariable(Rewritten->getSemanticForm());
  // v / p / flag used as a condition: set when true.
  if (auto Key = sharedIn(Cond))
    return Tested{*Key, valueCheck(Cond), false, Cond->getExprLoc()};
  if (isa<CXXMemberCallExpr>(Cond))
    return testedByCall(Cond);
  return testedByComparison(Cond);
}

/// v.empty(), p.has_value(), v.size(), m.count(k), explicit operator bool.
std::optional<GuardedChecks::Tested> GuardedChecks::testedByCall(const Expr *Cond) {
  const auto *MC = cast<CXXMemberCallExpr>(Cond);
  auto Subject = sharedIn(MC->getImplicitObjectArgument());
  const CXXMethodDecl *M = MC->getMethodDecl();
  if (!Subject || !M)
    return std::nullopt;
  const AccessTarget &Key = *Subject;
  clang::SourceLocation L = MC->getImplicitObjectArgument()->getExprLoc();
  if (isa<CXXConversionDecl>(M))
    return Tested{Key, CheckKind::Nullness, false, L};
  if (!M->getDeclName().isIdentifier())
    return std::nullopt;
  llvm::StringRef N = M->getName();
  if (N == "empty")
    return Tested{Key, CheckKind::Emptiness, true, L};
  if (N == "has_value")
    return Tested{Key, CheckKind::Nullness, false, L};
  if (N == "size" || N == "length")
    return Tested{Key, CheckKind::Emptiness, false, L}; // non-zero size: set
  if (N == "count" || N == "contains")
    return Tested{Key, CheckKind::KeyLookup, false, L};
  return std::nullopt;
}

/// p == nullptr, flag == false, v.size() == 0, m.count(k) == 0,
/// m.find(k) == m.end(), in either order and with !=.
std::optional<GuardedChecks::Tested> GuardedChecks::testedByComparison(const Expr *Cond) {
  const auto *Cmp = dyn_cast<BinaryOperator>(Cond);
  const Expr *LHS = nullptr, *RHS = nullptr;
  bool Equal = false;
  if (Cmp && Cmp->isEqualityOp()) {
    LHS = Cmp->getLHS();
    RHS = Cmp->getRHS();
    Equal = Cmp->getOpcode() == BO_EQ;
  } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Cond);
             Op && (Op->getOperator() == OO_EqualEqual || Op->getOperator() == OO_ExclaimEqual) &&
             Op->getNumArgs() == 2) {
    LHS = Op->getArg(0);
    RHS = Op->getArg(1);
    Equal = Op->getOperator() == OO_EqualEqual;
  }
  if (!LHS)
    return std::nullopt;
  for (int Swap = 0; Swap < 2; ++Swap, std::swap(LHS, RHS)) {
    if (auto Key = sharedIn(LHS); Key && isNullConstant(RHS, TU.ast))
      return Tested{*Key, valueCheck(LHS), Equal, LHS->getExprLoc()};
    const auto *MC = dyn_cast<CXXMemberCallExpr>(LHS->IgnoreParenImpCasts());
    const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
    auto Subject = MC ? sharedIn(MC->getImplicitObjectArgument()) : std::nullopt;
    if (!Subject || !M || !M->getDeclName().isIdentifier())
      continue;
    llvm::StringRef N = M->getName();
    clang::SourceLocation L = MC->getImplicitObjectArgument()->getExprLoc();
    if ((N == "size" || N == "length" || N == "count") && isNullConstant(RHS, TU.ast))
      return Tested{*Subject, N == "count" ? CheckKind::KeyLookup : CheckKind::Emptiness, Equal, L};
    if (N == "find")
      if (const auto *End = dyn_cast<CXXMemberCallExpr>(RHS->IgnoreParenImpCasts()))
        if (End->getMethodDecl() && End->getMethodDecl()->getDeclName().isIdentifier() &&
            End->getMethodDecl()->getName() == "end" && sharedIn(End->getImplicitObjectArgument()) == Subject)
          return Tested{*Subject, CheckKind::KeyLookup, Equal, L};
  }
  return std::nullopt;
}

/// Collects the functions a guarded region calls and whether it checks the
/// same variable again under a lock (double-checked locking).
void GuardedChecks::scanRegion(const Stmt *S, const Tested &T, bool Locked, std::set<std::string> &Callees,
                               bool &DoubleChecked) {
  if (!S || isa<LambdaExpr>(S))
    return;
  if (const auto *Call = dyn_cast<CallExpr>(S))
    if (const FunctionDecl *F = Call->getDirectCallee(); F && !TU.ids.inSystemHeader(F->getLocation()))
      Callees.insert(TU.ids.functionKey(F));
  if (const auto *CE = dyn_cast<CXXConstructExpr>(S))
    if (const CXXConstructorDecl *F = CE->getConstructor(); F && !TU.ids.inSystemHeader(F->getLocation()))
      Callees.insert(TU.ids.functionKey(F));
  if (const auto *Inner = dyn_cast<IfStmt>(S); Inner && Locked)
    if (auto Again = testedVariable(Inner->getCond()); Again && Again->target == T.target)
      DoubleChecked = true;
  if (const auto *CS = dyn_cast<CompoundStmt>(S)) {
    for (const Stmt *Child : CS->body())
      scanRegion(Child, T, Locked || exclusive(TU.locks.heldBefore(CS, Child)), Callees, DoubleChecked);
    return;
  }
  for (const Stmt *Child : S->children())
    scanRegion(Child, T, Locked, Callees, DoubleChecked);
}

} // namespace sharedstate::extract
