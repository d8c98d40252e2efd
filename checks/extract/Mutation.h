// Mutation: is this mention of shared state a read or a write?
//
// The rule: a variable is written only where the program really can change
// it. Every mention of a shared variable is followed upward through the
// expressions that still designate the same object (member and element
// access, casts, accessor calls such as find() or begin(), references and
// pointers bound to it), and the walk stops at the first node that either
// writes it (assignment, ++, a non-const member call that is not an
// accessor, binding to a non-const reference or pointer parameter) or only
// reads it. Precision matters as much as recall: a checker that calls
// `m.find(k)` on a non-const map a write is a checker users switch off.
//
// The walk is split the way clang's ExprMutationAnalyzer splits its
// question, by the kind of node that uses the expression:
//   Mutation.cpp       the visitors, the walk loop, and the steps through
//                      operators, casts, members, declarations and statements
//   MutationCalls.cpp  the steps through calls: the object of a member call
//                      (objectCall) and an argument (argument)
//
// What it records: accesses to shared variables (and to what a call returns
// or a forwarding parameter binds, resolved in classification), local
// aliases of shared objects, the variables a non-const alias is taken to
// (borrowed), functions that hand out references into them (ReturnAlias),
// and writes to the fields of `this` (for singleton handlers).
#pragma once

#include "facts/Facts.h"

#include <llvm/ADT/DenseMap.h>

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace clang {
class AbstractConditionalOperator;
class BinaryOperator;
class CallExpr;
class CastExpr;
class CXXConstructExpr;
class CXXMethodDecl;
class CXXOperatorCallExpr;
class DeclRefExpr;
class Decl;
class Expr;
class FieldDecl;
class FunctionDecl;
class FunctionProtoType;
class MemberExpr;
class ParmVarDecl;
class Stmt;
class UnaryOperator;
class VarDecl;
} // namespace clang

namespace sharedstate::extract {

struct TUContext;

/// What the expression under analysis is, relative to the shared object.
enum class State {
  Object,       ///< a glvalue designating the object or a part of it
  Pointer,      ///< a pointer (or iterator) value pointing into the object
  PointerLocal, ///< a local variable holding such a pointer or iterator
};

/// What a walk follows: a target, and for a data member of `this` (a
/// ClassField target) the member's name.
struct Subject {
  AccessTarget target;
  std::string field;
  /// A pointer or non-const reference parameter (a Parameter target) whose
  /// writes go to its function's summary (Function::paramEffects), not to
  /// accesses: what a call site hands it is written only if the body writes it.
  bool summary = false;
  bool isField() const { return target.kind == AccessTarget::Kind::ClassField; }
};

/// The outcome of following one mention upward.
struct Use {
  bool isWrite = false;
  /// A use of a mutex or atomic member: it synchronizes itself, and is
  /// neither a read nor a write of the rest of the object.
  bool ofSyncMember = false;
  AccessWhat what = AccessWhat::Mutate;
  Sync sync = Sync::None;
  std::string detail;
  size_t frame = 0;   ///< stack index of the node that wrote
  std::string method; ///< the non-const member function called, when that is the write
  /// Handed to parameter passedIndex of project function passedTo: a write
  /// only if that function writes through it (decided on the whole program).
  std::string passedTo;
  unsigned passedIndex = 0;
};

class Mutation {
public:
  explicit Mutation(TUContext &TU) : TU(TU) {}

  /// A shared variable, an alias of one, a structured binding of one, or a
  /// forwarding-reference parameter is named.
  void visitDeclRef(const clang::DeclRefExpr *E);
  /// `obj.count_` naming a static member, or `this->field_`.
  void visitMember(const clang::MemberExpr *E);
  /// A call returning a non-const reference or pointer may hand out a
  /// shared object (`registry().add(x)`): its result is followed too.
  void visitCallResult(const clang::FunctionDecl *Callee);

  /// Records an access once (the same node can be reached twice).
  void addAccess(Access A);

  void emit(TUFacts &Out);

private:
  /// The walk's position: the expression at stack index I, in state St,
  /// reaching the whole object or only a part of it.
  struct Walk {
    const Subject &subject;
    State st;
    bool whole;
    size_t i;
  };
  /// A local variable that stands for (part of) a shared object.
  struct LocalAlias {
    Subject subject;
    State state;
    bool whole;
  };

  void followShared(const clang::VarDecl *V);
  /// A pointer or non-const reference parameter of a project function is
  /// named: follow it into the function's summary.
  void followParameter(const clang::FunctionDecl *F, const clang::ParmVarDecl *P);
  void recordParamEffect(const Subject &S, const Use &U);
  void followMemberOfThis(const clang::FieldDecl *Field);
  /// Follows the expression on top of the stack (a mention of T in state
  /// St) to where it is read or written, and records the write, or the read
  /// when Reads (a read of a constant or a mutex races with nothing).
  void follow(const Subject &S, State St, bool Whole, bool Reads = true);
  Use walk(const Subject &S, State St, bool Whole, size_t I);
  void recordWrite(const Subject &S, const Use &U, size_t MentionIndex);
  /// One read per target, function and locks held: where it happens first.
  /// Own: the read's own synchronization (an atomic builtin's load), if any.
  void recordRead(const Subject &S, size_t MentionIndex, Sync Own = Sync::None);
  void addAlias(const clang::VarDecl *Local, const Subject &S, State St, bool Whole);

  // Steps of the walk (Mutation.cpp). Each looks at how the parent uses the
  // current expression Cur: nullopt goes on from the parent (W updated), a
  // Use ends the walk.
  std::optional<Use> step(Walk &W, const clang::Expr *Cur);
  std::optional<Use> stepInitializer(Walk &W, const clang::Decl *D, const clang::Expr *Cur);
  std::optional<Use> stepCast(Walk &W, const clang::CastExpr *Cast, const clang::Expr *Cur);
  std::optional<Use> stepUnary(Walk &W, const clang::UnaryOperator *UO);
  std::optional<Use> stepBinary(Walk &W, const clang::BinaryOperator *BO, const clang::Expr *Cur);
  std::optional<Use> stepMember(Walk &W, const clang::MemberExpr *ME, const clang::Expr *Cur);
  std::optional<Use> stepStatement(Walk &W, const clang::Stmt *PS, const clang::Expr *Cur);

  // Steps through calls (MutationCalls.cpp).
  std::optional<Use> stepOperatorCall(Walk &W, const clang::CXXOperatorCallExpr *Op, const clang::Expr *Cur);
  std::optional<Use> stepCall(Walk &W, const clang::CallExpr *Call, const clang::Expr *Cur);
  std::optional<Use> stepConstruct(Walk &W, const clang::CXXConstructExpr *CE, const clang::Expr *Cur);
  /// The object, in state St, is argument Arg of a call to F (null when
  /// indirect; Proto then gives the parameter types).
  Use argument(const Subject &S, bool Whole, const clang::FunctionDecl *F, const clang::FunctionProtoType *Proto,
               unsigned Arg, unsigned NumArgs, State St, const clang::Expr *ArgExpr, size_t Frame);
  /// The object, in state St, is the object argument of a call to M. A Use
  /// when the walk ends here; nullopt with St updated when the call's result
  /// keeps aliasing the object.
  std::optional<Use> objectCall(const clang::CXXMethodDecl *M, const clang::Expr *Call, State &St, bool &Whole,
                                size_t Frame);
  std::optional<Use> mutatingAlgorithm(const clang::FunctionDecl *F, unsigned Arg, unsigned NumArgs, size_t Frame);
  /// Does the class of M offer a const overload of M (same name, same
  /// arity)? Then the non-const M only hands out access.
  bool hasConstOverload(const clang::CXXMethodDecl *M);

  TUContext &TU;
  llvm::DenseMap<const clang::VarDecl *, LocalAlias> Aliases;
  llvm::DenseMap<const clang::CXXMethodDecl *, bool> AccessorCache;
  std::vector<Access> Accesses;
  std::set<std::tuple<AccessTarget, unsigned, unsigned, std::string, AccessWhat, std::string, Sync>> SeenAccesses;
  std::set<std::tuple<AccessTarget, std::string, Sync, std::vector<LockRef>, HandOffs>> SeenReads;
  std::vector<ReturnAlias> ReturnAliases;
  std::set<std::string> Borrowed;
  std::vector<Access> MemberWrites;
};

/// A write of kind W at stack index Frame.
Use writeAt(AccessWhat W, size_t Frame, std::string Detail, Sync S = Sync::None);

} // namespace sharedstate::extract
