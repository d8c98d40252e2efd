// MutableGlobalCheck: sharedstate-mutable-global in clang-tidy.
#pragma once

#include "SharedStateCheck.h"

namespace sharedstate::tidy {

/// Finds mutable namespace-scope variables written at run time without synchronization.
class MutableGlobalCheck : public SharedStateCheck {
public:
  MutableGlobalCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context)
      : SharedStateCheck(Name, Context, "mutable-global") {}
};

} // namespace sharedstate::tidy
