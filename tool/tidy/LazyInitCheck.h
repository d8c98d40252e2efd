// LazyInitCheck: sharedstate-lazy-init in clang-tidy.
#pragma once

#include "SharedStateCheck.h"

namespace sharedstate::tidy {

/// Finds check-then-initialize races on shared variables (lazy initialization).
class LazyInitCheck : public SharedStateCheck {
public:
  LazyInitCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context)
      : SharedStateCheck(Name, Context, "lazy-init") {}
};

} // namespace sharedstate::tidy
