// Main's statements (see Programs.h).
#include "extract/Programs.h"

#include "extract/AstQueries.h"
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
  if (std::optional<ProgramMain> P = stepsOf(FD)) {
    P->locals.assign(Locals.begin(), Locals.end());
    Found.push_back(std::move(*P));
  }
  Locals.clear();
}

std::optional<ProgramMain> Programs::stepsOf(const FunctionDecl *FD) {
  const auto *Body = dyn_cast_or_null<CompoundStmt>(FD->getBody());
  if (!Body)
    return std::nullopt;
  ProgramMain P;
  P.function = TU.ids.functionKey(FD);
  P.file = TU.ids.mainFile();
  for (const Stmt *S : Body->body()) {
    MainStep Step;
    Top = S;
    Step.begin = TU.ids.location(S->getBeginLoc());
    Step.end = TU.ids.location(S->getEndLoc());
    std::set<std::string> Callees;
    scan(S, Step, Callees);
    Step.callees.assign(Callees.begin(), Callees.end());
    P.steps.push_back(std::move(Step));
  }
  return P;
}

void Programs::emit(TUFacts &Out) {
  Out.programs = std::move(Found);
  // The statements of the other functions that start threads: which of
  // those threads they join.
  for (const FunctionDecl *FD : TU.roots.threadStarters())
    if (FD->hasBody())
      if (std::optional<ProgramMain> P = stepsOf(FD->getDefinition()))
        Out.starters.push_back(std::move(*P));
  Locals.clear();
}

std::string Programs::identityOf(const VarDecl *V) const {
  return TU.variables.isShared(V) ? TU.ids.variableKey(TU.ids.canonicalVariable(V)) : TU.ids.declKey(V);
}

std::string Programs::handleOf(const Expr *E) const {
  for (int Depth = 0; E && Depth < 8; ++Depth) {
    E = E->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && (UO->getOpcode() == UO_AddrOf || UO->getOpcode() == UO_Deref)) {
      E = UO->getSubExpr();
    } else if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
      E = AS->getBase();
    } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E)) {
      if (Op->getOperator() != OO_Subscript && Op->getOperator() != OO_Arrow && Op->getOperator() != OO_Star)
        return "";
      E = Op->getArg(0);
    } else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      const CXXMethodDecl *M = MC->getMethodDecl();
      if (!M || !M->getDeclName().isIdentifier() ||
          !(M->getName() == "at" || M->getName() == "front" || M->getName() == "back" || M->getName() == "get"))
        return "";
      E = MC->getImplicitObjectArgument();
    } else if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
      if (!V)
        return "";
      if (auto It = RangeOf.find(V); It != RangeOf.end())
        return It->second;
      return identityOf(V);
    } else {
      return "";
    }
  }
  return "";
}

void Programs::noteJoin(const CallExpr *Call, MainStep &Step) const {
  const Expr *Handle = nullptr;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
    Handle = MC->getImplicitObjectArgument();
  else if (Call->getNumArgs() > 0)
    Handle = Call->getArg(0); // pthread_join(t, ...), thrd_join(t, ...)
  if (std::string H = handleOf(Handle); !H.empty())
    Step.joined.push_back(std::move(H));
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
      return identityOf(V);
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
      if (TU.listed.has(TU.options.joinFunctions, Name) ||
          TU.listed.has(TU.options.joinFunctions, TU.listed.listNameOnObject(Call))) {
        Step.joins = true;
        noteJoin(Call, Step);
      }
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call)) {
        bool Registers = false;
        for (unsigned I = 0; I < MC->getNumArgs(); ++I)
          Registers = Registers || (TU.listed.keepsCallable(F, I) && !TU.roots.callableOf(MC->getArg(I)).empty());
        if (std::string O = objectOf(MC->getImplicitObjectArgument()); !O.empty())
          (Registers ? Step.registers : Step.uses).push_back(O);
      }
    }
  if (const auto *For = dyn_cast<CXXForRangeStmt>(S))
    if (std::string H = handleOf(For->getRangeInit()); !H.empty())
      RangeOf[For->getLoopVariable()] = std::move(H);
  if (const auto *DS = dyn_cast<DeclStmt>(S))
    for (const Decl *D : DS->decls()) {
      const auto *V = dyn_cast<VarDecl>(D);
      if (!V || !V->hasLocalStorage())
        continue;
      if (ownsItsObject(V))
        if (const CXXRecordDecl *RD = TU.classes.instanceClass(V->getType()))
          Locals.insert(TU.classes.note(RD));
      // A std::jthread, or std::async's future, that a block inside the
      // statement declares is joined when the block ends, inside the statement.
      if (S != Top && (isStdClass(V->getType(), "jthread") || isStdClass(V->getType(), "future")))
        Step.joined.push_back(identityOf(V));
    }
  if (const auto *CE = dyn_cast<CXXConstructExpr>(S))
    if (const CXXConstructorDecl *F = CE->getConstructor(); F && !TU.ids.inSystemHeader(F->getLocation()))
      Callees.insert(TU.ids.functionKey(F));
  for (const Stmt *Child : S->children())
    scan(Child, Step, Callees);
}

} // namespace sharedstate::extract
