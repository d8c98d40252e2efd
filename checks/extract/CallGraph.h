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
class CXXConstructExpr;
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

  /// The innermost function, lambda or static initializer around the node
  /// at stack index I.
  Context contextAt(size_t I);

  /// The node being visited calls Callee.
  void addEdge(const clang::FunctionDecl *Callee);

  void visitFunctionDecl(const clang::FunctionDecl *FD);
  /// A function named other than as a callee: its address escapes.
  void visitDeclRef(const clang::DeclRefExpr *E);
  void visitConstruct(const clang::CXXConstructExpr *E);
  void visitLambda(const clang::LambdaExpr *E);

  /// Functions sorted by key, and the edges.
  void emit(TUFacts &Out);

private:
  TUContext &TU;
  std::map<std::string, Function> Functions;
  struct EdgeLess {
    bool operator()(const CallEdge &A, const CallEdge &B) const {
      return std::tie(A.caller, A.callee, A.sync) < std::tie(B.caller, B.callee, B.sync);
    }
  };
  std::set<CallEdge, EdgeLess> Edges;
};

} // namespace sharedstate::extract
