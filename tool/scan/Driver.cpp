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

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <optional>
#include <poll.h>
#include <set>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

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

/// One compile command of one file: the unit of work.
struct Unit {
  std::string file;
  std::optional<CompileCommand> command; ///< none: the database does not list the file
  size_t index = 0, count = 1;           ///< which of the file's distinct commands
};

/// The database as ClangTool sees it for one unit: that command only. (Given
/// the whole database, ClangTool runs every command of the file into one
/// action, and only the last one's facts would survive.)
class OneCommand : public CompilationDatabase {
public:
  explicit OneCommand(CompileCommand C) : Command(std::move(C)) {}
  std::vector<CompileCommand> getCompileCommands(llvm::StringRef) const override { return {Command}; }
  std::vector<std::string> getAllFiles() const override { return {Command.Filename}; }

private:
  CompileCommand Command;
};

std::vector<Unit> unitsOf(const CompilationDatabase &DB, const std::vector<std::string> &Files) {
  std::vector<Unit> Units;
  for (const std::string &File : Files) {
    std::vector<CompileCommand> Distinct;
    for (CompileCommand &C : DB.getCompileCommands(File))
      if (llvm::none_of(Distinct, [&](const CompileCommand &D) {
            return D.Directory == C.Directory && D.CommandLine == C.CommandLine;
          }))
        Distinct.push_back(std::move(C));
    if (Distinct.empty()) {
      Units.push_back({File, std::nullopt, 0, 1});
      continue;
    }
    for (size_t I = 0; I < Distinct.size(); ++I)
      Units.push_back({File, std::move(Distinct[I]), I, Distinct.size()});
  }
  return Units;
}

/// What stops a unit before Clang sees it, or "".
std::string precheck(const Unit &U) {
  if (!U.command)
    return "not in the compilation database";
  if (!llvm::sys::fs::exists(U.file))
    return "cannot read the file: no such file";
  if (!llvm::sys::fs::is_regular_file(U.file))
    return "cannot read the file: not a regular file"; // a FIFO would block the parse forever
  if (::access(U.file.c_str(), R_OK) != 0)
    return "cannot read the file: permission denied";
  // ClangTool treats a directory it cannot enter as a fatal error of the process.
  if (!llvm::sys::fs::is_directory(U.command->Directory))
    return "the compile command's directory '" + U.command->Directory + "' does not exist";
  return "";
}

TUResult analyzeUnit(const Unit &U, const ScanOptions &Opts) {
  TUResult R; // file and mainFile: scanFiles fills them in
  R.error = precheck(U);
  if (!R.error.empty() || !U.command)
    return R;
  const std::string &File = U.file;
  OneCommand DB(*U.command);
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
  return R;
}

/// A finished unit's result as the report shows it: its file, and which of
/// the file's commands failed.
void settle(const Unit &U, TUResult &R) {
  R.file = U.file;
  if (R.facts.mainFile.empty())
    R.facts.mainFile = R.file;
  if (!R.ok && U.count > 1)
    R.error += " (compile command " + std::to_string(U.index + 1) + " of " + std::to_string(U.count) + ")";
}

/// Units on threads of this process.
void runInProcess(const std::vector<Unit> &Units, const ScanOptions &Opts, std::vector<TUResult> &Results,
                  const ProgressFn &Progress) {
  std::atomic<size_t> Next{0};
  std::mutex ProgressMutex;
  size_t Done = 0;
  auto Worker = [&] {
    for (size_t I; (I = Next++) < Units.size();) {
      Results[I] = analyzeUnit(Units[I], Opts);
      settle(Units[I], Results[I]);
      std::lock_guard<std::mutex> Lock(ProgressMutex);
      if (Progress)
        Progress(++Done, Units.size(), Results[I], "");
    }
  };
  unsigned Jobs = std::max(1u, std::min<unsigned>(Opts.jobs, static_cast<unsigned>(Units.size())));
  std::vector<std::thread> Threads;
  for (unsigned J = 1; J < Jobs; ++J)
    Threads.emplace_back(Worker);
  Worker();
  for (std::thread &T : Threads)
    T.join();
}

/// A unit's result as the child sends it.
std::vector<std::uint8_t> encode(const TUResult &R) {
  return nlohmann::json::to_cbor(nlohmann::json{{"ok", R.ok}, {"error", R.error}, {"facts", R.facts}});
}

bool decode(const std::string &Bytes, TUResult &R) {
  try {
    nlohmann::json J = nlohmann::json::from_cbor(Bytes);
    J.at("ok").get_to(R.ok);
    J.at("error").get_to(R.error);
    J.at("facts").get_to(R.facts);
    return true;
  } catch (const std::exception &) {
    return false;
  }
}

/// Moves Size bytes through Fd with IO (::read or ::write), whatever EINTR
/// and short transfers get in the way; false when the other end is gone.
template <typename Buffer, typename SysCall> bool transferAll(SysCall IO, int Fd, Buffer *Data, size_t Size) {
  for (size_t Off = 0; Off < Size;) {
    ssize_t N = IO(Fd, Data + Off, Size - Off);
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      return false;
    Off += static_cast<size_t>(N);
  }
  return true;
}

bool writeAll(int Fd, const void *Data, size_t Size) {
  return transferAll(::write, Fd, static_cast<const std::uint8_t *>(Data), Size);
}

bool readAll(int Fd, void *Data, size_t Size) {
  return transferAll(::read, Fd, static_cast<std::uint8_t *>(Data), Size);
}

/// A worker: reads unit numbers from In, analyzes each and writes its result
/// (a 64-bit length, then CBOR) to Out, until In ends. Never returns. One
/// process serves many units, so what Clang sets up once per process is not
/// paid again for every TU.
[[noreturn]] void runWorker(const std::vector<Unit> &Units, const ScanOptions &Opts, int In, int Out) {
#ifdef __linux__
  ::prctl(PR_SET_PDEATHSIG, SIGKILL); // a killed scanner leaves no workers behind
#endif
  int Status = 0;
  try {
    for (std::uint64_t I = 0; readAll(In, &I, sizeof I) && I < Units.size();) {
      std::vector<std::uint8_t> Bytes = encode(analyzeUnit(Units[I], Opts));
      std::uint64_t Size = Bytes.size();
      if (!writeAll(Out, &Size, sizeof Size) || !writeAll(Out, Bytes.data(), Bytes.size())) {
        Status = 4;
        break;
      }
    }
  } catch (...) {
    Status = 3;
  }
  ::_exit(Status); // no atexit handlers, no flush of buffers the parent owns
}

struct Worker {
  pid_t pid = -1;
  int to = -1, from = -1; ///< unit numbers go to it, results come from it
  std::optional<size_t> unit; ///< the unit it works on
  std::string bytes;          ///< of that unit's result, so far
  std::chrono::steady_clock::time_point deadline;
  bool timedOut = false;
};

/// What a worker's end says, as the result of the unit it was working on.
std::string deathOf(const Worker &W, int Status, const ScanOptions &Opts) {
  if (W.timedOut)
    return "timed out after " + std::to_string(Opts.tuTimeout) + " s";
  if (WIFSIGNALED(Status))
    return "crashed with " + signalName(WTERMSIG(Status));
  if (WIFEXITED(Status) && WEXITSTATUS(Status) != 0)
    return "the analysis process exited with status " + std::to_string(WEXITSTATUS(Status));
  return "the analysis process ended without a result";
}

/// Units in worker processes, at most Opts.jobs of them; a worker that
/// crashes or times out costs the unit it was on, and a new one takes its
/// place. This process stays single-threaded, so forking it is safe.
void runIsolated(const std::vector<Unit> &Units, const ScanOptions &Opts, std::vector<TUResult> &Results,
                 const ProgressFn &Progress) {
  using Clock = std::chrono::steady_clock;
  const size_t Jobs = std::max<size_t>(1, std::min<size_t>(Opts.jobs, Units.size()));
  std::vector<Worker> Workers;
  size_t Next = 0, Done = 0;
  auto Finish = [&](size_t Unit, TUResult R) {
    settle(Units[Unit], R);
    Results[Unit] = std::move(R);
    ++Done;
    if (!Progress)
      return;
    std::string Working;
    for (const Worker &W : Workers)
      if (W.unit && *W.unit != Unit) {
        Working = Units[*W.unit].file;
        break;
      }
    Progress(Done, Units.size(), Results[Unit], Working);
  };
  auto Failed = [](std::string Why) {
    TUResult R;
    R.error = std::move(Why);
    return R;
  };
  auto Spawn = [&]() -> bool {
    int Down[2], Up[2];
    if (::pipe2(Down, O_CLOEXEC) != 0)
      return false;
    if (::pipe2(Up, O_CLOEXEC) != 0) {
      ::close(Down[0]);
      ::close(Down[1]);
      return false;
    }
    pid_t Pid = ::fork();
    if (Pid == 0) {
      ::close(Down[1]);
      ::close(Up[0]);
      for (const Worker &W : Workers) { // the other workers' pipes are not this one's
        ::close(W.to);
        ::close(W.from);
      }
      runWorker(Units, Opts, Down[0], Up[1]);
    }
    ::close(Down[0]);
    ::close(Up[1]);
    if (Pid < 0) {
      ::close(Down[1]);
      ::close(Up[0]);
      return false;
    }
    Worker W;
    W.pid = Pid;
    W.to = Down[1];
    W.from = Up[0];
    Workers.push_back(std::move(W));
    return true;
  };
  auto Assign = [&](Worker &W, size_t I) {
    std::uint64_t N = I;
    W.unit = I;
    W.bytes.clear();
    W.timedOut = false;
    W.deadline = Opts.tuTimeout ? Clock::now() + std::chrono::seconds(Opts.tuTimeout) : Clock::time_point::max();
    (void)writeAll(W.to, &N, sizeof N); // if it is gone, its pipe's end says so below
  };
  std::signal(SIGPIPE, SIG_IGN); // a dead worker's pipe: an error, not the end of the scan
  while (Done < Units.size()) {
    // Give every idle worker a unit, starting workers up to Jobs.
    for (Worker &W : Workers)
      if (!W.unit && Next < Units.size())
        Assign(W, Next++);
    while (Next < Units.size() && Workers.size() < Jobs) {
      if (!Spawn()) {
        Finish(Next, Failed(std::string("cannot start an analysis process: ") + std::strerror(errno)));
        ++Next;
        continue;
      }
      Assign(Workers.back(), Next++);
    }
    if (Workers.empty())
      continue;
    Clock::time_point Nearest = Clock::time_point::max();
    std::vector<pollfd> Fds;
    for (const Worker &W : Workers) {
      Fds.push_back({W.from, POLLIN, 0});
      if (W.unit && !W.timedOut)
        Nearest = std::min(Nearest, W.deadline);
    }
    int Wait = -1;
    if (Nearest != Clock::time_point::max()) {
      auto Left = std::chrono::duration_cast<std::chrono::milliseconds>(Nearest - Clock::now()).count();
      Wait = static_cast<int>(std::clamp<long long>(Left + 1, 0, 60'000));
    }
    ::poll(Fds.data(), Fds.size(), Wait); // EINTR: look again
    Clock::time_point Now = Clock::now();
    for (size_t K = Workers.size(); K-- > 0;) {
      Worker &W = Workers[K];
      bool Ended = false;
      if (Fds[K].revents & (POLLIN | POLLHUP | POLLERR)) {
        char Buf[65536];
        ssize_t N = ::read(W.from, Buf, sizeof Buf);
        if (N > 0)
          W.bytes.append(Buf, static_cast<size_t>(N));
        else if (N == 0 || errno != EINTR)
          Ended = true;
      }
      // A whole result: the unit is done and the worker free for the next.
      std::uint64_t Size = 0;
      if (W.unit && !W.timedOut && W.bytes.size() >= sizeof Size) {
        std::memcpy(&Size, W.bytes.data(), sizeof Size);
        if (W.bytes.size() - sizeof Size >= Size) {
          TUResult R;
          if (!decode(W.bytes.substr(sizeof Size, Size), R))
            R = Failed("the analysis process sent back a result that cannot be read");
          W.bytes.erase(0, sizeof Size + Size);
          Finish(*W.unit, std::move(R));
          W.unit.reset();
          continue;
        }
      }
      if (!Ended && W.unit && !W.timedOut && Now >= W.deadline) {
        ::kill(W.pid, SIGKILL);
        W.timedOut = true; // its pipe ends now, and it is collected on a later turn
      }
      if (!Ended)
        continue;
      ::close(W.to);
      ::close(W.from);
      int Status = 0;
      while (::waitpid(W.pid, &Status, 0) < 0 && errno == EINTR) {
      }
      if (W.unit)
        Finish(*W.unit, Failed(deathOf(W, Status, Opts)));
      Workers.erase(Workers.begin() + static_cast<std::ptrdiff_t>(K));
    }
  }
  // Every unit is done: closing a worker's input ends it.
  for (Worker &W : Workers) {
    ::close(W.to);
    ::close(W.from);
    int Status = 0;
    while (::waitpid(W.pid, &Status, 0) < 0 && errno == EINTR) {
    }
  }
}

} // namespace

std::string signalName(int Signal) {
  switch (Signal) {
  case SIGSEGV: return "SIGSEGV";
  case SIGILL: return "SIGILL";
  case SIGABRT: return "SIGABRT";
  case SIGBUS: return "SIGBUS";
  case SIGFPE: return "SIGFPE";
  case SIGKILL: return "SIGKILL";
  case SIGTERM: return "SIGTERM";
  case SIGTRAP: return "SIGTRAP";
  default: return "signal " + std::to_string(Signal);
  }
}

std::vector<TUResult> scanFiles(const CompilationDatabase &DB, const std::vector<std::string> &Files,
                                const ScanOptions &Opts, const ProgressFn &Progress) {
  std::vector<Unit> Units = unitsOf(DB, Files);
  std::vector<TUResult> Results(Units.size());
  if (Opts.isolate)
    runIsolated(Units, Opts, Results, Progress);
  else
    runInProcess(Units, Opts, Results, Progress);
  return Results;
}

} // namespace sharedstate
