// FunctionLocalStaticCheck: sharedstate-function-local-static in clang-tidy.
#pragma once

#include "SharedStateCheck.h"

namespace sharedstate::tidy {

/// Finds function-local statics written at run time without synchronization.
class FunctionLocalStaticCheck : public SharedStateCheck {
public:
  FunctionLocalStaticCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context)
      : SharedStateCheck(Name, Context, "function-local-static") {}
};

} // namespace sharedstate::tidy
