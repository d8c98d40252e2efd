// The JSON report: a contract documented in docs/json-report.md and
// docs/report.schema.json. Keys are written in a fixed order; optional keys
// (hint, shape, evidence detail and field, instances) only when they have a
// value. summary.by_kind lists every kind of the checks table, even at zero.
#include "report/Report.h"

#include "CheckTable.h"

#include <nlohmann/json.hpp>

#include <map>

namespace sharedstate {

namespace {
nlohmann::ordered_json locationJson(const SourceLocation &L, const std::string &Root) {
  return {{"file", displayPath(L.file, Root)}, {"line", L.line}, {"column", L.column}};
}

nlohmann::ordered_json evidenceJson(const Evidence &E, const std::string &Root) {
  nlohmann::ordered_json Y = {{"what", toString(E.what)},
                              {"location", locationJson(E.location, Root)},
                              {"function", E.function},
                              {"phase", toString(E.phase)},
                              {"synchronized", toString(E.sync)}};
  if (!E.detail.empty())
    Y["detail"] = E.detail;
  if (!E.field.empty())
    Y["field"] = E.field;
  if (!E.locks.empty())
    Y["locks"] = E.locks;
  if (!E.runsIn.empty()) {
    auto &Runs = Y["runsIn"] = nlohmann::ordered_json::array();
    for (const RunsIn &R : E.runsIn) {
      nlohmann::ordered_json Z = {{"kind", R.kind}};
      if (!R.via.empty())
        Z["via"] = R.via;
      if (!R.location.file.empty())
        Z["location"] = locationJson(R.location, Root);
      Z["instances"] = R.many ? "many" : "one";
      Runs.push_back(std::move(Z));
    }
  }
  if (E.races)
    Y["races"] = true;
  return Y;
}

nlohmann::ordered_json findingJson(const Finding &F, const ReportInput &In) {
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
  for (const Evidence &E : F.evidence)
    Ev.push_back(evidenceJson(E, In.root));
  if (!F.instances.empty()) {
    auto &Inst = X["instances"] = nlohmann::ordered_json::array();
    for (const Instance &I : F.instances)
      Inst.push_back({{"how", I.how}, {"detail", I.detail}, {"location", locationJson(I.location, In.root)}});
  }
  return X;
}
} // namespace

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
  for (const CheckInfo &C : CheckTable)
    ByKind[C.kind] = 0;
  for (const Finding &F : In.findings) {
    Findings.push_back(findingJson(F, In));
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

// Paths are bytes, not always UTF-8: invalid sequences become U+FFFD.
std::string renderJson(const ReportInput &In) {
  return toJson(In).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

} // namespace sharedstate
