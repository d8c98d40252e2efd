// MutableStaticMemberCheck: sharedstate-mutable-static-member in clang-tidy.
#pragma once

#include "SharedStateCheck.h"

namespace sharedstate::tidy {

/// Finds static data members written at run time without synchronization.
class MutableStaticMemberCheck : public SharedStateCheck {
public:
  MutableStaticMemberCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context)
      : SharedStateCheck(Name, Context, "mutable-static-member") {}
};

} // namespace sharedstate::tidy
