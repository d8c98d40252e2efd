// sharedstate-scan: the whole-program front-end.
//
// Reads a compilation database, extracts every TU (or the ones named on the
// command line), merges the facts, classifies and reports. This is the only
// front-end that sees the whole program, so it is the one that can tell that
// a global defined in a.cpp is written in b.cpp.
//
// Options come from the command line and from the project's .clang-tidy (the
// clang-tidy plugin's CheckOptions, Config.h); NOLINT comments suppress
// findings as they do in clang-tidy (NoLint.h).
//
// Exit codes (docs/usage.md): 0 no warning, 1 at least one (by default a
// not-thread-safe finding without NOLINT), 2 usage or input error (the report,
// if any, still lists every TU that worked).
#include "classify/Classify.h"
#include "config/Config.h"
#include "facts/Merge.h"
#include "report/NoLint.h"
#include "report/Report.h"
#include "scan/Driver.h"
#include "classify/WarnOn.h"

#include <clang/Basic/Version.h>
#include <clang/Tooling/CompilationDatabase.h>
#include <clang/Tooling/JSONCompilationDatabase.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/JSON.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <thread>
#include <unistd.h>

#ifndef SHAREDSTATE_VERSION
#define SHAREDSTATE_VERSION "0.0.0"
#endif
#ifndef SHAREDSTATE_RESOURCE_DIR
#define SHAREDSTATE_RESOURCE_DIR ""
#endif

using namespace sharedstate;

namespace {

const char Usage[] = R"(usage: sharedstate-scan [options] [<file> ...]

Finds shared mutable state (namespace-scope globals, static data members,
function-local statics) in the translation units of a compilation database,
and classifies each variable into the four categories of the threading review.

options:
  -p <path>                  build directory containing compile_commands.json,
                             or the file itself (default: .)
  <file> ...                 analyze only these translation units
  -o <file>                  write the report to <file>, atomically (default: stdout)
  --format json|text         report format (default: json)
  --all                      text format: list every variable, not only warnings
  --root <dir>               report paths relative to <dir> (default: current directory)
  --config-file <file>       read CheckOptions from <file> (default: the nearest
                             .clang-tidy in --root or its parents)
  --warn-on <list>           which findings warn, overriding WarnOn in the file:
                             verdicts, categories 1-4 or all (default: not-thread-safe)
  --sync-type <name>         another synchronization type, e.g. absl::Mutex (repeatable)
  --lock-guard-type <name>   another RAII lock type, e.g. absl::MutexLock (repeatable)
  --once-function <name>     another call_once-like function (repeatable)
  --handler-base <name>      another framework base class whose subclasses serve
                             every request from one instance (repeatable)
  --registration-function <name>
                             another call that keeps a handler for the process's
                             life, e.g. myhttp::Router::add (repeatable)
  --singleton-accessor <name>
                             another call returning a one-per-process instance (repeatable)
  --extra-arg <arg>          append <arg> to every compile command (repeatable)
  --extra-arg-before <arg>   prepend <arg> to every compile command (repeatable)
  -j <n>                     translation units analyzed in parallel (default: all cores)
  --help, --version

Findings on a line with // NOLINT (and the clang-tidy variants) are suppressed.

exit status: 0 no warning, 1 at least one, 2 usage or input error
)";

/// The extensible lists hold what the repeatable flags (ListOptions) add.
struct CommandLine : ExtensibleLists {
  std::string buildPath = ".";
  std::vector<std::string> sources;
  std::string output;
  std::string format = "json";
  bool all = false;
  std::string root;
  std::string configFile;
  std::optional<WarnOn> warnOn; ///< --warn-on, parsed
  std::vector<std::string> extraArgs, extraArgsBefore;
  unsigned jobs = 0;
  bool help = false, version = false;
};

/// Parses argv; on error returns false with a one-line message in Error.
/// Accepts "-p dir", "-pdir", "--format json" and "--format=json".
bool parseCommandLine(int Argc, const char **Argv, CommandLine &CL, std::string &Error) {
  auto Value = [&](int &I, llvm::StringRef Arg, llvm::StringRef Name, std::string &Out) {
    if (Arg == Name) {
      if (I + 1 >= Argc) {
        Error = "option '" + Name.str() + "' requires a value";
        return false;
      }
      Out = Argv[++I];
      return true;
    }
    llvm::StringRef Rest = Arg.drop_front(Name.size());
    Rest.consume_front("="); // --name=value, -j=4
    Out = Rest.str();        // or -j4
    return true;
  };
  auto Matches = [](llvm::StringRef Arg, llvm::StringRef Name) {
    if (!Arg.starts_with(Name))
      return false;
    llvm::StringRef Rest = Arg.drop_front(Name.size());
    return Rest.empty() || (Name.starts_with("--") ? Rest.starts_with("=") : true);
  };
  std::string WarnOnSpec;
  const std::pair<const char *, std::string *> Single[] = {
      {"-p", &CL.buildPath},   {"-o", &CL.output},
      {"--format", &CL.format}, {"--root", &CL.root},
      {"--config-file", &CL.configFile}, {"--warn-on", &WarnOnSpec}};
  std::vector<std::pair<const char *, std::vector<std::string> *>> Repeated = {
      {"--extra-arg-before", &CL.extraArgsBefore}, {"--extra-arg", &CL.extraArgs}};
  for (const ListOption &L : ListOptions)
    Repeated.emplace_back(L.flag, &(CL.*L.list));
  bool OnlyFiles = false;
  for (int I = 1; I < Argc; ++I) {
    llvm::StringRef Arg = Argv[I];
    if (OnlyFiles || !Arg.starts_with("-") || Arg == "-") {
      CL.sources.push_back(Arg.str());
      continue;
    }
    if (Arg == "--") {
      OnlyFiles = true;
      continue;
    }
    if (Arg == "--help" || Arg == "-h") {
      CL.help = true;
      continue;
    }
    if (Arg == "--version") {
      CL.version = true;
      continue;
    }
    if (Arg == "--all") {
      CL.all = true;
      continue;
    }
    bool Known = false;
    for (const auto &[Name, Into] : Single)
      if (!Known && Matches(Arg, Name)) {
        if (!Value(I, Arg, Name, *Into))
          return false;
        if (Into == &WarnOnSpec) {
          std::string Problem;
          CL.warnOn = WarnOn::parse(WarnOnSpec, Problem);
          if (!CL.warnOn) {
            Error = "invalid --warn-on '" + WarnOnSpec + "': " + Problem;
            return false;
          }
        }
        Known = true;
      }
    for (const auto &[Name, Into] : Repeated)
      if (!Known && Matches(Arg, Name)) {
        std::string V;
        if (!Value(I, Arg, Name, V))
          return false;
        Into->push_back(std::move(V));
        Known = true;
      }
    if (!Known && Matches(Arg, "-j")) {
      std::string V;
      if (!Value(I, Arg, "-j", V))
        return false;
      if (llvm::StringRef(V).getAsInteger(10, CL.jobs) || CL.jobs == 0) {
        Error = "option '-j' expects a positive number, got '" + V + "'";
        return false;
      }
      Known = true;
    }
    if (!Known) {
      Error = "unknown option '" + Arg.str() + "'";
      return false;
    }
  }
  if (CL.format != "json" && CL.format != "text") {
    Error = "unknown --format '" + CL.format + "' (expected json or text)";
    return false;
  }
  return true;
}

int fail(const std::string &Message) {
  llvm::errs() << "sharedstate-scan: error: " << Message << "\n";
  return 2;
}

std::string absolute(const std::string &Path) {
  llvm::SmallString<256> P(Path);
  if (llvm::sys::fs::make_absolute(P))
    return Path;
  llvm::sys::path::remove_dots(P, true);
  return std::string(P);
}

/// The root with symlinks resolved, as source paths are: a root given
/// through a symlink must still contain them.
std::string realDirectory(const std::string &Path) {
  llvm::SmallString<256> Real;
  if (llvm::sys::fs::real_path(Path, Real))
    return absolute(Path);
  return std::string(Real);
}

void discard(const std::string &Tmp) {
  if (std::error_code EC = llvm::sys::fs::remove(Tmp))
    llvm::errs() << "sharedstate-scan: warning: cannot remove '" << Tmp << "': " << EC.message() << "\n";
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
      discard(Tmp);
      return false;
    }
  }
  if (std::rename(Tmp.c_str(), Path.c_str()) != 0) {
    Error = "cannot write '" + Path + "': " + std::strerror(errno);
    discard(Tmp);
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
  // Clang's loader is a lenient YAML parser: it prints parse errors to stderr
  // itself and accepts a truncated file. Insist on JSON first.
  auto Buffer = llvm::MemoryBuffer::getFile(File);
  if (!Buffer) {
    Error = "'" + File + "': " + Buffer.getError().message();
    return nullptr;
  }
  llvm::Expected<llvm::json::Value> Parsed = llvm::json::parse((*Buffer)->getBuffer());
  if (!Parsed) {
    Error = "'" + File + "' is not valid JSON: " + llvm::toString(Parsed.takeError());
    return nullptr;
  }
  if (!Parsed->getAsArray()) {
    Error = "'" + File + "' is not a valid compilation database: expected a JSON array of compile commands";
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

/// The findings a NOLINT comment suppresses, by id. Each file is read once;
/// one that cannot be read suppresses nothing.
std::set<std::string> suppressedFindings(const std::vector<Finding> &Findings) {
  std::map<std::string, std::optional<NoLintIndex>> Files;
  std::set<std::string> Ids;
  for (const Finding &F : Findings) {
    if (!F.location.valid())
      continue;
    auto [It, New] = Files.try_emplace(F.location.file);
    if (New)
      if (auto Buffer = llvm::MemoryBuffer::getFile(F.location.file, /*IsText=*/false,
                                                    /*RequiresNullTerminator=*/false))
        It->second.emplace((*Buffer)->getBuffer().str());
    if (const std::optional<NoLintIndex> &Index = It->second;
        Index && Index->suppresses(F.location.line, F.location.column, F.check))
      Ids.insert(F.id);
  }
  return Ids;
}

} // namespace

int main(int argc, const char **argv) {
  CommandLine CL;
  std::string Error;
  if (!parseCommandLine(argc, argv, CL, Error))
    return fail(Error + " (see --help)");
  if (CL.help) {
    llvm::outs() << Usage;
    return 0;
  }
  if (CL.version) {
    llvm::outs() << "sharedstate-scan " << SHAREDSTATE_VERSION << " (" << clang::getClangFullVersion() << ")\n";
    return 0;
  }

  // The configuration first: a bad one stops the scan before any work.
  ScanConfig Config;
  if (!loadScanConfig(CL.configFile, CL.root.empty() ? "." : CL.root, Config, Error))
    return fail(Error);
  if (CL.warnOn)
    Config.warn = WarnPolicy{*CL.warnOn, {}};

  auto DB = loadDatabase(CL.buildPath, Error);
  if (!DB)
    return fail(Error);

  std::vector<std::string> Files;
  if (CL.sources.empty()) {
    Files = DB->getAllFiles();
    std::sort(Files.begin(), Files.end()); // the database's own order is a hash order
    if (Files.empty())
      return fail("'" + CL.buildPath + "': the compilation database lists no files");
  } else {
    for (const std::string &S : CL.sources)
      Files.push_back(absolute(S));
    std::sort(Files.begin(), Files.end());
    Files.erase(std::unique(Files.begin(), Files.end()), Files.end());
  }

  ScanOptions Opts;
  Opts.analysis = AnalysisOptions::defaults();
  Opts.analysis.root = realDirectory(CL.root.empty() ? "." : CL.root);
  const std::string OutputPath = CL.output.empty() ? std::string() : absolute(CL.output);
  // Built-in lists, then the configuration file's, then the command line's.
  for (const ListOption &L : ListOptions)
    for (const ExtensibleLists *From : {static_cast<const ExtensibleLists *>(&Config),
                                        static_cast<const ExtensibleLists *>(&CL)}) {
      std::vector<std::string> &To = Opts.analysis.*L.list;
      To.insert(To.end(), (From->*L.list).begin(), (From->*L.list).end());
    }
  Opts.extraArgs = CL.extraArgs;
  Opts.extraArgsBefore = CL.extraArgsBefore;
  Opts.resourceDir = SHAREDSTATE_RESOURCE_DIR;
  Opts.jobs = CL.jobs ? CL.jobs : std::max(1u, std::thread::hardware_concurrency());

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
  Report.suppressed = suppressedFindings(Report.findings);

  std::string Text =
      CL.format == "json" ? renderJson(Report) : renderText(Report, TextOptions{CL.all, Config.warn});
  if (OutputPath.empty()) {
    llvm::outs() << Text;
    llvm::outs().flush();
  } else if (!writeAtomically(OutputPath, Text, Error)) {
    return fail(Error);
  }

  if (!Report.errors.empty())
    return 2;
  for (const Finding &F : Report.findings)
    if (isWarning(Report, Config.warn, F))
      return 1;
  return 0;
}
