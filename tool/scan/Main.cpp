// sharedstate-scan: the whole-program front-end. Wiring only.
//
// Reads a compilation database, extracts every TU (or the ones named on the
// command line), merges the facts, classifies and reports. This is the only
// front-end that sees the whole program, so it is the one that can tell that
// a global defined in a.cpp is written in b.cpp.
//
// Options come from the command line and from the project's .clang-tidy (the
// clang-tidy plugin's CheckOptions, config/); NOLINT comments suppress
// findings as they do in clang-tidy (report/Suppression.h).
//
// Exit codes (docs/usage.md): 0 no warning, 1 at least one (by default a
// not-thread-safe finding without NOLINT), 2 usage or input error, or no TU
// could be analyzed, 3 the report was written but some TUs could not be
// analyzed (it lists every TU that worked, and the others in `errors`).
#include "classify/Classify.h"
#include "config/TidyConfig.h"
#include "facts/Merge.h"
#include "report/Report.h"
#include "report/Suppression.h"
#include "scan/CommandLine.h"
#include "scan/Database.h"
#include "scan/Driver.h"
#include "scan/OutputFile.h"

#include <clang/Basic/Version.h>
#include <nlohmann/json.hpp>
#include <clang/Tooling/CompilationDatabase.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/raw_ostream.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <thread>

#ifndef SHAREDSTATE_VERSION
#define SHAREDSTATE_VERSION "0.0.0"
#endif
#ifndef SHAREDSTATE_RESOURCE_DIR
#define SHAREDSTATE_RESOURCE_DIR ""
#endif

using namespace sharedstate;
using namespace sharedstate::scan;

namespace {

int fail(const std::string &Message) {
  llvm::errs() << "sharedstate-scan: error: " << Message << "\n";
  return 2;
}

/// The root with symlinks resolved, as source paths are: a root given
/// through a symlink must still contain them.
std::string realDirectory(const std::string &Path) {
  llvm::SmallString<256> Real;
  if (llvm::sys::fs::real_path(Path, Real))
    return absolute(Path);
  return std::string(Real);
}

/// Every TU's facts, and the TUs that failed, as one JSON document:
/// {"version": N, "units": [...], "errors": [{"file", "message"}]}.
std::string factsJson(const std::vector<TUResult> &Results) {
  nlohmann::json Units = nlohmann::json::array(), Errors = nlohmann::json::array();
  for (const TUResult &R : Results) {
    Units.push_back(R.facts);
    if (!R.ok)
      Errors.push_back({{"file", R.file}, {"message", R.error}});
  }
  nlohmann::json Doc{{"version", FactsVersion}, {"units", std::move(Units)}, {"errors", std::move(Errors)}};
  return Doc.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"; // paths need not be UTF-8
}

/// Reads what --save-facts wrote back into one result per unit. On error
/// returns false with a one-line Error naming Path.
bool loadFacts(const std::string &Path, std::vector<TUResult> &Results, std::string &Error) {
  if (llvm::sys::fs::exists(Path) && !llvm::sys::fs::is_regular_file(Path)) {
    Error = "facts file '" + Path + "' is not a regular file"; // a FIFO would block the read
    return false;
  }
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!Buffer) {
    Error = "cannot read facts file '" + Path + "': " + Buffer.getError().message();
    return false;
  }
  // Wrong shapes and types are nlohmann exceptions: all of them are "not a
  // facts file", named with where it went wrong.
  try {
    nlohmann::json Doc = nlohmann::json::parse((*Buffer)->getBuffer().begin(), (*Buffer)->getBuffer().end(),
                                               nullptr, /*allow_exceptions=*/false);
    if (Doc.is_discarded() || !Doc.is_object() || !Doc.contains("units") || !Doc["units"].is_array()) {
      Error = "'" + Path + "' is not a facts file written by --save-facts";
      return false;
    }
    if (Doc.value("version", 0) != FactsVersion) {
      Error = "'" + Path + "' holds facts of version " + Doc.value("version", nlohmann::json()).dump() +
              ", this scanner reads version " + std::to_string(FactsVersion) + ": save them again";
      return false;
    }
    std::map<std::string, std::string> Failed;
    for (const nlohmann::json &E : Doc.value("errors", nlohmann::json::array()))
      if (E.is_object())
        Failed[E.value("file", "")] = E.value("message", "");
    size_t Index = 0;
    for (const nlohmann::json &Unit : Doc["units"]) {
      ++Index;
      TUResult R;
      try {
        Unit.get_to(R.facts);
      } catch (const std::exception &X) {
        Error = "'" + Path + "': unit " + std::to_string(Index) + " is malformed: " + X.what();
        return false;
      }
      R.file = R.facts.mainFile;
      auto It = Failed.find(R.file);
      R.ok = It == Failed.end();
      if (!R.ok)
        R.error = It->second;
      Results.push_back(std::move(R));
    }
  } catch (const std::exception &X) {
    Error = "'" + Path + "' is not a facts file written by --save-facts: " + X.what();
    return false;
  }
  return true;
}

void printError(const TUResult &R) { llvm::errs() << "sharedstate-scan: error: " << R.file << ": " << R.error << "\n"; }

/// "1:05" for 65 seconds.
std::string minutes(double Seconds) {
  long S = std::lround(Seconds);
  std::string Secs = std::to_string(S % 60);
  return std::to_string(S / 60) + ":" + (Secs.size() < 2 ? "0" : "") + Secs;
}

/// Extracts every TU (the facts, and which TUs failed). On a terminal (or
/// with --progress) a progress line says how far the scan is: done/total,
/// failures, elapsed, time left, a file in work; on a terminal it is one
/// line, overwritten, and gone at the end; and each failure is printed as it
/// happens. Otherwise (a CI log) the failures are printed once the scan is
/// done, in scan order, the same whatever -j.
std::vector<TUResult> extractAll(const clang::tooling::CompilationDatabase &DB, const std::vector<std::string> &Files,
                                 const ScanOptions &Opts, bool ForceProgress) {
  const bool Terminal = llvm::errs().is_displayed();
  const bool Show = Terminal || ForceProgress;
  const auto Start = std::chrono::steady_clock::now();
  size_t Failed = 0;
  ProgressFn Progress = [&](size_t Done, size_t Total, const TUResult &R, const std::string &Working) {
    if (Terminal)
      llvm::errs() << "\r\x1b[K"; // the error goes where the progress line was
    if (!Show)
      return;
    if (!R.ok) {
      ++Failed;
      printError(R);
    }
    double Elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count();
    llvm::errs() << "[" << Done << "/" << Total << "] ";
    if (Failed)
      llvm::errs() << Failed << " failed, ";
    llvm::errs() << minutes(Elapsed) << " elapsed";
    if (Done < Total)
      llvm::errs() << ", about " << minutes(Elapsed / static_cast<double>(Done) * static_cast<double>(Total - Done))
                   << " left";
    llvm::errs() << ", " << (Working.empty() ? R.file : Working);
    if (!Terminal)
      llvm::errs() << "\n";
    else if (Done == Total)
      llvm::errs() << "\r\x1b[K";
    llvm::errs().flush();
  };
  return scanFiles(DB, Files, Opts, Progress);
}

/// Merges and classifies: the report's content. PrintErrors: say on stderr
/// which TUs failed (unless the progress lines said so as they failed).
ReportInput reportOf(const std::vector<TUResult> &Results, const std::string &Root, const ClassifyOptions &Options,
                     bool PrintErrors) {
  ProgramFacts Program;
  ReportInput Report;
  for (const TUResult &R : Results) {
    mergeInto(Program, R.facts);
    if (!R.ok) {
      Report.errors.push_back({R.file, R.error});
      if (PrintErrors)
        printError(R);
    }
  }
  finalize(Program);
  Report.findings = classify(Program, Options);
  Report.root = Root;
  Report.toolVersion = SHAREDSTATE_VERSION;
  Report.llvmVersion = CLANG_VERSION_STRING;
  Report.translationUnits = static_cast<unsigned>(Results.size());
  Report.suppressed = suppressedFindings(Report.findings);
  return Report;
}

} // namespace

int main(int argc, const char **argv) {
  CommandLine CL;
  std::string Error;
  if (!parseCommandLine(argc, argv, CL, Error,
                        std::string("sharedstate-scan ") + SHAREDSTATE_VERSION + " (" + clang::getClangFullVersion() +
                            ")"))
    return fail(Error + " (see --help)");

  if (!CL.root.empty() && !llvm::sys::fs::is_directory(CL.root))
    return fail("--root '" + CL.root + "' is not a directory");

  // The configuration first: a bad one stops the scan before any work.
  ScanSettings Settings;
  std::vector<std::string> ConfigWarnings;
  if (!loadScanSettings(CL.configFile, CL.root.empty() ? "." : CL.root, CL.options, Settings, Error,
                        ConfigWarnings))
    return fail(Error);
  for (const std::string &W : ConfigWarnings)
    llvm::errs() << "sharedstate-scan: warning: " << W << "\n";

  ScanOptions Opts;
  Opts.analysis = Settings.analysis;
  Opts.analysis.root = realDirectory(CL.root.empty() ? "." : CL.root);
  Opts.extraArgs = CL.extraArgs;
  Opts.extraArgsBefore = CL.extraArgsBefore;
  Opts.resourceDir = SHAREDSTATE_RESOURCE_DIR;
  Opts.jobs = CL.jobs ? CL.jobs : std::max(1u, std::thread::hardware_concurrency());
  Opts.isolate = !CL.inProcess;
  Opts.tuTimeout = CL.tuTimeout;
  // Where the results go, checked before ten minutes of work rather than after.
  const std::string OutputPath = CL.output.empty() || CL.output == "-" ? std::string() : absolute(CL.output);
  const std::string FactsPath = CL.saveFacts.empty() ? std::string() : absolute(CL.saveFacts);
  if (!checkOutput(OutputPath, Error) || (!FactsPath.empty() && !checkOutput(FactsPath, Error)))
    return fail(Error);

  std::vector<TUResult> Results;
  const bool ProgressShown = CL.progress || llvm::errs().is_displayed();
  if (!CL.loadFacts.empty()) {
    // Saved facts: classify them again, without a compilation database.
    for (const std::string &Path : CL.loadFacts)
      if (!loadFacts(Path, Results, Error))
        return fail(Error);
  } else {
    auto DB = loadDatabase(CL.buildPath, Error);
    if (!DB)
      return fail(Error);
    std::vector<std::string> Files = selectFiles(*DB, CL.sources);
    if (Files.empty())
      return fail("'" + CL.buildPath + "': the compilation database lists no files");
    Results = extractAll(*DB, Files, Opts, CL.progress);
  }
  if (!FactsPath.empty() && !writeOutput(FactsPath, factsJson(Results), Error))
    return fail(Error);
  ReportInput Report = reportOf(Results, Opts.analysis.root, ClassifyOptions{Settings.analysis.serialLibraryCallers},
                                /*PrintErrors=*/!CL.loadFacts.empty() || !ProgressShown);
  std::string Text =
      CL.format == "json" ? renderJson(Report) : renderText(Report, TextOptions{CL.all, Settings.warn});
  if (!writeOutput(OutputPath, Text, Error))
    return fail(Error);

  if (!Report.errors.empty())
    return Report.errors.size() >= Report.translationUnits ? 2 : 3;
  for (const Finding &F : Report.findings)
    if (isWarning(Report, Settings.warn, F))
      return 1;
  return 0;
}
