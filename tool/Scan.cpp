// sharedstate-scan: the whole-program front-end.
//
// Reads a compilation database, extracts every TU (or the ones named on the
// command line), merges the facts, classifies and reports. This is the only
// front-end that sees the whole program, so it is the one that can tell that
// a global defined in a.cpp is written in b.cpp.
//
// Exit codes (docs/usage.md): 0 no not-thread-safe finding, 1 at least one,
// 2 usage or input error (the report, if any, still lists every TU that worked).
#include "Classify.h"
#include "Merge.h"
#include "Report.h"
#include "ScanDriver.h"

#include <clang/Basic/Version.h>
#include <clang/Tooling/CompilationDatabase.h>
#include <clang/Tooling/JSONCompilationDatabase.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>

#include <cstdio>
#include <fstream>
#include <thread>
#include <unistd.h>

#ifndef SHAREDSTATE_VERSION
#define SHAREDSTATE_VERSION "0.0.0"
#endif
#ifndef SHAREDSTATE_RESOURCE_DIR
#define SHAREDSTATE_RESOURCE_DIR ""
#endif

namespace cl = llvm::cl;
using namespace sharedstate;

namespace {

cl::OptionCategory Category("sharedstate-scan options");

cl::opt<std::string> BuildPath("p", cl::desc("Build directory containing compile_commands.json, or the file itself"),
                               cl::value_desc("path"), cl::init("."), cl::cat(Category));
cl::list<std::string> Sources(cl::Positional, cl::desc("[<file> ...]"), cl::cat(Category));
cl::opt<std::string> Output("o", cl::desc("Write the report to <file> (atomically) instead of stdout"),
                            cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string> Format("format", cl::desc("Report format: json (default) or text"), cl::init("json"),
                            cl::cat(Category));
cl::opt<bool> All("all", cl::desc("Text format: list every shared variable, not only not-thread-safe ones"),
                  cl::cat(Category));
cl::opt<std::string> Root("root", cl::desc("Paths in the report are relative to this directory (default: current directory)"),
                          cl::value_desc("dir"), cl::cat(Category));
cl::list<std::string> SyncTypes("sync-type", cl::desc("Extra synchronization type (qualified name), may repeat"),
                                cl::value_desc("name"), cl::cat(Category));
cl::list<std::string> LockGuardTypes("lock-guard-type", cl::desc("Extra RAII lock type (qualified name), may repeat"),
                                     cl::value_desc("name"), cl::cat(Category));
cl::list<std::string> OnceFunctions("once-function", cl::desc("Extra call_once-like function, may repeat"),
                                    cl::value_desc("name"), cl::cat(Category));
cl::list<std::string> ExtraArgs("extra-arg", cl::desc("Additional argument to append to the compiler command line"),
                                cl::cat(Category));
cl::list<std::string> ExtraArgsBefore("extra-arg-before",
                                      cl::desc("Additional argument to prepend to the compiler command line"),
                                      cl::cat(Category));
cl::opt<unsigned> Jobs("j", cl::desc("Number of translation units analyzed in parallel (default: all cores)"),
                       cl::init(0), cl::cat(Category));

int fail(const std::string &Message) {
  llvm::errs() << "sharedstate-scan: error: " << Message << "\n";
  return 2;
}

std::string absolute(const std::string &Path) {
  llvm::SmallString<256> P(Path);
  llvm::sys::fs::make_absolute(P);
  llvm::sys::path::remove_dots(P, true);
  return std::string(P);
}

/// Writes Text to Path through a temporary file in the same directory and a
/// rename, so an existing report is replaced whole or not at all.
bool writeAtomically(const std::string &Path, const std::string &Text, std::string &Error) {
  std::string Tmp = Path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream Out(Tmp, std::ios::binary | std::ios::trunc);
    if (!Out) {
      Error = "cannot write '" + Path + "': " + std::strerror(errno);
      return false;
    }
    Out << Text;
    Out.flush();
    if (!Out) {
      Error = "cannot write '" + Path + "': " + std::strerror(errno);
      std::remove(Tmp.c_str());
      return false;
    }
  }
  if (std::rename(Tmp.c_str(), Path.c_str()) != 0) {
    Error = "cannot write '" + Path + "': " + std::strerror(errno);
    std::remove(Tmp.c_str());
    return false;
  }
  return true;
}

std::unique_ptr<clang::tooling::CompilationDatabase> loadDatabase(const std::string &Path, std::string &Error) {
  std::string File = Path;
  if (llvm::sys::fs::is_directory(Path))
    File = (llvm::Twine(Path) + "/compile_commands.json").str();
  if (!llvm::sys::fs::exists(File)) {
    Error = llvm::sys::fs::is_directory(Path)
                ? "no compile_commands.json in '" + Path +
                      "' (generate one with cmake -DCMAKE_EXPORT_COMPILE_COMMANDS=ON, or bear)"
                : "'" + Path + "': no such file or directory";
    return nullptr;
  }
  if (::access(File.c_str(), R_OK) != 0) {
    Error = "'" + File + "': permission denied";
    return nullptr;
  }
  std::string LoadError;
  auto DB = clang::tooling::JSONCompilationDatabase::loadFromFile(
      File, LoadError, clang::tooling::JSONCommandLineSyntax::AutoDetect);
  if (!DB) {
    // Clang's message repeats the path; keep one line naming the file.
    for (char &C : LoadError)
      if (C == '\n')
        C = ' ';
    Error = "'" + File + "' is not a valid compilation database: " + LoadError;
    return nullptr;
  }
  return DB;
}

} // namespace

int main(int argc, const char **argv) {
  cl::HideUnrelatedOptions(Category);
  cl::SetVersionPrinter([](llvm::raw_ostream &OS) {
    OS << "sharedstate-scan " << SHAREDSTATE_VERSION << " (" << clang::getClangFullVersion() << ")\n";
  });
  std::string ParseErrors;
  llvm::raw_string_ostream ParseErrorStream(ParseErrors);
  if (!cl::ParseCommandLineOptions(argc, argv,
                                   "Finds shared mutable state (globals, static members, function-local statics)\n"
                                   "in the translation units of a compilation database and classifies it.\n",
                                   &ParseErrorStream)) {
    ParseErrorStream.flush();
    llvm::StringRef First = llvm::StringRef(ParseErrors).split('\n').first;
    First.consume_front(llvm::StringRef(argv[0]));
    First = First.ltrim(": ");
    return fail(First.str() + " (see --help)");
  }
  if (Format != "json" && Format != "text")
    return fail("unknown --format '" + Format + "' (expected json or text)");

  std::string Error;
  auto DB = loadDatabase(BuildPath, Error);
  if (!DB)
    return fail(Error);

  std::vector<std::string> Files;
  if (Sources.empty()) {
    Files = DB->getAllFiles();
    if (Files.empty())
      return fail("'" + BuildPath + "': the compilation database lists no files");
  } else {
    for (const std::string &S : Sources)
      Files.push_back(absolute(S));
  }

  ScanOptions Opts;
  Opts.analysis = AnalysisOptions::defaults();
  Opts.analysis.root = absolute(Root.empty() ? "." : std::string(Root));
  Opts.analysis.syncTypes.insert(Opts.analysis.syncTypes.end(), SyncTypes.begin(), SyncTypes.end());
  Opts.analysis.lockGuardTypes.insert(Opts.analysis.lockGuardTypes.end(), LockGuardTypes.begin(),
                                      LockGuardTypes.end());
  Opts.analysis.onceFunctions.insert(Opts.analysis.onceFunctions.end(), OnceFunctions.begin(), OnceFunctions.end());
  Opts.extraArgs.assign(ExtraArgs.begin(), ExtraArgs.end());
  Opts.extraArgsBefore.assign(ExtraArgsBefore.begin(), ExtraArgsBefore.end());
  Opts.resourceDir = SHAREDSTATE_RESOURCE_DIR;
  Opts.jobs = Jobs ? Jobs.getValue() : std::max(1u, std::thread::hardware_concurrency());

  std::vector<TUResult> Results = scanFiles(*DB, Files, Opts);

  ProgramFacts Program;
  ReportInput Report;
  for (const TUResult &R : Results) {
    mergeInto(Program, R.facts);
    if (!R.ok) {
      Report.errors.push_back({R.file, R.error});
      llvm::errs() << "sharedstate-scan: error: " << R.file << ": " << R.error << "\n";
    }
  }
  finalize(Program);
  Report.findings = classify(Program);
  Report.root = Opts.analysis.root;
  Report.toolVersion = SHAREDSTATE_VERSION;
  Report.llvmVersion = CLANG_VERSION_STRING;
  Report.translationUnits = static_cast<unsigned>(Results.size());

  std::string Text = Format == "json" ? renderJson(Report) : renderText(Report, TextOptions{All});
  if (Output.empty()) {
    llvm::outs() << Text;
    llvm::outs().flush();
  } else if (!writeAtomically(Output, Text, Error)) {
    return fail(Error);
  }

  if (!Report.errors.empty())
    return 2;
  for (const Finding &F : Report.findings)
    if (F.verdict == Verdict::NotThreadSafe)
      return 1;
  return 0;
}
