// CallGraph: the functions of a TU, who calls whom, and the function a node
// belongs to.
//
// Edges carry the synchronization held at the call, so classification can
// tell which functions run only under a lock or only during initialization.
// Besides real functions there are pseudo-functions for code that runs
// without being called: the dynamic initializer of a static-storage variable
// ("init:<variable>") and a class's in-class member initializers
// ("dmi:<class>", called from each constructor). A function is an entry when
// something we cannot see may call it: main, a virtual function, or one whose
// address is taken.
#pragma once

#include "facts/Facts.h"

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <tuple>

namespace clang {
class CallExpr;
class CXXConstructExpr;
class CXXMethodDecl;
class DeclRefExpr;
class FunctionDecl;
class LambdaExpr;
} // namespace clang

namespace sharedstate::extract {

struct TUContext;

/// The innermost function, lambda or initializer around a node.
struct Context {
  std::string key;
  std::string name;
  const clang::FunctionDecl *function = nullptr; ///< null for initializers
};

class CallGraph {
public:
  explicit CallGraph(TUContext &TU) : TU(TU) {}

  /// The facts entry of FD, created on first use.
  Function &function(const clang::FunctionDecl *FD);
  /// The facts entry keyed Key, if there is one yet.
  Function *known(const std::string &Key);

  /// The innermost function, lambda or static initializer around the node
  /// at stack index I.
  Context contextAt(size_t I);

  /// The node being visited calls Callee; OnThis: as a member call on `this`.
  void addEdge(const clang::FunctionDecl *Callee, bool OnThis = false);
  /// The node being visited runs the function keyed Callee (a lambda given
  /// to std::sort, say).
  /// Once: the call runs inside a call_once-like function (its callable).
  void addEdgeTo(const std::string &Callee, bool Once = false);

  void visitFunctionDecl(const clang::FunctionDecl *FD);
  /// A function named other than as a callee or a call's argument (which
  /// Roots follows): its address escapes.
  void visitDeclRef(const clang::DeclRefExpr *E);
  void visitConstruct(const clang::CXXConstructExpr *E);
  void visitLambda(const clang::LambdaExpr *E);
  /// A call through a pointer to function or member function.
  void visitIndirectCall(const clang::CallExpr *E);
  /// Any direct call: one of an event loop's run marks the caller.
  void visitCall(const clang::FunctionDecl *Callee);
  /// A call of a std::function's operator(): it runs what was kept in one
  /// of its type.
  void visitStdFunctionCall(const clang::CXXMethodDecl *Callee);

  /// Functions sorted by key, and the edges.
  void emit(TUFacts &Out);

private:
  TUContext &TU;
  std::map<std::string, Function> Functions;
  std::set<CallEdge> Edges;
  std::set<std::pair<std::string, std::string>> Indirect;
};

} // namespace sharedstate::extract
