// Extraction: from one TU's AST to plain facts, in one traversal.
//
// The traversal below is the only RecursiveASTVisitor. It decides what is
// visited (no system headers, no dependent code, the semantic form of
// braced initializers), keeps the stack of ancestors, and hands each node to
// the parts of TUContext that asked for it, in a fixed order. What each part
// does with a node lives in that part's file (TUContext.h lists them). One
// traversal keeps the scan at the cost of a parse.
//
//   node                   parts, in order
//   VarDecl                Variables
//   FunctionDecl           CallGraph, Programs
//   DeclRefExpr            Mutation, CallGraph
//   MemberExpr             Mutation
//   CallExpr               Handlers, Roots, CallGraph, Mutation (the call's result)
//   CXXRecordDecl          Handlers, Roots
//   CXXConstructExpr       Roots, CallGraph
//   IfStmt                 GuardedChecks
//   LambdaExpr             CallGraph
#include "extract/Extractor.h"

#include "extract/AstQueries.h"

#include "extract/TUContext.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>

namespace sharedstate {
namespace {

using namespace clang;
using extract::TUContext;

class Traversal : public RecursiveASTVisitor<Traversal> {
  using Base = RecursiveASTVisitor<Traversal>;

public:
  Traversal(ASTContext &Ctx, const AnalysisOptions &Opts) : Ctx(Ctx), TU(Ctx, Opts) {}

  TUFacts run(DeclIndex *Index) {
    Base::TraverseDecl(Ctx.getTranslationUnitDecl());
    TUFacts F;
    F.mainFile = TU.ids.mainFile();
    // Variables first: describing them lists the classes of their objects.
    TU.variables.emit(F, Index);
    TU.mutation.emit(F);
    TU.guardedChecks.emit(F);
    TU.handlers.emit(F);
    TU.roots.emit(F);
    TU.programs.emit(F);
    TU.classes.emit(F);
    TU.calls.emit(F);
    return F;
  }

  // --- traversal policy -------------------------------------------------

  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return false; }
  bool shouldWalkTypesOfTypeLocs() const { return false; }

  bool dataTraverseStmtPre(Stmt *S) {
    TU.stack.push({S, nullptr});
    return true;
  }
  bool dataTraverseStmtPost(Stmt *) {
    TU.stack.pop();
    return true;
  }

  /// Clang keeps two forms of a braced initializer; only the semantic one
  /// has the constructor calls of nested braces (`{{"/a", 1}, {"/b", 2}}`),
  /// which are call edges and argument bindings like any other. Its operands
  /// are the same nodes as the syntactic form's, so nothing is seen twice.
  bool TraverseInitListExpr(InitListExpr *S, DataRecursionQueue *Queue = nullptr) {
    InitListExpr *Semantic = S->isSemanticForm() ? S : S->getSemanticForm();
    return Base::TraverseSynOrSemInitListExpr(Semantic ? Semantic : S, Queue);
  }

  bool TraverseDecl(Decl *D) {
    if (!D)
      return true;
    // System headers hold no findings; skipping their bodies is most of the
    // speed of this pass. Namespaces are entered because user templates can
    // be specialized inside namespace std.
    if (!isa<TranslationUnitDecl, NamespaceDecl, LinkageSpecDecl>(D) && TU.ids.inSystemHeader(D->getLocation()))
      return true;
    // Dependent code is analyzed through its instantiations, where every call
    // is resolved; a template nobody instantiates never runs.
    if (const auto *DC = dyn_cast<DeclContext>(D); DC && DC->isDependentContext() && isa<FunctionDecl, CXXRecordDecl>(D))
      return true;
    TU.stack.push({nullptr, D});
    bool Result = Base::TraverseDecl(D);
    TU.stack.pop();
    return Result;
  }

  // --- dispatch ------------------------------------------------------------

  bool VisitVarDecl(VarDecl *V) {
    TU.variables.visitVarDecl(V);
    return true;
  }

  bool VisitFunctionDecl(FunctionDecl *FD) {
    TU.calls.visitFunctionDecl(FD);
    TU.programs.visitFunctionDecl(FD);
    return true;
  }

  bool VisitDeclRefExpr(DeclRefExpr *E) {
    TU.mutation.visitDeclRef(E);
    TU.calls.visitDeclRef(E);
    TU.roots.visitDeclRef(E);
    return true;
  }

  bool VisitMemberExpr(MemberExpr *E) {
    TU.mutation.visitMember(E);
    return true;
  }

  bool VisitCallExpr(CallExpr *E) {
    const FunctionDecl *Callee = E->getDirectCallee();
    if (Callee && !TU.stack.inUnevaluatedContext(TU.stack.top()))
      TU.handlers.visitCall(E, Callee);
    if (Callee) {
      TU.roots.visitCall(E, Callee);
      TU.calls.visitCall(Callee);
    }
    if (!Callee && !isa<CXXPseudoDestructorExpr>(E->getCallee()))
      TU.calls.visitIndirectCall(E);
    if (const auto *M = dyn_cast_or_null<CXXMethodDecl>(Callee); M && extract::isStdFunctionClass(M->getParent()))
      TU.calls.visitStdFunctionCall(M);
    if (!Callee || TU.ids.inSystemHeader(Callee->getLocation()))
      return true;
    const auto *Member = dyn_cast<CXXMemberCallExpr>(E);
    bool OnThis = Member && isa<CXXThisExpr>(Member->getImplicitObjectArgument()->IgnoreParenImpCasts());
    TU.calls.addEdge(Callee, OnThis);
    TU.mutation.visitCallResult(Callee);
    return true;
  }

  bool VisitCXXRecordDecl(CXXRecordDecl *RD) {
    TU.handlers.visitRecord(RD);
    TU.roots.visitRecord(RD);
    return true;
  }

  bool VisitCXXConstructExpr(CXXConstructExpr *E) {
    TU.roots.visitConstruct(E);
    TU.calls.visitConstruct(E);
    return true;
  }

  bool VisitIfStmt(IfStmt *If) {
    TU.guardedChecks.visitIf(If);
    return true;
  }

  bool VisitLambdaExpr(LambdaExpr *E) {
    TU.calls.visitLambda(E);
    return true;
  }

private:
  ASTContext &Ctx;
  TUContext TU;
};

} // namespace

TUFacts extractFacts(clang::ASTContext &Ctx, const AnalysisOptions &Opts, DeclIndex *Index) {
  return Traversal(Ctx, Opts).run(Index);
}

} // namespace sharedstate
