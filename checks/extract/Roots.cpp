// Concurrency roots (see Roots.h for the rules).
#include "extract/Roots.h"

#include "extract/AstQueries.h"
#include "extract/TUContext.h"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>

#include <algorithm>
#include <functional>

namespace sharedstate::extract {

using namespace clang;

namespace {

/// Through implicit conversions, temporaries, std::move and the conversion
/// into std::function (or any one-argument constructor of a wrapper).
const Expr *unwrap(const Expr *A) { return unwrapValue(A, {"move", "forward", "ref", "cref"}); }

/// The explicit arguments of a call (not the object of a member operator).
std::vector<const Expr *> argumentsOf(const CallExpr *E, const FunctionDecl *Callee) {
  unsigned First = isa<CXXOperatorCallExpr>(E) && isa<CXXMethodDecl>(Callee) ? 1 : 0;
  std::vector<const Expr *> Args;
  for (unsigned I = First; I < E->getNumArgs(); ++I)
    Args.push_back(E->getArg(I));
  return Args;
}

/// `std::async(std::launch::deferred, f)` runs f in the thread that waits.
bool isDeferredLaunch(const std::vector<const Expr *> &Args) {
  if (Args.empty())
    return false;
  const auto *DRE = dyn_cast<DeclRefExpr>(Args.front()->IgnoreParenImpCasts());
  const auto *E = DRE ? dyn_cast<EnumConstantDecl>(DRE->getDecl()) : nullptr;
  return E && E->getName() == "deferred";
}

bool inStdLibrary(const FunctionDecl *F) {
  if (F->isInStdNamespace())
    return true;
  const auto *MD = dyn_cast<CXXMethodDecl>(F);
  return MD && MD->getParent()->isInStdNamespace();
}

} // namespace

Roots::Callable Roots::callableOf(const Expr *A, int Depth) {
  Callable C;
  if (!A || Depth > 4)
    return C;
  A = unwrap(A);
  if (const auto *L = dyn_cast<LambdaExpr>(A)) {
    C.entries.push_back(TU.ids.functionKey(L->getCallOperator()));
    return C;
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(A); UO && UO->getOpcode() == UO_AddrOf)
    A = UO->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(A)) {
    if (const auto *F = dyn_cast<FunctionDecl>(DRE->getDecl()); F && !TU.ids.inSystemHeader(F->getLocation()))
      C.entries.push_back(TU.ids.functionKey(F));
    if (!C.empty())
      return C;
  }
  if (const auto *Call = dyn_cast<CallExpr>(A); Call && isStdFunction(Call->getDirectCallee(), {"bind", "bind_front"}))
    return Call->getNumArgs() ? callableOf(Call->getArg(0), Depth + 1) : C;
  // A functor: its call operators run.
  QualType T = A->getType();
  if (T->isPointerType())
    T = T->getPointeeType();
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD || RD->isLambda() || !RD->hasDefinition() || TU.ids.inSystemHeader(RD->getLocation()))
    return C;
  RD = RD->getDefinition();
  bool Templated = false;
  for (const Decl *D : RD->decls())
    if (const auto *FT = dyn_cast<FunctionTemplateDecl>(D))
      Templated = Templated || FT->getTemplatedDecl()->getOverloadedOperator() == OO_Call;
  for (const CXXMethodDecl *M : RD->methods())
    if (M->getOverloadedOperator() == OO_Call)
      C.entries.push_back(TU.ids.functionKey(M));
  if (!C.entries.empty() || Templated)
    C.entryClass = TU.classes.note(RD);
  return C;
}

std::vector<Roots::Callable> Roots::callablesIn(const std::vector<const Expr *> &Args, bool Deep) {
  std::vector<Callable> Out;
  std::function<void(const Expr *, int)> Visit = [&](const Expr *E, int Depth) {
    if (!E)
      return;
    Callable C = callableOf(E);
    if (!C.empty()) {
      Out.push_back(std::move(C));
      return;
    }
    if (!Deep || Depth > 6)
      return;
    for (const Stmt *Child : E->children())
      if (const auto *CE = dyn_cast_or_null<Expr>(Child))
        Visit(CE, Depth + 1);
  };
  for (const Expr *A : Args)
    Visit(A, 0);
  return Out;
}

const Stmt *Roots::enclosingLoop() const {
  const Ancestors &Stack = TU.stack;
  for (size_t J = Stack.size(); J-- > 0;) {
    if (const Decl *D = Stack[J].D) {
      if (isa<FunctionDecl>(D) || (isa<VarDecl>(D) && cast<VarDecl>(D)->hasGlobalStorage()))
        return nullptr;
      continue;
    }
    if (isa<LambdaExpr>(Stack[J].S))
      return nullptr;
    if (isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(Stack[J].S))
      return Stack[J].S;
  }
  return nullptr;
}

bool Roots::inLoop() const { return enclosingLoop() != nullptr; }

const VarDecl *Roots::handleVariable(const Expr *Start, const std::vector<const Expr *> &Args) const {
  if (const auto *Call = dyn_cast<CallExpr>(Start); Call && !isa<CXXMemberCallExpr>(Call) && !Args.empty() &&
                                                    Args.front()->getType()->isPointerType()) {
    const Expr *A = Args.front()->IgnoreParenImpCasts(); // pthread_create(&t, ...)
    if (const auto *UO = dyn_cast<UnaryOperator>(A); UO && UO->getOpcode() == UO_AddrOf)
      A = UO->getSubExpr()->IgnoreParenImpCasts();
    const auto *DRE = dyn_cast<DeclRefExpr>(A);
    return DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  }
  if (isa<CXXMemberCallExpr>(Start))
    return nullptr; // threads.emplace_back(f): kept in a container
  const Ancestors &Stack = TU.stack;
  size_t I = Stack.valueUser(Stack.top());
  while (I > 0 && isa_and_nonnull<CXXConstructExpr>(Stack[I].S))
    I = Stack.valueUser(I);
  return dyn_cast_or_null<VarDecl>(Stack[I].D); // std::thread t(f); auto done = std::async(f);
}

namespace {
/// What a loop body does with a thread handle: waits for it (join, wait,
/// get, pthread_join), or lets it go (detach, pthread_detach, std::move).
void handleUses(const Stmt *S, const VarDecl *Handle, bool &Waited, bool &Released) {
  if (!S)
    return;
  auto IsHandle = [&](const Expr *E) {
    const auto *DRE = E ? dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()) : nullptr;
    return DRE && DRE->getDecl() == Handle;
  };
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S); MC && MC->getMethodDecl() &&
                                                       MC->getMethodDecl()->getDeclName().isIdentifier() &&
                                                       IsHandle(MC->getImplicitObjectArgument())) {
    llvm::StringRef N = MC->getMethodDecl()->getName();
    Waited = Waited || N == "join" || N == "wait" || N == "get";
    Released = Released || N == "detach";
  } else if (const auto *Call = dyn_cast<CallExpr>(S); Call && Call->getNumArgs() > 0 && IsHandle(Call->getArg(0))) {
    const FunctionDecl *F = Call->getDirectCallee();
    llvm::StringRef N = F && F->getDeclName().isIdentifier() ? F->getName() : "";
    Waited = Waited || N == "pthread_join" || N == "thrd_join";
    Released = Released || N == "pthread_detach" || N == "thrd_detach" || N == "move";
  }
  for (const Stmt *Child : S->children())
    handleUses(Child, Handle, Waited, Released);
}
} // namespace

bool Roots::joinedEachIteration(const Stmt *Loop, const Expr *Start, const std::vector<const Expr *> &Args) const {
  const VarDecl *Handle = handleVariable(Start, Args);
  if (!Handle || !Handle->hasLocalStorage() || !Loop->getSourceRange().fullyContains(Handle->getSourceRange()))
    return false; // kept outside the loop: the threads can pile up
  bool Waited = false, Released = false;
  handleUses(Loop, Handle, Waited, Released);
  if (Released)
    return false;
  // A std::async future and a std::jthread wait for the thread when they
  // go out of scope, at the end of the iteration.
  return Waited || isStdClass(Handle->getType(), "future") || isStdClass(Handle->getType(), "jthread");
}

void Roots::add(RootKind Kind, const std::string &Via, const Callable &C, const Expr *At, const std::string &HandedTo,
                bool Serial, bool OnLoop) {
  Root R;
  R.kind = Kind;
  R.via = Via;
  R.entries = C.entries;
  R.entryClass = C.entryClass;
  R.starter = TU.calls.contextAt(TU.stack.top()).key;
  R.location = TU.ids.location(At->getBeginLoc());
  R.inLoop = inLoop();
  R.serial = Serial;
  R.onLoop = OnLoop;
  R.handedTo = HandedTo;
  Found.push_back(std::move(R));
}

std::string Roots::threadHandle(const Expr *Start, const std::vector<const Expr *> &Args) const {
  const Programs &Names = TU.programs;
  if (const auto *Call = dyn_cast<CallExpr>(Start); Call && !isa<CXXMemberCallExpr>(Call) && !Args.empty() &&
                                                    Args.front()->getType()->isPointerType())
    return Names.handleOf(Args.front()); // pthread_create(&t, ...), thrd_create(&t, ...)
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Start))
    return Names.handleOf(MC->getImplicitObjectArgument()); // threads.emplace_back(f)
  const Ancestors &Stack = TU.stack;
  size_t I = Stack.valueUser(Stack.top());
  while (I > 0 && isa_and_nonnull<CXXConstructExpr>(Stack[I].S))
    I = Stack.valueUser(I); // moved into what keeps it
  const Frame &F = Stack[I];
  if (const auto *V = dyn_cast_or_null<VarDecl>(F.D))
    return Names.identityOf(V); // std::thread t(f); auto done = std::async(f);
  if (const auto *Op = dyn_cast_or_null<CXXOperatorCallExpr>(F.S); Op && Op->getOperator() == OO_Equal)
    return Names.handleOf(Op->getArg(0)); // t = std::thread(f);
  if (const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(F.S))
    return Names.handleOf(MC->getImplicitObjectArgument()); // threads.push_back(std::thread(f))
  return "";
}

void Roots::addThread(const std::string &Via, const Callable &C, const Expr *At, const std::vector<const Expr *> &Args) {
  add(RootKind::Thread, Via, C, At);
  Found.back().handle = threadHandle(At, Args);
  // Started and waited for in each iteration: one at a time.
  if (const Stmt *Loop = enclosingLoop(); Loop && joinedEachIteration(Loop, At, Args))
    Found.back().inLoop = false;
  const FunctionDecl *Starter = TU.calls.contextAt(TU.stack.top()).function;
  if (Starter && !Starter->isMain() && std::find(Starters.begin(), Starters.end(), Starter) == Starters.end())
    Starters.push_back(Starter);
}

bool Roots::startsThreadInContainer(const FunctionDecl *Callee, const std::vector<const Expr *> &Args) {
  const auto *MD = dyn_cast<CXXMethodDecl>(Callee);
  if (!MD || !MD->getDeclName().isIdentifier() || !MD->getParent()->isInStdNamespace())
    return false;
  llvm::StringRef N = MD->getName();
  if (N != "emplace_back" && N != "emplace" && N != "emplace_front" && N != "push_back")
    return false;
  const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(MD->getParent());
  if (!Spec || Spec->getTemplateArgs().size() == 0 || Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return false;
  const CXXRecordDecl *Element = Spec->getTemplateArgs()[0].getAsType()->getAsCXXRecordDecl();
  if (!Element || !Element->getDeclName().isIdentifier())
    return false;
  std::string Ctor;
  llvm::raw_string_ostream OS(Ctor);
  TU.listed.printListName(Element, OS);
  OS << "::" << Element->getName();
  if (!TU.listed.has(TU.options.threadFunctions, OS.str()))
    return false;
  // threads.push_back(std::thread(f)): the thread's own constructor starts it.
  return std::none_of(Args.begin(), Args.end(), [&](const Expr *A) {
    const CXXRecordDecl *RD = A->getType()->getAsCXXRecordDecl();
    return RD && RD->getCanonicalDecl() == Element->getCanonicalDecl();
  });
}

void Roots::visitCall(const CallExpr *E, const FunctionDecl *Callee) {
  if (TU.stack.inUnevaluatedContext(TU.stack.top()))
    return;
  const std::vector<const Expr *> Args = argumentsOf(E, Callee);
  const std::string Name = Callee->getDeclName().isIdentifier() || isa<CXXMethodDecl>(Callee)
                               ? TU.listed.listName(Callee)
                               : std::string();
  const AnalysisOptions &Opts = TU.options;
  // call_once(flag, InitPool): the function runs inside the call, once.
  if (TU.listed.has(Opts.onceFunctions, Name)) {
    for (const Callable &C : callablesIn(Args, /*Deep=*/false))
      for (const std::string &Entry : C.entries)
        TU.calls.addEdgeTo(Entry, /*Once=*/true);
    return;
  }
  if (TU.listed.has(Opts.testRegistrationFunctions, Name)) {
    for (const Callable &C : callablesIn(Args, /*Deep=*/true))
      add(RootKind::Test, Name, C, E);
    return;
  }
  // makecontext(&uc, f, ...): f runs when a swapcontext switches to it, on
  // the thread that switches, one fiber at a time: as if called here.
  if (Name == "makecontext") {
    for (const Callable &C : callablesIn(Args, /*Deep=*/false))
      for (const std::string &Entry : C.entries)
        TU.calls.addEdgeTo(Entry, /*Once=*/false);
    return;
  }
  // signal(SIGINT, on_signal), atexit(at_end): the handler runs on a thread
  // the program has, one call at a time.
  if (Callee->isExternC() && llvm::is_contained({"signal", "sigset", "bsd_signal", "sysv_signal", "atexit",
                                                 "at_quick_exit"},
                                                Name)) {
    for (const Callable &C : callablesIn(Args, /*Deep=*/false)) {
      add(RootKind::Callback, Name, C, E, "", /*Serial=*/true);
      Found.back().borrowsThread = true;
    }
    return;
  }
  if (TU.listed.has(Opts.threadFunctions, Name) || startsThreadInContainer(Callee, Args)) {
    if (Name == "std::async" && isDeferredLaunch(Args))
      return handedTo(E, Callee, Args);
    // The thread runs the first callable; the others are its arguments.
    if (std::vector<Callable> Cs = callablesIn(Args, false); !Cs.empty())
      addThread(Name, Cs.front(), E, Args);
    return;
  }
  if (TU.listed.has(Opts.executorFunctions, Name)) {
    if (std::vector<Callable> Cs = callablesIn(Args, false); !Cs.empty())
      add(RootKind::Executor, Name, Cs.front(), E, "", false, inEventLoopLibrary(Name));
    return;
  }
  handedTo(E, Callee, Args);
}

const DeclRefExpr *Roots::signalHandlerStored(const DeclRefExpr *E) const {
  const auto *FD = dyn_cast<FunctionDecl>(E->getDecl());
  if (!FD)
    return nullptr;
  // `sa.sa_handler = on_signal;` or `= &on_signal;`: the value of an
  // assignment to struct sigaction's handler fields (members of a union in
  // glibc, behind macros).
  const Ancestors &Stack = TU.stack;
  size_t I = Stack.valueUser(Stack.top());
  while (I > 0 && isa_and_nonnull<UnaryOperator, ImplicitCastExpr, ParenExpr>(Stack[I].S))
    I = Stack.valueUser(I);
  const auto *Assign = dyn_cast_or_null<BinaryOperator>(Stack[I].S);
  if (!Assign || Assign->getOpcode() != BO_Assign)
    return nullptr;
  const auto *Field = dyn_cast<MemberExpr>(Assign->getLHS()->IgnoreParenImpCasts());
  const auto *FDecl = Field ? dyn_cast<FieldDecl>(Field->getMemberDecl()) : nullptr;
  if (!FDecl || !FDecl->getDeclName().isIdentifier() ||
      (FDecl->getName() != "sa_handler" && FDecl->getName() != "sa_sigaction"))
    return nullptr;
  return E;
}

void Roots::visitDeclRef(const DeclRefExpr *E) {
  if (!signalHandlerStored(E))
    return;
  Callable C;
  C.entries.push_back(TU.ids.functionKey(cast<FunctionDecl>(E->getDecl())));
  add(RootKind::Callback, "sigaction", C, E, "", /*Serial=*/true);
  Found.back().borrowsThread = true;
}

void Roots::visitConstruct(const CXXConstructExpr *E) {
  const CXXConstructorDecl *Ctor = E->getConstructor();
  if (!Ctor || TU.stack.inUnevaluatedContext(TU.stack.top()))
    return;
  std::vector<const Expr *> Args(E->arg_begin(), E->arg_end());
  std::string Name = TU.listed.listName(Ctor);
  const AnalysisOptions &Opts = TU.options;
  if (TU.listed.has(Opts.threadFunctions, Name)) {
    if (std::vector<Callable> Cs = callablesIn(Args, false); !Cs.empty())
      addThread(Name, Cs.front(), E, Args);
    return;
  }
  if (TU.listed.has(Opts.testRegistrationFunctions, Name)) {
    for (const Callable &C : callablesIn(Args, /*Deep=*/true))
      add(RootKind::Test, Name, C, E);
    return;
  }
  // Any other constructor given a callable (a std::function, a user class
  // keeping a handler) is an ordinary call.
  handedTo(E, Ctor, Args);
}

/// A std::function made from a callable keeps it, to be called wherever the
/// std::function is: inside the function, when it initializes a local
/// variable; unknown, when it is stored elsewhere (a global, a member); and
/// when it is a call's argument, that call decides.
Roots::Kept Roots::keptByStdFunction(const FunctionDecl *Callee) {
  const auto *MD = dyn_cast<CXXMethodDecl>(Callee);
  // The class itself, not its type: ASTContext::getRecordType is gone in LLVM 22.
  if (!MD || !isStdFunctionClass(MD->getParent()))
    return Kept::No;
  if (!isa<CXXConstructorDecl>(MD) && MD->getOverloadedOperator() != OO_Equal)
    return Kept::No;
  const Frame &F = TU.stack[TU.stack.valueUser(TU.stack.top())];
  if (const auto *V = dyn_cast_or_null<VarDecl>(F.D))
    return V->hasLocalStorage() ? Kept::Locally : Kept::Elsewhere;
  if (isa_and_nonnull<CallExpr, CXXConstructExpr>(F.S) && isa<CXXConstructorDecl>(MD))
    return Kept::ByTheCall;
  return Kept::Elsewhere;
}

bool Roots::inEventLoopLibrary(const std::string &Name) const {
  for (const std::string &NS : TU.options.eventLoopNamespaces)
    if (Name.size() > NS.size() + 2 && Name.compare(0, NS.size(), NS) == 0 && Name.compare(NS.size(), 2, "::") == 0)
      return true;
  return false;
}

void Roots::handedTo(const Expr *At, const FunctionDecl *Callee, const std::vector<const Expr *> &Args) {
  const std::string Name = TU.listed.listName(Callee);
  const bool Serial = TU.listed.has(TU.options.serialCallbackFunctions, Name);
  switch (keptByStdFunction(Callee)) {
  case Kept::ByTheCall:
    return;
  case Kept::Elsewhere: {
    // A std::function the program's own code keeps: it runs where that
    // code calls such a std::function, on the program's event loop if it
    // has one.
    const std::string Signature = stdFunctionSignature(cast<CXXMethodDecl>(Callee)->getParent(), TU.ids.policy());
    for (const Expr *A : Args)
      if (Callable C = callableOf(A); !C.empty()) {
        add(RootKind::Callback, Name, C, At, "", false, /*OnLoop=*/true);
        Found.back().keptAs = Signature;
      }
    return;
  }
  case Kept::Locally:
  case Kept::No:
    break;
  }
  // Copying or moving a functor (`t_(t)` in a member initializer) runs nothing.
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Callee); Ctor && Ctor->isCopyOrMoveConstructor())
    return;
  for (unsigned I = 0; I < Args.size(); ++I) {
    Callable C = callableOf(Args[I]);
    if (C.empty())
      continue;
    // The standard library runs what it is given inside the call
    // (algorithms, call_once, std::function's constructor): a call edge.
    if (!Serial && inStdLibrary(Callee) && !TU.listed.keepsCallable(Callee, I)) {
      for (const std::string &Entry : C.entries)
        TU.calls.addEdgeTo(Entry);
      continue;
    }
    const bool Library = TU.ids.inSystemHeader(Callee->getLocation());
    const bool Kept = Serial || TU.listed.keepsCallable(Callee, I);
    // Given to project code (kept or run inside it), or to the event loop's
    // library: where the program's event loop runs, it runs.
    const bool OnLoop = !Library || inEventLoopLibrary(Name);
    // A project function given a callable: if the program defines it, the
    // callable runs inside its body; classification decides.
    add(RootKind::Callback, Name, C, At, Library || Kept ? std::string() : TU.ids.functionKey(Callee), Serial,
        OnLoop);
    // Kept by a project member taking a std::function: it runs where the
    // program calls std::functions of that type.
    if (Kept && !Library && !Serial && I < Callee->getNumParams())
      if (const CXXRecordDecl *P = Callee->getParamDecl(I)->getType().getNonReferenceType()->getAsCXXRecordDecl())
        Found.back().keptAs = stdFunctionSignature(P, TU.ids.policy());
  }
}

void Roots::visitRecord(const CXXRecordDecl *RD) {
  if (!RD->isThisDeclarationADefinition() || RD->isLambda() || RD->isDependentContext())
    return;
  std::optional<std::string> Base = TU.listed.baseIn(RD, TU.options.testBaseClasses);
  if (!Base)
    return;
  Callable C;
  for (const CXXMethodDecl *M : RD->methods())
    if (M->size_overridden_methods() > 0 && !isa<CXXDestructorDecl>(M))
      C.entries.push_back(TU.ids.functionKey(M));
  if (C.entries.empty())
    return;
  Root R;
  R.kind = RootKind::Test;
  R.via = *Base;
  R.entries = std::move(C.entries);
  R.location = TU.ids.location(RD->getLocation());
  Found.push_back(std::move(R));
}

} // namespace sharedstate::extract
