// The shared-variable inventory (see Variables.h).
#include "extract/Variables.h"

#include "extract/AstQueries.h"
#include "extract/Extractor.h"
#include "extract/TUContext.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Attr.h>
#include <clang/AST/DeclCXX.h>

namespace sharedstate::extract {

using namespace clang;

namespace {
InitKind initKind(const VarDecl *Def) {
  if (!Def || !Def->hasInit())
    return InitKind::None;
  const Expr *Init = Def->getInit();
  if (Def->getType()->isDependentType() || Init->isValueDependent() || Init->isTypeDependent())
    return InitKind::Dynamic;
  return Def->hasConstantInitialization() ? InitKind::Constant : InitKind::Dynamic;
}

/// T *, std::unique_ptr<T>, std::shared_ptr<T>.
bool holdsPointer(QualType T) {
  return T->isPointerType() || isStdClass(T, "unique_ptr") || isStdClass(T, "shared_ptr");
}
} // namespace

bool Variables::isShared(const VarDecl *V) {
  if (!V->hasGlobalStorage() || V->getTLSKind() != VarDecl::TLS_None || V->isConstexpr())
    return false;
  if (isa<ParmVarDecl, DecompositionDecl>(V) || V->isImplicit())
    return false;
  const VarDecl *C = TU.ids.canonicalVariable(V);
  if (C->isConstexpr() || TU.ids.inSystemHeader(C->getLocation()))
    return false;
  // The pattern of a template member is reported, never its instantiations,
  // but a variable declared inside dependent code has no meaning by itself.
  return !C->getType()->isUndeducedType();
}

std::string Variables::note(const VarDecl *V) {
  const VarDecl *Canon = TU.ids.canonicalVariable(V);
  Listed.insert(Canon);
  return TU.ids.variableKey(Canon);
}

std::optional<std::string> Variables::checkableKey(const VarDecl *V) {
  if (!isShared(V) || TU.listed.syncType(V->getType()))
    return std::nullopt;
  return TU.ids.variableKey(TU.ids.canonicalVariable(V));
}

void Variables::visitVarDecl(const VarDecl *V) {
  // The out-of-line definition of a class template's static member belongs
  // to the pattern: it is reported through the instantiations, if any.
  if (V->getDeclContext()->isDependentContext() || V->getDescribedVarTemplate() || !isShared(V))
    return;
  const VarDecl *Canon = TU.ids.canonicalVariable(V);
  Listed.insert(Canon);
  if (V->isThisDeclarationADefinition() == VarDecl::Definition && initKind(V) == InitKind::Dynamic) {
    Access A;
    A.target = AccessTarget::variable(TU.ids.variableKey(Canon));
    A.what = AccessWhat::Init;
    A.location = TU.ids.location(V->getLocation());
    A.functionKey = TU.ids.initializerKey(V);
    A.functionName = "(initializer of " + TU.ids.variableName(Canon) + ")";
    A.detail = "dynamic initializer";
    TU.mutation.addAccess(std::move(A));
  }
}

SharedVariable Variables::describe(const VarDecl *Canon) {
  SharedVariable S;
  S.key = TU.ids.variableKey(Canon);
  S.name = TU.ids.variableName(Canon);
  S.kind = Canon->isStaticLocal()          ? VarKind::FunctionLocalStatic
           : Canon->isStaticDataMember()   ? VarKind::StaticMember
                                           : VarKind::NamespaceGlobal;
  S.type = Canon->getType().getAsString(TU.ids.policy());
  const VarDecl *Def = Canon->getDefinition();
  S.isDefinition = Def != nullptr;
  // A static member is reported where the class declares it: every TU that
  // sees the class sees that line, and it is where a reader looks. Other
  // variables are reported where the object is defined.
  S.location = TU.ids.location((Def && S.kind != VarKind::StaticMember ? Def : Canon)->getLocation());
  QualType T = Canon->getType();
  S.isReference = T->isReferenceType();
  S.holdsPointer = holdsPointer(TU.ast.getBaseElementType(T.getNonReferenceType()));
  S.isConst = TU.ast.getBaseElementType(T.getNonReferenceType()).isConstQualified();
  if (auto Sync = TU.listed.syncType(T)) {
    S.isSyncPrimitive = true;
    S.syncType = *Sync;
  }
  S.hasSyncMembers = TU.listed.hasSyncMember(T);
  for (const VarDecl *R : Canon->redecls())
    S.isGuarded = S.isGuarded || R->hasAttr<GuardedByAttr>() || R->hasAttr<PtGuardedByAttr>();
  S.init = initKind(Def);
  if (const CXXRecordDecl *RD = TU.classes.instanceClass(T))
    S.classKey = TU.classes.note(RD);
  return S;
}

void Variables::emit(TUFacts &Out, DeclIndex *Index) {
  for (const VarDecl *V : Listed) {
    Out.variables.push_back(describe(V));
    if (Index)
      for (const VarDecl *R : V->redecls())
        Index->variables[Out.variables.back().key].push_back(R);
  }
}

} // namespace sharedstate::extract
