// Programs: a TU that defines main is a program, and main's statements, in
// order, say where its start-up ends.
//
// For each top-level statement of main: the functions it calls, whether it
// calls a listed server loop (httplib::Server::listen), and which objects it
// gives a callback to keep (svr.Get(path, handler)) or calls a member
// function of (svr.listen()). Classification takes start-up to end at the
// first statement that starts a thread (directly or in a function it calls),
// enters a server loop, or calls a member function of an object an earlier
// statement gave a callback to.
//
// The other functions that start a thread get the same record of their
// statements (TUFacts::starters), so that a thread one of them joins
// before it returns is known to run only between the two statements.
#pragma once

#include "facts/Facts.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace clang {
class CallExpr;
class Expr;
class FunctionDecl;
class Stmt;
class VarDecl;
} // namespace clang

namespace sharedstate::extract {

struct TUContext;

class Programs {
public:
  explicit Programs(TUContext &TU) : TU(TU) {}

  void visitFunctionDecl(const clang::FunctionDecl *FD);
  void emit(TUFacts &Out);

  /// The thread handle an expression names (Root::handle, MainStep::joined):
  /// a variable, through `&`, `*`, `->`, subscripts and `at`/`front`/`back`
  /// (an element stands for its container), and a range-for variable of
  /// main for the container it runs over; "" for anything else.
  std::string handleOf(const clang::Expr *E) const;
  /// A variable as an identity: a shared variable's key, or a local's.
  std::string identityOf(const clang::VarDecl *V) const;

private:
  /// A function's top-level statements, as main's are.
  std::optional<ProgramMain> stepsOf(const clang::FunctionDecl *FD);
  /// What one statement of main does, anywhere inside it (not in lambdas
  /// it defines: those run when they are called).
  void scan(const clang::Stmt *S, MainStep &Step, std::set<std::string> &Callees);
  /// The object a member call is made on, as an identity; "" for none.
  std::string objectOf(const clang::Stmt *Object);
  /// The handles a listed join call joins.
  void noteJoin(const clang::CallExpr *Call, MainStep &Step) const;

  TUContext &TU;
  std::vector<ProgramMain> Found;
  std::set<std::string> Locals; ///< the classes of main's locals, while scanning it
  const clang::Stmt *Top = nullptr; ///< the statement of main being scanned
  /// main's range-for variables, and the handle of the range each runs over.
  std::map<const clang::VarDecl *, std::string> RangeOf;
};

} // namespace sharedstate::extract
