// Classes: the user classes that may serve requests, with their bases.
//
// A class is listed when something makes it a candidate handler: a framework
// base, a registration, a global or Meyers instance of it. Its bases are
// listed transitively, because a handler also writes the fields it inherits.
// Library classes (declared in system headers) are never listed.
#pragma once

#include "facts/Facts.h"

#include <clang/AST/Type.h>
#include <llvm/ADT/SetVector.h>

#include <string>

namespace clang {
class CXXRecordDecl;
}

namespace sharedstate::extract {

struct TUContext;

class Classes {
public:
  explicit Classes(TUContext &TU) : TU(TU) {}

  /// Lists RD (its definition) and returns its key.
  std::string note(const clang::CXXRecordDecl *RD);

  /// The user class an object of type T is, or points to (T*, T&, smart
  /// pointers and std::reference_wrapper of T); null for library classes.
  const clang::CXXRecordDecl *instanceClass(clang::QualType T, int Depth = 0);

  void emit(TUFacts &Out);

private:
  ClassInfo describe(const clang::CXXRecordDecl *RD);

  TUContext &TU;
  llvm::SetVector<const clang::CXXRecordDecl *> Listed;
};

} // namespace sharedstate::extract
