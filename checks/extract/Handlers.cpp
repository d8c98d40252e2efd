// Handler instances (see Handlers.h).
#include "extract/Handlers.h"

#include "extract/AstQueries.h"
#include "extract/TUContext.h"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/AST/ExprCXX.h>
#include <llvm/ADT/STLExtras.h>

#include <set>

namespace sharedstate::extract {

using namespace clang;

namespace {

bool hasCallOperator(const CXXRecordDecl *RD) {
  for (const CXXMethodDecl *M : RD->methods())
    if (M->getOverloadedOperator() == OO_Call)
      return true;
  for (const Decl *D : RD->decls())
    if (const auto *T = dyn_cast<FunctionTemplateDecl>(D); T && T->getTemplatedDecl()->getOverloadedOperator() == OO_Call)
      return true;
  return false;
}

/// A short name for a registered expression: the variable, or what it is.
std::string spelled(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_AddrOf)
    E = UO->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return DRE->getDecl()->getNameAsString();
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return ME->getMemberDecl()->getNameAsString();
  return "an object";
}

/// Through the conversions into std::function, temporaries and std::move
/// (std::ref is what registeredIn looks for, so it stays).
const Expr *registeredValue(const Expr *A) { return unwrapValue(A, {"move", "forward"}); }

} // namespace

void Handlers::visitRecord(const CXXRecordDecl *RD) {
  if (!RD->isThisDeclarationADefinition() || RD->isLambda() || RD->isDependentContext() ||
      isa<ClassTemplatePartialSpecializationDecl>(RD))
    return;
  if (auto Base = TU.listed.baseIn(RD, TU.options.handlerBaseClasses)) {
    HandlerInstance H;
    H.classKey = TU.classes.note(RD);
    H.kind = InstanceKind::Controller;
    H.via = *Base;
    H.location = TU.ids.location(RD->getLocation());
    H.entryRule = EntryRule::PublicMethods;
    Instances.push_back(std::move(H));
  }
}

/// A call that keeps a handler for the life of the process (a listed
/// registration function, or a non-const member function taking a
/// std::function: a registry storing it), or that returns the process's
/// one instance of a class (a listed accessor).
void Handlers::visitCall(const CallExpr *E, const FunctionDecl *Callee) {
  if (!Callee->getDeclName().isIdentifier() && Callee->getOverloadedOperator() != OO_Call)
    return;
  std::string Name = TU.listed.listName(Callee);
  if (TU.listed.has(TU.options.singletonAccessors, Name))
    return accessorCall(E, Name);
  bool Listed = TU.listed.has(TU.options.registrationFunctions, Name);
  const auto *MD = dyn_cast<CXXMethodDecl>(Callee);
  bool Registry = MD && !MD->isStatic() && !MD->isConst();
  if (Listed || Registry)
    registrationCall(E, Callee, Name, Listed);
}

void Handlers::accessorCall(const CallExpr *E, const std::string &Name) {
  const CXXRecordDecl *RD = TU.classes.instanceClass(E->getType());
  if (!RD)
    return;
  HandlerInstance H;
  H.classKey = TU.classes.note(RD);
  H.kind = InstanceKind::Accessor;
  H.via = Name;
  H.location = TU.ids.location(E->getBeginLoc());
  H.entryRule = EntryRule::PublicMethods;
  Instances.push_back(std::move(H));
}

void Handlers::registrationCall(const CallExpr *E, const FunctionDecl *Callee, const std::string &Name,
                                bool Listed) {
  const auto *MD = dyn_cast<CXXMethodDecl>(Callee);
  unsigned Offset = isa<CXXOperatorCallExpr>(E) && MD ? 1 : 0; // the object is argument 0
  std::vector<Registered> Found;
  for (unsigned I = Offset; I < E->getNumArgs(); ++I) {
    unsigned P = I - Offset;
    bool TakesFunction = P < Callee->getNumParams() && isStdFunctionType(Callee->getParamDecl(P)->getType());
    if (!Listed && !TakesFunction)
      continue;
    registeredIn(E->getArg(I), Found);
  }
  // Routes::bind(&Api::get, this): the member function is the entry point,
  // and the object passed with it is the same instance, not another one.
  const Context Where = TU.calls.contextAt(TU.stack.top());
  const bool InMain = Where.function && Where.function->isMain();
  std::set<std::string> BoundClasses;
  for (const Registered &R : Found)
    if (!R.entries.empty() && R.held == HeldAs::MemberFunction)
      BoundClasses.insert(TU.ids.declKey(R.cls));
  for (Registered &R : Found) {
    if (R.entries.empty() && BoundClasses.count(TU.ids.declKey(R.cls)))
      continue;
    HandlerInstance H;
    H.classKey = TU.classes.note(R.cls);
    H.kind = InstanceKind::Registration;
    H.held = R.held;
    H.subject = std::move(R.subject);
    H.via = Name;
    H.location = TU.ids.location(R.where);
    H.entries = std::move(R.entries);
    H.generic = !Listed;
    H.inMain = InMain;
    if (H.entries.empty())
      H.entryRule = hasCallOperator(R.cls) ? EntryRule::CallOperators : EntryRule::PublicMethods;
    Instances.push_back(std::move(H));
  }
}

/// What the registered argument A keeps alive: a functor (by copy, pointer,
/// std::ref or shared_ptr), a lambda's captured objects, a member function
/// with its object (std::bind, Pistache's bind).
void Handlers::registeredIn(const Expr *A, std::vector<Registered> &Out, int Depth) {
  if (!A || Depth > 4)
    return;
  A = registeredValue(A);
  if (isa<LambdaExpr>(A))
    return capturedBy(A, Out);
  if (const auto *Call = dyn_cast<CallExpr>(A)) {
    const FunctionDecl *F = Call->getDirectCallee();
    if (isStdFunction(F, {"bind", "bind_front"})) {
      for (const Expr *Arg : Call->arguments())
        registeredIn(Arg, Out, Depth + 1);
      return;
    }
    if (isStdFunction(F, {"ref", "cref"}) && Call->getNumArgs() == 1) {
      if (const CXXRecordDecl *RD = TU.classes.instanceClass(Call->getArg(0)->getType()))
        Out.push_back({RD, F->getName() == "ref" ? HeldAs::StdRef : HeldAs::StdCref, spelled(Call->getArg(0)),
                       A->getBeginLoc(), {}});
      return;
    }
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(A); UO && UO->getOpcode() == UO_AddrOf)
    if (const auto *DRE = dyn_cast<DeclRefExpr>(UO->getSubExpr()->IgnoreParens()))
      if (const auto *M = dyn_cast<CXXMethodDecl>(DRE->getDecl()); M && !M->isStatic()) {
        const CXXRecordDecl *RD = M->getParent()->getDefinition();
        if (RD && !TU.ids.inSystemHeader(RD->getLocation()))
          Out.push_back({RD, HeldAs::MemberFunction, M->getNameAsString(), A->getBeginLoc(), {TU.ids.functionKey(M)}});
        return;
      }
  QualType T = A->getType();
  const CXXRecordDecl *RD = TU.classes.instanceClass(T);
  if (!RD)
    return;
  HeldAs Held = isa<CXXThisExpr>(A)             ? HeldAs::This
                : T->isPointerType()            ? HeldAs::Pointer
                : T->getAsCXXRecordDecl() != RD ? HeldAs::SmartPointer
                                                : HeldAs::Object;
  Out.push_back({RD, Held, Held == HeldAs::This ? std::string() : spelled(A), A->getBeginLoc(), {}});
}

/// A registered lambda keeps what it captures by reference or pointer (and
/// `this`), and its own copies when it is mutable.
void Handlers::capturedBy(const Expr *E, std::vector<Registered> &Out) {
  const auto *L = cast<LambdaExpr>(E);
  std::string Entry = TU.ids.functionKey(L->getCallOperator());
  for (const auto &[Capture, Init] : llvm::zip(L->captures(), L->capture_inits())) {
    if (Capture.capturesThis()) {
      if (const CXXRecordDecl *RD = Init ? TU.classes.instanceClass(Init->getType()) : nullptr)
        Out.push_back({RD, HeldAs::ThisCaptured, "", Capture.getLocation(), {Entry}});
      continue;
    }
    if (!Capture.capturesVariable())
      continue;
    const ValueDecl *V = Capture.getCapturedVar();
    QualType T = V->getType();
    bool ByRef = Capture.getCaptureKind() == LCK_ByRef || T->isReferenceType();
    const CXXRecordDecl *RD = TU.classes.instanceClass(T);
    // A copy of an object lives in the lambda: writable only if mutable.
    bool Shares = ByRef || T->isPointerType() || (RD && T->getAsCXXRecordDecl() != RD) || L->isMutable();
    if (RD && Shares)
      Out.push_back({RD, ByRef ? HeldAs::CapturedByReference : HeldAs::CapturedByCopy, V->getNameAsString(),
                     Capture.getLocation(), {Entry}});
  }
}

} // namespace sharedstate::extract
