// Roots: where code starts to run concurrently with the code that starts it.
//
// A callable (a lambda, a function, a member function with its object, a
// functor) handed to a call is followed by what the call is:
// - a listed thread start (std::thread's constructor, pthread_create,
//   std::async unless deferred, emplace_back into a container of threads):
//   a Thread root;
// - a listed executor (asio::post): an Executor root;
// - a registration (a listed one, or a non-const member function taking a
//   std::function: the callable is kept and called later): a Callback root,
//   serial when the API runs all its callbacks on one thread;
// - a listed test registration, or a method a test class overrides from a
//   listed test base: a Test root (test bodies run one after another);
// - a function of the standard library (std::sort, std::call_once): it runs
//   the callable inside the call, so the call is a call edge to it, not a
//   root; a std::function made from it keeps it, to be called where the
//   std::function is: a call edge when it initializes a local variable, the
//   outer call's business when it is an argument, and a Callback root when
//   it is stored elsewhere (a global, a member);
// - any other function: a Callback root, marked with the function it was
//   handed to; classification drops it when the program defines that
//   function (the callable then runs inside it, through its body).
// Every root records the function that starts it and whether it is started
// in a loop (many instances).
#pragma once

#include "facts/Facts.h"

#include <string>
#include <vector>

namespace clang {
class DeclRefExpr;
class CallExpr;
class CXXConstructExpr;
class CXXRecordDecl;
class Expr;
class FunctionDecl;
class Stmt;
class VarDecl;
} // namespace clang

namespace sharedstate::extract {

struct TUContext;

class Roots {
public:
  explicit Roots(TUContext &TU) : TU(TU) {}

  void visitCall(const clang::CallExpr *E, const clang::FunctionDecl *Callee);
  /// `sa.sa_handler = on_signal;`: a signal handler root (sigaction).
  void visitDeclRef(const clang::DeclRefExpr *E);
  /// E, when it is a function stored into struct sigaction's sa_handler or
  /// sa_sigaction: a signal handler, not an address that escapes.
  const clang::DeclRefExpr *signalHandlerStored(const clang::DeclRefExpr *E) const;
  void visitConstruct(const clang::CXXConstructExpr *E);
  /// A class deriving from a listed test base: the methods it overrides.
  void visitRecord(const clang::CXXRecordDecl *RD);

  void emit(TUFacts &Out) { Out.roots = std::move(Found); }
  /// The functions (not main) whose own statements start a thread.
  const std::vector<const clang::FunctionDecl *> &threadStarters() const { return Starters; }

  /// What a callable argument runs: functions, or a functor's class.
  struct Callable {
    std::vector<std::string> entries;
    std::string entryClass;
    bool empty() const { return entries.empty() && entryClass.empty(); }
  };
  /// The callable an argument expression is, through the conversions into
  /// std::function, temporaries, std::move, std::ref and std::bind.
  Callable callableOf(const clang::Expr *A, int Depth = 0);

private:
  /// The callables among Args (each argument, or for Deep anywhere inside).
  std::vector<Callable> callablesIn(const std::vector<const clang::Expr *> &Args, bool Deep);
  void add(RootKind Kind, const std::string &Via, const Callable &C, const clang::Expr *At,
           const std::string &HandedTo = "", bool Serial = false, bool OnLoop = false);
  /// Whether Name (a listed-style function name) is in an EventLoopNamespaces entry.
  bool inEventLoopLibrary(const std::string &Name) const;
  /// Callables an ordinary call is given.
  void handedTo(const clang::Expr *At, const clang::FunctionDecl *Callee, const std::vector<const clang::Expr *> &Args);
  /// push_back/emplace_back of a std::thread into a container: a thread start.
  bool startsThreadInContainer(const clang::FunctionDecl *Callee, const std::vector<const clang::Expr *> &Args);
  /// A Thread root, with its handle; notes its starter.
  void addThread(const std::string &Via, const Callable &C, const clang::Expr *At,
                 const std::vector<const clang::Expr *> &Args);
  bool inLoop() const;
  /// The innermost loop around the node being visited, within its function.
  const clang::Stmt *enclosingLoop() const;
  /// The local variable that keeps the thread Start starts (`std::thread t(f)`,
  /// `auto done = std::async(f)`, `pthread_create(&t, ...)`), if any.
  const clang::VarDecl *handleVariable(const clang::Expr *Start, const std::vector<const clang::Expr *> &Args) const;
  /// A thread started in Loop whose handle is a local of the loop, waited for
  /// before the iteration ends (joined, or a std::async future or std::jthread
  /// going out of scope) and never detached or moved away: the loop runs its
  /// threads one at a time.
  bool joinedEachIteration(const clang::Stmt *Loop, const clang::Expr *Start,
                           const std::vector<const clang::Expr *> &Args) const;
  /// What keeps the thread the node being visited starts (Root::handle):
  /// the variable it initializes or is assigned to, the container it is
  /// added to, or for pthread_create the pthread_t it fills.
  std::string threadHandle(const clang::Expr *Start, const std::vector<const clang::Expr *> &Args) const;
  enum class Kept { No, Locally, ByTheCall, Elsewhere };
  Kept keptByStdFunction(const clang::FunctionDecl *Callee);

  TUContext &TU;
  std::vector<Root> Found;
  std::vector<const clang::FunctionDecl *> Starters;
};

} // namespace sharedstate::extract
