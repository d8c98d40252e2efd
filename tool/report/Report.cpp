// JSON and compiler-style text reports. The JSON is a contract documented in
// docs/json-report.md and docs/report.schema.json; the text format is what
// editors and CI logs already understand (file:line:col: warning: ... [check]).
#include "report/Report.h"

#include "facts/Paths.h"

#include <nlohmann/json.hpp>

#include <map>
#include <sstream>

namespace sharedstate {

std::string displayPath(const std::string &Path, const std::string &Root) { return relativeTo(Path, Root); }

namespace {
nlohmann::ordered_json locationJson(const SourceLocation &L, const std::string &Root) {
  return {{"file", displayPath(L.file, Root)}, {"line", L.line}, {"column", L.column}};
}

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
} // namespace

bool WarnPolicy::warns(const Finding &F) const {
  auto It = perCheck.find(F.check);
  return (It != perCheck.end() ? It->second : fallback).warns(F);
}

bool isWarning(const ReportInput &In, const WarnPolicy &Policy, const Finding &F) {
  return !In.suppressed.count(F.id) && Policy.warns(F);
}

nlohmann::ordered_json toJson(const ReportInput &In) {
  nlohmann::ordered_json J;
  J["version"] = ReportVersion;
  J["tool"] = {{"name", "sharedstate"}, {"version", In.toolVersion}, {"llvm", In.llvmVersion}};
  J["root"] = In.root;
  auto &Findings = J["findings"] = nlohmann::ordered_json::array();
  std::map<std::string, int> ByKind, ByVerdict, ByCategory;
  for (const char *V : {"thread-safe", "probably-thread-safe", "not-thread-safe"})
    ByVerdict[V] = 0;
  for (int C = 1; C <= 4; ++C)
    ByCategory[std::to_string(C)] = 0;
  for (const char *Kind : {
#define SHAREDSTATE_CHECK(Id, Kind, Class, Doc) Kind,
#include "Checks.def"
       })
    ByKind[Kind] = 0;
  for (const Finding &F : In.findings) {
    nlohmann::ordered_json X = {{"id", F.id},
                        {"check", F.check},
                        {"kind", F.kind},
                        {"category", F.category},
                        {"verdict", toString(F.verdict)},
                        {"suppressed", In.suppressed.count(F.id) > 0},
                        {"symbol", F.symbol},
                        {"type", F.type},
                        {"location", locationJson(F.location, In.root)},
                        {"message", F.message},
                        {"qualifiers", F.qualifiers}};
    if (!F.hint.empty())
      X["hint"] = F.hint;
    if (!F.shape.empty())
      X["shape"] = F.shape;
    auto &Ev = X["evidence"] = nlohmann::ordered_json::array();
    for (const Evidence &E : F.evidence) {
      nlohmann::ordered_json Y = {{"what", toString(E.what)},
                          {"location", locationJson(E.location, In.root)},
                          {"function", E.function},
                          {"phase", toString(E.phase)},
                          {"synchronized", toString(E.sync)}};
      if (!E.detail.empty())
        Y["detail"] = E.detail;
      if (!E.field.empty())
        Y["field"] = E.field;
      Ev.push_back(std::move(Y));
    }
    if (F.kind == "singleton-handler") {
      auto &Inst = X["instances"] = nlohmann::ordered_json::array();
      for (const Instance &I : F.instances)
        Inst.push_back({{"how", I.how}, {"detail", I.detail}, {"location", locationJson(I.location, In.root)}});
    }
    Findings.push_back(std::move(X));
    ++ByKind[F.kind];
    ++ByVerdict[toString(F.verdict)];
    ++ByCategory[std::to_string(F.category)];
  }
  J["summary"] = {{"findings", In.findings.size()},
                  {"translation_units", In.translationUnits},
                  {"by_kind", ByKind},
                  {"by_category", ByCategory},
                  {"by_verdict", ByVerdict}};
  auto &Errors = J["errors"] = nlohmann::ordered_json::array();
  for (const TUError &E : In.errors)
    Errors.push_back({{"file", displayPath(E.file, In.root)}, {"message", E.message}});
  return J;
}

std::string renderJson(const ReportInput &In) { return toJson(In).dump(2) + "\n"; }

std::string renderText(const ReportInput &In, const TextOptions &Opts) {
  std::ostringstream OS;
  int Counts[5] = {0, 0, 0, 0, 0};
  std::map<Verdict, int> Verdicts;
  std::vector<std::string> Names[5];
  size_t Suppressed = 0, Variables = 0;
  std::map<std::string, int> Races; // lazy-init findings by shape
  std::vector<std::string> Handlers; // singleton-handler findings
  for (const Finding &F : In.findings) {
    if (F.kind == "singleton-handler") {
      Handlers.push_back(F.symbol);
    } else if (F.shape.empty()) {
      // The table is the review's: one row entry per shared variable.
      ++Variables;
      ++Counts[F.category];
      ++Verdicts[F.verdict];
      Names[F.category].push_back(F.symbol);
    } else {
      ++Races[F.shape];
    }
    bool IsSuppressed = In.suppressed.count(F.id) > 0;
    Suppressed += IsSuppressed;
    bool Warns = isWarning(In, Opts.warn, F);
    if (!Warns && !Opts.all)
      continue;
    OS << where(F.location, In.root) << ": " << (Warns ? "warning" : "note") << ": " << F.message
       << (IsSuppressed ? " (suppressed)" : "") << " [" << F.check << "]\n";
    for (const Evidence &E : F.evidence) {
      if (E.what == AccessWhat::Init || E.what == AccessWhat::Check)
        continue;
      OS << where(E.location, In.root) << ": note: " << describe(E) << "\n";
    }
    for (const Instance &I : F.instances)
      OS << where(I.location, In.root) << ": note: one instance per process: " << I.detail << "\n";
    if (!F.hint.empty())
      OS << where(F.location, In.root) << ": note: " << F.hint << "\n";
  }
  for (const TUError &E : In.errors)
    OS << displayPath(E.file, In.root) << ": error: " << E.message << "\n";

  OS << "\nshared variables by category (" << Variables << " in " << In.translationUnits
     << " translation unit" << (In.translationUnits == 1 ? "" : "s") << "):\n";
  for (int C = 1; C <= 4; ++C) {
    OS << "  " << C << "  " << CategoryTitles[C];
    for (size_t Pad = std::string(CategoryTitles[C]).size(); Pad < 36; ++Pad)
      OS << ' ';
    OS << Counts[C];
    if (!Names[C].empty())
      OS << "  " << shortList(Names[C]);
    OS << "\n";
  }
  OS << "verdicts: " << Verdicts[Verdict::NotThreadSafe] << " not thread-safe, "
     << Verdicts[Verdict::ProbablyThreadSafe] << " probably thread-safe, " << Verdicts[Verdict::ThreadSafe]
     << " thread-safe\n";
  if (!Races.empty()) {
    int Total = 0;
    std::string Shapes;
    for (const auto &[Shape, N] : Races) {
      Total += N;
      Shapes += (Shapes.empty() ? "" : ", ") + std::to_string(N) + " " + Shape;
    }
    OS << "lazy initialization races: " << Total << " (" << Shapes << ")\n";
  }
  if (!Handlers.empty()) {
    OS << "handlers keeping request state in a per-process object: " << Handlers.size() << " ("
       << shortList(Handlers) << ")\n";
  }
  if (Suppressed)
    OS << Suppressed << (Suppressed == 1 ? " finding" : " findings") << " suppressed by NOLINT comments\n";
  if (!In.errors.empty())
    OS << In.errors.size() << (In.errors.size() == 1 ? " translation unit failed; its" : " translation units failed; their")
       << " results may be incomplete\n";
  return OS.str();
}

} // namespace sharedstate
