// checks/Checks.def is the single source of truth for the checks; this test
// keeps the rest of the project honest about it. Every entry needs its docs
// page, its clang-tidy class in tool/tidy/<Class>.h, and at least one fixture
// expectation naming it, and the variable checks
// must line up with VarKind, because Classify indexes the table by kind.
#include "classify/Classify.h"
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

struct CheckEntry {
  std::string id, kind, docPage, className;
};

const std::vector<CheckEntry> &table() {
  static const std::vector<CheckEntry> Entries = {
#define SHAREDSTATE_CHECK(Id, Kind, Class, DocPage) {Id, Kind, DocPage, #Class},
#include "Checks.def"
  };
  return Entries;
}

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

TEST_CASE("every check has its clang-tidy class, in a header named after it") {
  for (const CheckEntry &E : table()) {
    CAPTURE(E.id);
    fs::path Header = SourceDir / "tool" / "tidy" / (E.className + ".h");
    REQUIRE(fs::exists(Header));
    std::ifstream In(Header);
    std::ostringstream Text;
    Text << In.rdbuf();
    CHECK(Text.str().find("class " + E.className + " ") != std::string::npos);
  }
}

TEST_CASE("the checks table has an entry per variable kind, in VarKind order") {
  const VarKind Kinds[] = {VarKind::NamespaceGlobal, VarKind::StaticMember, VarKind::FunctionLocalStatic};
  REQUIRE(table().size() >= std::size(Kinds));
  for (size_t I = 0; I < std::size(Kinds); ++I) {
    CAPTURE(I);
    CHECK(table()[I].kind == toString(Kinds[I]));
    CHECK(table()[I].id == checkFor(Kinds[I]));
  }
}

TEST_CASE("check ids are unique and named sharedstate-<kind>") {
  std::set<std::string> Ids;
  for (const CheckEntry &C : table()) {
    CAPTURE(C.id);
    CHECK(Ids.insert(C.id).second);
    CHECK(C.id == "sharedstate-" + C.kind);
  }
}

TEST_CASE("every check has its docs page") {
  for (const CheckEntry &C : table()) {
    CAPTURE(C.id);
    CHECK_MESSAGE(fs::is_regular_file(SourceDir / C.docPage), "missing " << C.docPage);
  }
}

TEST_CASE("every check has a fixture that expects it") {
  REQUIRE(fs::is_directory(SourceDir / "fixtures"));
  const std::set<std::string> Covered = checksWithFixtures();
  for (const CheckEntry &C : table()) {
    CAPTURE(C.id);
    CHECK_MESSAGE(Covered.count(C.id), "no EXPECT line under fixtures/ names " << C.id);
  }
}

} // TEST_SUITE
