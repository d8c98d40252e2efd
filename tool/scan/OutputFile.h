// OutputFile: writing the report where the user asked.
#pragma once

#include <string>

namespace sharedstate::scan {

/// Writes Text to Path through a temporary file in the same directory and a
/// rename, so an existing report is replaced whole or not at all. On error
/// returns false with a one-line Error naming Path.
bool writeAtomically(const std::string &Path, const std::string &Text, std::string &Error);

} // namespace sharedstate::scan
