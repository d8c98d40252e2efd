// The const/constexpr fix-its (see ConstFixes.h for when they are safe).
#include "ConstFixes.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>
#include <clang/Basic/SourceManager.h>

namespace sharedstate::tidy {

using namespace clang;

std::vector<FixItHint> constFixes(const ASTContext &Ctx, const std::vector<const VarDecl *> &Decls,
                                  InitKind Init) {
  if (Decls.empty())
    return {};
  const SourceManager &SM = Ctx.getSourceManager();
  for (const VarDecl *D : Decls)
    if (!SM.isInMainFile(SM.getExpansionLoc(D->getLocation())))
      return {}; // a header: other TUs may write it
  const VarDecl *Canon = Decls.front()->getCanonicalDecl();
  const VarDecl *Def = Canon->getDefinition();
  if (!Def)
    return {};
  // `static int n;` made const would have no value: a const object needs an
  // initializer unless its class allows const default-initialization.
  const Expr *Written = Def->getInit();
  const auto *Construct = dyn_cast_or_null<CXXConstructExpr>(Written ? Written->IgnoreImplicit() : nullptr);
  bool DefaultInit = !Written || (Construct && Construct->getNumArgs() == 0 && !Construct->isListInitialization() &&
                               Construct->getParenOrBraceRange().isInvalid());
  if (DefaultInit) {
    const CXXRecordDecl *RD = Ctx.getBaseElementType(Def->getType())->getAsCXXRecordDecl();
    if (!RD || !RD->allowConstDefaultInit())
      return {};
  }
  bool KeepsLinkage = Canon->isStaticLocal() || Canon->isStaticDataMember() || !Canon->isExternallyVisible() ||
                      Canon->isInline();
  for (const VarDecl *D : Decls)
    KeepsLinkage = KeepsLinkage || D->getStorageClass() == SC_Extern;
  if (!KeepsLinkage)
    return {};
  // constexpr needs one declaration (it must be on the definition) and a
  // constant initializer.
  bool Constexpr = Decls.size() == 1 && Init == InitKind::Constant && Decls.front()->getInit() &&
                   Decls.front()->getType()->isLiteralType(Ctx) && !Canon->isStaticDataMember();
  std::vector<FixItHint> Fixes;
  for (const VarDecl *D : Decls) {
    QualType T = D->getType();
    if (T->isReferenceType() || T->isDependentType() || D->getDeclContext()->isDependentContext() ||
        D->getLocation().isMacroID() || D->getTypeSpecStartLoc().isMacroID() || D->getTypeSpecStartLoc().isInvalid())
      return {};
    // `int a, b;`: a keyword before the type would change both.
    for (const Decl *Other : D->getDeclContext()->decls())
      if (const auto *OV = dyn_cast<VarDecl>(Other);
          OV && OV != D && OV->getTypeSpecStartLoc() == D->getTypeSpecStartLoc())
        return {};
    if (Constexpr)
      Fixes.push_back(FixItHint::CreateInsertion(D->getTypeSpecStartLoc(), "constexpr "));
    else if (Ctx.getBaseElementType(T)->isPointerType())
      Fixes.push_back(FixItHint::CreateInsertion(D->getLocation(), "const ")); // char *const p
    else
      Fixes.push_back(FixItHint::CreateInsertion(D->getTypeSpecStartLoc(), "const "));
  }
  return Fixes;
}

} // namespace sharedstate::tidy
