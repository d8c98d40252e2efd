// Extraction: from one TU's AST to plain facts.
//
// The rule this file enforces: a variable is written only where the program
// really can change it. Every mention of a shared variable is followed upward
// through the expressions that still designate the same object (member and
// element access, casts, accessor calls such as find() or begin(), references
// and pointers bound to it), and the walk stops at the first node that either
// writes it (assignment, ++, a non-const member call that is not an accessor,
// binding to a non-const reference or pointer parameter) or only reads it.
// Precision matters as much as recall: a checker that calls `m.find(k)` on a
// non-const map a write is a checker users switch off.
//
// The ancestors of the node being visited are kept on a stack maintained by
// the RecursiveASTVisitor traversal hooks, so no parent map is built.
#include "extract/Extractor.h"

#include "facts/Paths.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Attr.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Index/USRGeneration.h>
#include <llvm/ADT/DenseMap.h>
#include <llvm/ADT/SetVector.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/ADT/StringSet.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include <functional>
#include <set>
#include <tuple>

namespace sharedstate {
namespace {

using namespace clang;

/// What the expression under analysis is, relative to the shared object.
enum class State {
  Object,       ///< a glvalue designating the object or a part of it
  Pointer,      ///< a pointer (or iterator) value pointing into the object
  PointerLocal, ///< a local variable holding such a pointer or iterator
};

/// A local variable that stands for (part of) a shared object.
struct LocalAlias {
  AccessTarget target;
  State state;
  bool whole;
};

/// Locks held at a point; ordered so that max() is "the strongest".
enum class LockState { None, Shared, Exclusive };

struct Frame {
  const Stmt *S = nullptr;
  const Decl *D = nullptr;
};

/// The outcome of following one mention upward.
struct Use {
  bool isWrite = false;
  AccessWhat what = AccessWhat::Mutate;
  Sync sync = Sync::None;
  std::string detail;
  size_t frame = 0;   ///< stack index of the node that wrote
  std::string method; ///< the non-const member function called, when that is the write
};

/// Targets of the form "field:<USR>" stand for a data member of `this`:
/// walked like a variable, recorded as a member write.
bool isFieldTarget(const AccessTarget &T) { return T.varKey.rfind("field:", 0) == 0; }

const Expr *ignoreTransparent(const Expr *E) {
  return E ? E->IgnoreParenImpCasts() : nullptr;
}

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

/// T& or T&& to non-const: a forwarding reference after deduction.
bool isMutableReference(QualType T) {
  return T->isReferenceType() && !T.getNonReferenceType().isConstQualified();
}

/// Iterators, smart pointers, optional: classes you write through.
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

class Collector : public RecursiveASTVisitor<Collector> {
  using Base = RecursiveASTVisitor<Collector>;

public:
  Collector(ASTContext &Ctx, const AnalysisOptions &Opts)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), Opts(Opts), Policy(Ctx.getPrintingPolicy()) {
    Policy.SuppressInlineNamespace = true;
    Policy.SuppressTagKeyword = true;
    Policy.AnonymousTagLocations = false; // "(lambda)", not a machine-specific path
    for (const auto *List : {&Opts.syncTypes, &Opts.lockGuardTypes, &Opts.sharedLockGuardTypes,
                             &Opts.onceFunctions, &Opts.lockFunctions, &Opts.sharedLockFunctions,
                             &Opts.unlockFunctions, &Opts.handlerBaseClasses, &Opts.registrationFunctions,
                             &Opts.singletonAccessors})
      for (const std::string &N : *List)
        Names[List].insert(N);
  }

  TUFacts run(DeclIndex *Index) {
    Base::TraverseDecl(Ctx.getTranslationUnitDecl());
    TUFacts F;
    if (OptionalFileEntryRef Main = SM.getFileEntryRefForID(SM.getMainFileID()))
      F.mainFile = normalizedPath(*Main);
    for (const VarDecl *V : Variables) {
      F.variables.push_back(describeVariable(V));
      if (Index)
        for (const VarDecl *R : V->redecls())
          Index->variables[F.variables.back().key].push_back(R);
    }
    F.accesses = std::move(Accesses);
    F.guardedChecks = std::move(GuardedChecks);
    F.borrowed.assign(Borrowed.begin(), Borrowed.end());
    F.returnAliases = std::move(ReturnAliases);
    F.memberWrites = std::move(MemberWrites);
    F.handlerInstances = std::move(HandlerInstances);
    for (const CXXRecordDecl *RD : Classes)
      F.classes.push_back(describeClass(RD));
    for (auto &Entry : Functions)
      F.functions.push_back(std::move(Entry.second));
    F.edges.assign(Edges.begin(), Edges.end());
    std::sort(F.functions.begin(), F.functions.end(),
              [](const Function &A, const Function &B) { return A.key < B.key; });
    return F;
  }

  // --- traversal policy -------------------------------------------------

  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return false; }
  bool shouldWalkTypesOfTypeLocs() const { return false; }

  bool dataTraverseStmtPre(Stmt *S) {
    Stack.push_back({S, nullptr});
    return true;
  }
  bool dataTraverseStmtPost(Stmt *) {
    Stack.pop_back();
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
    if (!isa<TranslationUnitDecl, NamespaceDecl, LinkageSpecDecl>(D) && inSystemHeader(D->getLocation()))
      return true;
    // Dependent code is analyzed through its instantiations, where every call
    // is resolved; a template nobody instantiates never runs.
    if (const auto *DC = dyn_cast<DeclContext>(D); DC && DC->isDependentContext() && isa<FunctionDecl, CXXRecordDecl>(D))
      return true;
    Stack.push_back({nullptr, D});
    bool Result = Base::TraverseDecl(D);
    Stack.pop_back();
    return Result;
  }

  // --- visitors ------------------------------------------------------------

  bool VisitVarDecl(VarDecl *V) {
    // The out-of-line definition of a class template's static member belongs
    // to the pattern: it is reported through the instantiations, if any.
    if (V->getDeclContext()->isDependentContext() || V->getDescribedVarTemplate())
      return true;
    if (isSharedVariable(V)) {
      const VarDecl *Canon = canonicalVariable(V);
      Variables.insert(Canon);
      if (V->isThisDeclarationADefinition() == VarDecl::Definition && initKind(V) == InitKind::Dynamic) {
        Access A;
        A.target.varKey = variableKey(Canon);
        A.what = AccessWhat::Init;
        A.location = location(V->getLocation());
        A.functionKey = initializerKey(V);
        A.functionName = "(initializer of " + variableName(Canon) + ")";
        A.detail = "dynamic initializer";
        addAccess(std::move(A));
      }
    }
    return true;
  }

  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (FD->doesThisDeclarationHaveABody()) {
      Function &F = function(FD);
      const auto *MD = dyn_cast<CXXMethodDecl>(FD);
      F.isEntry = F.isEntry || FD->isMain() || (MD && MD->isVirtual());
    }
    return true;
  }

  bool VisitDeclRefExpr(DeclRefExpr *E) {
    if (const auto *P = dyn_cast<ParmVarDecl>(E->getDecl())) {
      // A forwarding reference bound to an lvalue: writes through it are
      // writes to whatever the call sites passed (see argument()).
      if (const auto *F = dyn_cast_or_null<FunctionDecl>(P->getDeclContext());
          F && isMutableReference(P->getType()) && isForwardingReference(F, P->getFunctionScopeIndex()))
        follow(AccessTarget{"", parameterKey(F, P->getFunctionScopeIndex())}, State::Object, true);
      return true;
    }
    if (const auto *V = dyn_cast<VarDecl>(E->getDecl())) {
      if (isSharedVariable(V)) {
        followShared(V);
      } else if (auto It = Aliases.find(V); It != Aliases.end()) {
        LocalAlias A = It->second; // copy: follow() may add aliases
        follow(A.target, A.state, A.whole);
      }
    } else if (const auto *B = dyn_cast<BindingDecl>(E->getDecl())) {
      // `auto &[key, value] = *it;`: a binding names a part of the object
      // its decomposition declaration refers to.
      if (const auto *DD = dyn_cast_or_null<VarDecl>(B->getDecomposedDecl()))
        if (auto It = Aliases.find(DD); It != Aliases.end() && It->second.state == State::Object) {
          LocalAlias A = It->second;
          follow(A.target, State::Object, false);
        }
    } else if (const auto *FD = dyn_cast<FunctionDecl>(E->getDecl())) {
      if (!isDirectCallee(E) && !inSystemHeader(FD->getLocation()))
        function(FD).isEntry = true; // its address escapes: callable from anywhere
    }
    return true;
  }

  bool VisitMemberExpr(MemberExpr *E) {
    // `obj.count_` / `this->count_` naming a static data member.
    if (const auto *V = dyn_cast<VarDecl>(E->getMemberDecl()); V && isSharedVariable(V))
      followShared(V);
    else if (const auto *Field = dyn_cast<FieldDecl>(E->getMemberDecl());
             Field && isa<CXXThisExpr>(E->getBase()->IgnoreParenImpCasts()))
      followMemberOfThis(Field);
    return true;
  }

  /// The mention on top of the stack names shared variable V: list V and
  /// follow the mention to its read or write.
  void followShared(const VarDecl *V) {
    const VarDecl *Canon = canonicalVariable(V);
    Variables.insert(Canon);
    follow(AccessTarget{variableKey(Canon), ""}, State::Object, true);
  }

  bool VisitCallExpr(CallExpr *E) {
    const FunctionDecl *Callee = E->getDirectCallee();
    if (Callee && !inUnevaluatedContext(Stack.size() - 1))
      handlerCall(E, Callee);
    if (!Callee || inSystemHeader(Callee->getLocation()))
      return true;
    addEdge(Callee);
    // A call returning a non-const reference or pointer may hand out a shared
    // object (`registry().add(x)`); merge resolves what it returns.
    QualType R = Callee->getReturnType();
    if (isMutableLValueRef(R))
      follow(AccessTarget{"", functionKey(Callee)}, State::Object, true);
    else if (isPointerToMutable(R))
      follow(AccessTarget{"", functionKey(Callee)}, State::Pointer, true);
    return true;
  }

  bool VisitCXXRecordDecl(CXXRecordDecl *RD) {
    if (!RD->isThisDeclarationADefinition() || RD->isLambda() || RD->isDependentContext() ||
        isa<ClassTemplatePartialSpecializationDecl>(RD))
      return true;
    if (auto Base = listedBase(RD, 0)) {
      HandlerInstance H;
      H.classKey = noteClass(RD);
      H.how = "controller";
      H.detail = "derives from " + *Base + ", which the framework instantiates once";
      H.location = location(RD->getLocation());
      H.entryRule = "public-methods";
      HandlerInstances.push_back(std::move(H));
    }
    return true;
  }

  bool VisitCXXConstructExpr(CXXConstructExpr *E) {
    const CXXConstructorDecl *Ctor = E->getConstructor();
    if (Ctor && !inSystemHeader(Ctor->getLocation())) {
      addEdge(Ctor);
      // In-class member initializers run inside the constructor.
      const CXXRecordDecl *RD = Ctor->getParent();
      for (const FieldDecl *FD : RD->fields())
        if (FD->hasInClassInitializer()) {
          Edges.insert({functionKey(Ctor), "dmi:" + declKey(RD), Sync::None});
          break;
        }
    }
    return true;
  }

  // --- lazy initialization ---------------------------------------------------

  /// `if (<v is unset>) { ... }` and `if (<v is set>) return v; ...`: record
  /// the check and the region that runs when v is unset.
  bool VisitIfStmt(IfStmt *If) {
    if (If->isConstexpr() || Stack.empty() || Stack.back().S != If)
      return true;
    auto Tested = testedVariable(If->getCond());
    if (!Tested)
      return true;
    const Stmt *Region = Tested->unsetWhenTrue ? If->getThen() : If->getElse();
    // The statements that run when it is unset, with the lock held before each.
    std::vector<std::pair<const Stmt *, LockState>> Parts;
    if (Region) {
      Parts.emplace_back(Region, LockState::None);
    } else if (!Tested->unsetWhenTrue && terminates(If->getThen()) && Stack.size() >= 2) {
      // `if (p) return p;` guards the rest of the block.
      if (const auto *CS = dyn_cast_or_null<CompoundStmt>(Stack[Stack.size() - 2].S)) {
        bool After = false;
        for (const Stmt *S : CS->body()) {
          if (After)
            Parts.emplace_back(S, heldBefore(CS, S));
          After = After || S == If;
        }
      }
    }
    if (Parts.empty())
      return true;
    GuardedCheck G;
    G.varKey = Tested->varKey;
    G.kind = Tested->kind;
    G.location = location(Tested->mention);
    Context C = contextAt(Stack.size() - 1);
    G.functionKey = C.key;
    G.functionName = C.name;
    G.sync = syncAt(Stack.size() - 1);
    G.regionBegin = location(Parts.front().first->getBeginLoc());
    G.regionEnd = location(Parts.back().first->getEndLoc());
    std::set<std::string> Callees;
    for (const auto &[Part, Held] : Parts)
      scanRegion(Part, *Tested, Held, Callees, G.doubleChecked);
    G.callees.assign(Callees.begin(), Callees.end());
    GuardedChecks.push_back(std::move(G));
    return true;
  }

  struct Tested {
    std::string varKey;
    CheckKind kind;
    bool unsetWhenTrue;
    clang::SourceLocation mention;
  };

  /// The shared object an expression designates, directly or through its
  /// fields: a shared variable (`v`, `reg.items`, `reg_ptr->items`), or what
  /// a function returning a non-const reference hands out (`registry().items`,
  /// key "callee:<function>", resolved to variables in classification).
  /// Synchronization objects are not checks: testing an atomic is how lazy
  /// initialization is done right.
  std::optional<std::string> sharedIn(const Expr *E) {
    E = E ? E->IgnoreParenImpCasts() : nullptr;
    if (!E || syncType(E->getType()))
      return std::nullopt;
    while (const auto *ME = dyn_cast<MemberExpr>(E)) {
      if (const auto *V = dyn_cast<VarDecl>(ME->getMemberDecl()))
        return sharedVariableKey(V); // a static member reached through an object
      if (!isa<FieldDecl>(ME->getMemberDecl()))
        return std::nullopt;
      E = ME->getBase()->IgnoreParenImpCasts();
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl()))
        return sharedVariableKey(V);
    if (const auto *Call = dyn_cast<CallExpr>(E))
      if (const FunctionDecl *F = Call->getDirectCallee();
          F && !inSystemHeader(F->getLocation()) &&
          (isMutableLValueRef(F->getReturnType()) || isPointerToMutable(F->getReturnType())))
        return "callee:" + functionKey(F);
    return std::nullopt;
  }

  std::optional<std::string> sharedVariableKey(const VarDecl *V) {
    if (!isSharedVariable(V) || syncType(V->getType()))
      return std::nullopt;
    return variableKey(canonicalVariable(V));
  }

  static bool isNullConstant(const Expr *E, ASTContext &Ctx) {
    E = E->IgnoreParenImpCasts();
    if (isa<CXXNullPtrLiteralExpr, GNUNullExpr>(E))
      return true;
    if (const auto *B = dyn_cast<CXXBoolLiteralExpr>(E))
      return !B->getValue();
    if (const auto *I = dyn_cast<IntegerLiteral>(E))
      return I->getValue() == 0;
    return E->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull) != Expr::NPCK_NotNull;
  }

  /// Does Cond test that a shared variable is unset (or set)?
  std::optional<Tested> testedVariable(const Expr *Cond) {
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
    if (auto Key = sharedIn(Cond)) {
      CheckKind K = Cond->getType()->isBooleanType() ? CheckKind::Flag : CheckKind::Nullness;
      return Tested{*Key, K, false, Cond->getExprLoc()};
    }
    // v.empty(), p.has_value(), explicit operator bool.
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Cond)) {
      auto Subject = sharedIn(MC->getImplicitObjectArgument());
      const CXXMethodDecl *M = MC->getMethodDecl();
      if (!Subject || !M)
        return std::nullopt;
      const std::string &Key = *Subject;
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
      // p == nullptr, flag == false
      if (auto Key = sharedIn(LHS); Key && isNullConstant(RHS, Ctx)) {
        CheckKind K = LHS->IgnoreParenImpCasts()->getType()->isBooleanType() ? CheckKind::Flag : CheckKind::Nullness;
        return Tested{*Key, K, Equal, LHS->getExprLoc()};
      }
      const auto *MC = dyn_cast<CXXMemberCallExpr>(LHS->IgnoreParenImpCasts());
      const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
      auto Subject = MC ? sharedIn(MC->getImplicitObjectArgument()) : std::nullopt;
      if (!Subject || !M || !M->getDeclName().isIdentifier())
        continue;
      llvm::StringRef N = M->getName();
      clang::SourceLocation L = MC->getImplicitObjectArgument()->getExprLoc();
      // v.size() == 0, m.count(k) == 0
      if ((N == "size" || N == "length" || N == "count") && isNullConstant(RHS, Ctx))
        return Tested{*Subject, N == "count" ? CheckKind::KeyLookup : CheckKind::Emptiness, Equal, L};
      // m.find(k) == m.end()
      if (N == "find")
        if (const auto *End = dyn_cast<CXXMemberCallExpr>(RHS->IgnoreParenImpCasts()))
          if (End->getMethodDecl() && End->getMethodDecl()->getDeclName().isIdentifier() &&
              End->getMethodDecl()->getName() == "end" && sharedIn(End->getImplicitObjectArgument()) == Subject)
            return Tested{*Subject, CheckKind::KeyLookup, Equal, L};
    }
    return std::nullopt;
  }

  static bool terminates(const Stmt *S) {
    if (const auto *CS = dyn_cast_or_null<CompoundStmt>(S))
      S = CS->body_empty() ? nullptr : CS->body_back();
    return isa_and_nonnull<ReturnStmt, CXXThrowExpr, BreakStmt, ContinueStmt, GotoStmt>(S);
  }

  /// Collects the functions a guarded region calls and whether it checks the
  /// same variable again under a lock (double-checked locking).
  void scanRegion(const Stmt *S, const Tested &T, LockState Held, std::set<std::string> &Callees,
                  bool &DoubleChecked) {
    if (!S || isa<LambdaExpr>(S))
      return;
    if (const auto *Call = dyn_cast<CallExpr>(S))
      if (const FunctionDecl *F = Call->getDirectCallee(); F && !inSystemHeader(F->getLocation()))
        Callees.insert(functionKey(F));
    if (const auto *CE = dyn_cast<CXXConstructExpr>(S))
      if (const CXXConstructorDecl *F = CE->getConstructor(); F && !inSystemHeader(F->getLocation()))
        Callees.insert(functionKey(F));
    if (const auto *Inner = dyn_cast<IfStmt>(S); Inner && Held == LockState::Exclusive)
      if (auto Again = testedVariable(Inner->getCond()); Again && Again->varKey == T.varKey)
        DoubleChecked = true;
    if (const auto *CS = dyn_cast<CompoundStmt>(S)) {
      for (const Stmt *Child : CS->body())
        scanRegion(Child, T, std::max(Held, heldBefore(CS, Child)), Callees, DoubleChecked);
      return;
    }
    for (const Stmt *Child : S->children())
      scanRegion(Child, T, Held, Callees, DoubleChecked);
  }

  bool VisitLambdaExpr(LambdaExpr *E) {
    function(E->getCallOperator());
    return true;
  }

private:
  // --- identity --------------------------------------------------------------

  bool inSystemHeader(clang::SourceLocation L) const {
    return L.isValid() && SM.isInSystemHeader(SM.getExpansionLoc(L));
  }

  bool isSharedVariable(const VarDecl *V) {
    if (!V->hasGlobalStorage() || V->getTLSKind() != VarDecl::TLS_None || V->isConstexpr())
      return false;
    if (isa<ParmVarDecl, DecompositionDecl>(V) || V->isImplicit())
      return false;
    const VarDecl *C = canonicalVariable(V);
    if (C->isConstexpr() || inSystemHeader(C->getLocation()))
      return false;
    // The pattern of a template member is reported, never its instantiations,
    // but a variable declared inside dependent code has no meaning by itself.
    return !C->getType()->isUndeducedType();
  }

  /// The declaration findings are reported against: the template pattern for
  /// members of class templates and variable templates, the canonical one else.
  const VarDecl *canonicalVariable(const VarDecl *V) {
    if (const VarDecl *P = V->getInstantiatedFromStaticDataMember())
      V = P;
    else if (const VarDecl *P = V->getTemplateInstantiationPattern())
      V = P;
    else if (V->isStaticLocal())
      V = localStaticPattern(V);
    return V->getCanonicalDecl();
  }

  /// A static local of a function template instantiation, mapped to the same
  /// static in the pattern (matched by name: the AST keeps no link) so that
  /// next_id<int>::id and next_id<long>::id are one finding.
  const VarDecl *localStaticPattern(const VarDecl *V) {
    const auto *FD = dyn_cast_or_null<FunctionDecl>(V->getParentFunctionOrMethod());
    const FunctionDecl *Pattern = FD ? FD->getTemplateInstantiationPattern() : nullptr;
    if (!Pattern || !Pattern->getBody())
      return V;
    auto [It, Inserted] = LocalPatternCache.try_emplace(V, V);
    if (Inserted)
      if (const VarDecl *Found = findStaticLocal(Pattern->getBody(), V->getName()))
        It->second = Found;
    return It->second;
  }

  /// How many static locals of the same name precede V in its function.
  static unsigned sameNameOrdinal(const FunctionDecl *FD, const VarDecl *V) {
    unsigned Before = 0;
    bool Found = false;
    std::function<void(const Stmt *)> Walk = [&](const Stmt *S) {
      if (!S || Found)
        return;
      if (const auto *DS = dyn_cast<DeclStmt>(S))
        for (const Decl *D : DS->decls())
          if (const auto *Other = dyn_cast<VarDecl>(D); Other && Other->isStaticLocal() && Other->getName() == V->getName()) {
            if (Other->getCanonicalDecl() == V->getCanonicalDecl()) {
              Found = true;
              return;
            }
            ++Before;
          }
      for (const Stmt *Child : S->children())
        Walk(Child);
    };
    Walk(FD->getBody());
    return Found ? Before : 0;
  }

  static const VarDecl *findStaticLocal(const Stmt *S, llvm::StringRef Name) {
    if (!S)
      return nullptr;
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *V = dyn_cast<VarDecl>(D); V && V->isStaticLocal() && V->getName() == Name)
          return V;
    for (const Stmt *Child : S->children())
      if (const VarDecl *V = findStaticLocal(Child, Name))
        return V;
    return nullptr;
  }

  std::string declKey(const Decl *D) {
    auto It = KeyCache.find(D);
    if (It != KeyCache.end())
      return It->second;
    llvm::SmallString<128> USR;
    std::string Key;
    if (!index::generateUSRForDecl(D, USR))
      Key = std::string(USR);
    else
      Key = "loc:" + relative(location(D->getLocation()).file) + ":" +
            std::to_string(SM.getFileOffset(SM.getExpansionLoc(D->getLocation())));
    // Entities with internal linkage are distinct per file even under one
    // name (`static int n;` in a.cpp and b.cpp).
    if (const auto *ND = dyn_cast<NamedDecl>(D); ND && !ND->isExternallyVisible())
      Key += "@" + relative(location(D->getLocation()).file);
    KeyCache[D] = Key;
    return Key;
  }

  /// Clang's USR for a local variable contains its offset in the file, which
  /// would change the finding's id whenever code above it moves: a static
  /// local is keyed by its function and its name instead.
  std::string variableKey(const VarDecl *Canon) {
    if (Canon->isStaticLocal())
      if (const auto *FD = dyn_cast_or_null<FunctionDecl>(Canon->getParentFunctionOrMethod())) {
        std::string Key = "local:" + functionKey(FD) + "::" + Canon->getNameAsString();
        // Two statics of one name in different blocks of a function.
        if (unsigned N = sameNameOrdinal(FD, Canon))
          Key += "#" + std::to_string(N);
        return Key;
      }
    return declKey(Canon);
  }

  /// Clang gives every lambda at namespace scope of a file the same USR, and
  /// lambdas elsewhere one holding their file offset. A lambda is keyed by
  /// where it lives (its context declaration or enclosing function) and its
  /// index there instead.
  std::string functionKey(const FunctionDecl *FD) {
    const auto *MD = dyn_cast<CXXMethodDecl>(FD);
    if (!MD || !MD->getParent()->isLambda())
      return declKey(FD->getCanonicalDecl());
    const CXXRecordDecl *Closure = MD->getParent();
    const Decl *Context = Closure->getLambdaContextDecl();
    if (!Context)
      Context = dyn_cast_or_null<Decl>(Closure->getDeclContext());
    if (!Context || isa<TranslationUnitDecl, NamespaceDecl>(Context)) {
      // No context Clang numbers lambdas in (the initializer of a non-inline
      // variable): its position is all that tells two such lambdas apart.
      clang::SourceLocation L = SM.getExpansionLoc(Closure->getLocation());
      return "lambda@" + relative(location(L).file) + ":" + std::to_string(SM.getFileOffset(L));
    }
    std::string Where;
    if (const auto *F = dyn_cast_or_null<FunctionDecl>(Context))
      Where = functionKey(F);
    else if (const auto *V = dyn_cast_or_null<VarDecl>(Context))
      Where = V->hasGlobalStorage() ? variableKey(canonicalVariable(V)) : declKey(V);
    else if (Context)
      Where = declKey(Context);
    return "lambda:" + Where + "#" + std::to_string(Closure->getLambdaIndexInContext()) + "@" +
           relative(location(Closure->getLocation()).file);
  }

  std::string parameterKey(const FunctionDecl *F, unsigned Index) {
    return "param:" + functionKey(F) + "#" + std::to_string(Index);
  }

  std::string initializerKey(const VarDecl *V) { return "init:" + variableKey(canonicalVariable(V)); }

  std::string functionName(const FunctionDecl *FD) {
    if (const auto *MD = dyn_cast<CXXMethodDecl>(FD); MD && MD->getParent()->isLambda()) {
      const DeclContext *DC = MD->getParent()->getDeclContext();
      while (DC && !isa<FunctionDecl>(DC) && !DC->isFileContext())
        DC = DC->getParent();
      if (const auto *Outer = dyn_cast_or_null<FunctionDecl>(DC))
        return functionName(Outer) + "::(lambda)";
      return "(lambda)";
    }
    if (const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern())
      FD = Pattern;
    std::string S;
    llvm::raw_string_ostream OS(S);
    FD->printQualifiedName(OS, Policy);
    return OS.str();
  }

  std::string variableName(const VarDecl *V) {
    if (V->isStaticLocal())
      if (const auto *FD = dyn_cast_or_null<FunctionDecl>(V->getParentFunctionOrMethod()))
        return functionName(FD) + "::" + V->getNameAsString();
    std::string S;
    llvm::raw_string_ostream OS(S);
    V->printQualifiedName(OS, Policy);
    return OS.str();
  }

  Function &function(const FunctionDecl *FD) {
    std::string Key = functionKey(FD);
    auto It = Functions.find(Key);
    if (It == Functions.end()) {
      Function F;
      F.key = Key;
      F.name = functionName(FD);
      if (const auto *MD = dyn_cast<CXXMethodDecl>(FD); MD && !MD->isStatic() && !MD->getParent()->isLambda()) {
        F.memberOf = declKey(MD->getParent());
        F.isStructor = isa<CXXConstructorDecl, CXXDestructorDecl>(MD);
        F.isCallOperator = MD->getOverloadedOperator() == OO_Call;
        F.isPublic = MD->getAccess() == AS_public && !F.isStructor && !MD->isCopyAssignmentOperator() &&
                     !MD->isMoveAssignmentOperator();
      }
      It = Functions.emplace(Key, std::move(F)).first;
    }
    return It->second;
  }

  // --- locations ---------------------------------------------------------------

  std::string normalizedPath(FileEntryRef FE) {
    llvm::StringRef Real = FE.getFileEntry().tryGetRealPathName();
    if (!Real.empty())
      return Real.str();
    llvm::SmallString<256> P(FE.getName());
    SM.getFileManager().makeAbsolutePath(P);
    llvm::sys::path::remove_dots(P, true);
    return std::string(P);
  }

  sharedstate::SourceLocation location(clang::SourceLocation L) {
    sharedstate::SourceLocation Out;
    if (L.isInvalid())
      return Out;
    L = SM.getExpansionLoc(L);
    FileID FID = SM.getFileID(L);
    auto It = PathCache.find(FID);
    if (It == PathCache.end()) {
      OptionalFileEntryRef FE = SM.getFileEntryRefForID(FID);
      It = PathCache.try_emplace(FID, FE ? normalizedPath(*FE) : std::string("<unknown>")).first;
    }
    Out.file = It->second;
    Out.line = SM.getExpansionLineNumber(L);
    Out.column = SM.getExpansionColumnNumber(L);
    return Out;
  }

  std::string relative(const std::string &Path) const { return relativeTo(Path, Opts.root); }

  // --- the variable inventory -----------------------------------------------------

  InitKind initKind(const VarDecl *Def) const {
    if (!Def || !Def->hasInit())
      return InitKind::None;
    const Expr *Init = Def->getInit();
    if (Def->getType()->isDependentType() || Init->isValueDependent() || Init->isTypeDependent())
      return InitKind::Dynamic;
    return Def->hasConstantInitialization() ? InitKind::Constant : InitKind::Dynamic;
  }

  /// RD's qualified name as the option lists spell it: a specialization by
  /// its template's name, without template arguments.
  void printListName(const CXXRecordDecl *RD, llvm::raw_ostream &OS) const {
    const NamedDecl *Named = RD;
    if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
      Named = Spec->getSpecializedTemplate();
    Named->printQualifiedName(OS, Policy);
  }

  /// The qualified name of T's class (template) if it is in List.
  std::optional<std::string> classIn(QualType T, const std::vector<std::string> &List) {
    T = Ctx.getBaseElementType(T.getNonReferenceType());
    const auto *RD = T->getAsCXXRecordDecl();
    if (!RD)
      return std::nullopt;
    std::string Name;
    llvm::raw_string_ostream OS(Name);
    printListName(RD, OS);
    OS.flush();
    if (Names[&List].count(Name))
      return Name;
    return std::nullopt;
  }

  /// A synchronization type: listed in the options, or declared a capability
  /// for clang's thread-safety analysis (`class __attribute__((capability("mutex")))`).
  std::optional<std::string> syncType(QualType T) {
    if (auto Name = classIn(T, Opts.syncTypes))
      return Name;
    // C types are known by their typedef: pthread_mutex_t, pthread_spinlock_t.
    for (QualType Cur = Ctx.getBaseElementType(T.getNonReferenceType());;) {
      if (const auto *TT = Cur->getAs<TypedefType>()) {
        std::string Name = TT->getDecl()->getQualifiedNameAsString();
        if (Names[&Opts.syncTypes].count(Name))
          return Name;
        Cur = TT->getDecl()->getUnderlyingType();
        continue;
      }
      break;
    }
    if (const auto *RD = Ctx.getBaseElementType(T.getNonReferenceType())->getAsCXXRecordDecl();
        RD && RD->hasAttr<CapabilityAttr>())
      return RD->getQualifiedNameAsString();
    return std::nullopt;
  }

  /// A class with a synchronization object among its fields (or its bases'):
  /// it cannot be made const, whatever else is written.
  bool hasSyncMember(QualType T) {
    const auto *RD = Ctx.getBaseElementType(T.getNonReferenceType())->getAsCXXRecordDecl();
    if (!RD || !RD->hasDefinition())
      return false;
    for (const FieldDecl *F : RD->fields())
      if (syncType(F->getType()) || (F->getType()->getAsCXXRecordDecl() != RD && hasSyncMember(F->getType())))
        return true;
    for (const CXXBaseSpecifier &B : RD->bases())
      if (hasSyncMember(B.getType()))
        return true;
    return false;
  }

  SharedVariable describeVariable(const VarDecl *Canon) {
    SharedVariable S;
    S.key = variableKey(Canon);
    S.name = variableName(Canon);
    S.kind = Canon->isStaticLocal()           ? VarKind::FunctionLocalStatic
             : Canon->isStaticDataMember()    ? VarKind::StaticMember
                                              : VarKind::NamespaceGlobal;
    S.type = Canon->getType().getAsString(Policy);
    const VarDecl *Def = Canon->getDefinition();
    S.isDefinition = Def != nullptr;
    // A static member is reported where the class declares it: every TU that
    // sees the class sees that line, and it is where a reader looks. Other
    // variables are reported where the object is defined.
    S.location = location((Def && S.kind != VarKind::StaticMember ? Def : Canon)->getLocation());
    QualType T = Canon->getType();
    S.isReference = T->isReferenceType();
    S.isConst = Ctx.getBaseElementType(T.getNonReferenceType()).isConstQualified();
    if (auto Sync = syncType(T)) {
      S.isSyncPrimitive = true;
      S.syncType = *Sync;
    }
    S.hasSyncMembers = hasSyncMember(T);
    for (const VarDecl *R : Canon->redecls())
      S.isGuarded = S.isGuarded || R->hasAttr<GuardedByAttr>() || R->hasAttr<PtGuardedByAttr>();
    S.init = initKind(Def);
    if (const CXXRecordDecl *RD = instanceClass(T))
      S.classKey = noteClass(RD);
    return S;
  }

  // --- context -------------------------------------------------------------------

  struct Context {
    std::string key;
    std::string name;
    const FunctionDecl *function = nullptr; ///< for return statements
  };

  /// The innermost function, lambda or static initializer around the node at
  /// stack index I.
  Context contextAt(size_t I) {
    for (size_t J = I + 1; J-- > 0;) {
      const Frame &F = Stack[J];
      if (const auto *L = dyn_cast_or_null<LambdaExpr>(F.S)) {
        const CXXMethodDecl *Op = L->getCallOperator();
        return {functionKey(Op), function(Op).name, Op};
      }
      if (!F.D)
        continue;
      if (const auto *FD = dyn_cast<FunctionDecl>(F.D))
        return {functionKey(FD), function(FD).name, FD};
      if (const auto *V = dyn_cast<VarDecl>(F.D); V && V->hasGlobalStorage()) {
        std::string Key = initializerKey(V);
        auto It = Functions.find(Key);
        if (It == Functions.end()) {
          Function Fn;
          Fn.key = Key;
          Fn.name = "(initializer of " + variableName(canonicalVariable(V)) + ")";
          // thread_local initializers run in each thread, at run time.
          Fn.isInitializer = V->getTLSKind() == VarDecl::TLS_None;
          It = Functions.emplace(Key, std::move(Fn)).first;
        }
        return {Key, It->second.name, nullptr};
      }
      if (const auto *FD = dyn_cast<FieldDecl>(F.D)) {
        std::string Key = "dmi:" + declKey(FD->getParent());
        Function &Fn = Functions[Key];
        Fn.key = Key;
        Fn.name = "(member initializers of " + FD->getParent()->getNameAsString() + ")";
        return {Key, Fn.name, nullptr};
      }
    }
    return {"<none>", "(unknown)", nullptr};
  }

  bool isDirectCallee(const Expr *E) const {
    // Walk up through implicit casts and parens to the call, if any.
    size_t I = Stack.size() - 1;
    const Expr *Cur = E;
    while (I > 0) {
      const Stmt *P = Stack[I - 1].S;
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

  // --- synchronization --------------------------------------------------------------

  /// What a statement does to the locks held: acquire (exclusively or
  /// shared), release, or nothing (nullopt).
  std::optional<LockState> lockCall(const Stmt *S) {
    const Expr *E = dyn_cast_or_null<Expr>(S);
    if (!E)
      return std::nullopt;
    E = E->IgnoreImplicit();
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      const CXXMethodDecl *M = MC->getMethodDecl();
      if (!M || !M->getDeclName().isIdentifier())
        return std::nullopt;
      // Thread-safety annotations say what a method does, whatever its name.
      if (const auto *A = M->getAttr<AcquireCapabilityAttr>())
        return A->isShared() ? LockState::Shared : LockState::Exclusive;
      if (M->hasAttr<ReleaseCapabilityAttr>())
        return LockState::None;
      QualType ObjT = MC->getImplicitObjectArgument()->getType();
      if (ObjT->isPointerType())
        ObjT = ObjT->getPointeeType();
      bool SharedGuard = classIn(ObjT, Opts.sharedLockGuardTypes).has_value();
      if (!syncType(ObjT) && !classIn(ObjT, Opts.lockGuardTypes) && !SharedGuard)
        return std::nullopt;
      llvm::StringRef N = M->getName();
      if (N == "lock")
        return SharedGuard ? LockState::Shared : LockState::Exclusive;
      if (N == "lock_shared")
        return LockState::Shared;
      if (N == "unlock" || N == "unlock_shared")
        return LockState::None;
      return std::nullopt;
    }
    if (const auto *C = dyn_cast<CallExpr>(E))
      if (const FunctionDecl *F = C->getDirectCallee(); F && F->getDeclName().isIdentifier()) {
        std::string N = F->getQualifiedNameAsString();
        if (Names[&Opts.lockFunctions].count(N))
          return LockState::Exclusive;
        if (Names[&Opts.sharedLockFunctions].count(N))
          return LockState::Shared;
        if (Names[&Opts.unlockFunctions].count(N))
          return LockState::None;
      }
    return std::nullopt;
  }

  /// The lock a declaration statement acquires through an RAII guard.
  LockState declaredGuard(const Stmt *S) {
    const auto *DS = dyn_cast_or_null<DeclStmt>(S);
    if (!DS)
      return LockState::None;
    LockState Result = LockState::None;
    for (const Decl *D : DS->decls()) {
      const auto *V = dyn_cast<VarDecl>(D);
      if (!V)
        continue;
      const auto *RD = V->getType()->getAsCXXRecordDecl();
      bool ScopedLockable = RD && RD->hasAttr<ScopedLockableAttr>(); // thread-safety annotated guard
      LockState Kind = classIn(V->getType(), Opts.lockGuardTypes) || ScopedLockable ? LockState::Exclusive
                       : classIn(V->getType(), Opts.sharedLockGuardTypes) ? LockState::Shared
                                                                          : LockState::None;
      if (Kind == LockState::None)
        continue;
      // std::unique_lock<std::mutex> l(m, std::defer_lock) holds nothing yet.
      bool Deferred = false;
      if (const auto *CE = dyn_cast_or_null<CXXConstructExpr>(V->getInit() ? V->getInit()->IgnoreImplicit() : nullptr))
        for (const Expr *Arg : CE->arguments())
          if (const auto *RD = Arg->getType()->getAsCXXRecordDecl())
            Deferred = Deferred || RD->getName() == "defer_lock_t";
      if (!Deferred)
        Result = std::max(Result, Kind);
    }
    return Result;
  }

  /// The lock held just before Child, a statement of a compound statement.
  LockState heldBefore(const CompoundStmt *CS, const Stmt *Child) {
    std::vector<LockState> &Held = LockCache[CS];
    if (Held.empty()) {
      LockState Now = LockState::None;
      for (const Stmt *S : CS->body()) {
        Held.push_back(Now);
        if (LockState G = declaredGuard(S); G != LockState::None)
          Now = std::max(Now, G);
        else if (auto Change = lockCall(S))
          Now = *Change;
      }
      Held.push_back(Now);
    }
    size_t I = 0;
    for (const Stmt *S : CS->body()) {
      if (S == Child)
        return Held[I];
      ++I;
    }
    return LockState::None;
  }

  bool isOnceCall(const Stmt *S) {
    const auto *C = dyn_cast_or_null<CallExpr>(S);
    if (!C)
      return false;
    const FunctionDecl *F = C->getDirectCallee();
    return F && Names[&Opts.onceFunctions].count(F->getQualifiedNameAsString());
  }

  /// Synchronization in force at the node at stack index I: an RAII guard or
  /// lock() earlier in an enclosing block, or the callable of call_once. A
  /// shared (reader) lock does not order writers: it yields Sync::None, with
  /// SharedOnly set so the evidence can say why.
  Sync syncAt(size_t I, bool *SharedOnly = nullptr) {
    bool Shared = false;
    auto Done = [&](Sync S) {
      if (SharedOnly)
        *SharedOnly = S == Sync::None && Shared;
      return S;
    };
    for (size_t J = I; J-- > 0;) {
      const Frame &F = Stack[J];
      if (F.D)
        return Done(Sync::None); // left the function or initializer
      if (isa<LambdaExpr>(F.S)) {
        // A lambda runs when it is called, not where it is written; only
        // call_once tells us how.
        for (size_t K = J; K > 0 && Stack[K - 1].S; --K) {
          const Stmt *Outer = Stack[K - 1].S;
          if (isOnceCall(Outer))
            return Done(Sync::Once);
          if (!isa<MaterializeTemporaryExpr, ImplicitCastExpr, CXXBindTemporaryExpr, CXXConstructExpr,
                   ParenExpr, ExprWithCleanups, CXXFunctionalCastExpr>(Outer))
            break;
        }
        return Done(Sync::None);
      }
      const Stmt *Child = Stack[J + 1].S;
      LockState Held = LockState::None;
      if (const auto *CS = dyn_cast<CompoundStmt>(F.S))
        Held = heldBefore(CS, Child);
      else if (const auto *If = dyn_cast<IfStmt>(F.S); If && If->getInit() != Child)
        Held = declaredGuard(If->getInit());
      else if (const auto *Sw = dyn_cast<SwitchStmt>(F.S); Sw && Sw->getInit() != Child)
        Held = declaredGuard(Sw->getInit());
      if (Held == LockState::Exclusive)
        return Done(Sync::Lock);
      Shared = Shared || Held == LockState::Shared;
    }
    return Done(Sync::None);
  }

  bool inUnevaluatedContext(size_t I) const {
    for (size_t J = I + 1; J > 0 && Stack[J - 1].S; --J)
      if (isa<UnaryExprOrTypeTraitExpr, CXXNoexceptExpr, CXXTypeidExpr>(Stack[J - 1].S))
        return true;
    return false;
  }

  // --- recording ----------------------------------------------------------------------

  void addEdge(const FunctionDecl *Callee) {
    size_t I = Stack.size() - 1;
    Context C = contextAt(I);
    Edges.insert({C.key, functionKey(Callee), syncAt(I)});
  }

  void addAccess(Access A) {
    auto Key = std::make_tuple(A.target.varKey, A.target.calleeKey, A.location.line, A.location.column,
                               A.location.file, A.what, A.functionKey, A.sync);
    if (SeenAccesses.insert(Key).second)
      Accesses.push_back(std::move(A));
  }

  void recordWrite(const AccessTarget &T, const Use &U, size_t MentionIndex) {
    if (inUnevaluatedContext(U.frame))
      return;
    Context C = contextAt(MentionIndex);
    Access A;
    A.target = T;
    A.what = U.what;
    A.location = location(Stack[MentionIndex].S->getBeginLoc());
    if (const auto *ME = dyn_cast<MemberExpr>(Stack[MentionIndex].S))
      A.location = location(ME->getMemberLoc());
    A.functionKey = C.key;
    A.functionName = C.name;
    bool SharedOnly = false;
    A.sync = U.sync != Sync::None ? U.sync : syncAt(U.frame, &SharedOnly);
    A.detail = U.detail;
    if (SharedOnly)
      A.detail += A.detail.empty() ? "only a shared (reader) lock is held" : ", only a shared (reader) lock is held";
    A.method = U.method;
    if (auto It = FieldTargets.find(T.varKey); It != FieldTargets.end()) {
      A.target = AccessTarget{It->second.first, ""};
      A.field = It->second.second;
      MemberWrites.push_back(std::move(A));
      return;
    }
    addAccess(std::move(A));
  }

  // --- following a mention -----------------------------------------------------------------

  /// Follows the expression on top of the stack (a mention of T in state St)
  /// to the place where it is read or written, and records what it finds.
  void follow(const AccessTarget &T, State St, bool Whole) {
    size_t Mention = Stack.size() - 1;
    Use U = walk(T, St, Whole, Mention);
    if (U.isWrite)
      recordWrite(T, U, Mention);
  }

  Use write(AccessWhat W, size_t Frame, std::string Detail, Sync S = Sync::None) {
    Use U;
    U.isWrite = true;
    U.what = W;
    U.frame = Frame;
    U.detail = std::move(Detail);
    U.sync = S;
    return U;
  }

  static std::string quoted(const NamedDecl *D) {
    return D ? "'" + D->getNameAsString() + "'" : std::string("a call");
  }

  /// Does the class of M offer a const overload of M (same name, same
  /// arity)? Then the non-const M only hands out access: find(), at(),
  /// begin(), operator[] of a vector. map::operator[] has none, so it writes.
  bool hasConstOverload(const CXXMethodDecl *M) {
    auto It = AccessorCache.find(M);
    if (It != AccessorCache.end())
      return It->second;
    bool Found = false;
    for (const NamedDecl *ND : M->getParent()->lookup(M->getDeclName())) {
      const NamedDecl *Target = ND;
      if (const auto *TD = dyn_cast<FunctionTemplateDecl>(Target))
        Target = TD->getTemplatedDecl();
      if (const auto *Other = dyn_cast<CXXMethodDecl>(Target))
        Found = Found || (Other != M && Other->isConst() && Other->getNumParams() == M->getNumParams());
    }
    AccessorCache[M] = Found;
    return Found;
  }

  /// The state of a call's result when it may alias the object it was called
  /// on (accessors, smart-pointer get/operator->, iterators). Returns false
  /// when the result is an unrelated value.
  static bool resultAliases(const Expr *Call, State &St) {
    QualType T = Call->getType();
    if (Call->isGLValue() && !T.isConstQualified()) {
      St = State::Object;
      return true;
    }
    if (isPointerToMutable(T)) {
      St = State::Pointer;
      return true;
    }
    if (!Call->isGLValue() && isPointerLikeClass(T)) {
      St = State::Pointer;
      return true;
    }
    return false;
  }

  bool isStdFunction(const FunctionDecl *F, std::initializer_list<llvm::StringRef> Names) const {
    if (!F || !F->isInStdNamespace() || !F->getDeclName().isIdentifier())
      return false;
    for (llvm::StringRef N : Names)
      if (F->getName() == N)
        return true;
    return false;
  }

  /// A forwarding reference (template T&&) decides nothing by itself: emplace
  /// and make_pair copy from it. Treat it as a read.
  static bool isForwardingReference(const FunctionDecl *F, unsigned Param) {
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

  std::optional<Use> mutatingAlgorithm(const FunctionDecl *F, unsigned Arg, unsigned NumArgs, size_t Frame) {
    if (!F || !F->isInStdNamespace())
      return std::nullopt;
    std::string N = F->getQualifiedNameAsString();
    for (const MutatingAlgorithm &M : Opts.mutatingAlgorithms) {
      if (M.name != N)
        continue;
      int Index = M.argument < 0 ? static_cast<int>(NumArgs) + M.argument : M.argument;
      if (M.argument == AnyIteratorArgument || Index == static_cast<int>(Arg))
        return write(AccessWhat::Mutate, Frame, "passed to " + N);
    }
    return std::nullopt;
  }

  /// The object, in state St, is argument Arg of a call to F (null when
  /// indirect; Proto then gives the parameter types).
  Use argument(const AccessTarget &T, bool Whole, const FunctionDecl *F, const FunctionProtoType *Proto,
               unsigned Arg, unsigned NumArgs, State St, const Expr *ArgExpr, size_t Frame) {
    Use Read;
    QualType PT;
    bool Variadic = false;
    if (F && Arg < F->getNumParams())
      PT = F->getParamDecl(Arg)->getType();
    else if (!F && Proto && Arg < Proto->getNumParams())
      PT = Proto->getParamType(Arg);
    else
      Variadic = F ? F->isVariadic() : (Proto && Proto->isVariadic());

    if (F && F->getDeclName().isIdentifier()) {
      llvm::StringRef N = F->getName();
      if (N.starts_with("__sync_") || N.starts_with("__atomic_"))
        return write(AccessWhat::Reassign, Frame, "atomic builtin " + N.str(), Sync::Atomic);
    }
    if (isForwardingReference(F, Arg)) {
      // Whether a forwarding reference writes depends on the callee's body:
      // the parameter becomes an alias of the object, and writes through it
      // inside the instantiation (followed in VisitDeclRefExpr) land here.
      if (St == State::Object && isMutableReference(PT) && !isFieldTarget(T))
        ReturnAliases.push_back({parameterKey(F, Arg), T, Whole});
      return Read;
    }
    if (St == State::Object) {
      if (PT.isNull())
        return Read;
      if (isMutableLValueRef(PT))
        return write(AccessWhat::Mutate, Frame, "passed by non-const reference to " + quoted(F));
      if (const auto *R = PT->getAs<RValueReferenceType>(); R && !R->getPointeeType().isConstQualified())
        return write(AccessWhat::Mutate, Frame, "moved into " + quoted(F));
      return Read;
    }
    if (St != State::Pointer)
      return Read;
    if (ArgExpr->getType()->isPointerType()) {
      if (!PT.isNull() && isPointerToMutable(PT))
        return write(AccessWhat::Mutate, Frame, "passed by pointer to " + quoted(F));
      // scanf-style functions write through their variadic pointers.
      if (Variadic && F && F->getDeclName().isIdentifier() && F->getName().contains("scanf"))
        return write(AccessWhat::Mutate, Frame, "written by " + quoted(F));
      return Read;
    }
    if (auto U = mutatingAlgorithm(F, Arg, NumArgs, Frame))
      return *U;
    return Read;
  }

  /// The object, in state St, is the object argument of a call to M.
  /// Returns a Use when the walk ends here; nullopt with St updated when the
  /// call's result keeps aliasing the object.
  std::optional<Use> objectCall(const CXXMethodDecl *M, const Expr *Call, State &St, bool &Whole,
                                size_t Frame) {
    Use Read;
    if (!M)
      return Read;
    if (St != State::Object) {
      // An iterator or pointer-like local/temporary: dereferencing it reaches
      // the object, anything else (++it) only moves it.
      OverloadedOperatorKind K = M->getOverloadedOperator();
      if (K == OO_Star || K == OO_Arrow || K == OO_Subscript) {
        Whole = false;
        if (resultAliases(Call, St))
          return std::nullopt;
      }
      return Read;
    }
    if (M->isStatic())
      return Read;
    if (!M->isConst() && isAssignmentOperator(M->getOverloadedOperator()))
      return write(Whole ? AccessWhat::Reassign : AccessWhat::Mutate, Frame,
                   "'" + M->getNameAsString() + "'");
    if (M->isConst() || hasConstOverload(M)) {
      Whole = false;
      if (resultAliases(Call, St))
        return std::nullopt;
      return Read;
    }
    if (isa<CXXDestructorDecl>(M))
      return Read;
    Use U = write(AccessWhat::Mutate, Frame, "calls non-const '" + M->getNameAsString() + "'");
    U.method = functionKey(M);
    return U;
  }

  void addAlias(const VarDecl *Local, const AccessTarget &T, State St, bool Whole) {
    Aliases[Local] = LocalAlias{T, St, Whole};
    if (!T.varKey.empty() && !isFieldTarget(T))
      Borrowed.insert(T.varKey);
  }

  /// The walk proper. I is the stack index of the current expression.
  Use walk(const AccessTarget &T, State St, bool Whole, size_t I) {
    Use Read;
    for (; I > 0; --I) {
      const Frame &P = Stack[I - 1];
      const Stmt *Cur = Stack[I].S;
      const auto *CurE = dyn_cast_or_null<Expr>(Cur);
      if (!CurE)
        return Read;

      if (P.D) {
        // The expression initializes a declaration.
        if (const auto *V = dyn_cast<VarDecl>(P.D)) {
          if (!V->getInit() || ignoreTransparent(V->getInit()) != ignoreTransparent(CurE))
            return Read; // an array bound or attribute, not the initializer
          QualType VT = V->getType();
          if (V->hasGlobalStorage() || isa<ParmVarDecl>(V)) {
            if (isa<ParmVarDecl>(V))
              return Read; // default argument
            if ((St == State::Object && isMutableLValueRef(VT)) || (St == State::Pointer && isPointerToMutable(VT)))
              return write(AccessWhat::Escape, I, "bound to " + quoted(V));
            return Read;
          }
          if (St == State::Object && (isMutableLValueRef(VT) ||
                                      (VT->isRValueReferenceType() && !VT.getNonReferenceType().isConstQualified())))
            addAlias(V, T, State::Object, Whole);
          else if (St == State::Pointer && (isPointerToMutable(VT) || isPointerLikeClass(VT)))
            addAlias(V, T, State::PointerLocal, Whole);
          return Read;
        }
        if (isa<FieldDecl>(P.D) && St == State::Pointer)
          return write(AccessWhat::Escape, I, "stored in a member initializer");
        return Read;
      }

      const Stmt *PS = P.S;
      if (!PS)
        return Read;

      if (isa<ParenExpr, MaterializeTemporaryExpr, CXXBindTemporaryExpr, ExprWithCleanups, ConstantExpr>(PS))
        continue;

      if (const auto *Cast = dyn_cast<CastExpr>(PS)) {
        switch (Cast->getCastKind()) {
        case CK_LValueToRValue:
          if (St == State::PointerLocal) {
            St = State::Pointer;
            continue;
          }
          if (St == State::Object && isPointerToMutable(CurE->getType())) {
            // Reading a pointer variable: what it points to is reachable
            // through the shared variable, but it is not the variable.
            St = State::Pointer;
            Whole = false;
            continue;
          }
          return Read;
        case CK_NoOp:
        case CK_DerivedToBase:
        case CK_UncheckedDerivedToBase:
        case CK_BaseToDerived:
        case CK_Dynamic:
        case CK_LValueBitCast:
          continue;
        case CK_BitCast:
          if (St == State::Pointer && isPointerToMutable(Cast->getType()))
            continue;
          return Read;
        case CK_ArrayToPointerDecay:
          if (St == State::Object) {
            St = State::Pointer;
            Whole = false;
            continue;
          }
          return Read;
        case CK_ConstructorConversion:
        case CK_UserDefinedConversion:
          continue; // the conversion's call/construct node decides
        default:
          return Read;
        }
      }

      if (const auto *UO = dyn_cast<UnaryOperator>(PS)) {
        switch (UO->getOpcode()) {
        case UO_AddrOf:
          if (St != State::Object)
            return Read;
          St = State::Pointer;
          continue;
        case UO_Deref:
          if (St != State::Pointer)
            return Read;
          St = State::Object;
          continue;
        case UO_PreInc:
        case UO_PreDec:
        case UO_PostInc:
        case UO_PostDec:
          if (St != State::Object)
            return Read;
          return write(Whole ? AccessWhat::Reassign : AccessWhat::Mutate, I - 1,
                       UO->isIncrementOp() ? "'++'" : "'--'");
        default:
          return Read;
        }
      }

      if (const auto *BO = dyn_cast<BinaryOperator>(PS)) {
        if (BO->isAssignmentOp()) {
          if (BO->getLHS() == CurE) {
            if (St != State::Object)
              return Read;
            return write(Whole ? AccessWhat::Reassign : AccessWhat::Mutate, I - 1,
                         "'" + BO->getOpcodeStr().str() + "'");
          }
          if (St != State::Pointer)
            return Read;
          // A pointer into the object is stored: into a local, it becomes an
          // alias we keep following; anywhere else, it escapes.
          if (const auto *DRE = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts()))
            if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl()); V && V->hasLocalStorage()) {
              addAlias(V, T, State::PointerLocal, Whole);
              return Read;
            }
          return write(AccessWhat::Escape, I - 1, "address stored");
        }
        if (BO->getOpcode() == BO_Comma && BO->getRHS() == CurE)
          continue;
        if (BO->isAdditiveOp() && St == State::Pointer && BO->getType()->isPointerType()) {
          Whole = false;
          continue;
        }
        return Read;
      }

      if (const auto *CO = dyn_cast<AbstractConditionalOperator>(PS)) {
        if (CO->getCond() == CurE)
          return Read;
        continue;
      }

      if (const auto *AS = dyn_cast<ArraySubscriptExpr>(PS)) {
        if (AS->getBase() != CurE || St != State::Pointer)
          return Read;
        St = State::Object;
        Whole = false;
        continue;
      }

      if (const auto *ME = dyn_cast<MemberExpr>(PS)) {
        if (ME->getBase() != CurE)
          return Read;
        State ObjSt = St;
        if (ME->isArrow()) {
          if (St == State::Pointer && CurE->getType()->isPointerType())
            ObjSt = State::Object;
          else if (St != State::Object || !CurE->getType()->isPointerType())
            return Read; // operator-> of a class goes through a call node
        } else if (St != State::Object) {
          // `it.first` on an iterator local: not the shared object.
          if (!isa<CXXMethodDecl>(ME->getMemberDecl()))
            return Read;
        }
        if (const auto *Field = dyn_cast<FieldDecl>(ME->getMemberDecl())) {
          // A mutex or atomic member synchronizes itself: locking stats.mu
          // or bumping stats.hits does not write the rest of stats.
          if (syncType(Field->getType()))
            return Read;
          if (ObjSt != State::Object)
            return Read;
          St = State::Object;
          Whole = false;
          continue;
        }
        const auto *M = dyn_cast<CXXMethodDecl>(ME->getMemberDecl());
        if (!M || I < 2)
          return Read;
        const auto *Call = dyn_cast_or_null<CXXMemberCallExpr>(Stack[I - 2].S);
        if (!Call || Call->getCallee() != ME)
          return Read;
        State CallSt = ObjSt;
        if (auto Done = objectCall(M, Call, CallSt, Whole, I - 2))
          return *Done;
        St = CallSt;
        --I; // continue from the call node
        continue;
      }

      if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(PS)) {
        const auto *M = dyn_cast_or_null<CXXMethodDecl>(Op->getDirectCallee());
        unsigned ArgIndex = 0;
        while (ArgIndex < Op->getNumArgs() && Op->getArg(ArgIndex) != CurE)
          ++ArgIndex;
        if (ArgIndex == Op->getNumArgs())
          return Read;
        if (M && ArgIndex == 0) {
          if (auto Done = objectCall(M, Op, St, Whole, I - 1))
            return *Done;
          continue;
        }
        const FunctionDecl *F = Op->getDirectCallee();
        unsigned Param = M ? ArgIndex - 1 : ArgIndex;
        return argument(T, Whole, F, nullptr, Param, Op->getNumArgs(), St, CurE, I - 1);
      }

      if (const auto *Call = dyn_cast<CallExpr>(PS)) {
        if (Call->getCallee() == CurE)
          return Read;
        const FunctionDecl *F = Call->getDirectCallee();
        if (isStdFunction(F, {"move", "forward"}) && Call->getNumArgs() == 1) {
          continue; // the xvalue is the same object
        }
        unsigned ArgIndex = 0;
        while (ArgIndex < Call->getNumArgs() && Call->getArg(ArgIndex) != CurE)
          ++ArgIndex;
        if (ArgIndex == Call->getNumArgs())
          return Read;
        const FunctionProtoType *Proto = nullptr;
        if (!F)
          if (QualType CT = Call->getCallee()->getType(); CT->isPointerType())
            Proto = CT->getPointeeType()->getAs<FunctionProtoType>();
        return argument(T, Whole, F, Proto, ArgIndex, Call->getNumArgs(), St, CurE, I - 1);
      }

      if (const auto *CE = dyn_cast<CXXConstructExpr>(PS)) {
        const CXXConstructorDecl *Ctor = CE->getConstructor();
        if (Ctor && (Ctor->isCopyOrMoveConstructor()) && St != State::Object && isPointerLikeClass(CE->getType())) {
          St = State::Pointer; // a copy of an iterator still points into the object
          continue;
        }
        if (St == State::PointerLocal)
          return Read;
        if (Ctor && classIn(CE->getType(), Opts.syncTypes) && Ctor->getParent()->getName() == "atomic_ref")
          return write(AccessWhat::Reassign, I - 1, "std::atomic_ref", Sync::Atomic);
        unsigned ArgIndex = 0;
        while (ArgIndex < CE->getNumArgs() && CE->getArg(ArgIndex) != CurE)
          ++ArgIndex;
        if (ArgIndex == CE->getNumArgs())
          return Read;
        return argument(T, Whole, Ctor, nullptr, ArgIndex, CE->getNumArgs(), St, CurE, I - 1);
      }

      if (isa<CXXDeleteExpr>(PS)) {
        if (St == State::Pointer)
          return write(AccessWhat::Mutate, I - 1, "deleted");
        return Read;
      }

      if (isa<InitListExpr>(PS)) {
        if (St == State::Pointer && CurE->getType()->isPointerType() && isPointerToMutable(CurE->getType()))
          return write(AccessWhat::Escape, I - 1, "address stored in an aggregate");
        return Read;
      }

      if (const auto *Ret = dyn_cast<ReturnStmt>(PS)) {
        Context C = contextAt(I - 1);
        if (!C.function)
          return Read;
        QualType RT = C.function->getReturnType();
        if (isFieldTarget(T))
          return Read; // a member's accessor: calls through it are the caller's business
        if ((St == State::Object && isMutableLValueRef(RT)) ||
            (St == State::Pointer && (isPointerToMutable(RT) || isPointerLikeClass(RT))))
          ReturnAliases.push_back({C.key, T, Whole && St == State::Object});
        (void)Ret;
        return Read;
      }

      if (const auto *For = dyn_cast<CXXForRangeStmt>(PS)) {
        if (For->getRangeInit() != CurE || St != State::Object)
          return Read;
        if (const VarDecl *LV = For->getLoopVariable(); LV && isMutableLValueRef(LV->getType()))
          addAlias(LV, T, State::Object, false);
        return Read;
      }

      if (const auto *AE = dyn_cast<AtomicExpr>(PS)) {
        if (AE->getPtr() != CurE || St != State::Pointer)
          return Read;
        switch (AE->getOp()) {
        case AtomicExpr::AO__atomic_load:
        case AtomicExpr::AO__atomic_load_n:
        case AtomicExpr::AO__c11_atomic_load:
          return Read;
        default:
          return write(Whole ? AccessWhat::Reassign : AccessWhat::Mutate, I - 1, "atomic builtin", Sync::Atomic);
        }
      }

      return Read;
    }
    return Read;
  }

  // --- handler instances -------------------------------------------------------------

  /// A data member of `this` is mentioned: follow it like a shared variable.
  /// Constructors and destructors run once per object, so what they write is
  /// initialization; mutexes and atomics synchronize themselves; a reference
  /// member is not the object's own state.
  void followMemberOfThis(const FieldDecl *Field) {
    QualType FT = Field->getType();
    if (FT->isReferenceType() || Ctx.getBaseElementType(FT).isConstQualified() || syncType(FT))
      return;
    Context C = contextAt(Stack.size() - 1);
    if (!C.function || isa<CXXConstructorDecl, CXXDestructorDecl>(C.function))
      return;
    const auto *Owner = dyn_cast<CXXRecordDecl>(Field->getParent());
    if (!Owner || Owner->isLambda() || inSystemHeader(Owner->getLocation()))
      return;
    std::string Key = "field:" + declKey(Field);
    FieldTargets.try_emplace(Key, declKey(Owner), Field->getNameAsString());
    AccessTarget T{Key, ""};
    size_t Mention = Stack.size() - 1;
    Use U = walk(T, State::Object, true, Mention);
    if (!U.isWrite)
      return;
    // What a raw or shared pointer member points to is shared with someone
    // else (a pool, a service): only replacing or resetting the pointer
    // changes this object's state. A unique_ptr's object is its own.
    if (isSharingPointer(FT) && U.what != AccessWhat::Reassign &&
        U.method.find("shared_ptr") == std::string::npos && U.method.find("weak_ptr") == std::string::npos)
      return;
    recordWrite(T, U, Mention);
  }

  static bool isSharingPointer(QualType T) {
    if (T->isPointerType())
      return true;
    const auto *RD = T->getAsCXXRecordDecl();
    return RD && RD->isInStdNamespace() && RD->getDeclName().isIdentifier() &&
           (RD->getName() == "shared_ptr" || RD->getName() == "weak_ptr");
  }

  /// The user class an object of type T is, or points to (T*, T&, smart
  /// pointers and std::reference_wrapper of T); null for library classes.
  const CXXRecordDecl *instanceClass(QualType T, int Depth = 0) {
    T = T.getNonReferenceType();
    if (T->isPointerType())
      T = T->getPointeeType();
    T = Ctx.getBaseElementType(T);
    const auto *RD = T->getAsCXXRecordDecl();
    if (!RD)
      return nullptr;
    if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD); Spec && Depth == 0 && Spec->isInStdNamespace()) {
      llvm::StringRef N = Spec->getName();
      const TemplateArgumentList &Args = Spec->getTemplateArgs();
      if ((N == "shared_ptr" || N == "unique_ptr" || N == "reference_wrapper") && Args.size() > 0 &&
          Args[0].getKind() == TemplateArgument::Type)
        return instanceClass(Args[0].getAsType(), Depth + 1);
    }
    RD = RD->getDefinition();
    if (!RD || RD->isLambda() || inSystemHeader(RD->getLocation()))
      return nullptr;
    return RD;
  }

  /// The first class of the handler-base list that RD derives from.
  std::optional<std::string> listedBase(const CXXRecordDecl *RD, int Depth) {
    if (Depth > 16 || !RD->hasDefinition())
      return std::nullopt;
    for (const CXXBaseSpecifier &B : RD->getDefinition()->bases()) {
      if (auto Name = classIn(B.getType(), Opts.handlerBaseClasses))
        return Name;
      if (const CXXRecordDecl *BRD = B.getType()->getAsCXXRecordDecl())
        if (auto Name = listedBase(BRD, Depth + 1))
          return Name;
    }
    return std::nullopt;
  }

  /// F's qualified name as the option lists spell it: no template arguments,
  /// neither the function's nor its class's (crow::TaggedRule::operator()).
  std::string listName(const FunctionDecl *F) {
    std::string Name;
    llvm::raw_string_ostream OS(Name);
    if (const auto *MD = dyn_cast<CXXMethodDecl>(F)) {
      printListName(MD->getParent(), OS);
      OS << "::";
      F->printName(OS, Policy);
    } else {
      F->printQualifiedName(OS, Policy);
    }
    return OS.str();
  }

  static bool isStdFunctionType(QualType T) {
    const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
    return RD && RD->isInStdNamespace() && RD->getDeclName().isIdentifier() &&
           (RD->getName() == "function" || RD->getName() == "move_only_function" ||
            RD->getName() == "copyable_function");
  }

  /// A call that keeps a handler for the life of the process (a listed
  /// registration function, or a non-const member function taking a
  /// std::function: a registry storing it), or that returns the process's
  /// one instance of a class (a listed accessor).
  void handlerCall(const CallExpr *E, const FunctionDecl *Callee) {
    if (!Callee->getDeclName().isIdentifier() && Callee->getOverloadedOperator() != OO_Call)
      return;
    std::string Name = listName(Callee);
    if (Names[&Opts.singletonAccessors].count(Name)) {
      if (const CXXRecordDecl *RD = instanceClass(E->getType())) {
        HandlerInstance H;
        H.classKey = noteClass(RD);
        H.how = "accessor";
        H.detail = "returned by '" + Name + "', which hands out the process's one instance";
        H.location = location(E->getBeginLoc());
        H.entryRule = "public-methods";
        HandlerInstances.push_back(std::move(H));
      }
      return;
    }
    bool Listed = Names[&Opts.registrationFunctions].count(Name) != 0;
    const auto *MD = dyn_cast<CXXMethodDecl>(Callee);
    bool Registry = MD && !MD->isStatic() && !MD->isConst();
    if (!Listed && !Registry)
      return;
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
    std::set<std::string> BoundClasses;
    for (const Registered &R : Found)
      if (!R.entries.empty() && R.how.rfind("member function", 0) == 0)
        BoundClasses.insert(declKey(R.cls));
    for (Registered &R : Found) {
      if (R.entries.empty() && BoundClasses.count(declKey(R.cls)))
        continue;
      HandlerInstance H;
      H.classKey = noteClass(R.cls);
      H.how = "registration";
      H.detail = R.how + " registered with '" + Name + "'";
      H.location = location(R.where);
      H.entries = std::move(R.entries);
      if (H.entries.empty())
        H.entryRule = hasCallOperator(R.cls) ? "call-operators" : "public-methods";
      HandlerInstances.push_back(std::move(H));
    }
  }

  struct Registered {
    const CXXRecordDecl *cls;
    std::string how;
    clang::SourceLocation where;
    std::vector<std::string> entries;
  };

  static bool hasCallOperator(const CXXRecordDecl *RD) {
    for (const CXXMethodDecl *M : RD->methods())
      if (M->getOverloadedOperator() == OO_Call)
        return true;
    for (const Decl *D : RD->decls())
      if (const auto *T = dyn_cast<FunctionTemplateDecl>(D);
          T && T->getTemplatedDecl()->getOverloadedOperator() == OO_Call)
        return true;
    return false;
  }

  /// What the registered argument A keeps alive: a functor (by copy, pointer,
  /// std::ref or shared_ptr), a lambda's captured objects, a member function
  /// with its object (std::bind, Pistache's bind).
  void registeredIn(const Expr *A, std::vector<Registered> &Out, int Depth = 0) {
    if (!A || Depth > 4)
      return;
    // Through the conversions into std::function and temporaries.
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
        A = C->getArg(0); // into std::function, shared_ptr<Base>, or a copy
      else if (const auto *Call = dyn_cast<CallExpr>(A);
               Call && Call->getNumArgs() == 1 && isStdFunction(Call->getDirectCallee(), {"move", "forward"}))
        A = Call->getArg(0);
      else
        break;
    }
    if (const auto *L = dyn_cast<LambdaExpr>(A)) {
      std::string Entry = functionKey(L->getCallOperator());
      for (const auto &[Capture, Init] : llvm::zip(L->captures(), L->capture_inits())) {
        if (Capture.capturesThis()) {
          if (const CXXRecordDecl *RD = Init ? instanceClass(Init->getType()) : nullptr)
            Out.push_back({RD, "'this' captured by a handler", Capture.getLocation(), {Entry}});
          continue;
        }
        if (!Capture.capturesVariable())
          continue;
        const ValueDecl *V = Capture.getCapturedVar();
        QualType T = V->getType();
        bool ByRef = Capture.getCaptureKind() == LCK_ByRef || T->isReferenceType();
        const CXXRecordDecl *RD = instanceClass(T);
        // A copy of an object lives in the lambda: writable only if mutable.
        bool Shares = ByRef || T->isPointerType() || (RD && T->getAsCXXRecordDecl() != RD) || L->isMutable();
        if (RD && Shares)
          Out.push_back({RD, "'" + V->getNameAsString() + "' captured " + (ByRef ? "by reference" : "by copy") +
                                 " by a handler",
                         Capture.getLocation(), {Entry}});
      }
      return;
    }
    if (const auto *Call = dyn_cast<CallExpr>(A)) {
      const FunctionDecl *F = Call->getDirectCallee();
      if (isStdFunction(F, {"bind", "bind_front"})) {
        for (const Expr *Arg : Call->arguments())
          registeredIn(Arg, Out, Depth + 1);
        return;
      }
      if (isStdFunction(F, {"ref", "cref"}) && Call->getNumArgs() == 1) {
        if (const CXXRecordDecl *RD = instanceClass(Call->getArg(0)->getType()))
          Out.push_back({RD, "std::" + F->getNameAsString() + "(" + spelled(Call->getArg(0)) + ")", A->getBeginLoc(), {}});
        return;
      }
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(A); UO && UO->getOpcode() == UO_AddrOf)
      if (const auto *DRE = dyn_cast<DeclRefExpr>(UO->getSubExpr()->IgnoreParens()))
        if (const auto *M = dyn_cast<CXXMethodDecl>(DRE->getDecl()); M && !M->isStatic()) {
          const CXXRecordDecl *RD = M->getParent()->getDefinition();
          if (RD && !inSystemHeader(RD->getLocation()))
            Out.push_back({RD, "member function '" + M->getNameAsString() + "'", A->getBeginLoc(),
                           {functionKey(M)}});
          return;
        }
    QualType T = A->getType();
    const CXXRecordDecl *RD = instanceClass(T);
    if (!RD)
      return;
    std::string How = isa<CXXThisExpr>(A)             ? "'this'"
                      : T->isPointerType()            ? "a pointer (" + spelled(A) + ")"
                      : T->getAsCXXRecordDecl() != RD ? "a smart pointer (" + spelled(A) + ")"
                                                      : spelled(A) + " (kept by reference or as one copy)";
    Out.push_back({RD, How, A->getBeginLoc(), {}});
  }

  /// A short name for a registered expression: the variable, or what it is.
  static std::string spelled(const Expr *E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_AddrOf)
      E = UO->getSubExpr()->IgnoreParenImpCasts();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      return DRE->getDecl()->getNameAsString();
    if (const auto *ME = dyn_cast<MemberExpr>(E))
      return ME->getMemberDecl()->getNameAsString();
    return "an object";
  }

  std::string noteClass(const CXXRecordDecl *RD) {
    RD = RD->getDefinition() ? RD->getDefinition() : RD;
    Classes.insert(RD);
    return declKey(RD);
  }

  ClassInfo describeClass(const CXXRecordDecl *RD) {
    ClassInfo C;
    C.key = declKey(RD);
    llvm::raw_string_ostream OS(C.name);
    RD->getNameForDiagnostic(OS, Policy, /*Qualified=*/true); // with template arguments
    OS.flush();
    C.location = location(RD->getLocation());
    std::vector<const CXXRecordDecl *> Work{RD};
    std::set<std::string> Seen;
    while (!Work.empty()) {
      const CXXRecordDecl *Cur = Work.back();
      Work.pop_back();
      if (!Cur->hasDefinition())
        continue;
      for (const CXXBaseSpecifier &B : Cur->getDefinition()->bases())
        if (const CXXRecordDecl *BRD = B.getType()->getAsCXXRecordDecl())
          if (!inSystemHeader(BRD->getLocation()) && Seen.insert(declKey(BRD)).second) {
            C.bases.push_back(declKey(BRD));
            Work.push_back(BRD);
          }
    }
    std::sort(C.bases.begin(), C.bases.end());
    return C;
  }

  ASTContext &Ctx;
  SourceManager &SM;
  const AnalysisOptions &Opts;
  PrintingPolicy Policy;
  std::map<const std::vector<std::string> *, std::set<std::string>> Names;

  std::vector<Frame> Stack;
  llvm::SetVector<const VarDecl *> Variables;
  llvm::DenseMap<const VarDecl *, LocalAlias> Aliases;
  llvm::DenseMap<const Decl *, std::string> KeyCache;
  llvm::DenseMap<FileID, std::string> PathCache;
  llvm::DenseMap<const CXXMethodDecl *, bool> AccessorCache;
  llvm::DenseMap<const CompoundStmt *, std::vector<LockState>> LockCache;
  llvm::DenseMap<const VarDecl *, const VarDecl *> LocalPatternCache;

  std::vector<Access> Accesses;
  std::set<std::tuple<std::string, std::string, unsigned, unsigned, std::string, AccessWhat, std::string, Sync>>
      SeenAccesses;
  std::vector<ReturnAlias> ReturnAliases;
  std::vector<GuardedCheck> GuardedChecks;
  std::set<std::string> Borrowed;
  std::vector<Access> MemberWrites;
  std::vector<HandlerInstance> HandlerInstances;
  llvm::SetVector<const CXXRecordDecl *> Classes;
  /// "field:<USR>" -> (class key, field name).
  std::map<std::string, std::pair<std::string, std::string>> FieldTargets;
  std::map<std::string, Function> Functions;
  struct EdgeLess {
    bool operator()(const CallEdge &A, const CallEdge &B) const {
      return std::tie(A.caller, A.callee, A.sync) < std::tie(B.caller, B.callee, B.sync);
    }
  };
  std::set<CallEdge, EdgeLess> Edges;
};

} // namespace

TUFacts extractFacts(clang::ASTContext &Ctx, const AnalysisOptions &Opts, DeclIndex *Index) {
  return Collector(Ctx, Opts).run(Index);
}

} // namespace sharedstate
