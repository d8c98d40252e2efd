// ScanDriver: runs the extractor over the TUs of a compilation database.
//
// Each TU is parsed by its own ClangTool, independently of the others, so a
// TU that fails to compile costs only itself and TUs can run on several
// threads. Results come back in the order the files were given, whatever the
// order in which they finished.
#pragma once

#include "facts/Facts.h"
#include "facts/Options.h"

#include <string>
#include <vector>

namespace clang::tooling {
class CompilationDatabase;
}

namespace sharedstate {

struct ScanOptions {
  AnalysisOptions analysis;
  std::vector<std::string> extraArgs;       ///< appended to every compile command
  std::vector<std::string> extraArgsBefore; ///< prepended
  std::string resourceDir;                  ///< Clang builtin headers for this LLVM
  unsigned jobs = 1;
};

struct TUResult {
  std::string file;
  bool ok = false;
  TUFacts facts;       ///< kept even when !ok: what was extracted is still true
  std::string error;   ///< one line, when !ok
};

std::vector<TUResult> scanFiles(const clang::tooling::CompilationDatabase &DB,
                                const std::vector<std::string> &Files, const ScanOptions &Opts);

} // namespace sharedstate
