// Questions about the path from the translation unit to a node (see Ancestors.h).
#include "extract/Ancestors.h"

#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>

namespace sharedstate::extract {

using namespace clang;

bool Ancestors::isDirectCallee(const Expr *E) const {
  // Walk up through implicit casts and parens to the call, if any.
  size_t I = top();
  const Expr *Cur = E;
  while (I > 0) {
    const Stmt *P = Frames[I - 1].S;
    if (!P)
      return false;
    if (isa<ImplicitCastExpr, ParenExpr>(P)) {
      Cur = cast<Expr>(P);
      --I;
      continue;
    }
    if (const auto *Call = dyn_cast<CallExpr>(P))
      return Call->getCallee() == Cur;
    return false;
  }
  return false;
}

namespace {
/// A node that passes its operand's value on unchanged.
bool isValueWrapper(const Stmt *S) {
  return isa<ImplicitCastExpr, ParenExpr, MaterializeTemporaryExpr, CXXBindTemporaryExpr, ExprWithCleanups,
             CXXFunctionalCastExpr>(S);
}
} // namespace

size_t Ancestors::valueUser(size_t I) const {
  for (size_t J = I; J > 0; --J)
    if (!Frames[J - 1].S || !isValueWrapper(Frames[J - 1].S))
      return J - 1;
  return 0;
}

bool Ancestors::isCallArgument(const Expr *E) const {
  const Stmt *Cur = E;
  for (size_t I = top(); I > 0; --I) {
    const Stmt *P = Frames[I - 1].S;
    if (!P)
      return false;
    if (isValueWrapper(P) || (isa<UnaryOperator>(P) && cast<UnaryOperator>(P)->getOpcode() == UO_AddrOf)) {
      Cur = P;
      continue;
    }
    if (const auto *Call = dyn_cast<CallExpr>(P))
      return Call->getCallee() != Cur;
    if (isa<CXXConstructExpr>(P))
      return true;
    return false;
  }
  return false;
}

bool Ancestors::inUnevaluatedContext(size_t I) const {
  for (size_t J = I + 1; J > 0 && Frames[J - 1].S; --J)
    if (isa<UnaryExprOrTypeTraitExpr, CXXNoexceptExpr, CXXTypeidExpr>(Frames[J - 1].S))
      return true;
  return false;
}

} // namespace sharedstate::extract
