// List-valued options are written the way clang-tidy's are: ';' or ',' between
// items, whitespace around them ignored, empty items dropped.
#include "facts/Lists.h"

#include "Doctest.h"

using namespace sharedstate;
using List = std::vector<std::string>;

TEST_SUITE("lists") {

TEST_CASE("items split on semicolons and commas and are trimmed") {
  CHECK(splitList("a;b, c") == List{"a", "b", "c"});
  CHECK(splitList("  mylib::SpinLock ;\tmylib::Queue\n") == List{"mylib::SpinLock", "mylib::Queue"});
  CHECK(splitList("only") == List{"only"});
}

TEST_CASE("empty items and empty lists give nothing") {
  CHECK(splitList("").empty());
  CHECK(splitList(" ; , ;").empty());
  CHECK(splitList("a;;b,") == List{"a", "b"});
}

TEST_CASE("names keep their inner spaces and colons") {
  CHECK(splitList("crow::TaggedRule::operator()") == List{"crow::TaggedRule::operator()"});
  CHECK(splitList("unsigned int") == List{"unsigned int"});
}

TEST_CASE("appendUnique keeps the order and drops what is already there") {
  List L{"a"};
  appendUnique(L, "b; a, c");
  CHECK(L == List{"a", "b", "c"});
  appendUnique(L, "");
  CHECK(L == List{"a", "b", "c"});
}

} // TEST_SUITE
