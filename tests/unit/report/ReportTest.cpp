// Reporters are pure functions of the findings: the JSON report is a
// versioned contract (docs/json-report.md), the text report is what editors and
// CI logs parse (file:line:col: warning: message [check]). The findings here
// are written by hand so that each test controls exactly what is reported.
#include "Builders.h"
#include "report/Report.h"

#include "CheckTable.h"

#include <nlohmann/json.hpp>

#include <regex>
#include <sstream>

using namespace sharedstate;
using namespace sharedstate::unittest;
using nlohmann::ordered_json;

namespace {

const char *const ProjectRoot = "/work/project";

Evidence evidence(AccessWhat What, unsigned Line, Sync S, Phase Ph = Phase::Runtime,
                  const std::string &Function = "serve", const std::string &File = "/work/project/src/a.cpp") {
  Evidence E;
  E.what = What;
  E.location = at(Line, 5, File);
  E.function = Function;
  E.phase = Ph;
  E.sync = S;
  return E;
}

Finding finding(const std::string &Symbol, VarKind Kind, int Category, Verdict V, unsigned Line,
                const std::string &File = "/work/project/src/a.cpp") {
  Finding F;
  F.check = checkFor(Kind);
  F.kind = toString(Kind);
  F.id = fingerprint(F.check, keyOf(Symbol));
  F.category = Category;
  F.verdict = V;
  F.symbol = Symbol;
  F.type = "int";
  F.location = at(Line, 7, File);
  F.message = "message about '" + Symbol + "'";
  return F;
}

/// Four findings, one per category, of two kinds, one outside the root.
ReportInput sample() {
  ReportInput In;
  In.root = ProjectRoot;
  In.toolVersion = "9.8.7";
  In.llvmVersion = "19.1.0";
  In.translationUnits = 3;

  Finding Port = finding("port", VarKind::NamespaceGlobal, 1, Verdict::ThreadSafe, 2);
  Port.hint = "nothing writes it: declare it const";
  Finding Routes = finding("routes", VarKind::NamespaceGlobal, 2, Verdict::ProbablyThreadSafe, 4);
  Routes.evidence = {evidence(AccessWhat::Mutate, 30, Sync::None, Phase::Initialization, "setup")};
  Finding Sessions = finding("Server::sessions", VarKind::StaticMember, 3, Verdict::NotThreadSafe, 6);
  Sessions.evidence = {evidence(AccessWhat::Mutate, 40, Sync::None),
                       evidence(AccessWhat::Escape, 41, Sync::Lock),
                       evidence(AccessWhat::Check, 42, Sync::None),
                       evidence(AccessWhat::Mutate, 43, Sync::Atomic, Phase::Runtime, "serve",
                                "/usr/include/c++/v1/vector")};
  Finding Hits = finding("hits", VarKind::NamespaceGlobal, 4, Verdict::ProbablyThreadSafe, 9,
                         "/elsewhere/b.cpp");
  Hits.evidence = {evidence(AccessWhat::Reassign, 50, Sync::Once)};
  In.findings = {Port, Routes, Sessions, Hits};
  In.errors = {TUError{"/work/project/src/broken.cpp", "expected ';'"},
               TUError{"/tmp/gen.cpp", "file not found"}};
  return In;
}

std::vector<std::string> lines(const std::string &Text) {
  std::vector<std::string> Out;
  std::istringstream In(Text);
  for (std::string L; std::getline(In, L);)
    Out.push_back(L);
  return Out;
}

std::string where(const SourceLocation &L) {
  return displayPath(L.file, ProjectRoot) + ":" + std::to_string(L.line) + ":" + std::to_string(L.column);
}

WarnOn warnOn(const std::string &Spec) {
  std::string Error;
  std::optional<WarnOn> W = WarnOn::parse(Spec, Error);
  REQUIRE_MESSAGE(W.has_value(), Error);
  return W.value_or(WarnOn::defaults());
}

bool startsWith(const std::string &S, const std::string &Prefix) { return S.rfind(Prefix, 0) == 0; }

int countStartingWith(const std::vector<std::string> &Lines, const std::string &Prefix) {
  int N = 0;
  for (const std::string &L : Lines)
    N += startsWith(L, Prefix);
  return N;
}

int countContaining(const std::vector<std::string> &Lines, const std::string &Part) {
  int N = 0;
  for (const std::string &L : Lines)
    N += L.find(Part) != std::string::npos;
  return N;
}

/// The count the category summary prints for category C (-1 if no line).
int summaryCount(const std::string &Text, int C) {
  // "  3  not thread-safe (mutated)    1  Server::sessions": the titles have no
  // digits, so the first number after the title is the count.
  std::regex Row("^  " + std::to_string(C) + "  [^0-9]*?([0-9]+)(  .*)?$");
  int Found = -1;
  for (const std::string &L : lines(Text)) {
    std::smatch M;
    if (std::regex_match(L, M, Row)) {
      CHECK_MESSAGE(Found == -1, "two summary rows for category " << C);
      Found = std::stoi(M[1].str());
    }
  }
  return Found;
}

} // namespace

TEST_SUITE("report") {

TEST_CASE("displayPath: relative inside the root, unchanged outside it") {
  CHECK(displayPath("/work/project/src/a.cpp", "/work/project") == "src/a.cpp");
  CHECK(displayPath("/work/project/src/a.cpp", "/work/project/") == "src/a.cpp");
  CHECK(displayPath("/usr/include/vector", "/work/project") == "/usr/include/vector");
  // A sibling that shares the root's prefix is outside it.
  CHECK(displayPath("/work/project2/a.cpp", "/work/project") == "/work/project2/a.cpp");
  CHECK(displayPath("/work/a.cpp", "/work/project") == "/work/a.cpp");
  CHECK(displayPath("/work/project/a.cpp", "") == "/work/project/a.cpp");
  CHECK(displayPath("", "/work/project") == "");
}

TEST_CASE("JSON report: version and tool") {
  ordered_json J = toJson(sample());
  CHECK(J.at("version") == ReportVersion);
  CHECK(J.at("tool").at("name") == "sharedstate");
  CHECK(J.at("tool").at("version") == "9.8.7");
  CHECK(J.at("tool").at("llvm") == "19.1.0");
  CHECK(J.at("root") == ProjectRoot);
}

TEST_CASE("JSON report: renderJson is the same document as toJson") {
  ReportInput In = sample();
  CHECK(nlohmann::json::parse(renderJson(In)) == nlohmann::json::parse(toJson(In).dump()));
}

TEST_CASE("JSON report: one entry per finding with its fields") {
  ReportInput In = sample();
  ordered_json J = toJson(In);
  REQUIRE(J.at("findings").size() == In.findings.size());
  for (size_t I = 0; I < In.findings.size(); ++I) {
    const Finding &F = In.findings[I];
    const ordered_json &X = J["findings"][I];
    CAPTURE(F.symbol);
    CHECK(X.at("id") == F.id);
    CHECK(X.at("check") == F.check);
    CHECK(X.at("kind") == F.kind);
    CHECK(X.at("category") == F.category);
    CHECK(X.at("verdict") == toString(F.verdict));
    CHECK(X.at("symbol") == F.symbol);
    CHECK(X.at("type") == F.type);
    CHECK(X.at("message") == F.message);
    CHECK(X.at("location").at("line") == F.location.line);
    CHECK(X.at("location").at("column") == F.location.column);
    CHECK(X.at("evidence").size() == F.evidence.size());
    CHECK(X.contains("hint") == !F.hint.empty());
  }
}

TEST_CASE("JSON report: summary counts add up, with zero entries present") {
  ordered_json J = toJson(sample());
  const ordered_json &S = J.at("summary");
  CHECK(S.at("findings") == 4);
  CHECK(S.at("translation_units") == 3);

  const ordered_json &Kind = S.at("by_kind");
  CHECK(Kind.size() == std::size(CheckTable));
  CHECK(Kind.at("mutable-global") == 3);
  CHECK(Kind.at("mutable-static-member") == 1);
  CHECK(Kind.at("function-local-static") == 0);

  const ordered_json &Cat = S.at("by_category");
  CHECK(Cat.size() == 4);
  for (const char *C : {"1", "2", "3", "4"})
    CHECK(Cat.at(C) == 1);

  const ordered_json &Verdicts = S.at("by_verdict");
  CHECK(Verdicts.size() == 3);
  CHECK(Verdicts.at("thread-safe") == 1);
  CHECK(Verdicts.at("probably-thread-safe") == 2);
  CHECK(Verdicts.at("not-thread-safe") == 1);

  for (const ordered_json *Group : {&Kind, &Cat, &Verdicts}) {
    int Sum = 0;
    for (const auto &[Name, N] : Group->items())
      Sum += N.get<int>();
    CHECK(Sum == 4);
  }
}

TEST_CASE("JSON report: an empty run still has every summary entry") {
  ReportInput In;
  ordered_json J = toJson(In);
  CHECK(J.at("findings").empty());
  CHECK(J.at("errors").empty());
  CHECK(J.at("summary").at("findings") == 0);
  // One entry per kind of checks/Checks.def, whether or not anything was found.
  for (const CheckInfo &C : CheckTable)
    CHECK(J.at("summary").at("by_kind").at(C.kind) == 0);
  CHECK(J.at("summary").at("by_kind").size() == std::size(CheckTable));
  CHECK(J.at("summary").at("by_category").size() == 4);
  CHECK(J.at("summary").at("by_verdict").size() == 3);
}

TEST_CASE("JSON report: paths are relative to the root when inside it") {
  ordered_json J = toJson(sample());
  const ordered_json &Sessions = J.at("findings").at(2);
  REQUIRE(Sessions.at("symbol") == "Server::sessions");
  CHECK(Sessions.at("location").at("file") == "src/a.cpp");
  CHECK(Sessions.at("evidence").at(0).at("location").at("file") == "src/a.cpp");
  CHECK(Sessions.at("evidence").at(3).at("location").at("file") == "/usr/include/c++/v1/vector");
  CHECK(J.at("findings").at(3).at("location").at("file") == "/elsewhere/b.cpp");
}

TEST_CASE("JSON report: errors are listed") {
  ordered_json J = toJson(sample());
  const ordered_json &E = J.at("errors");
  REQUIRE(E.size() == 2);
  CHECK(E[0].at("file") == "src/broken.cpp");
  CHECK(E[0].at("message") == "expected ';'");
  CHECK(E[1].at("file") == "/tmp/gen.cpp");
  CHECK(E[1].at("message") == "file not found");
}

TEST_CASE("JSON report: evidence says how each write was synchronized") {
  ordered_json J = toJson(sample());
  const ordered_json &Ev = J.at("findings").at(2).at("evidence");
  REQUIRE(Ev.size() == 4);
  CHECK(Ev[0].at("synchronized") == "none");
  CHECK(Ev[1].at("synchronized") == "lock");
  CHECK(Ev[3].at("synchronized") == "atomic");
  CHECK(J.at("findings").at(3).at("evidence").at(0).at("synchronized") == "once");
  CHECK(Ev[0].at("what") == "mutate");
  CHECK(Ev[1].at("what") == "escape");
  CHECK(Ev[0].at("phase") == "runtime");
  CHECK(J.at("findings").at(1).at("evidence").at(0).at("phase") == "initialization");
  CHECK(Ev[0].at("function") == "serve");
}

TEST_CASE("text report: warns only about not-thread-safe findings by default") {
  ReportInput In = sample();
  std::vector<std::string> L = lines(renderText(In, TextOptions{}));
  const Finding &Sessions = In.findings[2];
  const std::string Warning =
      where(Sessions.location) + ": warning: " + Sessions.message + " [" + Sessions.check + "]";
  CHECK(countStartingWith(L, Warning) == 1);
  CHECK(countContaining(L, ": warning: ") == 1);
  for (const Finding &F : In.findings)
    if (F.verdict != Verdict::NotThreadSafe) {
      CAPTURE(F.symbol);
      CHECK(countContaining(L, F.message) == 0);
    }
}

TEST_CASE("text report: with all, every other finding is a note") {
  ReportInput In = sample();
  std::vector<std::string> L = lines(renderText(In, TextOptions{/*all=*/true}));
  CHECK(countContaining(L, ": warning: ") == 1);
  for (const Finding &F : In.findings) {
    CAPTURE(F.symbol);
    bool Unsafe = F.verdict == Verdict::NotThreadSafe;
    std::string Line = where(F.location) + (Unsafe ? ": warning: " : ": note: ") + F.message + " [" +
                       F.check + "]";
    CHECK(countStartingWith(L, Line) == 1);
  }
  // The hint of the thread-safe finding is shown with it.
  CHECK(countStartingWith(L, where(In.findings[0].location) + ": note: " + In.findings[0].hint) == 1);
}

TEST_CASE("text report: evidence notes follow the warning") {
  ReportInput In = sample();
  std::vector<std::string> L = lines(renderText(In, TextOptions{}));
  const Finding &Sessions = In.findings[2];
  // The writes are listed, each at its own place, naming the function.
  for (size_t I : {0u, 1u, 3u}) {
    const Evidence &E = Sessions.evidence[I];
    CAPTURE(E.location.line);
    CHECK(countStartingWith(L, where(E.location) + ": note: ") == 1);
  }
  for (const std::string &Line : L)
    if (startsWith(Line, where(Sessions.evidence[0].location) + ": note: ")) {
      CHECK(Line.find("'serve'") != std::string::npos);
      CHECK(Line.find(toString(AccessWhat::Mutate)) != std::string::npos);
    }
  // Only synchronized writes say by what.
  for (const std::string &Line : L) {
    if (startsWith(Line, where(Sessions.evidence[1].location)))
      CHECK(Line.find(toString(Sync::Lock)) != std::string::npos);
    if (startsWith(Line, where(Sessions.evidence[0].location)))
      CHECK(Line.find("synchronized") == std::string::npos);
  }
  // A lazy-init check is not a write and is not listed.
  CHECK(countStartingWith(L, where(Sessions.evidence[2].location)) == 0);
  // Notes of findings that are not shown are not shown either.
  CHECK(countStartingWith(L, where(In.findings[3].evidence[0].location)) == 0);
}

TEST_CASE("text report: errors are printed with their file") {
  std::vector<std::string> L = lines(renderText(sample(), TextOptions{}));
  CHECK(countStartingWith(L, "src/broken.cpp: error: expected ';'") == 1);
  CHECK(countStartingWith(L, "/tmp/gen.cpp: error: file not found") == 1);
}

TEST_CASE("text report: ends with a count per category") {
  ReportInput In = sample();
  // Three more in category 3, none in 1.
  In.findings.erase(In.findings.begin());
  for (const char *Name : {"x", "y", "z"})
    In.findings.push_back(finding(Name, VarKind::FunctionLocalStatic, 3, Verdict::NotThreadSafe, 70));
  for (bool All : {false, true}) {
    CAPTURE(All);
    std::string Text = renderText(In, TextOptions{All});
    CHECK(summaryCount(Text, 1) == 0);
    CHECK(summaryCount(Text, 2) == 1);
    CHECK(summaryCount(Text, 3) == 4);
    CHECK(summaryCount(Text, 4) == 1);
    // The summary comes last: after it, only its own rows and the error line.
    std::vector<std::string> L = lines(Text);
    size_t Row4 = 0;
    for (size_t I = 0; I < L.size(); ++I)
      if (startsWith(L[I], "  4  "))
        Row4 = I;
    REQUIRE(Row4 != 0);
    for (size_t I = Row4 + 1; I < L.size(); ++I)
      CHECK(L[I].find(": warning: ") == std::string::npos);
  }
}

TEST_CASE("text report: the summary names the variables of each category") {
  std::string Text = renderText(sample(), TextOptions{});
  for (const std::string &L : lines(Text)) {
    if (startsWith(L, "  3  "))
      CHECK(L.find("Server::sessions") != std::string::npos);
    if (startsWith(L, "  1  "))
      CHECK(L.find("port") != std::string::npos);
  }
}

TEST_CASE("JSON report: every finding says whether it is suppressed") {
  ReportInput In = sample();
  In.suppressed = {In.findings[2].id};
  ordered_json J = toJson(In);
  for (size_t I = 0; I < In.findings.size(); ++I) {
    CAPTURE(I);
    REQUIRE(J["findings"][I].contains("suppressed"));
    CHECK(J["findings"][I]["suppressed"] == (I == 2));
  }
  // Suppressed findings stay in the inventory and its counts.
  CHECK(J.at("summary").at("findings") == 4);
  CHECK(J.at("summary").at("by_verdict").at("not-thread-safe") == 1);
  CHECK_FALSE(toJson(sample()).at("findings").at(2).at("suppressed").get<bool>());
}

TEST_CASE("text report: a suppressed finding is no warning, and a note with all") {
  ReportInput In = sample();
  const Finding &Sessions = In.findings[2];
  In.suppressed = {Sessions.id};
  std::vector<std::string> L = lines(renderText(In, TextOptions{}));
  CHECK(countContaining(L, ": warning: ") == 0);
  CHECK(countContaining(L, Sessions.message) == 0);
  CHECK(countStartingWith(L, "1 finding suppressed by NOLINT comments") == 1);

  L = lines(renderText(In, TextOptions{true}));
  CHECK(countContaining(L, ": warning: ") == 0);
  CHECK(countStartingWith(L, where(Sessions.location) + ": note: " + Sessions.message + " (suppressed) [" +
                                 Sessions.check + "]") == 1);
  CHECK(countContaining(L, "(suppressed)") == 1);
  // Its evidence is still listed under it.
  CHECK(countStartingWith(L, where(Sessions.evidence[0].location) + ": note: ") == 1);
  // Without suppressions there is no such line.
  CHECK(countContaining(lines(renderText(sample(), TextOptions{})), "suppressed") == 0);
}

TEST_CASE("text report: WarnOn decides which findings are warnings") {
  ReportInput In = sample();
  WarnPolicy Policy;
  Policy.fallback = warnOn("2;3");
  std::vector<std::string> L = lines(renderText(In, TextOptions{false, Policy}));
  CHECK(countContaining(L, ": warning: ") == 2);
  CHECK(countStartingWith(L, where(In.findings[1].location) + ": warning: " + In.findings[1].message) == 1);
  CHECK(countStartingWith(L, where(In.findings[2].location) + ": warning: " + In.findings[2].message) == 1);
  CHECK(countContaining(L, In.findings[0].message) == 0);
  CHECK(countContaining(L, In.findings[3].message) == 0);
  // With all, the rest are notes.
  L = lines(renderText(In, TextOptions{true, Policy}));
  CHECK(countContaining(L, ": warning: ") == 2);
  CHECK(countStartingWith(L, where(In.findings[3].location) + ": note: " + In.findings[3].message) == 1);

  // A check's own WarnOn wins over the shared one.
  Policy.perCheck[checkFor(VarKind::StaticMember)] = warnOn("1");
  L = lines(renderText(In, TextOptions{false, Policy}));
  CHECK(countContaining(L, ": warning: ") == 1);
  CHECK(countContaining(L, In.findings[1].message) == 1);
}

TEST_CASE("isWarning: selected by the policy and not suppressed") {
  ReportInput In = sample();
  WarnPolicy Default;
  CHECK(isWarning(In, Default, In.findings[2]));
  CHECK_FALSE(isWarning(In, Default, In.findings[3])); // probably thread-safe
  In.suppressed.insert(In.findings[2].id);
  CHECK_FALSE(isWarning(In, Default, In.findings[2]));
  WarnPolicy All{warnOn("all"), {}};
  CHECK(isWarning(In, All, In.findings[0]));
  CHECK_FALSE(isWarning(In, All, In.findings[2]));
}

} // TEST_SUITE
