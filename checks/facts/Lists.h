// How users write a list in one option value: items separated by ';' or ','
// with surrounding whitespace ignored ("mylib::SpinLock; mylib::Queue"), as
// clang-tidy's own list options are written.
#pragma once

#include <string>
#include <vector>

namespace sharedstate {

/// Splits "a;b, c" into trimmed, non-empty items.
std::vector<std::string> splitList(const std::string &List);

/// Appends the items of List that To does not hold yet, in order.
void appendUnique(std::vector<std::string> &To, const std::string &List);

} // namespace sharedstate
