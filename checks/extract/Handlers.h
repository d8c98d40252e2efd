// Handlers: objects that one instance of serves every request.
//
// Found three ways, each recorded as a HandlerInstance of a user class:
// - controller: the class derives from a listed framework base
//   (drogon::HttpController), which the framework instantiates once;
// - registration: an object is handed to a listed registration call
//   (httplib::Server::Get), or to a non-const member function taking a
//   std::function (a registry storing it): a functor by copy, pointer,
//   std::ref or shared_ptr; the objects a lambda captures by reference or
//   pointer, or `this`; a member function bound with its object;
// - accessor: a listed call returns the process's one instance (getPlugin).
// Global and Meyers instances are found in classification, from the
// variables' classes. Which functions of the class then serve requests is
// classification's question too (classify/SingletonHandler.cpp).
#pragma once

#include "facts/Facts.h"

#include <clang/Basic/SourceLocation.h>

#include <optional>
#include <string>
#include <vector>

namespace clang {
class CallExpr;
class CXXRecordDecl;
class Expr;
class FunctionDecl;
} // namespace clang

namespace sharedstate::extract {

struct TUContext;

class Handlers {
public:
  explicit Handlers(TUContext &TU) : TU(TU) {}

  /// A class definition deriving from a listed framework base.
  void visitRecord(const clang::CXXRecordDecl *RD);
  /// A registration or accessor call.
  void visitCall(const clang::CallExpr *E, const clang::FunctionDecl *Callee);

  void emit(TUFacts &Out) { Out.handlerInstances = std::move(Instances); }

private:
  /// What one registered argument keeps alive.
  struct Registered {
    const clang::CXXRecordDecl *cls;
    HeldAs held;
    std::string subject;
    clang::SourceLocation where;
    std::vector<std::string> entries;
  };

  void accessorCall(const clang::CallExpr *E, const std::string &Name);
  void registrationCall(const clang::CallExpr *E, const clang::FunctionDecl *Callee, const std::string &Name,
                        bool Listed);
  void registeredIn(const clang::Expr *A, std::vector<Registered> &Out, int Depth = 0);
  void capturedBy(const clang::Expr *E, std::vector<Registered> &Out);

  TUContext &TU;
  std::vector<HandlerInstance> Instances;
};

} // namespace sharedstate::extract
