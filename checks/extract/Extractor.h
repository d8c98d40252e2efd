// Extractor: one Clang AST in, TUFacts out.
//
// This is the only component that sees Clang types. It inventories the
// variables with static storage duration that the TU declares, follows every
// expression that designates one of them (or an alias of one) up to the point
// where it is read or written, and records the call graph that later decides
// which writes happen during initialization.
#pragma once

#include "facts/Facts.h"
#include "facts/Options.h"

#include <map>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class VarDecl;
} // namespace clang

namespace sharedstate {

/// Where the TU declares each variable it reports: every redeclaration, by
/// variable key. Front-ends that edit code (clang-tidy fix-its) need it; the
/// facts themselves stay free of Clang types.
struct DeclIndex {
  std::map<std::string, std::vector<const clang::VarDecl *>> variables;
};

/// Extracts the facts of the TU held by Ctx. Declarations in system headers
/// are neither reported nor traversed. Fills Index when given.
TUFacts extractFacts(clang::ASTContext &Ctx, const AnalysisOptions &Opts, DeclIndex *Index = nullptr);

} // namespace sharedstate
