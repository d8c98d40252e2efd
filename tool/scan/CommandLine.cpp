// Parsing the scanner's command line with llvm::cl, as clang-tidy does (see
// CommandLine.h).
#include "scan/CommandLine.h"

#include <llvm/ADT/STLExtras.h>
#include <llvm/ADT/SmallVector.h>
#include <llvm/ADT/StringMap.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Allocator.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/StringSaver.h>
#include <llvm/Support/raw_ostream.h>

#include <algorithm>
#include <cctype>
#include <deque>
#include <memory>
#include <tuple>
#include <utility>

namespace sharedstate::scan {

namespace cl = llvm::cl;

namespace {

cl::OptionCategory InputOutput("Input and output");
cl::OptionCategory Findings("What warns");
cl::OptionCategory Lists("What the analysis knows (each adds to a built-in list; repeatable)");
cl::OptionCategory Running("Running");

cl::list<std::string> Sources(cl::Positional, cl::desc("[<file> ...]"), cl::cat(InputOutput));
// -p and -j also take their value glued to them (-pbuild, -j4), as before;
// -o does not, so that -output=x.json is an unknown option, not a file named
// "utput=x.json".
cl::opt<std::string> BuildPath("p", cl::Prefix, cl::init("."), cl::value_desc("path"), cl::cat(InputOutput),
                               cl::desc("build directory containing compile_commands.json, or the file itself"));
cl::opt<std::string> Output("o", cl::value_desc("file"), cl::cat(InputOutput),
                            cl::desc("write the report to <file>, atomically (default: standard output)"));
cl::opt<std::string> Format("format", cl::init("json"), cl::value_desc("json|text"), cl::cat(InputOutput),
                            cl::desc("report format"));
cl::opt<bool> All("all", cl::cat(InputOutput), cl::desc("text format: list every variable, not only warnings"));
cl::opt<std::string> Root("root", cl::value_desc("dir"), cl::cat(InputOutput),
                          cl::desc("report paths relative to <dir> (default: the current directory)"));
cl::opt<std::string> SaveFacts("save-facts", cl::value_desc("file"), cl::cat(InputOutput),
                               cl::desc("also write every translation unit's facts as JSON"));
cl::list<std::string> LoadFacts("load-facts", cl::value_desc("file"), cl::cat(InputOutput),
                                cl::desc("classify facts that --save-facts wrote instead of analyzing a "
                                         "compilation database (repeatable)"));

cl::opt<std::string> ConfigFile("config-file", cl::value_desc("file"), cl::cat(Findings),
                                cl::desc("read CheckOptions from <file> (default: the nearest .clang-tidy in "
                                         "--root or its parents)"));
cl::opt<std::string> WarnOnSpec("warn-on", cl::value_desc("list"), cl::cat(Findings),
                                cl::desc("which findings warn, overriding WarnOn in the file: verdicts, "
                                         "categories 1-4 or all (default: not-thread-safe)"));
cl::opt<std::string> LibraryCallers("library-callers", cl::value_desc("concurrent|serial"), cl::cat(Findings),
                                    cl::desc("how code outside the scan calls the library's API: from any "
                                             "thread at once (the default) or one thread at a time"));

cl::list<std::string> ExtraArgs("extra-arg", cl::value_desc("arg"), cl::cat(Running),
                                cl::desc("append <arg> to every compile command (repeatable)"));
cl::list<std::string> ExtraArgsBefore("extra-arg-before", cl::value_desc("arg"), cl::cat(Running),
                                      cl::desc("prepend <arg> to every compile command (repeatable)"));
cl::opt<std::string> Jobs("j", cl::Prefix, cl::value_desc("n"), cl::cat(Running),
                          cl::desc("translation units analyzed in parallel (default: all cores)"));
cl::opt<std::string> TuTimeout("tu-timeout", cl::value_desc("seconds"), cl::cat(Running),
                               cl::desc("give up on a translation unit after this long and list it in the "
                                        "report's errors (default: 300; 0: never)"));
cl::opt<bool> Progress("progress", cl::cat(Running),
                       cl::desc("print a progress line per translation unit even when standard error is "
                                "not a terminal (on a terminal there is always one, overwritten)"));
cl::opt<bool> InProcess("in-process", cl::cat(Running),
                        cl::desc("analyze in this process instead of one worker process per translation "
                                 "unit: for debugging; a translation unit that crashes Clang ends the scan"));

cl::extrahelp Epilogue(R"(
Options take their value as the next argument or after '=' (--format=text);
-p and -j also glued to them (-pbuild, -j4). Long options take one dash or
two. @file reads more arguments from file. Findings on a line with // NOLINT
(and the clang-tidy variants) are suppressed.

Exit status: 0 no warning, 1 at least one, 2 usage or input error, or no
translation unit could be analyzed, 3 the report was written but some
translation units could not be analyzed.
)");

/// llvm::cl's messages ("sharedstate-scan: Unknown command line argument
/// '-x'.  Try: ...", "sharedstate-scan: Did you mean '--y'?") as one line
/// without the program name, which the caller's prefix adds.
std::string oneLine(const std::string &Messages) {
  std::string Out;
  llvm::StringRef Rest(Messages);
  while (!Rest.empty()) {
    auto [Line, Next] = Rest.split('\n');
    Rest = Next;
    Line = Line.trim();
    if (size_t Colon = Line.find(": "); Colon != llvm::StringRef::npos && !Line.take_front(Colon).contains(' '))
      Line = Line.drop_front(Colon + 2); // "sharedstate-scan: "
    if (size_t Try = Line.find("  Try: "); Try != llvm::StringRef::npos)
      Line = Line.take_front(Try);
    Line = Line.trim();
    if (Line.empty())
      continue;
    if (!Out.empty())
      Out += "; ";
    std::string Piece = Line.str();
    if (!Out.empty() || Piece.size() < 2 || !std::isupper(static_cast<unsigned char>(Piece[1])))
      Piece[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(Piece[0])));
    Out += Piece;
  }
  return Out.empty() ? "invalid command line" : Out;
}

/// Checks the options before llvm::cl sees them, so that each mistake is one
/// line of ours (llvm::cl prints some errors itself, over several lines, and
/// suggests the hidden options of every LLVM library linked in): an unknown
/// option, with the closest of ours, or a missing value. Rewrites -h to --help.
bool precheck(llvm::SmallVectorImpl<const char *> &Args, std::string &Error) {
  struct Known {
    bool needsValue, glued;
  };
  llvm::StringMap<Known> Names;
  auto Spelled = [](llvm::StringRef Name) { return (Name.size() == 1 ? "-" : "--") + Name.str(); };
  const cl::OptionCategory *Ours[] = {&InputOutput, &Findings, &Lists, &Running};
  for (const auto &[Name, O] : cl::getRegisteredOptions()) {
    bool Mine = std::any_of(O->Categories.begin(), O->Categories.end(), [&](const cl::OptionCategory *C) {
      return std::find(std::begin(Ours), std::end(Ours), C) != std::end(Ours);
    });
    if (Mine || Name == "help" || Name == "version")
      Names[Name] = {O->getValueExpectedFlag() == cl::ValueRequired, O->getFormattingFlag() == cl::Prefix};
  }
  for (size_t I = 1; I < Args.size(); ++I) {
    llvm::StringRef Arg = Args[I];
    if (Arg == "--")
      break;
    if (!Arg.starts_with("-") || Arg == "-")
      continue; // a file
    if (Arg == "-h") {
      Args[I] = "--help"; // llvm::cl has no -h of its own
      continue;
    }
    llvm::StringRef Body = Arg.drop_front(Arg.starts_with("--") ? 2 : 1);
    auto [Name, Value] = Body.split('=');
    bool HasValue = Body.contains('=');
    if (auto It = Names.find(Name); It != Names.end()) {
      if (It->second.needsValue && !HasValue && ++I >= Args.size()) {
        Error = "option '" + Arg.str() + "' requires a value";
        return false;
      }
      if (!It->second.needsValue && HasValue && !llvm::is_contained({"true", "false", "1", "0"}, Value.lower())) {
        Error = "option '" + Spelled(Name) + "' is a switch: '" + Value.str() + "' is not true or false";
        return false;
      }
      continue;
    }
    if (Arg.size() > 2 && !Arg.starts_with("--"))
      if (auto It = Names.find(Body.take_front(1)); It != Names.end() && It->second.glued)
        continue; // -pbuild, -j4
    Error = "unknown option '" + Arg.str() + "'";
    unsigned Best = 3;
    std::string Closest;
    for (const auto &Entry : Names)
      if (unsigned D = Name.edit_distance(Entry.getKey()); D < Best && Entry.getKey().size() > 1) {
        Best = D;
        Closest = Spelled(Entry.getKey());
      }
    if (!Closest.empty())
      Error += "; did you mean '" + Closest + "'?";
    return false;
  }
  return true;
}

} // namespace

bool parseCommandLine(int Argc, const char **Argv, CommandLine &CL, std::string &Error,
                      const std::string &VersionLine) {
  // The list flags (--sync-type, ...) come from the ListOptions table, the
  // same table that names the .clang-tidy keys.
  // llvm::cl keeps a pointer to each option, and a StringRef to its help:
  // both live as long as the program.
  static std::deque<std::string> Helps;
  static std::vector<std::unique_ptr<cl::list<std::string>>> ListFlags;
  if (ListFlags.empty())
    for (const ListOption &L : ListOptions) {
      std::string &Help = Helps.emplace_back(L.help);
      std::replace(Help.begin(), Help.end(), '\n', ' ');
      llvm::StringRef Name = llvm::StringRef(L.flag).drop_while([](char C) { return C == '-'; });
      ListFlags.push_back(std::make_unique<cl::list<std::string>>(Name, cl::value_desc("name"), cl::desc(Help),
                                                                  cl::cat(Lists)));
    }
  cl::HideUnrelatedOptions({&InputOutput, &Findings, &Lists, &Running});
  cl::SetVersionPrinter([VersionLine](llvm::raw_ostream &OS) { OS << VersionLine << "\n"; });

  // @file arguments first, so that what they hold is checked too.
  llvm::BumpPtrAllocator Alloc;
  llvm::StringSaver Saver(Alloc);
  llvm::SmallVector<const char *, 32> Args(Argv, Argv + Argc);
  cl::ExpansionContext Expansion(Saver.getAllocator(), cl::TokenizeGNUCommandLine);
  if (llvm::Error E = Expansion.expandResponseFiles(Args)) {
    Error = "cannot read a response file: " + llvm::toString(std::move(E));
    return false;
  }
  if (!precheck(Args, Error))
    return false;

  std::string Messages;
  llvm::raw_string_ostream Errors(Messages);
  if (!cl::ParseCommandLineOptions(static_cast<int>(Args.size()), Args.data(),
                                   "Finds shared mutable state (namespace-scope globals, static data members,\n"
                                   "function-local statics) in the translation units of a compilation database,\n"
                                   "and classifies each variable into the four categories of the threading review.\n",
                                   &Errors)) {
    Errors.flush();
    Error = oneLine(Messages);
    return false;
  }

  CL.buildPath = BuildPath;
  CL.sources = Sources;
  CL.output = Output;
  CL.format = Format;
  CL.all = All;
  CL.root = Root;
  CL.configFile = ConfigFile;
  CL.saveFacts = SaveFacts;
  CL.loadFacts = LoadFacts;
  CL.extraArgs = ExtraArgs;
  CL.extraArgsBefore = ExtraArgsBefore;
  CL.inProcess = InProcess;
  CL.progress = Progress;
  for (size_t I = 0; I < ListFlags.size(); ++I)
    CL.options.*(ListOptions[I].list) = *ListFlags[I];

  if (LibraryCallers.getNumOccurrences()) {
    bool Serial = false;
    std::string Problem;
    if (!parseLibraryCallers(LibraryCallers, Serial, Problem)) {
      Error = "invalid --library-callers: " + Problem;
      return false;
    }
    CL.options.serialLibraryCallers = Serial;
  }
  if (WarnOnSpec.getNumOccurrences()) {
    std::string Problem;
    CL.options.warnOn = WarnOn::parse(WarnOnSpec, Problem);
    if (!CL.options.warnOn) {
      Error = "invalid --warn-on '" + WarnOnSpec + "': " + Problem;
      return false;
    }
  }
  // The numeric options: --tu-timeout 0 turns the limit off; -j 0 means nothing.
  for (auto [Opt, Name, Into, Least, Unit] :
       {std::tuple{&TuTimeout, "--tu-timeout", &CL.tuTimeout, 0u, "a number of seconds"},
        std::tuple{&Jobs, "-j", &CL.jobs, 1u, "a positive number"}}) {
    if (!Opt->getNumOccurrences())
      continue;
    const std::string &V = *Opt;
    if (llvm::StringRef(V).getAsInteger(10, *Into) || *Into < Least) {
      Error = "option '" + std::string(Name) + "' expects " + Unit + ", got '" + V + "'";
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
