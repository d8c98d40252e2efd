// ConstFixes: the fix-its that make a never-written variable const.
//
// A category-1 variable that is not const gets a fix-it adding const (or
// constexpr) on every declaration, but only where that cannot break code:
// every declaration is in the main file (a header is shared with TUs this
// one cannot see), the linkage stays the same (const on a namespace-scope
// variable without an extern declaration makes it internal), and a const
// object can be initialized as written (no initializer needs a type that
// allows const default-initialization). Variables that hand out non-const
// access get no hint at all (classification), so no fix either.
#pragma once

#include "facts/Facts.h"

#include <clang/Basic/Diagnostic.h>

#include <vector>

namespace clang {
class ASTContext;
class VarDecl;
} // namespace clang

namespace sharedstate::tidy {

/// The insertions, or none when that is not safe. Every declaration in the
/// TU gets the same keyword.
std::vector<clang::FixItHint> constFixes(const clang::ASTContext &Ctx, const std::vector<const clang::VarDecl *> &Decls,
                                         InitKind Init);

} // namespace sharedstate::tidy
