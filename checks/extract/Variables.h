// Variables: the inventory of shared variables a TU declares or mentions.
//
// Shared means static storage duration and not thread_local: namespace-scope
// globals, static data members and function-local statics, not constexpr
// (a constant is never written), and not declared in a system header. Each is
// listed once, under the declaration findings are reported against
// (Identity::canonicalVariable), with what classification needs to know
// about its type and initializer.
#pragma once

#include "facts/Facts.h"

#include <llvm/ADT/SetVector.h>

#include <optional>
#include <string>

namespace clang {
class VarDecl;
}

namespace sharedstate {
struct DeclIndex;
}

namespace sharedstate::extract {

struct TUContext;

class Variables {
public:
  explicit Variables(TUContext &TU) : TU(TU) {}

  bool isShared(const clang::VarDecl *V);

  /// Lists V (a shared variable) and returns its key.
  std::string note(const clang::VarDecl *V);

  /// The key of V if it is shared and not a synchronization object: what a
  /// lazy-initialization check may test.
  std::optional<std::string> checkableKey(const clang::VarDecl *V);

  /// Lists a declared shared variable; a dynamically initialized definition
  /// also gets its initializer as an access.
  void visitVarDecl(const clang::VarDecl *V);

  /// The listed variables, and where the TU declares each (when Index).
  void emit(TUFacts &Out, DeclIndex *Index);

private:
  SharedVariable describe(const clang::VarDecl *Canon);

  TUContext &TU;
  llvm::SetVector<const clang::VarDecl *> Listed;
};

} // namespace sharedstate::extract
