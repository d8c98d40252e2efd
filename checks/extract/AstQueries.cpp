// See AstQueries.h.
#include "extract/AstQueries.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/Stmt.h>

#include <algorithm>

namespace sharedstate::extract {

using namespace clang;

const Expr *ignoreTransparent(const Expr *E) { return E ? E->IgnoreParenImpCasts() : nullptr; }

bool isPointerToMutable(QualType T) {
  if (const auto *P = T->getAs<PointerType>())
    return !P->getPointeeType().isConstQualified() && !P->getPointeeType()->isFunctionType();
  return false;
}

bool isMutableLValueRef(QualType T) {
  if (const auto *R = T->getAs<LValueReferenceType>())
    return !R->getPointeeType().isConstQualified();
  return false;
}

bool isMutableReference(QualType T) {
  return T->isReferenceType() && !T.getNonReferenceType().isConstQualified();
}

bool isPointerLikeClass(QualType T) {
  const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition())
    return false;
  ASTContext &Ctx = RD->getASTContext();
  for (OverloadedOperatorKind K : {OO_Star, OO_Arrow})
    if (!RD->lookup(Ctx.DeclarationNames.getCXXOperatorName(K)).empty())
      return true;
  return false;
}

bool isAssignmentOperator(OverloadedOperatorKind K) {
  switch (K) {
  case OO_Equal:
  case OO_PlusEqual:
  case OO_MinusEqual:
  case OO_StarEqual:
  case OO_SlashEqual:
  case OO_PercentEqual:
  case OO_CaretEqual:
  case OO_AmpEqual:
  case OO_PipeEqual:
  case OO_LessLessEqual:
  case OO_GreaterGreaterEqual:
    return true;
  default:
    return false;
  }
}

bool isStdFunction(const FunctionDecl *F, std::initializer_list<llvm::StringRef> Names) {
  if (!F || !F->isInStdNamespace() || !F->getDeclName().isIdentifier())
    return false;
  for (llvm::StringRef N : Names)
    if (F->getName() == N)
      return true;
  return false;
}

const Expr *unwrapValue(const Expr *A, std::initializer_list<llvm::StringRef> Through) {
  for (;;) {
    A = A->IgnoreParenImpCasts();
    if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(A))
      A = M->getSubExpr();
    else if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(A))
      A = B->getSubExpr();
    else if (const auto *C = dyn_cast<ExprWithCleanups>(A))
      A = C->getSubExpr();
    else if (const auto *F = dyn_cast<CXXFunctionalCastExpr>(A))
      A = F->getSubExpr();
    else if (const auto *C = dyn_cast<CXXConstructExpr>(A); C && C->getNumArgs() >= 1 && !isa<CXXTemporaryObjectExpr>(C))
      A = C->getArg(0);
    else if (const auto *Call = dyn_cast<CallExpr>(A);
             Call && Call->getNumArgs() == 1 && isStdFunction(Call->getDirectCallee(), Through))
      A = Call->getArg(0);
    else
      return A;
  }
}

bool isStdFunctionClass(const CXXRecordDecl *RD) {
  return RD && RD->isInStdNamespace() && RD->getDeclName().isIdentifier() &&
         (RD->getName() == "function" || RD->getName() == "move_only_function" ||
          RD->getName() == "copyable_function");
}

bool isStdClass(QualType T, llvm::StringRef Name) {
  const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  return RD && RD->isInStdNamespace() && RD->getDeclName().isIdentifier() && RD->getName() == Name;
}

bool isStdFunctionType(QualType T) { return isStdFunctionClass(T.getNonReferenceType()->getAsCXXRecordDecl()); }

std::string stdFunctionSignature(const CXXRecordDecl *RD, const PrintingPolicy &Policy) {
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(RD);
  if (!Spec || !isStdFunctionClass(Spec) || Spec->getTemplateArgs().size() == 0 ||
      Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return {};
  return Spec->getTemplateArgs()[0].getAsType().getCanonicalType().getAsString(Policy);
}

bool isForwardingReference(const FunctionDecl *F, unsigned Param) {
  const FunctionTemplateDecl *Primary = F ? F->getPrimaryTemplate() : nullptr;
  const FunctionDecl *Pattern = Primary ? Primary->getTemplatedDecl() : nullptr;
  if (!Pattern || Pattern->getNumParams() == 0)
    return false;
  // Arguments past the last parameter belong to a trailing pack (Args&&...).
  unsigned Last = Pattern->getNumParams() - 1;
  if (Param > Last && !Pattern->getParamDecl(Last)->isParameterPack())
    return false;
  QualType T = Pattern->getParamDecl(std::min(Param, Last))->getType();
  if (const auto *Pack = T->getAs<PackExpansionType>())
    T = Pack->getPattern();
  if (const auto *R = T->getAs<RValueReferenceType>())
    return !R->getPointeeType().isConstQualified() && R->getPointeeType()->isTemplateTypeParmType();
  return false;
}

bool isAtomicLoad(const AtomicExpr *E) {
  switch (E->getOp()) {
  case AtomicExpr::AO__atomic_load:
  case AtomicExpr::AO__atomic_load_n:
  case AtomicExpr::AO__c11_atomic_load:
    return true;
  default:
    return false;
  }
}

bool isAtomicStore(const AtomicExpr *E) {
  switch (E->getOp()) {
  case AtomicExpr::AO__atomic_store:
  case AtomicExpr::AO__atomic_store_n:
  case AtomicExpr::AO__c11_atomic_store:
    return true;
  default:
    return false;
  }
}

bool isFunctionBoundary(const Decl *D) {
  if (isa<FunctionDecl, FieldDecl>(D))
    return true;
  const auto *V = dyn_cast<VarDecl>(D);
  return V && V->hasGlobalStorage();
}

bool alwaysExits(const Stmt *S) {
  if (const auto *CS = dyn_cast_or_null<CompoundStmt>(S))
    return !CS->body_empty() && alwaysExits(CS->body_back());
  if (const auto *E = dyn_cast_or_null<Expr>(S))
    return isa<CXXThrowExpr>(E->IgnoreImplicit());
  return isa_and_nonnull<ReturnStmt, BreakStmt, ContinueStmt, GotoStmt>(S);
}

} // namespace sharedstate::extract
