// ScanDriver: runs the extractor over the TUs of a compilation database.
//
// The unit of work is one compile command: a file the database lists
// several times (snappy twice, leveldb's testutil 32 times) is analyzed once
// per distinct command, and the facts of all of them are merged, so a global
// written only under one command's -D is still seen written. Identical
// commands are analyzed once.
//
// Units run in a pool of `jobs` worker processes (forked; each serves many
// units), so a TU that crashes Clang (SIGSEGV from a parser stack overflow,
// SIGILL from an LLVM trap) or does not finish within `tuTimeout` costs only
// itself: it is listed with what happened, a new worker takes the dead one's
// place, and every other TU's facts are kept. Workers send their facts back
// through a pipe, as CBOR. With
// `isolate` off (--in-process) units run on threads of this process instead:
// faster to debug, but a crash ends the scan.
//
// Results come back in the order of the files, and of a file's commands, as
// the database lists them, whatever the order in which they finished.
#pragma once

#include "facts/Facts.h"
#include "facts/Options.h"

#include <functional>
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
  bool isolate = true;      ///< units in worker processes (see above)
  unsigned tuTimeout = 300; ///< seconds a unit may take when isolated; 0: no limit
};

struct TUResult {
  std::string file;
  bool ok = false;
  TUFacts facts;       ///< kept even when !ok: what was extracted is still true
  std::string error;   ///< one line, when !ok
};

/// Called as each unit finishes, with how many have, how many there are,
/// its result (file and error final) and a unit still being analyzed ("" if
/// none).
using ProgressFn =
    std::function<void(size_t Done, size_t Total, const TUResult &Finished, const std::string &Working)>;

/// One result per distinct compile command of each file (one for a file the
/// database does not list).
std::vector<TUResult> scanFiles(const clang::tooling::CompilationDatabase &DB,
                                const std::vector<std::string> &Files, const ScanOptions &Opts,
                                const ProgressFn &Progress = nullptr);

/// "SIGSEGV" for 11: the name a signal is known by.
std::string signalName(int Signal);

} // namespace sharedstate
