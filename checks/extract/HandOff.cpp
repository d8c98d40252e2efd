// Release/acquire hand-offs (see HandOff.h for the rules).
#include "extract/HandOff.h"

#include "extract/AstQueries.h"
#include "extract/TUContext.h"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>

#include <algorithm>

namespace sharedstate::extract {

using namespace clang;

namespace {

// std::memory_order's values, which the __ATOMIC_* macros share.
enum Order : int64_t { Relaxed = 0, Consume = 1, Acquire = 2, Release = 3, AcqRel = 4, SeqCst = 5 };

bool acquires(int64_t O) { return O == Consume || O == Acquire || O == AcqRel || O == SeqCst; }
bool releases(int64_t O) { return O == Release || O == AcqRel || O == SeqCst; }

void addFlag(std::vector<LockRef> &To, const LockRef &L) {
  if (std::find(To.begin(), To.end(), L) == To.end())
    To.push_back(L);
}

/// std::atomic, std::atomic_flag, std::atomic_ref, and the bases they are built on.
bool isStdAtomicClass(const CXXRecordDecl *RD) {
  if (!RD || !RD->isInStdNamespace() || !RD->getDeclName().isIdentifier())
    return false;
  llvm::StringRef N = RD->getName();
  return N.starts_with("atomic") || N.starts_with("__atomic");
}

/// In std, or in a namespace inside it (libstdc++'s std::_V2).
bool inStd(const Decl *D) {
  const NamespaceDecl *Outer = nullptr;
  for (const DeclContext *DC = D->getDeclContext(); DC; DC = DC->getParent())
    if (const auto *NS = dyn_cast<NamespaceDecl>(DC))
      Outer = NS;
  return Outer && Outer->getDeclName().isIdentifier() && Outer->getName() == "std";
}

/// The class of a std member function, if it is one of Names.
bool isStdMember(const CXXMethodDecl *MD, std::initializer_list<llvm::StringRef> Names) {
  const CXXRecordDecl *RD = MD ? MD->getParent() : nullptr;
  if (!RD || !RD->getDeclName().isIdentifier() || !inStd(RD))
    return false;
  return std::find(Names.begin(), Names.end(), RD->getName()) != Names.end();
}

/// A wait on a condition variable: std::condition_variable(_any)'s wait,
/// wait_for, wait_until, or pthread_cond_wait / pthread_cond_timedwait.
bool isConditionWait(const CallExpr *Call) {
  const FunctionDecl *F = Call ? Call->getDirectCallee() : nullptr;
  if (!F || !F->getDeclName().isIdentifier())
    return false;
  llvm::StringRef N = F->getName();
  if (const auto *MD = dyn_cast<CXXMethodDecl>(F))
    return isStdMember(MD, {"condition_variable", "condition_variable_any"}) &&
           (N == "wait" || N == "wait_for" || N == "wait_until");
  return F->isExternC() && (N == "pthread_cond_wait" || N == "pthread_cond_timedwait");
}

bool containsConditionWait(const Stmt *S) {
  if (!S || isa<LambdaExpr>(S))
    return false;
  if (isConditionWait(dyn_cast<CallExpr>(S)))
    return true;
  return std::any_of(S->child_begin(), S->child_end(), [](const Stmt *C) { return containsConditionWait(C); });
}

} // namespace

std::optional<HandOff::AtomicOp> HandOff::syncCallOp(const CallExpr *Call) {
  const FunctionDecl *F = Call->getDirectCallee();
  if (!F || !F->getDeclName().isIdentifier())
    return std::nullopt;
  llvm::StringRef N = F->getName();
  const Expr *Object = nullptr;
  bool Acquire = false, Release = false, Waits = false;
  if (const auto *MD = dyn_cast<CXXMethodDecl>(F)) {
    const auto *MC = dyn_cast<CXXMemberCallExpr>(Call);
    if (!MC)
      return std::nullopt;
    Object = MC->getImplicitObjectArgument();
    if (isStdMember(MD, {"counting_semaphore"})) {
      Release = N == "release";
      Acquire = N.starts_with("acquire") || N.starts_with("try_acquire");
      Waits = N == "acquire";
    } else if (isStdMember(MD, {"latch", "barrier"})) {
      Release = N == "count_down" || N.starts_with("arrive");
      Acquire = N == "wait" || N == "try_wait" || N == "arrive_and_wait";
      Waits = N == "wait" || N == "arrive_and_wait";
    }
  } else if (F->isExternC() && Call->getNumArgs() > 0) {
    Object = Call->getArg(0);
    Release = N == "sem_post" || N == "pthread_barrier_wait";
    Acquire = N == "sem_wait" || N == "sem_timedwait" || N == "sem_clockwait" || N == "pthread_barrier_wait";
    Waits = Acquire;
  }
  if (!Object || (!Acquire && !Release))
    return std::nullopt;
  std::optional<LockRef> Flag = TU.locks.mutexOf(Object);
  if (!Flag)
    return std::nullopt;
  AtomicOp Op;
  Op.flag = std::move(*Flag);
  Op.flag.name.clear();
  Op.load = Op.acquire = Acquire;
  Op.store = Op.release = Release;
  Op.waits = Waits;
  return Op;
}

void HandOff::readsIn(const Stmt *S, std::vector<LockRef> &Out) {
  if (!S)
    return;
  const Expr *Named = nullptr;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S); DRE && isa<VarDecl>(DRE->getDecl()))
    Named = DRE;
  else if (const auto *ME = dyn_cast<MemberExpr>(S); ME && isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
    Named = ME; // `ready_` in a member function
  if (Named) {
    if (std::optional<LockRef> L = TU.locks.mutexOf(Named)) {
      L->name.clear();
      addFlag(Out, *L);
    }
    return;
  }
  for (const Stmt *Child : S->children())
    readsIn(Child, Out);
}

std::vector<LockRef> HandOff::predicateFlags(const CallExpr *Call) {
  std::vector<LockRef> Out;
  const auto *MC = dyn_cast<CXXMemberCallExpr>(Call);
  if (!MC || !isConditionWait(Call))
    return Out;
  // wait(lock, pred), wait_for(lock, duration, pred), wait_until(lock, time, pred).
  unsigned Least = MC->getMethodDecl()->getName() == "wait" ? 2 : 3;
  if (Call->getNumArgs() < Least)
    return Out;
  const Expr *Pred = unwrapValue(Call->getArg(Call->getNumArgs() - 1), {});
  if (const auto *Ctor = dyn_cast<CXXConstructExpr>(Pred); Ctor && Ctor->getNumArgs() == 1)
    Pred = unwrapValue(Ctor->getArg(0), {});
  const auto *Lambda = dyn_cast<LambdaExpr>(Pred);
  if (!Lambda)
    return Out;
  // The wait returns once the predicate saw what it waited for, under the mutex.
  readsIn(Lambda->getBody(), Out);
  std::vector<AtomicOp> Ops;
  atomicOpsIn(Lambda->getBody(), Ops);
  for (const AtomicOp &Op : Ops)
    if (Op.acquire)
      addFlag(Out, Op.flag);
  return Out;
}

void HandOff::lockedWrites(const CompoundStmt *CS, const Stmt *S, std::vector<LockRef> &Out) {
  const auto *E = dyn_cast<Expr>(S);
  if (!E)
    return;
  E = E->IgnoreImplicit()->IgnoreParenCasts();
  const Expr *Target = nullptr;
  if (const auto *BO = dyn_cast<BinaryOperator>(E); BO && BO->isAssignmentOp())
    Target = BO->getLHS();
  else if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->isIncrementDecrementOp())
    Target = UO->getSubExpr();
  else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E); Op && isAssignmentOperator(Op->getOperator()))
    Target = Op->getArg(0);
  else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E); MC && MC->getMethodDecl() && !MC->getMethodDecl()->isConst())
    Target = MC->getImplicitObjectArgument(); // queue.push(item)
  if (!Target || TU.locks.heldBefore(CS, S).empty())
    return;
  if (std::optional<LockRef> L = TU.locks.mutexOf(Target)) {
    L->name.clear();
    addFlag(Out, *L);
  }
}

std::optional<HandOff::AtomicOp> HandOff::atomicOp(const Expr *E) {
  if (!E)
    return std::nullopt;
  E = E->IgnoreParenImpCasts();
  const Expr *Object = nullptr;
  const Expr *OrderArg = nullptr;
  int64_t DefaultOrder = SeqCst;
  bool Load = false, Store = false, Waits = false;
  if (const auto *AE = dyn_cast<AtomicExpr>(E)) {
    Object = AE->getPtr();
    OrderArg = AE->getOrder();
    Load = !isAtomicStore(AE); // anything else reads and writes
    Store = !isAtomicLoad(AE);
  } else if (const auto *Call = dyn_cast<CallExpr>(E)) {
    const FunctionDecl *F = Call->getDirectCallee();
    if (!F)
      return std::nullopt;
    const auto *MD = dyn_cast<CXXMethodDecl>(F);
    if (MD && isStdAtomicClass(MD->getParent())) {
      // The arguments after the object: a member call's own, an operator's from the second.
      unsigned First = 0;
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call)) {
        Object = MC->getImplicitObjectArgument();
      } else if (isa<CXXOperatorCallExpr>(Call) && Call->getNumArgs() > 0) {
        Object = Call->getArg(0);
        First = 1;
      }
      auto Arg = [&](unsigned I) { return First + I < Call->getNumArgs() ? Call->getArg(First + I) : nullptr; };
      if (isa<CXXConversionDecl>(MD)) {
        Load = true;
      } else if (MD->getOverloadedOperator() == OO_Equal) {
        Store = true;
      } else if (MD->getOverloadedOperator() != OO_None) {
        Load = Store = true; // ++, +=, ...
      } else if (MD->getDeclName().isIdentifier()) {
        llvm::StringRef N = MD->getName();
        if (N == "load" || N == "test") {
          Load = true;
          OrderArg = Arg(0);
        } else if (N == "wait") {
          Load = Waits = true;
          OrderArg = Arg(1);
        } else if (N == "store") {
          Store = true;
          OrderArg = Arg(1);
        } else if (N == "clear") {
          Store = true;
          OrderArg = Arg(0);
        } else if (N == "test_and_set") {
          Load = Store = true;
          OrderArg = Arg(0);
        } else if (N == "exchange" || N.starts_with("fetch_")) {
          Load = Store = true;
          OrderArg = Arg(1);
        } else if (N.starts_with("compare_exchange")) {
          Load = Store = true;
          OrderArg = Arg(2);
        } else {
          return std::nullopt; // notify_one, is_lock_free, ...
        }
      }
    } else if (F->isInStdNamespace() && F->getDeclName().isIdentifier() && F->getName().starts_with("atomic_") &&
               Call->getNumArgs() > 0) {
      // std::atomic_load(&a), std::atomic_store_explicit(&a, v, order), ...
      llvm::StringRef N = F->getName();
      Object = Call->getArg(0);
      Load = N.contains("load") || N.contains("wait") || (!N.contains("store") && !N.contains("clear"));
      Store = !N.contains("load") && !N.contains("wait");
      Waits = N.contains("wait");
      if (N.ends_with("_explicit"))
        OrderArg = Call->getArg(Call->getNumArgs() - 1);
    } else if (F->getBuiltinID() != 0 && F->getDeclName().isIdentifier() && F->getName().starts_with("__sync_") &&
               Call->getNumArgs() > 0) {
      // The __sync builtins are full barriers, but for the lock pair.
      llvm::StringRef N = F->getName();
      Object = Call->getArg(0);
      Load = N != "__sync_lock_release";
      Store = true;
      DefaultOrder = N == "__sync_lock_release" ? Release : N == "__sync_lock_test_and_set" ? Acquire : SeqCst;
    } else {
      return syncCallOp(Call); // a semaphore, barrier or latch
    }
  }
  if (!Object || (!Load && !Store))
    return std::nullopt;
  std::optional<LockRef> Flag = TU.locks.mutexOf(Object);
  if (!Flag)
    return std::nullopt;
  int64_t O = DefaultOrder;
  if (OrderArg) {
    Expr::EvalResult R;
    if (!OrderArg->EvaluateAsInt(R, TU.ast))
      O = Relaxed; // unknown: orders nothing
    else
      O = R.Val.getInt().getExtValue() & 0xFFFF; // without GCC's HLE bits
  }
  AtomicOp Op;
  Op.flag = std::move(*Flag);
  Op.flag.name.clear();
  Op.load = Load;
  Op.store = Store;
  Op.waits = Waits;
  Op.acquire = Load && acquires(O);
  Op.release = Store && releases(O);
  return Op;
}

void HandOff::atomicOpsIn(const Stmt *S, std::vector<AtomicOp> &Out) {
  if (!S || isa<LambdaExpr>(S))
    return;
  // Once per operation: not again for the implicit casts around it.
  if (const auto *E = dyn_cast<Expr>(S); E && E == E->IgnoreParenImpCasts())
    if (std::optional<AtomicOp> Op = atomicOp(E))
      Out.push_back(std::move(*Op));
  for (const Stmt *Child : S->children())
    atomicOpsIn(Child, Out);
}

std::optional<LockRef> HandOff::releaseStatement(const Stmt *S) {
  const auto *E = dyn_cast_or_null<Expr>(S);
  if (!E)
    return std::nullopt;
  std::optional<AtomicOp> Op = atomicOp(E->IgnoreImplicit()->IgnoreParenCasts());
  if (!Op || !Op->release)
    return std::nullopt;
  return Op->flag;
}

std::vector<LockRef> HandOff::releasesOf(const CompoundStmt *CS, const Stmt *S) {
  std::vector<LockRef> Out;
  if (const auto *Inner = dyn_cast<CompoundStmt>(S)) {
    for (const Stmt *T : Inner->body())
      for (const LockRef &L : releasesOf(Inner, T))
        addFlag(Out, L);
    return Out;
  }
  if (std::optional<LockRef> L = releaseStatement(S))
    addFlag(Out, *L);
  lockedWrites(CS, S, Out);
  return Out;
}

std::optional<LockRef> HandOff::acquireTest(const Expr *Cond, bool &Negated) {
  if (!Cond)
    return std::nullopt;
  const Expr *E = Cond->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_LNot) {
    Negated = !Negated;
    return acquireTest(UO->getSubExpr(), Negated);
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    if (BO->getOpcode() == BO_LAnd && !Negated) { // `if (ready && ...)`: both held where it is true
      if (std::optional<LockRef> L = acquireTest(BO->getLHS(), Negated); L && !Negated)
        return L;
      Negated = false;
      std::optional<LockRef> R = acquireTest(BO->getRHS(), Negated);
      if (R && !Negated)
        return R;
      Negated = false;
      return std::nullopt;
    }
    if (BO->getOpcode() != BO_EQ && BO->getOpcode() != BO_NE)
      return std::nullopt;
    // `flag.load(acquire) == 1`: set when compared equal to non-zero, or unequal to zero.
    for (auto [Tested, Constant] : {std::pair(BO->getLHS(), BO->getRHS()), std::pair(BO->getRHS(), BO->getLHS())}) {
      Expr::EvalResult R;
      if (!Constant->EvaluateAsInt(R, TU.ast))
        continue;
      std::optional<AtomicOp> Op = atomicOp(Tested);
      if (!Op || !Op->acquire)
        continue;
      bool Set = (BO->getOpcode() == BO_EQ) != R.Val.getInt().isZero();
      Negated = Negated != !Set;
      return Op->flag;
    }
    return std::nullopt;
  }
  std::optional<AtomicOp> Op = atomicOp(E);
  if (!Op || !Op->acquire)
    return std::nullopt;
  return Op->flag;
}

std::vector<LockRef> HandOff::waitedFor(const Stmt *S) {
  std::vector<LockRef> Out;
  const Expr *LoopCond = nullptr;
  if (const auto *W = dyn_cast<WhileStmt>(S))
    LoopCond = W->getCond();
  else if (const auto *D = dyn_cast<DoStmt>(S))
    LoopCond = D->getCond();
  else if (const auto *F = dyn_cast<ForStmt>(S))
    LoopCond = F->getCond();
  if (LoopCond) {
    // The loop ends once a load saw what it waited for.
    std::vector<AtomicOp> Ops;
    atomicOpsIn(LoopCond, Ops);
    for (const AtomicOp &Op : Ops)
      if (Op.acquire)
        addFlag(Out, Op.flag);
    // `while (!ready) cv.wait(lock);`: the condition is read under the
    // mutex, and the loop ends once it saw what a locked write set.
    if (containsConditionWait(S))
      readsIn(LoopCond, Out);
    return Out;
  }
  if (const auto *Inner = dyn_cast<CompoundStmt>(S)) {
    for (const Stmt *T : Inner->body()) // `{ std::unique_lock l(m); cv.wait(l, pred); }`
      for (const LockRef &L : waitedFor(T))
        addFlag(Out, L);
    return Out;
  }
  if (const auto *If = dyn_cast<IfStmt>(S); If && !If->getElse() && alwaysExits(If->getThen())) {
    bool Negated = false; // `if (!ready.load(acquire)) return;`
    if (std::optional<LockRef> L = acquireTest(If->getCond(), Negated); L && Negated)
      addFlag(Out, *L);
    return Out;
  }
  if (const auto *E = dyn_cast<Expr>(S)) {
    E = E->IgnoreImplicit();
    if (std::optional<AtomicOp> Op = atomicOp(E); Op && Op->waits && Op->acquire)
      addFlag(Out, Op->flag);
    if (const auto *Call = dyn_cast<CallExpr>(E->IgnoreParenCasts()))
      for (const LockRef &L : predicateFlags(Call))
        addFlag(Out, L);
  }
  return Out;
}

const HandOff::Block &HandOff::block(const CompoundStmt *CS) {
  auto [It, New] = Cache.try_emplace(CS);
  Block &B = It->second;
  if (!New)
    return B;
  const size_t N = CS->size();
  B.acquiredBefore.resize(N);
  B.releasedAfter.resize(N);
  std::vector<LockRef> Acquired;
  size_t I = 0;
  for (const Stmt *S : CS->body()) {
    B.acquiredBefore[I++] = Acquired;
    for (const LockRef &L : waitedFor(S))
      addFlag(Acquired, L);
  }
  std::vector<LockRef> Released;
  I = N;
  for (auto It = CS->body_rbegin(); It != CS->body_rend(); ++It) {
    B.releasedAfter[--I] = Released;
    for (const LockRef &L : releasesOf(CS, *It))
      addFlag(Released, L);
  }
  return B;
}

HandOffs HandOff::at(size_t I) {
  const Ancestors &Stack = TU.stack;
  HandOffs H;
  for (size_t J = I; J-- > 0;) {
    const Frame &F = Stack[J];
    if (F.D) {
      if (isFunctionBoundary(F.D))
        break;
      continue;
    }
    if (isa<LambdaExpr>(F.S))
      break; // a lambda runs where it is called
    const Stmt *Child = Stack[J + 1].S;
    if (!Child)
      continue;
    if (const auto *CS = dyn_cast<CompoundStmt>(F.S)) {
      size_t K = 0;
      for (const Stmt *S : CS->body()) {
        if (S == Child) {
          const Block &B = block(CS);
          for (const LockRef &L : B.acquiredBefore[K])
            addFlag(H.acquiredBefore, L);
          for (const LockRef &L : B.releasedAfter[K])
            addFlag(H.releasedAfter, L);
          break;
        }
        ++K;
      }
    } else if (const auto *If = dyn_cast<IfStmt>(F.S); If && (Child == If->getThen() || Child == If->getElse())) {
      bool Negated = false;
      if (std::optional<LockRef> L = acquireTest(If->getCond(), Negated); L && (Child == If->getThen()) != Negated)
        addFlag(H.acquiredBefore, *L);
    }
  }
  std::sort(H.releasedAfter.begin(), H.releasedAfter.end());
  std::sort(H.acquiredBefore.begin(), H.acquiredBefore.end());
  return H;
}

} // namespace sharedstate::extract
