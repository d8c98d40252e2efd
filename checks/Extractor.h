// Extractor: one Clang AST in, TUFacts out.
//
// This is the only component that sees Clang types. It inventories the
// variables with static storage duration that the TU declares, follows every
// expression that designates one of them (or an alias of one) up to the point
// where it is read or written, and records the call graph that later decides
// which writes happen during initialization.
#pragma once

#include "Facts.h"
#include "Options.h"

namespace clang {
class ASTContext;
}

namespace sharedstate {

/// Extracts the facts of the TU held by Ctx. Declarations in system headers
/// are neither reported nor traversed.
TUFacts extractFacts(clang::ASTContext &Ctx, const AnalysisOptions &Opts);

} // namespace sharedstate
