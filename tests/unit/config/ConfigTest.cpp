// The scanner reads the plugin's options from .clang-tidy: both spellings of
// CheckOptions clang-tidy accepts, the shared sharedstate.* keys and the
// per-check ones, and one-line errors for files clang-tidy would reject.
#include "CheckTable.h"
#include "config/ResolveOptions.h"
#include "config/TidyConfig.h"

#include "Doctest.h"

#include <algorithm>

using namespace sharedstate;

namespace {

TidyFile parse(const std::string &Text) {
  TidyFile F;
  std::string Error;
  CHECK_MESSAGE(parseTidyFile(Text, F, Error), Error);
  return F;
}

std::string parseError(const std::string &Text) {
  TidyFile F;
  std::string Error;
  CHECK_FALSE(parseTidyFile(Text, F, Error, "dir/.clang-tidy"));
  CHECK(Error.find('\n') == std::string::npos);
  return Error;
}

/// What the scanner makes of CheckOptions: the lists they add (without the
/// defaults) and the WarnOn policy.
struct Resolved : ExtensibleLists {
  WarnPolicy warn;
};

Resolved resolve(const std::map<std::string, std::string> &Options) {
  Resolved C;
  static_cast<ExtensibleLists &>(C) = configuredLists(lookupIn(Options));
  ScanSettings S;
  std::string Error;
  CHECK_MESSAGE(resolveScan(lookupIn(Options), CommandLineOptions(), S, Error), Error);
  C.warn = S.warn;
  return C;
}

Finding finding(const char *Check, int Category, Verdict V) {
  Finding F;
  F.check = Check;
  F.category = Category;
  F.verdict = V;
  return F;
}

bool has(const std::vector<std::string> &List, const std::string &S) {
  return std::find(List.begin(), List.end(), S) != List.end();
}

} // namespace

TEST_SUITE("config") {

TEST_CASE("CheckOptions as a list of key/value entries") {
  TidyFile F = parse("Checks: '-*,sharedstate-*'\n"
                     "CheckOptions:\n"
                     "  - key: sharedstate.WarnOn\n"
                     "    value: '3'\n"
                     "  - key:   sharedstate.SyncTypes\n"
                     "    value: 'mylib::SpinLock;mylib::Queue'\n"
                     "  - { key: misc-foo.Bar, value: \"x\" }\n");
  CHECK(F.checkOptions.size() == 3);
  CHECK(F.checkOptions["sharedstate.WarnOn"] == "3");
  CHECK(F.checkOptions["sharedstate.SyncTypes"] == "mylib::SpinLock;mylib::Queue");
  CHECK(F.checkOptions["misc-foo.Bar"] == "x");
  CHECK_FALSE(F.inheritParentConfig);
}

TEST_CASE("CheckOptions as a mapping") {
  TidyFile F = parse("---\n"
                     "CheckOptions:\n"
                     "  sharedstate.WarnOn: not-thread-safe,3\n"
                     "  sharedstate-mutable-global.LockGuardTypes: mylib::Guard\n"
                     "  readability-identifier-naming.ClassCase: CamelCase\n"
                     "  some.Number: 4\n"
                     "  some.Empty:\n"
                     "  some.Block: |\n"
                     "    multi\n"
                     "...\n");
  CHECK(F.checkOptions["sharedstate.WarnOn"] == "not-thread-safe,3");
  CHECK(F.checkOptions["sharedstate-mutable-global.LockGuardTypes"] == "mylib::Guard");
  CHECK(F.checkOptions["some.Number"] == "4");
  CHECK(F.checkOptions["some.Empty"] == "");
  CHECK(F.checkOptions["some.Block"] == "multi\n");
}

TEST_CASE("unrelated keys of any shape are ignored") {
  TidyFile F = parse("Checks: >\n  -*,\n  bugprone-*\n"
                     "WarningsAsErrors: '*'\n"
                     "HeaderFilterRegex: '.*'\n"
                     "ExtraArgs: ['-std=c++20', '-DX']\n"
                     "Future: { nested: [1, 2, {a: b}] }\n"
                     "InheritParentConfig: true\n");
  CHECK(F.checkOptions.empty());
  CHECK(F.inheritParentConfig);
}

TEST_CASE("empty and comment-only files have no options") {
  CHECK(parse("").checkOptions.empty());
  CHECK(parse("# nothing here\n").checkOptions.empty());
  CHECK(parse("---\n").checkOptions.empty());
  CHECK(parse("CheckOptions:\n").checkOptions.empty());
  CHECK(parse("CheckOptions: []\n").checkOptions.empty());
  CHECK(parse("CheckOptions: {}\n").checkOptions.empty());
}

TEST_CASE("malformed files: one line with the file, line and column") {
  std::string E = parseError("CheckOptions:\n  - key: a\n    value: [unterminated\n");
  CHECK(E.rfind("dir/.clang-tidy:", 0) == 0);
  CHECK(E.find("invalid configuration") != std::string::npos);

  E = parseError("Checks: '*'\n  bad: indentation\n");
  CHECK(E.rfind("dir/.clang-tidy:2:", 0) == 0);

  E = parseError("just a scalar\n");
  CHECK(E.rfind("dir/.clang-tidy:1:1: ", 0) == 0);
  CHECK(E.find("mapping") != std::string::npos);

  E = parseError("CheckOptions: 3\n");
  CHECK(E.rfind("dir/.clang-tidy:1:15: ", 0) == 0);
  CHECK(E.find("CheckOptions") != std::string::npos);

  E = parseError("CheckOptions:\n  - key: sharedstate.WarnOn\n");
  CHECK(E.rfind("dir/.clang-tidy:2:5: ", 0) == 0);
  CHECK(E.find("'value'") != std::string::npos);

  E = parseError("CheckOptions:\n  - value: 3\n");
  CHECK(E.find("'key'") != std::string::npos);

  E = parseError("CheckOptions:\n  - just-a-string\n");
  CHECK(E.find("CheckOptions") != std::string::npos);

  E = parseError("CheckOptions:\n  sharedstate.SyncTypes: [a, b]\n");
  CHECK(E.find("sharedstate.SyncTypes") != std::string::npos);

  E = parseError("InheritParentConfig: perhaps\n");
  CHECK(E.find("InheritParentConfig") != std::string::npos);

  // A syntax error after everything we read still counts.
  E = parseError("CheckOptions:\n  sharedstate.WarnOn: '3'\nChecks: 'unterminated\n");
  CHECK(E.rfind("dir/.clang-tidy:", 0) == 0);
}

TEST_CASE("sharedstate.* options") {
  Resolved C = resolve({{"sharedstate.WarnOn", "3"},
                          {"sharedstate.SyncTypes", "mylib::SpinLock; mylib::Queue"},
                          {"sharedstate.LockGuardTypes", "mylib::Guard"},
                          {"sharedstate.OnceFunctions", "mylib::once,mylib::once_flagged"},
                          {"misc-foo.WarnOn", "this is not ours"}});
  CHECK(C.syncTypes == std::vector<std::string>{"mylib::SpinLock", "mylib::Queue"});
  CHECK(C.lockGuardTypes == std::vector<std::string>{"mylib::Guard"});
  CHECK(C.onceFunctions == std::vector<std::string>{"mylib::once", "mylib::once_flagged"});
  CHECK(C.warn.fallback.categories == std::set<int>{3});
  CHECK(C.warn.fallback.verdicts.empty());
  CHECK(C.warn.perCheck.empty());
  CHECK(C.warn.warns(finding("sharedstate-mutable-global", 3, Verdict::ProbablyThreadSafe)));
  CHECK_FALSE(C.warn.warns(finding("sharedstate-mutable-global", 4, Verdict::NotThreadSafe)));
}

TEST_CASE("handler options: the shared key and the singleton-handler check's own add up") {
  Resolved C = resolve({{"sharedstate.RegistrationFunctions", "myhttp::Router::add"},
                          {"sharedstate-singleton-handler.RegistrationFunctions", "myhttp::Router::on"},
                          {"sharedstate-singleton-handler.HandlerBaseClasses", "myhttp::Controller"},
                          {"sharedstate.SingletonAccessors", "myhttp::App::service"}});
  CHECK(C.registrationFunctions == std::vector<std::string>{"myhttp::Router::add", "myhttp::Router::on"});
  CHECK(C.handlerBaseClasses == std::vector<std::string>{"myhttp::Controller"});
  CHECK(C.singletonAccessors == std::vector<std::string>{"myhttp::App::service"});
}

TEST_CASE("without options: the defaults") {
  Resolved C = resolve({});
  CHECK(C.syncTypes.empty());
  CHECK(C.warn.warns(finding("sharedstate-mutable-global", 4, Verdict::NotThreadSafe)));
  CHECK_FALSE(C.warn.warns(finding("sharedstate-mutable-global", 3, Verdict::ProbablyThreadSafe)));
}

TEST_CASE("per-check lists are unioned with the shared ones") {
  Resolved C = resolve({{"sharedstate.SyncTypes", "a::M"},
                          {"sharedstate-mutable-global.SyncTypes", "b::M,a::M"},
                          {"sharedstate-function-local-static.SyncTypes", "c::M"},
                          {"sharedstate-no-such-check.SyncTypes", "d::M"}});
  CHECK(C.syncTypes.size() == 3);
  for (const char *T : {"a::M", "b::M", "c::M"})
    CHECK_MESSAGE(has(C.syncTypes, T), T);
  CHECK_FALSE(has(C.syncTypes, "d::M"));
}

TEST_CASE("WarnOn is per check, falling back to sharedstate.WarnOn, as in the plugin") {
  Resolved C = resolve({{"sharedstate.WarnOn", "3"}, {"sharedstate-mutable-global.WarnOn", "4"}});
  CHECK(C.warn.warns(finding("sharedstate-mutable-global", 4, Verdict::ProbablyThreadSafe)));
  CHECK_FALSE(C.warn.warns(finding("sharedstate-mutable-global", 3, Verdict::NotThreadSafe)));
  CHECK(C.warn.warns(finding("sharedstate-function-local-static", 3, Verdict::ProbablyThreadSafe)));
  CHECK_FALSE(C.warn.warns(finding("sharedstate-function-local-static", 4, Verdict::NotThreadSafe)));

  // A per-check value alone leaves the other checks at the default.
  C = resolve({{"sharedstate-mutable-static-member.WarnOn", "all"}});
  CHECK(C.warn.warns(finding("sharedstate-mutable-static-member", 1, Verdict::ThreadSafe)));
  CHECK_FALSE(C.warn.warns(finding("sharedstate-mutable-global", 1, Verdict::ThreadSafe)));
  CHECK(C.warn.warns(finding("sharedstate-mutable-global", 4, Verdict::NotThreadSafe)));
}

TEST_CASE("an invalid WarnOn names its key and the bad item") {
  for (const char *Key : {"sharedstate.WarnOn", "sharedstate-mutable-global.WarnOn"}) {
    CAPTURE(Key);
    ScanSettings S;
    std::string Error, Bad;
    const std::map<std::string, std::string> Bogus = {{Key, "3;sometimes"}}, Empty = {{Key, ""}};
    CHECK_FALSE(resolveScan(lookupIn(Bogus), CommandLineOptions(), S, Error, &Bad));
    CHECK(Bad == Key);
    CHECK(Error.find(Key) != std::string::npos);
    CHECK(Error.find("'sometimes'") != std::string::npos);
    CHECK_FALSE(resolveScan(lookupIn(Empty), CommandLineOptions(), S, Error));
  }
}

TEST_CASE("every check of the table has per-check keys") {
  for (const CheckInfo &C : CheckTable) {
    CAPTURE(C.id);
    const std::string Key = std::string(C.id) + ".SyncTypes";
    CHECK(has(resolve({{Key, "x::M"}}).syncTypes, "x::M"));
  }
}

TEST_CASE("the plugin's view: a check's own key, else the shared key, else the default") {
  const std::map<std::string, std::string> Options = {{"sharedstate.SyncTypes", "a::M"},
                                                      {"sharedstate-mutable-global.SyncTypes", "b::M"},
                                                      {"sharedstate.WarnOn", "3"},
                                                      {"sharedstate-lazy-init.WarnOn", "all"}};
  CheckSettings Global = resolveCheck(lookupIn(Options), "sharedstate-mutable-global");
  CHECK(has(Global.analysis.syncTypes, "b::M"));
  CHECK_FALSE(has(Global.analysis.syncTypes, "a::M"));
  CHECK(has(Global.analysis.syncTypes, "std::mutex")); // the defaults stay
  CHECK(Global.listValues.at("SyncTypes") == "b::M");
  CheckSettings Member = resolveCheck(lookupIn(Options), "sharedstate-mutable-static-member");
  CHECK(has(Member.analysis.syncTypes, "a::M"));
  CHECK(Member.listValues.at("LockGuardTypes").empty());

  std::string Error;
  auto Spelled = [&](const std::map<std::string, std::string> &From, const char *Check) {
    std::optional<WarnOn> W = resolveWarnOn(lookupIn(From), Check, Error);
    return W ? W->str() : "<invalid: " + Error + ">";
  };
  CHECK(Spelled(Options, "sharedstate-mutable-global") == "3");
  CHECK(Spelled(Options, "sharedstate-lazy-init") == "1;2;3;4");
  CHECK(Spelled({}, "sharedstate-lazy-init") == "not-thread-safe");
  std::string Bad;
  const std::map<std::string, std::string> Bogus = {{"sharedstate.WarnOn", "often"}};
  CHECK_FALSE(resolveWarnOn(lookupIn(Bogus), "sharedstate-lazy-init", Error, &Bad).has_value());
  CHECK(Bad == "sharedstate.WarnOn");
  CHECK(Error.find("'often'") != std::string::npos);
}

TEST_CASE("the command line adds to the lists and its --warn-on replaces every check's WarnOn") {
  const std::map<std::string, std::string> Options = {{"sharedstate.SyncTypes", "a::M"},
                                                      {"sharedstate-mutable-global.WarnOn", "4"}};
  CommandLineOptions CL;
  CL.syncTypes = {"cli::M"};
  std::string Error;
  CL.warnOn = WarnOn::parse("1", Error);
  ScanSettings S;
  REQUIRE(resolveScan(lookupIn(Options), CL, S, Error));
  CHECK(has(S.analysis.syncTypes, "std::mutex"));
  CHECK(has(S.analysis.syncTypes, "a::M"));
  CHECK(has(S.analysis.syncTypes, "cli::M"));
  CHECK(S.warn.perCheck.empty());
  CHECK(S.warn.warns(finding("sharedstate-mutable-global", 1, Verdict::ThreadSafe)));
  CHECK_FALSE(S.warn.warns(finding("sharedstate-mutable-global", 4, Verdict::NotThreadSafe)));
}

TEST_CASE("a misspelt key of ours is reported with the key it is closest to") {
  std::map<std::string, std::string> Options = {{"sharedstate.WarnOnn", "all"},
                                                {"sharedstate-mutable-global.SyncTypes", "Mu"},
                                                {"sharedstate.NoSuchThingAtAll", "x"},
                                                {"readability-foo.Bar", "1"},
                                                {"sharedstate.WarnOn", "all"}};
  std::vector<UnknownKey> U = unknownKeys(Options);
  REQUIRE(U.size() == 2);
  CHECK(U[0].key == "sharedstate.NoSuchThingAtAll");
  CHECK(U[0].closest.empty());
  CHECK(U[1].key == "sharedstate.WarnOnn");
  CHECK(U[1].closest == "sharedstate.WarnOn");
}

} // TEST_SUITE
