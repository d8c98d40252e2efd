// The unit-test runner: doctest's own main, nothing else. Each *Test.cpp next
// to it covers one layer of the pure logic (facts, merge, classification,
// reporters, expectations, the checks table) without Clang.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "Doctest.h"
