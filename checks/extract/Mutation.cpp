// The mutation walk: visitors, the loop, and the steps through operators,
// casts, members, declarations and statements (see Mutation.h). The steps
// through calls are in MutationCalls.cpp.
#include "extract/Mutation.h"

#include "extract/AstQueries.h"
#include "extract/TUContext.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>

#include <algorithm>

namespace sharedstate::extract {

using namespace clang;

namespace {

std::string quoted(const NamedDecl *D) { return D ? "'" + D->getNameAsString() + "'" : std::string("a call"); }

/// What a raw or shared pointer member points to is shared with someone
/// else (a pool, a service): only replacing it changes this object's state.
bool isSharingPointer(QualType T) {
  return T->isPointerType() || isStdClass(T, "shared_ptr") || isStdClass(T, "weak_ptr");
}

template <typename T> void addSorted(std::vector<T> &To, T V) {
  auto It = std::lower_bound(To.begin(), To.end(), V);
  if (It == To.end() || !(*It == V))
    To.insert(It, std::move(V));
}

/// A use of a synchronization object (a mutex or atomic member, what a
/// pointer to a mutex points to): it synchronizes itself, and is neither a
/// read nor a write of the object that holds or points to it.
Use syncObject() {
  Use U;
  U.ofSyncMember = true;
  return U;
}

/// A const pointer that points to no object: `T *const kNone = nullptr;`,
/// or an integer cast to a pointer (`reinterpret_cast<T *>(1)`), a marker
/// compared against, never written through.
bool isSentinel(const VarDecl *V) {
  QualType T = V->getType();
  const VarDecl *Def = nullptr;
  const Expr *Init = V->getAnyInitializer(Def);
  if (!T->isPointerType() || !T.isConstQualified() || !Init || Init->isValueDependent())
    return false;
  ASTContext &Ctx = V->getASTContext();
  auto NoObject = [&](const Expr *E) {
    E = E->IgnoreParenImpCasts();
    return E->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull) || isa<IntegerLiteral>(E);
  };
  if (NoObject(Init))
    return true;
  const auto *Cast = dyn_cast<ExplicitCastExpr>(Init->IgnoreParenImpCasts());
  return Cast && NoObject(Cast->getSubExpr());
}

} // namespace

Use writeAt(AccessWhat W, size_t Frame, std::string Detail, Sync S) {
  Use U;
  U.isWrite = true;
  U.what = W;
  U.frame = Frame;
  U.detail = std::move(Detail);
  U.sync = S;
  return U;
}

// --- visitors ------------------------------------------------------------------

void Mutation::visitDeclRef(const DeclRefExpr *E) {
  if (const auto *P = dyn_cast<ParmVarDecl>(E->getDecl())) {
    const auto *F = dyn_cast_or_null<FunctionDecl>(P->getDeclContext());
    if (!F)
      return;
    // A forwarding reference bound to an lvalue: writes through it are
    // writes to whatever the call sites passed (see argument()).
    if (isMutableReference(P->getType()) && isForwardingReference(F, P->getFunctionScopeIndex()))
      follow({AccessTarget::parameter(TU.ids.functionKey(F), P->getFunctionScopeIndex()), ""}, State::Object, true);
    else
      followParameter(F, P);
    return;
  }
  if (const auto *V = dyn_cast<VarDecl>(E->getDecl())) {
    if (TU.variables.isShared(V)) {
      followShared(V);
    } else if (auto It = Aliases.find(V); It != Aliases.end()) {
      LocalAlias A = It->second; // copy: follow() may add aliases
      follow(A.subject, A.state, A.whole);
    }
  } else if (const auto *B = dyn_cast<BindingDecl>(E->getDecl())) {
    // `auto &[key, value] = *it;`: a binding names a part of the object
    // its decomposition declaration refers to.
    if (const auto *DD = dyn_cast_or_null<VarDecl>(B->getDecomposedDecl()))
      if (auto It = Aliases.find(DD); It != Aliases.end() && It->second.state == State::Object) {
        LocalAlias A = It->second;
        follow(A.subject, State::Object, false);
      }
  }
}

void Mutation::visitMember(const MemberExpr *E) {
  if (const auto *V = dyn_cast<VarDecl>(E->getMemberDecl()); V && TU.variables.isShared(V))
    followShared(V);
  else if (const auto *Field = dyn_cast<FieldDecl>(E->getMemberDecl());
           Field && isa<CXXThisExpr>(E->getBase()->IgnoreParenImpCasts()))
    followMemberOfThis(Field);
}

void Mutation::visitCallResult(const FunctionDecl *Callee) {
  QualType R = Callee->getReturnType();
  if ((R->isReferenceType() || R->isPointerType()) && TU.listed.syncType(R->getPointeeType()))
    return; // `registry_mutex()`: what is done to the mutex is locking it
  if (isMutableLValueRef(R))
    follow({AccessTarget::callResult(TU.ids.functionKey(Callee)), ""}, State::Object, true);
  else if (isPointerToMutable(R))
    follow({AccessTarget::callResult(TU.ids.functionKey(Callee)), ""}, State::Pointer, true);
}

/// The mention on top of the stack names shared variable V: list V and
/// follow the mention to its read or write.
void Mutation::followShared(const VarDecl *V) {
  QualType T = V->getType();
  if (isSentinel(V))
    return; // nothing can be written through it, and its value never changes
  bool Constant = TU.ast.getBaseElementType(T.getNonReferenceType()).isConstQualified() && !T->isReferenceType();
  bool Reads = !Constant && !TU.listed.syncType(T);
  follow({AccessTarget::variable(TU.variables.note(V)), ""}, State::Object, true, Reads);
}

void Mutation::followParameter(const FunctionDecl *F, const ParmVarDecl *P) {
  QualType T = P->getType();
  const bool Reference = isMutableLValueRef(T);
  if ((!Reference && !isPointerToMutable(T)) || TU.ids.inSystemHeader(F->getLocation()))
    return;
  TU.calls.function(F); // the summary lands on its facts entry
  Subject S{AccessTarget::parameter(TU.ids.functionKey(F), P->getFunctionScopeIndex()), "", /*summary=*/true};
  // A pointer parameter is a local holding a pointer into the object:
  // writing through it writes the object, reassigning it does not.
  follow(S, Reference ? State::Object : State::PointerLocal, true, /*Reads=*/false);
}

void Mutation::recordParamEffect(const Subject &S, const Use &U) {
  if (TU.stack.inUnevaluatedContext(U.frame))
    return;
  Function *F = TU.calls.known(S.target.key);
  if (!F)
    return;
  const unsigned Param = S.target.index;
  if (!U.passedTo.empty()) {
    if (U.passedTo != S.target.key || U.passedIndex != Param)
      addSorted(F->paramPasses, ParamPass{Param, U.passedTo, U.passedIndex});
    return;
  }
  addSorted(F->paramEffects, ParamEffect{Param, U.what != AccessWhat::Escape});
}

/// A data member of `this` is mentioned: follow it like a shared variable.
/// Constructors and destructors run once per object, so what they write is
/// initialization; mutexes and atomics synchronize themselves; a reference
/// member is not the object's own state.
void Mutation::followMemberOfThis(const FieldDecl *Field) {
  QualType FT = Field->getType();
  if (FT->isReferenceType() || TU.ast.getBaseElementType(FT).isConstQualified() || TU.listed.syncType(FT))
    return;
  Context C = TU.calls.contextAt(TU.stack.top());
  if (!C.function || isa<CXXConstructorDecl, CXXDestructorDecl>(C.function))
    return;
  const auto *Owner = dyn_cast<CXXRecordDecl>(Field->getParent());
  if (!Owner || Owner->isLambda() || TU.ids.inSystemHeader(Owner->getLocation()))
    return;
  const Subject S{AccessTarget::classField(TU.ids.declKey(Owner)), Field->getNameAsString()};
  size_t Mention = TU.stack.top();
  Use U = walk(S, State::Object, true, Mention);
  if (!U.isWrite)
    return;
  // A unique_ptr's object is its own; a raw or shared pointer's is not.
  if (isSharingPointer(FT) && U.what != AccessWhat::Reassign && U.method.find("shared_ptr") == std::string::npos &&
      U.method.find("weak_ptr") == std::string::npos)
    return;
  recordWrite(S, U, Mention);
}

// --- recording --------------------------------------------------------------------

void Mutation::addAccess(Access A) {
  auto Key = std::make_tuple(A.target, A.location.line, A.location.column, A.location.file, A.what, A.functionKey,
                             A.sync);
  if (SeenAccesses.insert(Key).second)
    Accesses.push_back(std::move(A));
}

void Mutation::recordWrite(const Subject &S, const Use &U, size_t MentionIndex) {
  if (S.summary)
    return recordParamEffect(S, U);
  if (TU.stack.inUnevaluatedContext(U.frame))
    return;
  Context C = TU.calls.contextAt(MentionIndex);
  Access A;
  A.target = S.target;
  A.what = U.what;
  const Stmt *Mention = TU.stack[MentionIndex].S;
  A.location = TU.ids.location(Mention->getBeginLoc());
  if (const auto *ME = dyn_cast<MemberExpr>(Mention))
    A.location = TU.ids.location(ME->getMemberLoc());
  A.functionKey = C.key;
  A.functionName = C.name;
  Held H = TU.locks.heldAt(U.frame);
  A.sync = U.sync != Sync::None ? U.sync : H.sync();
  bool SharedOnly = A.sync == Sync::None && H.sharedOnly();
  A.locks = std::move(H.locks);
  A.handOffs = TU.handOff.at(U.frame);
  A.detail = U.detail;
  if (SharedOnly)
    A.detail += A.detail.empty() ? "only a shared (reader) lock is held" : ", only a shared (reader) lock is held";
  A.method = U.method;
  A.passedTo = U.passedTo;
  A.passedIndex = U.passedIndex;
  if (S.isField()) {
    A.field = S.field;
    MemberWrites.push_back(std::move(A));
    return;
  }
  addAccess(std::move(A));
}

void Mutation::recordRead(const Subject &S, size_t MentionIndex, Sync Own) {
  if (S.isField() || S.summary || TU.stack.inUnevaluatedContext(MentionIndex))
    return;
  Context C = TU.calls.contextAt(MentionIndex);
  Held H = TU.locks.heldAt(MentionIndex);
  HandOffs Around = TU.handOff.at(MentionIndex);
  const Sync Synced = Own != Sync::None ? Own : H.sync();
  if (!SeenReads.emplace(S.target, C.key, Synced, H.locks, Around).second)
    return;
  Access A;
  A.target = S.target;
  A.what = AccessWhat::Read;
  A.location = TU.ids.location(TU.stack[MentionIndex].S->getBeginLoc());
  if (const auto *ME = dyn_cast<MemberExpr>(TU.stack[MentionIndex].S))
    A.location = TU.ids.location(ME->getMemberLoc());
  A.functionKey = C.key;
  A.functionName = C.name;
  A.sync = Synced;
  A.locks = std::move(H.locks);
  A.handOffs = std::move(Around);
  addAccess(std::move(A));
}

void Mutation::addAlias(const VarDecl *Local, const Subject &S, State St, bool Whole) {
  Aliases[Local] = LocalAlias{S, St, Whole};
  if (S.target.isVariable())
    Borrowed.insert(S.target.key);
}

void Mutation::emit(TUFacts &Out) {
  Out.accesses = std::move(Accesses);
  Out.borrowed.assign(Borrowed.begin(), Borrowed.end());
  Out.returnAliases = std::move(ReturnAliases);
  Out.memberWrites = std::move(MemberWrites);
}

// --- the walk -------------------------------------------------------------------------

void Mutation::follow(const Subject &S, State St, bool Whole, bool Reads) {
  size_t Mention = TU.stack.top();
  Use U = walk(S, St, Whole, Mention);
  if (U.isWrite)
    recordWrite(S, U, Mention);
  else if (Reads && !U.ofSyncMember)
    recordRead(S, Mention, U.sync);
}

Use Mutation::walk(const Subject &S, State St, bool Whole, size_t I) {
  Walk W{S, St, Whole, I};
  for (; W.i > 0; --W.i) {
    const auto *Cur = dyn_cast_or_null<Expr>(TU.stack[W.i].S);
    if (!Cur)
      return Use();
    if (std::optional<Use> Done = step(W, Cur))
      return *Done;
  }
  return Use();
}

std::optional<Use> Mutation::step(Walk &W, const Expr *Cur) {
  const Frame &P = TU.stack[W.i - 1];
  if (P.D)
    return stepInitializer(W, P.D, Cur);
  const Stmt *PS = P.S;
  if (!PS)
    return Use();
  if (isa<ParenExpr, MaterializeTemporaryExpr, CXXBindTemporaryExpr, ExprWithCleanups, ConstantExpr>(PS))
    return std::nullopt;
  if (const auto *Cast = dyn_cast<CastExpr>(PS))
    return stepCast(W, Cast, Cur);
  if (const auto *UO = dyn_cast<UnaryOperator>(PS))
    return stepUnary(W, UO);
  if (const auto *BO = dyn_cast<BinaryOperator>(PS))
    return stepBinary(W, BO, Cur);
  if (const auto *CO = dyn_cast<AbstractConditionalOperator>(PS))
    return CO->getCond() == Cur ? std::optional<Use>(Use()) : std::nullopt;
  if (const auto *AS = dyn_cast<ArraySubscriptExpr>(PS)) {
    if (AS->getBase() != Cur || W.st != State::Pointer)
      return Use();
    W.st = State::Object;
    W.whole = false;
    return std::nullopt;
  }
  if (const auto *ME = dyn_cast<MemberExpr>(PS))
    return stepMember(W, ME, Cur);
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(PS))
    return stepOperatorCall(W, Op, Cur);
  if (const auto *Call = dyn_cast<CallExpr>(PS))
    return stepCall(W, Call, Cur);
  if (const auto *CE = dyn_cast<CXXConstructExpr>(PS))
    return stepConstruct(W, CE, Cur);
  return stepStatement(W, PS, Cur);
}

/// The expression initializes a declaration: a local reference or pointer
/// becomes an alias we keep following; a static-storage one lets the object
/// escape.
std::optional<Use> Mutation::stepInitializer(Walk &W, const Decl *D, const Expr *Cur) {
  size_t I = W.i;
  if (const auto *V = dyn_cast<VarDecl>(D)) {
    if (!V->getInit() || ignoreTransparent(V->getInit()) != ignoreTransparent(Cur))
      return Use(); // an array bound or attribute, not the initializer
    QualType VT = V->getType();
    if (V->hasGlobalStorage() || isa<ParmVarDecl>(V)) {
      if (isa<ParmVarDecl>(V))
        return Use(); // default argument
      if ((W.st == State::Object && isMutableLValueRef(VT)) || (W.st == State::Pointer && isPointerToMutable(VT)))
        return writeAt(AccessWhat::Escape, I, "bound to " + quoted(V));
      return Use();
    }
    if (W.st == State::Object &&
        (isMutableLValueRef(VT) || (VT->isRValueReferenceType() && !VT.getNonReferenceType().isConstQualified())))
      addAlias(V, W.subject, State::Object, W.whole);
    else if (W.st == State::Pointer && (isPointerToMutable(VT) || isPointerLikeClass(VT)))
      addAlias(V, W.subject, State::PointerLocal, W.whole);
    return Use();
  }
  if (isa<FieldDecl>(D) && W.st == State::Pointer)
    return writeAt(AccessWhat::Escape, I, "stored in a member initializer");
  // A constructor's member initializer: a pointer stored in a member, or a
  // reference member bound to the object, is kept by the new object.
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(D))
    for (const CXXCtorInitializer *Init : Ctor->inits()) {
      const FieldDecl *Member = Init->getMember();
      if (!Member || !Init->getInit() || ignoreTransparent(Init->getInit()) != ignoreTransparent(Cur))
        continue;
      QualType MT = Member->getType();
      if ((W.st == State::Pointer && (isPointerToMutable(MT) || isPointerLikeClass(MT))) ||
          (W.st == State::Object && isMutableLValueRef(MT)))
        return writeAt(AccessWhat::Escape, I, "stored in member '" + Member->getNameAsString() + "'");
      break;
    }
  return Use();
}

std::optional<Use> Mutation::stepCast(Walk &W, const CastExpr *Cast, const Expr *Cur) {
  switch (Cast->getCastKind()) {
  case CK_LValueToRValue:
    if (W.st == State::PointerLocal) {
      W.st = State::Pointer;
      return std::nullopt;
    }
    if (W.st == State::Object && isPointerToMutable(Cur->getType())) {
      // Reading a pointer variable: what it points to is reachable through
      // the shared variable, but it is not the variable.
      W.st = State::Pointer;
      W.whole = false;
      return std::nullopt;
    }
    return Use();
  case CK_NoOp:
  case CK_DerivedToBase:
  case CK_UncheckedDerivedToBase:
  case CK_BaseToDerived:
  case CK_Dynamic:
  case CK_LValueBitCast:
    return std::nullopt;
  case CK_BitCast:
    if (W.st == State::Pointer && isPointerToMutable(Cast->getType()))
      return std::nullopt;
    return Use();
  case CK_ArrayToPointerDecay:
    if (W.st == State::Object) {
      W.st = State::Pointer;
      W.whole = false;
      return std::nullopt;
    }
    return Use();
  case CK_ConstructorConversion:
  case CK_UserDefinedConversion:
    return std::nullopt; // the conversion's call/construct node decides
  default:
    return Use();
  }
}

std::optional<Use> Mutation::stepUnary(Walk &W, const UnaryOperator *UO) {
  switch (UO->getOpcode()) {
  case UO_AddrOf:
    if (W.st != State::Object)
      return Use();
    W.st = State::Pointer;
    return std::nullopt;
  case UO_Deref:
    if (W.st != State::Pointer)
      return Use();
    if (TU.listed.syncType(UO->getType()))
      return syncObject(); // `*p` of a `std::mutex *p`: locking it writes nothing of p
    W.st = State::Object;
    return std::nullopt;
  case UO_PreInc:
  case UO_PreDec:
  case UO_PostInc:
  case UO_PostDec:
    if (W.st != State::Object)
      return Use();
    return writeAt(W.whole ? AccessWhat::Reassign : AccessWhat::Mutate, W.i - 1,
                   UO->isIncrementOp() ? "'++'" : "'--'");
  default:
    return Use();
  }
}

std::optional<Use> Mutation::stepBinary(Walk &W, const BinaryOperator *BO, const Expr *Cur) {
  if (BO->isAssignmentOp()) {
    if (BO->getLHS() == Cur) {
      if (W.st != State::Object)
        return Use();
      return writeAt(W.whole ? AccessWhat::Reassign : AccessWhat::Mutate, W.i - 1,
                     "'" + BO->getOpcodeStr().str() + "'");
    }
    if (W.st != State::Pointer)
      return Use();
    // A pointer into the object is stored: into a local, it becomes an
    // alias we keep following; anywhere else, it escapes.
    if (const auto *DRE = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts()))
      if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl()); V && V->hasLocalStorage()) {
        addAlias(V, W.subject, State::PointerLocal, W.whole);
        return Use();
      }
    return writeAt(AccessWhat::Escape, W.i - 1, "address stored");
  }
  if (BO->getOpcode() == BO_Comma && BO->getRHS() == Cur)
    return std::nullopt;
  if (BO->isAdditiveOp() && W.st == State::Pointer && BO->getType()->isPointerType()) {
    W.whole = false;
    return std::nullopt;
  }
  return Use();
}

std::optional<Use> Mutation::stepMember(Walk &W, const MemberExpr *ME, const Expr *Cur) {
  if (ME->getBase() != Cur)
    return Use();
  State ObjSt = W.st;
  if (ME->isArrow()) {
    if (W.st == State::Pointer && Cur->getType()->isPointerType() && TU.listed.syncType(Cur->getType()->getPointeeType()))
      return syncObject(); // `p->lock()`
    if (W.st == State::Pointer && Cur->getType()->isPointerType())
      ObjSt = State::Object;
    else if (W.st != State::Object || !Cur->getType()->isPointerType())
      return Use(); // operator-> of a class goes through a call node
  } else if (W.st != State::Object) {
    // `it.first` on an iterator local: not the shared object.
    if (!isa<CXXMethodDecl>(ME->getMemberDecl()))
      return Use();
  }
  if (const auto *Field = dyn_cast<FieldDecl>(ME->getMemberDecl())) {
    // A mutex or atomic member synchronizes itself: locking stats.mu or
    // bumping stats.hits neither writes nor reads the rest of stats.
    if (TU.listed.syncType(Field->getType()))
      return syncObject();
    if (ObjSt != State::Object)
      return Use();
    W.st = State::Object;
    W.whole = false;
    return std::nullopt;
  }
  const auto *M = dyn_cast<CXXMethodDecl>(ME->getMemberDecl());
  if (!M || W.i < 2)
    return Use();
  const auto *Call = dyn_cast_or_null<CXXMemberCallExpr>(TU.stack[W.i - 2].S);
  if (!Call || Call->getCallee() != ME)
    return Use();
  State CallSt = ObjSt;
  if (auto Done = objectCall(M, Call, CallSt, W.whole, W.i - 2))
    return Done;
  W.st = CallSt;
  --W.i; // continue from the call node
  return std::nullopt;
}

/// delete, braced initializers, return, range-for and atomic builtins.
std::optional<Use> Mutation::stepStatement(Walk &W, const Stmt *PS, const Expr *Cur) {
  if (isa<CXXDeleteExpr>(PS))
    return W.st == State::Pointer ? writeAt(AccessWhat::Mutate, W.i - 1, "deleted") : Use();

  if (isa<InitListExpr>(PS)) {
    if (W.st == State::Pointer && Cur->getType()->isPointerType() && isPointerToMutable(Cur->getType()))
      return writeAt(AccessWhat::Escape, W.i - 1, "address stored in an aggregate");
    return Use();
  }

  if (isa<ReturnStmt>(PS)) {
    // Returned by non-const reference or pointer: the function hands the
    // object out, and its callers' writes land here (resolved in classify).
    Context C = TU.calls.contextAt(W.i - 1);
    if (!C.function || W.subject.isField())
      return Use(); // a member's accessor: calls through it are the caller's business
    QualType RT = C.function->getReturnType();
    const bool HandsOut = (W.st == State::Object && isMutableLValueRef(RT)) ||
                          (W.st == State::Pointer && (isPointerToMutable(RT) || isPointerLikeClass(RT)));
    if (W.subject.summary)
      return HandsOut ? writeAt(AccessWhat::Escape, W.i - 1, "returned") : Use();
    if (HandsOut)
      ReturnAliases.push_back({AccessTarget::callResult(C.key), W.subject.target, W.whole && W.st == State::Object});
    return Use();
  }

  if (const auto *For = dyn_cast<CXXForRangeStmt>(PS)) {
    if (For->getRangeInit() != Cur || W.st != State::Object)
      return Use();
    if (const VarDecl *LV = For->getLoopVariable(); LV && isMutableLValueRef(LV->getType()))
      addAlias(LV, W.subject, State::Object, false);
    return Use();
  }

  if (const auto *AE = dyn_cast<AtomicExpr>(PS)) {
    if (AE->getPtr() != Cur || W.st != State::Pointer)
      return Use();
    if (isAtomicLoad(AE)) {
      Use Read; // a read, but an atomic one
      Read.sync = Sync::Atomic;
      return Read;
    }
    return writeAt(W.whole ? AccessWhat::Reassign : AccessWhat::Mutate, W.i - 1, "atomic builtin", Sync::Atomic);
  }
  return Use();
}

} // namespace sharedstate::extract
