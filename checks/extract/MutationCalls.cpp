// The mutation walk through calls (see Mutation.h): is handing the object to
// a call a write?
//
// - As the object of a member call: an assignment operator writes (reassigns
//   the whole object); a const method, or a non-const one with a const
//   overload (find(), at(), begin(), a vector's operator[]), only hands out
//   access, and the walk goes on with its result; any other non-const method
//   writes (map::operator[] has no const overload).
// - As an argument: binding to a non-const reference or pointer parameter
//   writes, moving from it writes, and a forwarding reference decides
//   nothing by itself: the writes through it inside the callee land on the
//   object (a ReturnAlias of the Parameter). Iterator arguments of the mutating
//   standard algorithms write, as do atomic builtins and scanf's pointers.
#include "extract/Mutation.h"

#include "extract/AstQueries.h"
#include "extract/TUContext.h"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/AST/ExprCXX.h>

namespace sharedstate::extract {

using namespace clang;

namespace {

std::string quoted(const NamedDecl *D) { return D ? "'" + D->getNameAsString() + "'" : std::string("a call"); }

/// The state of a call's result when it may alias the object it was called
/// on (accessors, smart-pointer get/operator->, iterators). Returns false
/// when the result is an unrelated value.
bool resultAliases(const Expr *Call, State &St) {
  QualType T = Call->getType();
  if (Call->isGLValue() && !T.isConstQualified()) {
    St = State::Object;
    return true;
  }
  if (isPointerToMutable(T)) {
    St = State::Pointer;
    return true;
  }
  if (!Call->isGLValue() && isPointerLikeClass(T)) {
    St = State::Pointer;
    return true;
  }
  return false;
}

/// The index of Cur among the first N arguments of a call, or N.
template <typename CallT> unsigned argumentIndex(const CallT *Call, const Expr *Cur) {
  unsigned I = 0;
  while (I < Call->getNumArgs() && Call->getArg(I) != Cur)
    ++I;
  return I;
}

/// A member function of std::atomic (or of the base it is built on).
bool isStdAtomicMember(const FunctionDecl *F) {
  const auto *MD = dyn_cast<CXXMethodDecl>(F);
  if (!MD || !MD->getParent()->isInStdNamespace() || !MD->getParent()->getDeclName().isIdentifier())
    return false;
  llvm::StringRef N = MD->getParent()->getName();
  return N == "atomic" || N.starts_with("__atomic");
}

/// A member function of a standard container that keeps a copy of its
/// element or key argument.
bool storesInContainer(const FunctionDecl *F) {
  const auto *MD = dyn_cast<CXXMethodDecl>(F);
  if (!MD || !MD->getParent()->isInStdNamespace())
    return false;
  if (MD->getOverloadedOperator() == OO_Subscript)
    return true;
  if (!MD->getDeclName().isIdentifier())
    return false;
  llvm::StringRef N = MD->getName();
  return N == "push_back" || N == "push_front" || N == "push" || N == "insert" || N == "insert_or_assign" ||
         N == "try_emplace" || N == "emplace" || N == "emplace_back" || N == "emplace_front" ||
         N == "emplace_hint" || N == "assign" || N == "resize";
}

} // namespace

std::optional<Use> Mutation::stepOperatorCall(Walk &W, const CXXOperatorCallExpr *Op, const Expr *Cur) {
  const auto *M = dyn_cast_or_null<CXXMethodDecl>(Op->getDirectCallee());
  unsigned ArgIndex = argumentIndex(Op, Cur);
  if (ArgIndex == Op->getNumArgs())
    return Use();
  if (M && ArgIndex == 0) {
    if (auto Done = objectCall(M, Op, W.st, W.whole, W.i - 1))
      return Done;
    return std::nullopt;
  }
  const FunctionDecl *F = Op->getDirectCallee();
  unsigned Param = M ? ArgIndex - 1 : ArgIndex;
  return argument(W.subject, W.whole, F, nullptr, Param, Op->getNumArgs(), W.st, Cur, W.i - 1);
}

std::optional<Use> Mutation::stepCall(Walk &W, const CallExpr *Call, const Expr *Cur) {
  if (Call->getCallee() == Cur)
    return Use();
  const FunctionDecl *F = Call->getDirectCallee();
  if (isStdFunction(F, {"move", "forward"}) && Call->getNumArgs() == 1)
    return std::nullopt; // the xvalue is the same object
  unsigned ArgIndex = argumentIndex(Call, Cur);
  if (ArgIndex == Call->getNumArgs())
    return Use();
  const FunctionProtoType *Proto = nullptr;
  if (!F)
    if (QualType CT = Call->getCallee()->getType(); CT->isPointerType())
      Proto = CT->getPointeeType()->getAs<FunctionProtoType>();
  return argument(W.subject, W.whole, F, Proto, ArgIndex, Call->getNumArgs(), W.st, Cur, W.i - 1);
}

std::optional<Use> Mutation::stepConstruct(Walk &W, const CXXConstructExpr *CE, const Expr *Cur) {
  const CXXConstructorDecl *Ctor = CE->getConstructor();
  if (Ctor && Ctor->isCopyOrMoveConstructor() && W.st != State::Object && isPointerLikeClass(CE->getType())) {
    W.st = State::Pointer; // a copy of an iterator still points into the object
    return std::nullopt;
  }
  if (W.st == State::PointerLocal)
    return Use();
  if (Ctor && TU.listed.classIn(CE->getType(), TU.options.syncTypes) && Ctor->getParent()->getName() == "atomic_ref")
    return writeAt(AccessWhat::Reassign, W.i - 1, "std::atomic_ref", Sync::Atomic);
  unsigned ArgIndex = argumentIndex(CE, Cur);
  if (ArgIndex == CE->getNumArgs())
    return Use();
  return argument(W.subject, W.whole, Ctor, nullptr, ArgIndex, CE->getNumArgs(), W.st, Cur, W.i - 1);
}

bool Mutation::hasConstOverload(const CXXMethodDecl *M) {
  auto It = AccessorCache.find(M);
  if (It != AccessorCache.end())
    return It->second;
  bool Found = false;
  for (const NamedDecl *ND : M->getParent()->lookup(M->getDeclName())) {
    const NamedDecl *Target = ND;
    if (const auto *TD = dyn_cast<FunctionTemplateDecl>(Target))
      Target = TD->getTemplatedDecl();
    if (const auto *Other = dyn_cast<CXXMethodDecl>(Target))
      Found = Found || (Other != M && Other->isConst() && Other->getNumParams() == M->getNumParams());
  }
  AccessorCache[M] = Found;
  return Found;
}

std::optional<Use> Mutation::mutatingAlgorithm(const FunctionDecl *F, unsigned Arg, unsigned NumArgs, size_t Frame) {
  if (!F || !F->isInStdNamespace())
    return std::nullopt;
  std::string N = F->getQualifiedNameAsString();
  for (const MutatingAlgorithm &M : TU.options.mutatingAlgorithms) {
    if (M.name != N)
      continue;
    int Index = M.argument < 0 ? static_cast<int>(NumArgs) + M.argument : M.argument;
    if (M.argument == AnyIteratorArgument || Index == static_cast<int>(Arg))
      return writeAt(AccessWhat::Mutate, Frame, "passed to " + N);
  }
  return std::nullopt;
}

Use Mutation::argument(const Subject &S, bool Whole, const FunctionDecl *F, const FunctionProtoType *Proto,
                       unsigned Arg, unsigned NumArgs, State St, const Expr *ArgExpr, size_t Frame) {
  Use Read;
  QualType PT;
  bool Variadic = false;
  if (F && Arg < F->getNumParams())
    PT = F->getParamDecl(Arg)->getType();
  else if (!F && Proto && Arg < Proto->getNumParams())
    PT = Proto->getParamType(Arg);
  else
    Variadic = F ? F->isVariadic() : (Proto && Proto->isVariadic());

  if (F && F->getDeclName().isIdentifier()) {
    llvm::StringRef N = F->getName();
    if (N.starts_with("__sync_") || N.starts_with("__atomic_"))
      return writeAt(AccessWhat::Reassign, Frame, "atomic builtin " + N.str(), Sync::Atomic);
  }
  if (isForwardingReference(F, Arg)) {
    // Whether a forwarding reference writes depends on the callee's body:
    // the parameter becomes an alias of the object, and writes through it
    // inside the instantiation (followed in visitDeclRef) land here.
    if (St == State::Object && isMutableReference(PT) && !S.isField())
      ReturnAliases.push_back({AccessTarget::parameter(TU.ids.functionKey(F), Arg), S.target, Whole});
    return Read;
  }
  // Handed to a project function: whether it writes is its body's business
  // (its summary, on the whole program); the extractor's rule stands when
  // the body is never seen.
  auto Handed = [&](Use U) {
    if (F && !TU.ids.inSystemHeader(F->getLocation())) {
      U.passedTo = TU.ids.functionKey(F);
      U.passedIndex = Arg;
    }
    return U;
  };
  if (St == State::Object) {
    if (PT.isNull())
      return Read;
    if (isMutableLValueRef(PT))
      return Handed(writeAt(AccessWhat::Mutate, Frame, "passed by non-const reference to " + quoted(F)));
    if (const auto *R = PT->getAs<RValueReferenceType>(); R && !R->getPointeeType().isConstQualified())
      return writeAt(AccessWhat::Mutate, Frame, "moved into " + quoted(F));
    return Read;
  }
  // `ptrs.push_back(&g)`, `by_key[p]`: a standard container keeps the pointer.
  if ((St == State::Pointer || St == State::PointerLocal) && ArgExpr->getType()->isPointerType() && !PT.isNull() &&
      PT->isReferenceType() && isPointerToMutable(PT.getNonReferenceType()) && F && storesInContainer(F))
    return writeAt(AccessWhat::Escape, Frame, "stored by " + quoted(F));
  if (St != State::Pointer)
    return Read;
  if (ArgExpr->getType()->isPointerType()) {
    // std::atomic<T *> stores the pointer (store, exchange, the desired
    // value of compare_exchange): it keeps it, it does not write through it.
    if (F && isStdAtomicMember(F) && !PT.isNull() && !PT->isReferenceType())
      return writeAt(AccessWhat::Escape, Frame, "stored by " + quoted(F));
    if (!PT.isNull() && isPointerToMutable(PT))
      return Handed(writeAt(AccessWhat::Mutate, Frame, "passed by pointer to " + quoted(F)));
    // scanf-style functions write through their variadic pointers.
    if (Variadic && F && F->getDeclName().isIdentifier() && F->getName().contains("scanf"))
      return writeAt(AccessWhat::Mutate, Frame, "written by " + quoted(F));
    return Read;
  }
  if (auto U = mutatingAlgorithm(F, Arg, NumArgs, Frame))
    return *U;
  return Read;
}

std::optional<Use> Mutation::objectCall(const CXXMethodDecl *M, const Expr *Call, State &St, bool &Whole,
                                        size_t Frame) {
  Use Read;
  if (!M)
    return Read;
  if (St != State::Object) {
    // An iterator or pointer-like local/temporary: dereferencing it reaches
    // the object, anything else (++it) only moves it.
    OverloadedOperatorKind K = M->getOverloadedOperator();
    if (K == OO_Star || K == OO_Arrow || K == OO_Subscript) {
      Whole = false;
      if (resultAliases(Call, St))
        return std::nullopt;
    }
    return Read;
  }
  if (M->isStatic())
    return Read;
  if (!M->isConst() && isAssignmentOperator(M->getOverloadedOperator()))
    return writeAt(Whole ? AccessWhat::Reassign : AccessWhat::Mutate, Frame, "'" + M->getNameAsString() + "'");
  if (M->isConst() || hasConstOverload(M)) {
    Whole = false;
    if (resultAliases(Call, St))
      return std::nullopt;
    return Read;
  }
  if (isa<CXXDestructorDecl>(M))
    return Read;
  Use U = writeAt(AccessWhat::Mutate, Frame, "calls non-const '" + M->getNameAsString() + "'");
  U.method = TU.ids.functionKey(M);
  return U;
}

} // namespace sharedstate::extract
