// checks/Checks.def is the single source of truth for the checks; this test
// keeps the rest of the project honest about it. Every entry needs its docs
// page, whose first line is the entry's summary, a valid default WarnOn, and
// at least one fixture expectation naming it; the variable checks must line
// up with VarKind, because classification indexes the table by kind, and the
// pattern checks need a label for the text summary.
#include "CheckTable.h"
#include "classify/Classify.h"
#include "classify/WarnOn.h"
#include "Expectations.h"
#include "facts/Facts.h"

#include "Doctest.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace sharedstate;

namespace {

const fs::path SourceDir = SHAREDSTATE_SOURCE_DIR;

/// Check ids named by a well-formed EXPECT anywhere under fixtures/.
std::set<std::string> checksWithFixtures() {
  std::set<std::string> Ids;
  for (const auto &E : fs::recursive_directory_iterator(SourceDir / "fixtures")) {
    if (!E.is_regular_file())
      continue;
    std::ifstream In(E.path(), std::ios::binary);
    std::ostringstream Text;
    Text << In.rdbuf();
    std::vector<std::string> Errors;
    for (const testing::Expectation &X : testing::parseExpectations(E.path().string(), Text.str(), Errors))
      Ids.insert(X.check);
  }
  return Ids;
}

} // namespace

TEST_SUITE("checks table") {

TEST_CASE("every check's summary is the first line of its docs page") {
  for (const CheckInfo &C : CheckTable) {
    CAPTURE(C.id);
    std::ifstream In(SourceDir / C.docPage);
    std::string First;
    std::getline(In, First);
    CHECK(First == C.summary);
  }
}

TEST_CASE("every check's default WarnOn parses, and pattern checks have a summary label") {
  for (size_t I = 0; I < std::size(CheckTable); ++I) {
    const CheckInfo &C = CheckTable[I];
    CAPTURE(C.id);
    std::string Error;
    CHECK_MESSAGE(WarnOn::parse(C.defaultWarnOn, Error).has_value(), Error);
    // Variable checks (the first rows) are the category table's; the others
    // each need their own line.
    CHECK((I < 3) == (std::string(C.tally).empty()));
  }
}

TEST_CASE("the checks table has an entry per variable kind, in VarKind order") {
  const VarKind Kinds[] = {VarKind::NamespaceGlobal, VarKind::StaticMember, VarKind::FunctionLocalStatic};
  REQUIRE(std::size(CheckTable) >= std::size(Kinds));
  for (size_t I = 0; I < std::size(Kinds); ++I) {
    CAPTURE(I);
    CHECK(std::string(CheckTable[I].kind) == toString(Kinds[I]));
    CHECK(std::string(CheckTable[I].id) == checkFor(Kinds[I]));
  }
}

TEST_CASE("check ids are unique and named sharedstate-<kind>") {
  std::set<std::string> Ids;
  for (const CheckInfo &C : CheckTable) {
    CAPTURE(C.id);
    CHECK(Ids.insert(C.id).second);
    CHECK(std::string(C.id) == "sharedstate-" + std::string(C.kind));
    CHECK(findCheck(C.id) == &C);
  }
  CHECK(findCheck("sharedstate-no-such-check") == nullptr);
}

TEST_CASE("every check has its docs page") {
  for (const CheckInfo &C : CheckTable) {
    CAPTURE(C.id);
    CHECK_MESSAGE(fs::is_regular_file(SourceDir / C.docPage), "missing " << C.docPage);
  }
}

TEST_CASE("every check has a fixture that expects it") {
  REQUIRE(fs::is_directory(SourceDir / "fixtures"));
  const std::set<std::string> Covered = checksWithFixtures();
  for (const CheckInfo &C : CheckTable) {
    CAPTURE(C.id);
    CHECK_MESSAGE(Covered.count(C.id), "no EXPECT line under fixtures/ names " << C.id);
  }
}

} // TEST_SUITE
