// Parsing the scanner's command line, and its usage text (see CommandLine.h).
#include "scan/CommandLine.h"

#include <llvm/ADT/StringRef.h>

#include <tuple>
#include <utility>

namespace sharedstate::scan {

namespace {

const char UsageHead[] = R"(usage: sharedstate-scan [options] [<file> ...]

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
  --library-callers <how>    how code outside the scan calls the library's API:
                             concurrent (from any thread at once, the default)
                             or serial (one thread at a time)
  --save-facts <file>        also write every translation unit's facts as JSON
  --load-facts <file>        classify facts that --save-facts wrote instead of
                             analyzing a compilation database (repeatable)
)";

const char UsageTail[] = R"(  --extra-arg <arg>          append <arg> to every compile command (repeatable)
  --extra-arg-before <arg>   prepend <arg> to every compile command (repeatable)
  -j <n>                     translation units analyzed in parallel (default: all cores)
  --tu-timeout <seconds>     give up on a translation unit after this long and
                             list it in the report's errors (default: 300; 0: never)
  --in-process               analyze in this process instead of one worker
                             process per translation unit: for debugging; a
                             translation unit that crashes Clang ends the scan
  --help, --version

Findings on a line with // NOLINT (and the clang-tidy variants) are suppressed.

exit status: 0 no warning, 1 at least one, 2 usage or input error, or no
translation unit could be analyzed, 3 the report was written but some
translation units could not be analyzed
)";

/// "  --flag <name>              help", continuation lines aligned.
std::string optionHelp(const std::string &Flag, const std::string &Help) {
  const size_t Column = 29;
  std::string Out = "  " + Flag;
  if (Out.size() + 1 > Column)
    Out += "\n" + std::string(Column, ' ');
  else
    Out += std::string(Column - Out.size(), ' ');
  for (char C : Help) {
    Out += C;
    if (C == '\n')
      Out += std::string(Column, ' ');
  }
  return Out + "\n";
}

} // namespace

std::string usage() {
  std::string S = UsageHead;
  for (const ListOption &L : ListOptions)
    S += optionHelp(std::string(L.flag) + " <name>", L.help);
  return S + UsageTail;
}

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
  std::string WarnOnSpec, LibraryCallers;
  const std::pair<const char *, std::string *> Single[] = {
      {"-p", &CL.buildPath},   {"-o", &CL.output},
      {"--format", &CL.format}, {"--root", &CL.root},
      {"--config-file", &CL.configFile}, {"--warn-on", &WarnOnSpec}, {"--save-facts", &CL.saveFacts},
      {"--library-callers", &LibraryCallers}};
  std::vector<std::pair<const char *, std::vector<std::string> *>> Repeated = {
      {"--extra-arg-before", &CL.extraArgsBefore}, {"--extra-arg", &CL.extraArgs}, {"--load-facts", &CL.loadFacts}};
  for (const ListOption &L : ListOptions)
    Repeated.emplace_back(L.flag, &(CL.options.*L.list));
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
    if (Arg == "--in-process") {
      CL.inProcess = true;
      continue;
    }
    bool Known = false;
    for (const auto &[Name, Into] : Single)
      if (!Known && Matches(Arg, Name)) {
        if (!Value(I, Arg, Name, *Into))
          return false;
        if (Into == &LibraryCallers) {
          bool Serial = false;
          std::string Problem;
          if (!parseLibraryCallers(LibraryCallers, Serial, Problem)) {
            Error = "invalid --library-callers: " + Problem;
            return false;
          }
          CL.options.serialLibraryCallers = Serial;
        }
        if (Into == &WarnOnSpec) {
          std::string Problem;
          CL.options.warnOn = WarnOn::parse(WarnOnSpec, Problem);
          if (!CL.options.warnOn) {
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
    // The numeric options: --tu-timeout 0 turns the limit off; -j 0 means nothing.
    for (auto [Name, Into, Least, Unit] : {std::tuple{"--tu-timeout", &CL.tuTimeout, 0u, "a number of seconds"},
                                           std::tuple{"-j", &CL.jobs, 1u, "a positive number"}})
      if (!Known && Matches(Arg, Name)) {
        std::string V;
        if (!Value(I, Arg, Name, V))
          return false;
        if (llvm::StringRef(V).getAsInteger(10, *Into) || *Into < Least) {
          Error = "option '" + std::string(Name) + "' expects " + Unit + ", got '" + V + "'";
          return false;
        }
        Known = true;
      }
    if (!Known) {
      Error = "unknown option '" + Arg.str() + "'";
      return false;
    }
  }
  if (!CL.loadFacts.empty() && !CL.sources.empty()) {
    Error = "--load-facts reads saved facts, not source files ('" + CL.sources.front() + "')";
    return false;
  }
  if (CL.format != "json" && CL.format != "text") {
    Error = "unknown --format '" + CL.format + "' (expected json or text)";
    return false;
  }
  return true;
}

} // namespace sharedstate::scan
