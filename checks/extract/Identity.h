// Identity: the stable strings that name a declaration in the facts, its
// display name, and where it is.
//
// Facts from many TUs are merged by key, so a key must be the same in every
// TU that sees the entity and must not change when unrelated code moves.
// Clang's USRs are the base; where they fall short (internal linkage, static
// locals, lambdas) the key is built from what does identify the entity.
// Locations are absolute, normalized paths; keys use paths relative to the
// project root, so that fingerprints do not depend on the checkout.
#pragma once

#include "facts/Facts.h"

#include <clang/AST/PrettyPrinter.h>
#include <clang/Basic/SourceLocation.h>
#include <llvm/ADT/DenseMap.h>

#include <optional>
#include <string>

namespace clang {
class ASTContext;
class CXXRecordDecl;
class Decl;
class FileEntryRef;
class FunctionDecl;
class SourceManager;
class VarDecl;
} // namespace clang

namespace sharedstate::extract {

class Identity {
public:
  Identity(clang::ASTContext &Ctx, std::string Root);

  /// How names are printed: no inline namespaces (std::__1), no tag
  /// keywords, "(lambda)" rather than a machine-specific path.
  const clang::PrintingPolicy &policy() const { return Policy; }

  bool inSystemHeader(clang::SourceLocation L) const;

  /// The declaration findings are reported against: the template pattern
  /// for members of class templates, variable templates and static locals
  /// of function templates; the canonical declaration otherwise.
  const clang::VarDecl *canonicalVariable(const clang::VarDecl *V);

  /// The USR (or, without one, the file and offset), with the file appended
  /// for internal linkage (`static int n;` in a.cpp and b.cpp are two) and
  /// for a class the TU's source file declares first, and its members.
  std::string declKey(const clang::Decl *D);
  /// The class declared first in the TU's own source file that D is, or is
  /// a member of (through nested classes and template instantiations).
  /// Only in a TU that defines main, and only a class the TU defines
  /// whole (see selfContained).
  const clang::CXXRecordDecl *mainFileClass(const clang::Decl *D);
  /// A static local is keyed by its function and name, not its offset.
  std::string variableKey(const clang::VarDecl *Canon);
  /// A lambda is keyed by where it lives and its index there.
  std::string functionKey(const clang::FunctionDecl *FD);
  /// For a lambda's call operator, the key of the function the lambda is
  /// written in; "" for other functions and lambdas outside any function.
  std::string enclosingKey(const clang::FunctionDecl *FD);
  /// The pseudo-function that is V's dynamic initializer.
  std::string initializerKey(const clang::VarDecl *V);

  /// "ns::f", "ns::f::(lambda)", the template's name for an instantiation.
  std::string functionName(const clang::FunctionDecl *FD);
  /// "ns::v", "f::local" for a static local.
  std::string variableName(const clang::VarDecl *V);

  /// The expansion location of L as an absolute, normalized path.
  SourceLocation location(clang::SourceLocation L);
  /// The TU's main file, or "" when it has none.
  std::string mainFile();
  /// Path relative to the project root, when inside it.
  std::string relative(const std::string &Path) const;

private:
  bool definesMain();
  bool selfContained(const clang::CXXRecordDecl *RD);
  std::optional<bool> DefinesMain;
  llvm::DenseMap<const clang::CXXRecordDecl *, bool> SelfContained;
  std::string normalizedPath(clang::FileEntryRef FE);
  const clang::VarDecl *localStaticPattern(const clang::VarDecl *V);

  clang::ASTContext &Ctx;
  clang::SourceManager &SM;
  clang::PrintingPolicy Policy;
  std::string Root;
  llvm::DenseMap<const clang::Decl *, std::string> KeyCache;
  llvm::DenseMap<clang::FileID, std::string> PathCache;
  llvm::DenseMap<const clang::VarDecl *, const clang::VarDecl *> LocalPatternCache;
};

} // namespace sharedstate::extract
