// Small questions about Clang types and declarations that several concerns
// of the extraction ask: is this a pointer to something writable, a
// forwarding reference, an iterator-like class, std::move?
#pragma once

#include <clang/AST/OperationKinds.h>
#include <clang/AST/Type.h>
#include <clang/Basic/OperatorKinds.h>
#include <llvm/ADT/StringRef.h>

#include <initializer_list>
#include <string>

namespace clang {
class AtomicExpr;
class CXXRecordDecl;
class Decl;
class Expr;
class FunctionDecl;
struct PrintingPolicy;
class Stmt;
} // namespace clang

namespace sharedstate::extract {

const clang::Expr *ignoreTransparent(const clang::Expr *E);

/// T* with T neither const nor a function type.
bool isPointerToMutable(clang::QualType T);
/// T& with T not const.
bool isMutableLValueRef(clang::QualType T);
/// T& or T&& to non-const: a forwarding reference after deduction.
bool isMutableReference(clang::QualType T);
/// Iterators, smart pointers, optional: classes you write through
/// (they declare operator* or operator->).
bool isPointerLikeClass(clang::QualType T);
/// =, +=, ... as an overloaded operator.
bool isAssignmentOperator(clang::OverloadedOperatorKind K);

/// Whether T (through references) is the standard class `std::Name`.
bool isStdClass(clang::QualType T, llvm::StringRef Name);

/// F is std::<one of Names>.
bool isStdFunction(const clang::FunctionDecl *F, std::initializer_list<llvm::StringRef> Names);
/// A value through implicit conversions, temporaries, functional casts,
/// one-argument constructors (into std::function, shared_ptr<Base>, a
/// copy) and calls of the std:: functions named in Through (std::move).
const clang::Expr *unwrapValue(const clang::Expr *A, std::initializer_list<llvm::StringRef> Through);
/// std::function and its C++23 siblings.
bool isStdFunctionType(clang::QualType T);
/// The call signature a std::function class wraps ("void (int)"), canonical;
/// empty when RD is not one.
std::string stdFunctionSignature(const clang::CXXRecordDecl *RD, const clang::PrintingPolicy &Policy);
/// The class std::function (or move_only_function, copyable_function) itself.
bool isStdFunctionClass(const clang::CXXRecordDecl *RD);

/// Parameter Param of F is a forwarding reference (template T&&, also in a
/// trailing pack): whether it writes depends on the callee's body.
bool isForwardingReference(const clang::FunctionDecl *F, unsigned Param);

/// An __atomic / __c11_atomic builtin that only loads.
bool isAtomicLoad(const clang::AtomicExpr *E);
/// An __atomic / __c11_atomic builtin that only stores.
bool isAtomicStore(const clang::AtomicExpr *E);

/// A frame that ends the function a node belongs to: a function, the
/// initializer of a static-storage variable, an in-class member initializer.
bool isFunctionBoundary(const clang::Decl *D);
/// A statement that never falls through to the next: return, throw,
/// break, continue, goto, or a block ending in one.
bool alwaysExits(const clang::Stmt *S);

} // namespace sharedstate::extract
