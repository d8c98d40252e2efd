// Every unit test includes doctest through this header, so that all of them
// stringify values the same way.
//
// sharedstate::toString(enum) returns const char* and doctest finds it by
// argument-dependent lookup when it prints a failed comparison; wrapping the
// result in doctest::String makes `CHECK(F.verdict == Verdict::ThreadSafe)`
// print "not-thread-safe == thread-safe" instead of failing to compile.
// (DOCTEST_CONFIG_DOUBLE_STRINGIFY would print the pointer.)
#pragma once

#define DOCTEST_STRINGIFY(...) ::doctest::String(toString(__VA_ARGS__))
#include <doctest/doctest.h>
