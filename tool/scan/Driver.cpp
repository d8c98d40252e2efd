// How a compile command becomes an AST here, and why each adjustment exists:
// - -resource-dir: ClangTool guesses the builtin headers from the executable's
//   path, which is wrong for a build tree or an install outside LLVM's prefix.
// - flags this Clang does not know (GCC-only ones in a GCC build's database)
//   are dropped instead of failing the TU.
// - -Wno-error -w: a project's -Werror (or -Werror=x) must not turn a
//   warning into a lost TU; the scanner has no use for warnings.
// - only errors are reported, as one line per TU: warnings are the compiler's
//   business, not the scanner's.
#include "scan/Driver.h"

#include "extract/Extractor.h"

#include <clang/AST/ASTConsumer.h>
#include <clang/AST/ASTContext.h>
#include <clang/Basic/Diagnostic.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Basic/Version.h>
#if CLANG_VERSION_MAJOR >= 22
#include <clang/Options/Options.h>
#else
#include <clang/Driver/Options.h>
#endif
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/FrontendAction.h>
#include <clang/Tooling/ArgumentsAdjusters.h>
#include <clang/Tooling/CompilationDatabase.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/ADT/STLExtras.h>
#include <llvm/Option/ArgList.h>
#include <llvm/Option/OptTable.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/VirtualFileSystem.h>

#include <atomic>
#include <set>
#include <thread>
#include <unistd.h>

namespace sharedstate {
namespace {

using namespace clang;
using namespace clang::tooling;

/// Keeps the first error of a TU as one line; counts the rest.
class ErrorCollector : public DiagnosticConsumer {
public:
  void HandleDiagnostic(DiagnosticsEngine::Level Level, const Diagnostic &Info) override {
    DiagnosticConsumer::HandleDiagnostic(Level, Info);
    if (Level < DiagnosticsEngine::Error || !First.empty())
      return;
    llvm::SmallString<256> Msg;
    Info.FormatDiagnostic(Msg);
    std::string Where;
    if (Info.hasSourceManager() && Info.getLocation().isValid()) {
      PresumedLoc P = Info.getSourceManager().getPresumedLoc(Info.getLocation());
      if (P.isValid())
        Where = std::string(P.getFilename()) + ":" + std::to_string(P.getLine()) + ":" +
                std::to_string(P.getColumn()) + ": ";
    }
    First = Where + std::string(Msg);
  }
  std::string First;
};

class ExtractConsumer : public ASTConsumer {
public:
  ExtractConsumer(const AnalysisOptions &Opts, TUFacts &Out) : Opts(Opts), Out(Out) {}
  void HandleTranslationUnit(ASTContext &Ctx) override { Out = extractFacts(Ctx, Opts); }

private:
  const AnalysisOptions &Opts;
  TUFacts &Out;
};

class ExtractAction : public ASTFrontendAction {
public:
  ExtractAction(const AnalysisOptions &Opts, TUFacts &Out) : Opts(Opts), Out(Out) {}
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &, llvm::StringRef) override {
    return std::make_unique<ExtractConsumer>(Opts, Out);
  }

private:
  const AnalysisOptions &Opts;
  TUFacts &Out;
};

class ExtractFactory : public FrontendActionFactory {
public:
  ExtractFactory(const AnalysisOptions &Opts, TUFacts &Out) : Opts(Opts), Out(Out) {}
  std::unique_ptr<FrontendAction> create() override { return std::make_unique<ExtractAction>(Opts, Out); }

private:
  const AnalysisOptions &Opts;
  TUFacts &Out;
};

// The driver's option table moved from clang::driver to clang in LLVM 22.
#if CLANG_VERSION_MAJOR >= 22
namespace DriverOptions = ::clang;
#else
namespace DriverOptions = ::clang::driver;
#endif

/// Drops arguments the Clang driver does not recognize (-fconcepts-diagnostics-depth=2 ...).
ArgumentsAdjuster stripUnknownArguments() {
  return [](const CommandLineArguments &Args, llvm::StringRef) {
    if (Args.empty())
      return Args;
    std::vector<const char *> Argv;
    for (size_t I = 1; I < Args.size(); ++I)
      Argv.push_back(Args[I].c_str());
    unsigned MissingIndex = 0, MissingCount = 0;
    llvm::opt::InputArgList Parsed = DriverOptions::getDriverOptTable().ParseArgs(
        Argv, MissingIndex, MissingCount, llvm::opt::Visibility(DriverOptions::options::ClangOption));
    std::set<unsigned> Unknown;
    for (const llvm::opt::Arg *A : Parsed.filtered(DriverOptions::options::OPT_UNKNOWN))
      Unknown.insert(A->getIndex());
    CommandLineArguments Out{Args[0]};
    for (size_t I = 1; I < Args.size(); ++I)
      if (!Unknown.count(static_cast<unsigned>(I - 1)))
        Out.push_back(Args[I]);
    return Out;
  };
}

TUResult scanOne(const CompilationDatabase &DB, const std::string &File, const ScanOptions &Opts) {
  TUResult R;
  R.file = File;
  if (DB.getCompileCommands(File).empty()) {
    R.error = "not in the compilation database";
    return R;
  }
  if (!llvm::sys::fs::exists(File)) {
    R.error = "cannot read the file: no such file";
    return R;
  }
  if (::access(File.c_str(), R_OK) != 0) {
    R.error = "cannot read the file: permission denied";
    return R;
  }
  // Each TU gets its own view of the file system: the real one shares the
  // process's working directory, which ClangTool changes to the compile
  // command's directory, and parallel TUs would race on it.
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS(llvm::vfs::createPhysicalFileSystem().release());
  ClangTool Tool(DB, {File}, std::make_shared<PCHContainerOperations>(), FS);
  Tool.clearArgumentsAdjusters();
  Tool.appendArgumentsAdjuster(getClangStripOutputAdjuster());
  Tool.appendArgumentsAdjuster(getClangStripDependencyFileAdjuster());
  Tool.appendArgumentsAdjuster(stripUnknownArguments());
  Tool.appendArgumentsAdjuster(getClangSyntaxOnlyAdjuster());
  // Each is inserted right after the compiler: add them last to first.
  for (const std::string &A : llvm::reverse(Opts.extraArgsBefore))
    Tool.appendArgumentsAdjuster(getInsertArgumentAdjuster(A.c_str(), ArgumentInsertPosition::BEGIN));
  if (!Opts.resourceDir.empty())
    Tool.appendArgumentsAdjuster(
        getInsertArgumentAdjuster(("-resource-dir=" + Opts.resourceDir).c_str(), ArgumentInsertPosition::BEGIN));
  // -w as well: -Wno-error does not undo -Werror=<warning> or -pedantic-errors.
  Tool.appendArgumentsAdjuster(getInsertArgumentAdjuster({"-Wno-error", "-w"}, ArgumentInsertPosition::END));
  // Without carets Clang also skips its "N errors generated." summary; the
  // scanner reports one line per failed TU itself.
  Tool.appendArgumentsAdjuster(getInsertArgumentAdjuster("-fno-caret-diagnostics", ArgumentInsertPosition::END));
  for (const std::string &A : Opts.extraArgs)
    Tool.appendArgumentsAdjuster(getInsertArgumentAdjuster(A.c_str(), ArgumentInsertPosition::END));
  ErrorCollector Errors;
  Tool.setDiagnosticConsumer(&Errors);
  Tool.setPrintErrorMessage(false);
  ExtractFactory Factory(Opts.analysis, R.facts);
  int Status = Tool.run(&Factory);
  if (Errors.getNumErrors() > 0) {
    R.error = std::to_string(Errors.getNumErrors()) + " compile error" + (Errors.getNumErrors() == 1 ? "" : "s") +
              ", first: " + Errors.First;
  } else if (Status != 0) {
    R.error = "the compiler could not process it";
  } else {
    R.ok = true;
  }
  if (R.facts.mainFile.empty())
    R.facts.mainFile = File;
  return R;
}

} // namespace

std::vector<TUResult> scanFiles(const CompilationDatabase &DB, const std::vector<std::string> &Files,
                                const ScanOptions &Opts) {
  std::vector<TUResult> Results(Files.size());
  std::atomic<size_t> Next{0};
  auto Worker = [&] {
    for (size_t I; (I = Next++) < Files.size();)
      Results[I] = scanOne(DB, Files[I], Opts);
  };
  unsigned Jobs = std::max(1u, std::min<unsigned>(Opts.jobs, static_cast<unsigned>(Files.size())));
  std::vector<std::thread> Threads;
  for (unsigned J = 1; J < Jobs; ++J)
    Threads.emplace_back(Worker);
  Worker();
  for (std::thread &T : Threads)
    T.join();
  return Results;
}

} // namespace sharedstate
