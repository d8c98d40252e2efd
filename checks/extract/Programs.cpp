// Main's statements (see Programs.h).
#include "extract/Programs.h"

#include "extract/TUContext.h"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>

namespace sharedstate::extract {

using namespace clang;

namespace {
/// A local that holds its own object: by value, or through a pointer to
/// an object made right there (`new`, std::make_shared, std::make_unique).
/// A pointer from a factory (`c.get_connection()`) is someone else's object.
bool ownsItsObject(const VarDecl *V) {
  QualType T = V->getType();
  if (T->isReferenceType())
    return false;
  const Expr *Init = V->getInit() ? V->getInit()->IgnoreImplicit() : nullptr;
  const auto *Class = T->getAsCXXRecordDecl();
  bool Smart = Class && Class->getDeclName().isIdentifier() &&
               (Class->getName() == "shared_ptr" || Class->getName() == "unique_ptr");
  if (!T->isPointerType() && !Smart)
    return true; // the object itself
  if (!Init)
    return false;
  if (const auto *C = dyn_cast<CXXConstructExpr>(Init); C && C->getNumArgs() == 1)
    Init = C->getArg(0)->IgnoreImplicit();
  if (isa<CXXNewExpr>(Init))
    return true;
  if (const auto *Call = dyn_cast<CallExpr>(Init))
    if (const FunctionDecl *F = Call->getDirectCallee(); F && F->getDeclName().isIdentifier())
      return F->getName() == "make_shared" || F->getName() == "make_unique";
  return false;
}
} // namespace

void Programs::visitFunctionDecl(const FunctionDecl *FD) {
  if (!FD->isMain() || !FD->doesThisDeclarationHaveABody())
    return;
  const auto *Body = dyn_cast_or_null<CompoundStmt>(FD->getBody());
  if (!Body)
    return;
  ProgramMain P;
  P.function = TU.ids.functionKey(FD);
  P.file = TU.ids.mainFile();
  for (const Stmt *S : Body->body()) {
    MainStep Step;
    Step.begin = TU.ids.location(S->getBeginLoc());
    Step.end = TU.ids.location(S->getEndLoc());
    std::set<std::string> Callees;
    scan(S, Step, Callees);
    Step.callees.assign(Callees.begin(), Callees.end());
    P.steps.push_back(std::move(Step));
  }
  P.locals.assign(Locals.begin(), Locals.end());
  Locals.clear();
  Found.push_back(std::move(P));
}

std::string Programs::objectOf(const Stmt *Object) {
  const auto *E = dyn_cast_or_null<Expr>(Object);
  if (!E)
    return "";
  E = E->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_Deref)
    E = UO->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl()))
      return TU.variables.isShared(V) ? TU.ids.variableKey(TU.ids.canonicalVariable(V)) : TU.ids.declKey(V);
  // drogon::app().registerHandler(...); drogon::app().run();
  if (const auto *Call = dyn_cast<CallExpr>(E))
    if (const FunctionDecl *F = Call->getDirectCallee())
      return TU.ids.functionKey(F);
  return "";
}

void Programs::scan(const Stmt *S, MainStep &Step, std::set<std::string> &Callees) {
  if (!S || isa<LambdaExpr>(S))
    return;
  if (const auto *Call = dyn_cast<CallExpr>(S))
    if (const FunctionDecl *F = Call->getDirectCallee()) {
      if (!TU.ids.inSystemHeader(F->getLocation()))
        Callees.insert(TU.ids.functionKey(F));
      const std::string Name = TU.listed.listName(F);
      const bool Loop = TU.listed.has(TU.options.eventLoopFunctions, Name);
      Step.eventLoop = Step.eventLoop || Loop;
      Step.serverLoop = Step.serverLoop || Loop || TU.listed.has(TU.options.serverLoopFunctions, Name);
      Step.joins = Step.joins || TU.listed.has(TU.options.joinFunctions, Name);
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call)) {
        bool Registers = false;
        for (unsigned I = 0; I < MC->getNumArgs(); ++I)
          Registers = Registers || (TU.listed.keepsCallable(F, I) && !TU.roots.callableOf(MC->getArg(I)).empty());
        if (std::string O = objectOf(MC->getImplicitObjectArgument()); !O.empty())
          (Registers ? Step.registers : Step.uses).push_back(O);
      }
    }
  if (const auto *DS = dyn_cast<DeclStmt>(S))
    for (const Decl *D : DS->decls())
      if (const auto *V = dyn_cast<VarDecl>(D); V && V->hasLocalStorage() && ownsItsObject(V))
        if (const CXXRecordDecl *RD = TU.classes.instanceClass(V->getType()))
          Locals.insert(TU.classes.note(RD));
  if (const auto *CE = dyn_cast<CXXConstructExpr>(S))
    if (const CXXConstructorDecl *F = CE->getConstructor(); F && !TU.ids.inSystemHeader(F->getLocation()))
      Callees.insert(TU.ids.functionKey(F));
  for (const Stmt *Child : S->children())
    scan(Child, Step, Callees);
}

} // namespace sharedstate::extract
