// The extractor-test runner: doctest's own main. Each *Test.cpp next to it
// covers one concern of checks/extract/ on snippets parsed in memory.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "Doctest.h"
