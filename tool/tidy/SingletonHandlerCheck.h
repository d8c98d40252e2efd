// SingletonHandlerCheck: sharedstate-singleton-handler in clang-tidy.
#pragma once

#include "SharedStateCheck.h"

namespace sharedstate::tidy {

/// Finds handler objects that exist once per process (framework
/// controllers, registered functors, global and Meyers instances) and write
/// their own fields while serving a request.
class SingletonHandlerCheck : public SharedStateCheck {
public:
  SingletonHandlerCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context)
      : SharedStateCheck(Name, Context, "singleton-handler") {}
};

} // namespace sharedstate::tidy
