// Functions, call edges and contexts (see CallGraph.h).
#include "extract/CallGraph.h"

#include "extract/AstQueries.h"
#include "extract/TUContext.h"

#include <clang/AST/Attr.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>

#include <algorithm>

namespace sharedstate::extract {

using namespace clang;

Function &CallGraph::function(const FunctionDecl *FD) {
  std::string Key = TU.ids.functionKey(FD);
  auto It = Functions.find(Key);
  if (It == Functions.end()) {
    Function F;
    F.key = Key;
    F.name = TU.ids.functionName(FD);
    F.enclosing = TU.ids.enclosingKey(FD);
    F.isMain = FD->isMain();
    F.signature = FD->getType().getCanonicalType().getAsString(TU.ids.policy());
    // __attribute__((constructor)) runs before main, like a static
    // initializer; nothing else calls it.
    F.isInitializer = FD->hasAttr<ConstructorAttr>();
    F.isExternal = FD->isExternallyVisible() && !F.isMain && !F.isInitializer;
    if (const auto *MD = dyn_cast<CXXMethodDecl>(FD); MD && !MD->isStatic() && !MD->getParent()->isLambda()) {
      F.memberOf = TU.ids.declKey(MD->getParent());
      F.isStructor = isa<CXXConstructorDecl, CXXDestructorDecl>(MD);
      F.isCallOperator = MD->getOverloadedOperator() == OO_Call;
      F.isPublic = MD->getAccess() == AS_public && !F.isStructor && !MD->isCopyAssignmentOperator() &&
                   !MD->isMoveAssignmentOperator();
      F.isVirtual = MD->isVirtual();
      for (const CXXMethodDecl *O : MD->overridden_methods())
        F.overrides.push_back(TU.ids.functionKey(O));
      std::sort(F.overrides.begin(), F.overrides.end());
    }
    It = Functions.emplace(Key, std::move(F)).first;
  }
  return It->second;
}

Function *CallGraph::known(const std::string &Key) {
  auto It = Functions.find(Key);
  return It == Functions.end() ? nullptr : &It->second;
}

Context CallGraph::contextAt(size_t I) {
  const Ancestors &Stack = TU.stack;
  for (size_t J = I + 1; J-- > 0;) {
    const Frame &F = Stack[J];
    if (const auto *L = dyn_cast_or_null<LambdaExpr>(F.S)) {
      const CXXMethodDecl *Op = L->getCallOperator();
      return {TU.ids.functionKey(Op), function(Op).name, Op};
    }
    if (!F.D)
      continue;
    if (const auto *FD = dyn_cast<FunctionDecl>(F.D))
      return {TU.ids.functionKey(FD), function(FD).name, FD};
    if (const auto *V = dyn_cast<VarDecl>(F.D); V && V->hasGlobalStorage()) {
      std::string Key = TU.ids.initializerKey(V);
      auto It = Functions.find(Key);
      if (It == Functions.end()) {
        Function Fn;
        Fn.key = Key;
        Fn.name = "(initializer of " + TU.ids.variableName(TU.ids.canonicalVariable(V)) + ")";
        // thread_local initializers run in each thread, at run time.
        Fn.isInitializer = V->getTLSKind() == VarDecl::TLS_None;
        It = Functions.emplace(Key, std::move(Fn)).first;
      }
      return {Key, It->second.name, nullptr};
    }
    if (const auto *FD = dyn_cast<FieldDecl>(F.D)) {
      std::string Key = "dmi:" + TU.ids.declKey(FD->getParent());
      Function &Fn = Functions[Key];
      Fn.key = Key;
      Fn.name = "(member initializers of " + FD->getParent()->getNameAsString() + ")";
      return {Key, Fn.name, nullptr};
    }
  }
  return {"<none>", "(unknown)", nullptr};
}

void CallGraph::addEdge(const FunctionDecl *Callee, bool OnThis) {
  size_t I = TU.stack.top();
  Context C = contextAt(I);
  Held H = TU.locks.heldAt(I);
  Edges.insert({C.key, TU.ids.functionKey(Callee), H.sync(), std::move(H.locks), OnThis, TU.handOff.at(I)});
}

void CallGraph::addEdgeTo(const std::string &Callee, bool Once) {
  size_t I = TU.stack.top();
  Context C = contextAt(I);
  Held H = TU.locks.heldAt(I);
  const Sync S = H.anyExclusive() || !Once ? H.sync() : Sync::Once;
  Edges.insert({C.key, Callee, S, std::move(H.locks), false, TU.handOff.at(I)});
}

void CallGraph::visitFunctionDecl(const FunctionDecl *FD) {
  if (!FD->doesThisDeclarationHaveABody())
    return;
  Function &F = function(FD);
  F.hasBody = true;
  if (const auto *Body = dyn_cast_or_null<CompoundStmt>(FD->getBody())) {
    F.bodyLocks = TU.locks.heldThroughout(Body);
    if (const auto *MD = dyn_cast<CXXMethodDecl>(FD); MD && MD->isInstance())
      F.ownLocks = TU.locks.ownLocksTaken(Body);
  }
}

void CallGraph::visitDeclRef(const DeclRefExpr *E) {
  const auto *FD = dyn_cast<FunctionDecl>(E->getDecl());
  if (!FD || TU.stack.isDirectCallee(E) || TU.ids.inSystemHeader(FD->getLocation()))
    return;
  if (!TU.stack.isCallArgument(E) && !TU.roots.signalHandlerStored(E))
    function(FD).isEntry = true; // its address escapes: callable from anywhere
}

void CallGraph::visitConstruct(const CXXConstructExpr *E) {
  const CXXConstructorDecl *Ctor = E->getConstructor();
  if (!Ctor || TU.ids.inSystemHeader(Ctor->getLocation()))
    return;
  addEdge(Ctor);
  // In-class member initializers run inside the constructor.
  const CXXRecordDecl *RD = Ctor->getParent();
  for (const FieldDecl *FD : RD->fields())
    if (FD->hasInClassInitializer()) {
      Edges.insert({TU.ids.functionKey(Ctor), "dmi:" + TU.ids.declKey(RD), Sync::None, {}, true, {}});
      break;
    }
}

void CallGraph::visitLambda(const LambdaExpr *E) { function(E->getCallOperator()); }

void CallGraph::visitIndirectCall(const CallExpr *E) {
  QualType T = E->getCallee()->IgnoreParenImpCasts()->getType();
  if (const auto *P = T->getAs<PointerType>())
    T = P->getPointeeType();
  else if (const auto *M = T->getAs<MemberPointerType>())
    T = M->getPointeeType();
  else if (T->isReferenceType())
    T = T.getNonReferenceType();
  if (!T->isFunctionType())
    return;
  Indirect.emplace(contextAt(TU.stack.top()).key, T.getCanonicalType().getAsString(TU.ids.policy()));
}

void CallGraph::visitCall(const FunctionDecl *Callee) {
  if (!Callee->getDeclName().isIdentifier() && !isa<CXXMethodDecl>(Callee))
    return;
  if (!TU.listed.has(TU.options.eventLoopFunctions, TU.listed.listName(Callee)))
    return;
  if (Function *F = known(contextAt(TU.stack.top()).key))
    F->runsEventLoop = true;
}

void CallGraph::visitStdFunctionCall(const CXXMethodDecl *Callee) {
  if (Callee->getOverloadedOperator() != OO_Call)
    return;
  std::string Signature = stdFunctionSignature(Callee->getParent(), TU.ids.policy());
  if (!Signature.empty())
    Indirect.emplace(contextAt(TU.stack.top()).key, stdFunctionCall(Signature));
}

void CallGraph::emit(TUFacts &Out) {
  for (auto &Entry : Functions)
    Out.functions.push_back(std::move(Entry.second));
  Out.edges.assign(Edges.begin(), Edges.end());
  for (const auto &[Caller, Signature] : Indirect)
    Out.indirectCalls.push_back({Caller, Signature});
  std::sort(Out.functions.begin(), Out.functions.end(),
            [](const Function &A, const Function &B) { return A.key < B.key; });
}

} // namespace sharedstate::extract
