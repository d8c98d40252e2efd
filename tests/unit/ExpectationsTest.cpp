// The fixture harness is only as strict as its expectation parser and
// matcher: a malformed EXPECT must be an error (never a silently skipped
// check), and matching must pair findings and expectations one to one.
#include "Expectations.h"

#include "Doctest.h"

using namespace sharedstate::testing;

namespace {

std::vector<Expectation> parse(const std::string &Text, std::vector<std::string> &Errors) {
  return parseExpectations("f.cpp", Text, Errors);
}

/// Parses text that must be well formed.
std::vector<Expectation> parseOk(const std::string &Text) {
  std::vector<std::string> Errors;
  std::vector<Expectation> E = parse(Text, Errors);
  CHECK_MESSAGE(Errors.empty(), (Errors.empty() ? std::string() : Errors.front()));
  return E;
}

/// Parses one malformed line; returns its one error.
std::string parseBad(const std::string &Text) {
  std::vector<std::string> Errors;
  std::vector<Expectation> E = parse(Text, Errors);
  CHECK(E.empty());
  REQUIRE(Errors.size() == 1);
  return Errors.front();
}

Observed observed(unsigned Line, std::map<std::string, std::string> Fields = {},
                  std::string Message = "global 'x' is mutated",
                  std::string Check = "sharedstate-mutable-global") {
  return Observed{"f.cpp", Line, std::move(Check), std::move(Fields), std::move(Message)};
}

} // namespace

TEST_SUITE("expectations") {

TEST_CASE("an EXPECT comment expects a finding on its own line") {
  auto E = parseOk("int a;\n"
                   "int x; // EXPECT: sharedstate-mutable-global\n"
                   "int b;\n");
  REQUIRE(E.size() == 1);
  CHECK(E[0].file == "f.cpp");
  CHECK(E[0].line == 2);
  CHECK(E[0].check == "sharedstate-mutable-global");
  CHECK(E[0].fields.empty());
  CHECK(E[0].messageRegex.empty());
}

TEST_CASE("lines without EXPECT are ignored") {
  CHECK(parseOk("int x; // a comment\n/* EXPECT is mentioned here */\nint y;\n").empty());
}

TEST_CASE("@+N and @-N move the expected line") {
  auto E = parseOk("// EXPECT@+1: sharedstate-mutable-global\n"
                   "int x;\n"
                   "int y;\n"
                   "// EXPECT@-2: sharedstate-function-local-static\n"
                   "\n"
                   "// EXPECT@+12: sharedstate-mutable-static-member\n");
  REQUIRE(E.size() == 3);
  CHECK(E[0].line == 2);
  CHECK(E[1].line == 2);
  CHECK(E[1].check == "sharedstate-function-local-static");
  CHECK(E[2].line == 18);
}

TEST_CASE("an offset before the first line is an error") {
  std::string Error = parseBad("// EXPECT@-1: sharedstate-mutable-global\n");
  CHECK(Error.find("f.cpp:1") != std::string::npos);
}

TEST_CASE("key=value pairs become fields") {
  auto E = parseOk("int x; // EXPECT: sharedstate-mutable-global category=3 verdict=not-thread-safe "
                   "symbol=ns::x\n");
  REQUIRE(E.size() == 1);
  CHECK(E[0].fields == std::map<std::string, std::string>{
                           {"category", "3"}, {"verdict", "not-thread-safe"}, {"symbol", "ns::x"}});
}

TEST_CASE("{{...}} is a regex on the message") {
  SUBCASE("plain") {
    auto E = parseOk("int x; // EXPECT: sharedstate-mutable-global category=3 {{'x' is mutated}}\n");
    REQUIRE(E.size() == 1);
    CHECK(E[0].messageRegex == "'x' is mutated");
    CHECK(E[0].fields == std::map<std::string, std::string>{{"category", "3"}});
  }
  SUBCASE("with braces of its own") {
    auto E = parseOk("int x; // EXPECT: sharedstate-mutable-global {{category [0-9]{1}}}\n");
    REQUIRE(E.size() == 1);
    CHECK(E[0].messageRegex == "category [0-9]{1}");
  }
}

TEST_CASE("malformed expectations are errors that say where") {
  SUBCASE("a bare word after the check") {
    CHECK(parseBad("int x; // EXPECT: sharedstate-mutable-global category 3\n").find("f.cpp:1") !=
          std::string::npos);
  }
  SUBCASE("a key without a value") {
    CHECK(parseBad("\nint x; // EXPECT: sharedstate-mutable-global category=\n").find("f.cpp:2") !=
          std::string::npos);
  }
  SUBCASE("a value without a key") {
    parseBad("int x; // EXPECT: sharedstate-mutable-global =3\n");
  }
  SUBCASE("not a sharedstate check") {
    parseBad("int x; // EXPECT: clang-analyzer-core category=3\n");
  }
  SUBCASE("no check at all") {
    parseBad("int x; // EXPECT: category=3\n");
  }
  SUBCASE("an invalid regex") {
    parseBad("int x; // EXPECT: sharedstate-mutable-global {{[unclosed}}\n");
  }
  SUBCASE("an unterminated regex") {
    parseBad("int x; // EXPECT: sharedstate-mutable-global {{'x' is mutated\n");
  }
}

TEST_CASE("one bad expectation does not hide the good ones") {
  std::vector<std::string> Errors;
  auto E = parse("int a; // EXPECT: sharedstate-mutable-global\n"
                 "int b; // EXPECT: sharedstate-mutable-global category\n"
                 "int c; // EXPECT: sharedstate-mutable-global category=1\n",
                 Errors);
  CHECK(Errors.size() == 1);
  REQUIRE(E.size() == 2);
  CHECK(E[0].line == 1);
  CHECK(E[1].line == 3);
}

// Fields after the closing }} are checked like the others: `{{...}} category=3`
// must not silently stop checking the category.
TEST_CASE("fields after the regex are checked or rejected") {
  std::vector<std::string> Errors;
  auto E = parse("int x; // EXPECT: sharedstate-mutable-global {{'x'}} category=3\n", Errors);
  bool Kept = E.size() == 1 && E[0].fields.count("category") && E[0].fields.at("category") == "3";
  CHECK((Kept || !Errors.empty()));
}

// A marker the parser does not recognize, such as a forgotten sign in the
// offset, is an error: otherwise the fixture silently checks nothing there.
TEST_CASE("a misspelt EXPECT marker is an error") {
  for (std::string Text : {"// EXPECT@1: sharedstate-mutable-global\nint x;\n",
                           "int x; // EXPECT sharedstate-mutable-global\n"}) {
    CAPTURE(Text);
    std::vector<std::string> Errors;
    auto E = parse(Text, Errors);
    CHECK((!E.empty() || !Errors.empty()));
  }
}

TEST_CASE("match: a finding meeting its expectation") {
  auto E = parseOk("int x; // EXPECT: sharedstate-mutable-global category=3 {{'x' is mutated}}\n");
  std::vector<Observed> Found = {observed(1, {{"category", "3"}, {"verdict", "not-thread-safe"}})};
  MatchResult R = match(E, Found);
  CHECK(R.missing.empty());
  CHECK(R.unexpected.empty());
  CHECK(R.mismatches.empty());
}

TEST_CASE("match: an expectation without a finding is missing") {
  auto E = parseOk("int x; // EXPECT: sharedstate-mutable-global\nint y;\n");
  SUBCASE("nothing found") {
    MatchResult R = match(E, {});
    REQUIRE(R.missing.size() == 1);
    CHECK(R.missing[0] == &E[0]);
    CHECK(R.mismatches.empty());
  }
  SUBCASE("found on another line") {
    std::vector<Observed> Found = {observed(2)};
    MatchResult R = match(E, Found);
    CHECK(R.missing.size() == 1);
    CHECK(R.unexpected.size() == 1);
  }
  SUBCASE("found by another check") {
    std::vector<Observed> Found = {observed(1, {}, "m", "sharedstate-mutable-static-member")};
    MatchResult R = match(E, Found);
    CHECK(R.missing.size() == 1);
    CHECK(R.unexpected.size() == 1);
  }
  SUBCASE("found in another file") {
    std::vector<Observed> Found = {observed(1)};
    Found[0].file = "g.cpp";
    MatchResult R = match(E, Found);
    CHECK(R.missing.size() == 1);
    CHECK(R.unexpected.size() == 1);
  }
}

TEST_CASE("match: a finding without an expectation is unexpected") {
  std::vector<Observed> Found = {observed(4)};
  MatchResult R = match({}, Found);
  CHECK(R.missing.empty());
  REQUIRE(R.unexpected.size() == 1);
  CHECK(R.unexpected[0] == &Found[0]);
}

TEST_CASE("match: a finding in the right place with the wrong fields is a mismatch") {
  auto E = parseOk("int x; // EXPECT: sharedstate-mutable-global category=3 verdict=not-thread-safe\n");
  SUBCASE("different value") {
    std::vector<Observed> Found = {observed(1, {{"category", "4"}, {"verdict", "not-thread-safe"}})};
    MatchResult R = match(E, Found);
    CHECK(R.missing.size() == 1);
    CHECK(R.unexpected.size() == 1);
    REQUIRE(R.mismatches.size() == 1);
    // What differs is named; what agrees is not.
    const std::string Prefix = describe(E[0]);
    REQUIRE(R.mismatches[0].rfind(Prefix, 0) == 0);
    const std::string Diff = R.mismatches[0].substr(Prefix.size());
    CHECK(Diff.find("category=4") != std::string::npos);
    CHECK(Diff.find("verdict") == std::string::npos);
  }
  SUBCASE("field absent from the finding") {
    std::vector<Observed> Found = {observed(1, {{"category", "3"}})};
    MatchResult R = match(E, Found);
    CHECK(R.missing.size() == 1);
    REQUIRE(R.mismatches.size() == 1);
    CHECK(R.mismatches[0].find("verdict") != std::string::npos);
  }
}

TEST_CASE("match: a message not matching the regex is a mismatch") {
  auto E = parseOk("int x; // EXPECT: sharedstate-mutable-global {{'x' is reassigned}}\n");
  std::vector<Observed> Found = {observed(1, {}, "global 'x' is mutated at run time")};
  MatchResult R = match(E, Found);
  CHECK(R.missing.size() == 1);
  CHECK(R.unexpected.size() == 1);
  CHECK(R.mismatches.size() == 1);
}

TEST_CASE("match: the regex may match anywhere in the message") {
  auto E = parseOk("int x; // EXPECT: sharedstate-mutable-global {{is mut.ted}}\n");
  std::vector<Observed> Found = {observed(1, {}, "global 'x' is mutated at run time")};
  CHECK(match(E, Found).missing.empty());
}

TEST_CASE("match: one finding never meets two expectations") {
  auto E = parseOk("// EXPECT@+1: sharedstate-mutable-global\n"
                   "int x; // EXPECT: sharedstate-mutable-global\n");
  REQUIRE(E.size() == 2);
  SUBCASE("one finding") {
    std::vector<Observed> Found = {observed(2)};
    MatchResult R = match(E, Found);
    CHECK(R.missing.size() == 1);
    CHECK(R.unexpected.empty());
  }
  SUBCASE("two findings") {
    std::vector<Observed> Found = {observed(2), observed(2)};
    MatchResult R = match(E, Found);
    CHECK(R.missing.empty());
    CHECK(R.unexpected.empty());
  }
  SUBCASE("three findings") {
    std::vector<Observed> Found = {observed(2), observed(2), observed(2)};
    MatchResult R = match(E, Found);
    CHECK(R.missing.empty());
    CHECK(R.unexpected.size() == 1);
  }
}

// Matching is not greedy in expectation order: a general expectation that comes
// first must not take the finding only a later, specific one can meet
// (`int a, b;` with a plain EXPECT and an EXPECT@-1 {{'a'}}).
TEST_CASE("match: pairs findings with expectations whenever a pairing exists") {
  auto E = parseOk("int a, b; // EXPECT: sharedstate-mutable-global\n"
                   "// EXPECT@-1: sharedstate-mutable-global {{'a'}}\n");
  REQUIRE(E.size() == 2);
  std::vector<Observed> Found = {observed(1, {}, "global 'a' is mutated"),
                                 observed(1, {}, "global 'b' is mutated")};
  MatchResult R = match(E, Found);
  CHECK(R.missing.empty());
  CHECK(R.unexpected.empty());
}

TEST_CASE("describe names file, line and what was expected or found") {
  auto E = parseOk("\n\nint x; // EXPECT: sharedstate-mutable-global category=3\n");
  REQUIRE(E.size() == 1);
  std::string D = describe(E[0]);
  CHECK(D.find("f.cpp:3") != std::string::npos);
  CHECK(D.find("category=3") != std::string::npos);
  std::string O = describe(observed(7, {{"category", "4"}}, "global 'x' is mutated"));
  CHECK(O.find("f.cpp:7") != std::string::npos);
  CHECK(O.find("category=4") != std::string::npos);
  CHECK(O.find("global 'x' is mutated") != std::string::npos);
}

} // TEST_SUITE
