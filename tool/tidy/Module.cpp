// The sharedstate clang-tidy module, loaded with `clang-tidy --load`: one
// check per row of the checks table (Checks.def), all sharing one analysis
// per TU.
//
// A plugin built against one LLVM major and loaded into another clang-tidy
// lists its checks and then silently reports nothing (or crashes): the guard
// below refuses to load instead, before any check can run. It talks through
// stdio only, since LLVM's own streams are exactly what may not match.
#include "SharedStateCheck.h"

#include <clang/Basic/Version.h>
#include <clang-tidy/ClangTidyModule.h>
#if CLANG_VERSION_MAJOR < 22
#include <clang-tidy/ClangTidyModuleRegistry.h>
#endif

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

namespace sharedstate::tidy {
namespace {

/// The major version in "... clang version 19.1.7 ...", or -1.
int runtimeMajor(const std::string &Full) {
  size_t At = Full.find("version ");
  return At == std::string::npos ? -1 : std::atoi(Full.c_str() + At + 8);
}

struct VersionGuard {
  VersionGuard() {
    std::string Runtime = clang::getClangFullVersion();
    if (runtimeMajor(Runtime) == CLANG_VERSION_MAJOR)
      return;
    std::fprintf(stderr,
                 "error: the sharedstate clang-tidy plugin was built for LLVM %s but was loaded into %s; "
                 "use clang-tidy-%d, or rebuild sharedstate with -DSHAREDSTATE_LLVM_VERSION=%d\n",
                 CLANG_VERSION_STRING, Runtime.c_str(), CLANG_VERSION_MAJOR, runtimeMajor(Runtime));
    std::fflush(stderr);
    std::_Exit(2);
  }
} Guard;

class SharedStateModule : public clang::tidy::ClangTidyModule {
public:
  void addCheckFactories(clang::tidy::ClangTidyCheckFactories &Factories) override {
    auto Cache = std::make_shared<AnalysisCache>();
    for (const CheckInfo &Info : CheckTable)
      Factories.registerCheckFactory(
          Info.id, [&Info, Cache](llvm::StringRef Name, clang::tidy::ClangTidyContext *Context) {
            return std::make_unique<SharedStateCheck>(Name, Context, Info, Cache);
          });
  }
};

} // namespace

static clang::tidy::ClangTidyModuleRegistry::Add<SharedStateModule>
    Registration("sharedstate-module", "Shared mutable state in C++ servers (sharedstate).");

} // namespace sharedstate::tidy
