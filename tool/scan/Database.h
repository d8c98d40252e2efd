// Database: the compilation database the scanner reads, and the TUs it
// analyzes from it.
//
// Clang's loader is a lenient YAML parser: it prints parse errors to stderr
// itself and accepts a truncated file. The database is read as strict JSON
// first, so a broken file is one clear error naming it.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace clang::tooling {
class CompilationDatabase;
}

namespace sharedstate::scan {

/// Path is a build directory holding compile_commands.json, or the file
/// itself. On error returns null with a one-line Error naming the file.
std::unique_ptr<clang::tooling::CompilationDatabase> loadDatabase(const std::string &Path, std::string &Error);

/// The TUs to analyze: every file the database lists, or the files named in
/// Sources, each resolved against the current directory, then against the
/// database's entry directories, then as the end of one database file's path;
/// sorted, without duplicates.
std::vector<std::string> selectFiles(const clang::tooling::CompilationDatabase &DB,
                                     const std::vector<std::string> &Sources);

/// Path made absolute against the current directory, with dots removed.
std::string absolute(const std::string &Path);

} // namespace sharedstate::scan
