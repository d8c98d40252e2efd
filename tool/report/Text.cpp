// The text report: what editors and CI logs already understand
// (file:line:col: warning: ... [check], then its notes), and a summary: the
// shared variables by category (the threading review's table), the
// verdicts, and a line per pattern check (lazy-init, singleton-handler, ...)
// labelled by the checks table.
#include "report/Diagnostics.h"
#include "report/Report.h"

#include "CheckTable.h"

#include <map>
#include <sstream>

namespace sharedstate {

namespace {

std::string where(const SourceLocation &L, const std::string &Root) {
  return displayPath(L.file, Root) + ":" + std::to_string(L.line) + ":" + std::to_string(L.column);
}

// The category says what happens to a variable; whether that is safe is the
// verdict, which also weighs synchronization, so the titles do not claim it.
const char *const CategoryTitles[] = {"", "never written after initialization", "written only during initialization",
                                      "mutated at run time", "reassigned at run time"};

/// "a, b, c, ... (4 more)": the first six names of a summary line.
std::string shortList(const std::vector<std::string> &Names) {
  std::string S;
  for (size_t I = 0; I < Names.size() && I < 6; ++I)
    S += (I ? ", " : "") + Names[I];
  if (Names.size() > 6)
    S += ", ... (" + std::to_string(Names.size() - 6) + " more)";
  return S;
}

/// The summary's counts.
struct Tallies {
  int counts[5] = {0, 0, 0, 0, 0};
  std::map<Verdict, int> verdicts;
  std::vector<std::string> names[5];
  size_t variables = 0, suppressed = 0;
  /// Pattern checks, by check id: their findings' shapes or symbols.
  std::map<std::string, std::map<std::string, int>> shapes;
  std::map<std::string, std::vector<std::string>> symbols;

  void add(const Finding &F) {
    const CheckInfo *C = findCheck(F.check.c_str());
    if (!C || !*C->tally) {
      // The table is the review's: one row entry per shared variable.
      ++variables;
      ++counts[F.category];
      ++verdicts[F.verdict];
      names[F.category].push_back(F.symbol);
    } else if (!F.shape.empty()) {
      ++shapes[F.check][F.shape];
    } else {
      symbols[F.check].push_back(F.symbol);
    }
  }
};

void printFinding(std::ostream &OS, const Finding &F, bool Warns, bool Suppressed, const std::string &Root) {
  Diagnostic D = diagnose(F);
  OS << where(D.location, Root) << ": " << (Warns ? "warning" : "note") << ": " << D.message
     << (Suppressed ? " (suppressed)" : "") << " [" << D.check << "]\n";
  for (const DiagnosticNote &N : D.notes)
    OS << where(N.location, Root) << ": note: " << N.message << "\n";
}

void printSummary(std::ostream &OS, const ReportInput &In, const Tallies &T) {
  OS << "\nshared variables by category (" << T.variables << " in " << In.translationUnits << " translation unit"
     << (In.translationUnits == 1 ? "" : "s") << "):\n";
  for (int C = 1; C <= 4; ++C) {
    OS << "  " << C << "  " << CategoryTitles[C];
    for (size_t Pad = std::string(CategoryTitles[C]).size(); Pad < 36; ++Pad)
      OS << ' ';
    OS << T.counts[C];
    if (!T.names[C].empty())
      OS << "  " << shortList(T.names[C]);
    OS << "\n";
  }
  auto Count = [&](Verdict V) {
    auto It = T.verdicts.find(V);
    return It == T.verdicts.end() ? 0 : It->second;
  };
  OS << "verdicts: " << Count(Verdict::NotThreadSafe) << " not thread-safe, " << Count(Verdict::ProbablyThreadSafe)
     << " probably thread-safe, " << Count(Verdict::ThreadSafe) << " thread-safe\n";
  for (const CheckInfo &C : CheckTable) {
    if (auto It = T.shapes.find(C.id); It != T.shapes.end()) {
      int Total = 0;
      std::string Shapes;
      for (const auto &[Shape, N] : It->second) {
        Total += N;
        Shapes += (Shapes.empty() ? "" : ", ") + std::to_string(N) + " " + Shape;
      }
      OS << C.tally << ": " << Total << " (" << Shapes << ")\n";
    }
    if (auto It = T.symbols.find(C.id); It != T.symbols.end())
      OS << C.tally << ": " << It->second.size() << " (" << shortList(It->second) << ")\n";
  }
  if (T.suppressed)
    OS << T.suppressed << (T.suppressed == 1 ? " finding" : " findings") << " suppressed by NOLINT comments\n";
  if (!In.errors.empty())
    OS << In.errors.size()
       << (In.errors.size() == 1 ? " translation unit failed; its" : " translation units failed; their")
       << " results may be incomplete\n";
}

} // namespace

std::string renderText(const ReportInput &In, const TextOptions &Opts) {
  std::ostringstream OS;
  Tallies T;
  for (const Finding &F : In.findings) {
    T.add(F);
    bool IsSuppressed = In.suppressed.count(F.id) > 0;
    T.suppressed += IsSuppressed;
    bool Warns = isWarning(In, Opts.warn, F);
    if (Warns || Opts.all)
      printFinding(OS, F, Warns, IsSuppressed, In.root);
  }
  for (const TUError &E : In.errors)
    OS << displayPath(E.file, In.root) << ": error: " << E.message << "\n";
  printSummary(OS, In, T);
  return OS.str();
}

} // namespace sharedstate
