// Loading the compilation database (see Database.h).
#include "scan/Database.h"

#include <clang/Tooling/CompilationDatabase.h>
#include <clang/Tooling/JSONCompilationDatabase.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/JSON.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>

#include <algorithm>
#include <set>
#include <unistd.h>

namespace sharedstate::scan {

std::string absolute(const std::string &Path) {
  llvm::SmallString<256> P(Path);
  if (llvm::sys::fs::make_absolute(P))
    return Path;
  llvm::sys::path::remove_dots(P, true);
  return std::string(P);
}

std::unique_ptr<clang::tooling::CompilationDatabase> loadDatabase(const std::string &Path, std::string &Error) {
  std::string File = Path;
  if (llvm::sys::fs::is_directory(Path))
    File = (llvm::Twine(Path) + "/compile_commands.json").str();
  if (!llvm::sys::fs::exists(File)) {
    Error = llvm::sys::fs::is_directory(Path)
                ? "no compile_commands.json in '" + Path +
                      "' (generate one with cmake -DCMAKE_EXPORT_COMPILE_COMMANDS=ON, or bear)"
                : "'" + Path + "': no such file or directory";
    return nullptr;
  }
  if (::access(File.c_str(), R_OK) != 0) {
    Error = "'" + File + "': permission denied";
    return nullptr;
  }
  auto Buffer = llvm::MemoryBuffer::getFile(File);
  if (!Buffer) {
    Error = "'" + File + "': " + Buffer.getError().message();
    return nullptr;
  }
  llvm::Expected<llvm::json::Value> Parsed = llvm::json::parse((*Buffer)->getBuffer());
  if (!Parsed) {
    Error = "'" + File + "' is not valid JSON: " + llvm::toString(Parsed.takeError());
    return nullptr;
  }
  if (!Parsed->getAsArray()) {
    Error = "'" + File + "' is not a valid compilation database: expected a JSON array of compile commands";
    return nullptr;
  }
  std::string LoadError;
  auto DB = clang::tooling::JSONCompilationDatabase::loadFromFile(File, LoadError,
                                                                  clang::tooling::JSONCommandLineSyntax::AutoDetect);
  if (!DB) {
    // Clang's message repeats the path; keep one line naming the file.
    std::replace(LoadError.begin(), LoadError.end(), '\n', ' ');
    Error = "'" + File + "' is not a valid compilation database: " + LoadError;
    return nullptr;
  }
  return DB;
}

namespace {

bool isDatabaseFile(const std::vector<std::string> &Files, const std::string &Path) {
  return std::binary_search(Files.begin(), Files.end(), Path);
}

/// A file named on the command line, found the way clang-tidy users expect:
/// against the current directory; if that is no file of the database, against
/// each entry's directory; then as the last components of exactly one of the
/// database's files (`src/server.cpp` run from the project's parent). What
/// matches nothing stays as the current directory makes it, and is reported
/// as not in the database.
std::string resolveSource(const clang::tooling::CompilationDatabase &DB, const std::vector<std::string> &Files,
                          const std::string &Source) {
  std::string FromCwd = absolute(Source);
  if (llvm::sys::path::is_absolute(Source) || isDatabaseFile(Files, FromCwd))
    return FromCwd;
  std::set<std::string> Directories;
  for (const clang::tooling::CompileCommand &C : DB.getAllCompileCommands())
    Directories.insert(C.Directory);
  for (const std::string &Dir : Directories) {
    llvm::SmallString<256> P(Dir);
    llvm::sys::path::append(P, Source);
    llvm::sys::path::remove_dots(P, true);
    if (isDatabaseFile(Files, std::string(P)))
      return std::string(P);
  }
  llvm::SmallString<256> Tail(Source);
  llvm::sys::path::remove_dots(Tail, true);
  if (Tail.starts_with(".."))
    return FromCwd;
  std::string Suffix = "/" + std::string(Tail);
  std::string Match;
  for (const std::string &F : Files)
    if (llvm::StringRef(F).ends_with(Suffix)) {
      if (!Match.empty())
        return FromCwd; // two files end so: no guess
      Match = F;
    }
  return Match.empty() ? FromCwd : Match;
}

} // namespace

std::vector<std::string> selectFiles(const clang::tooling::CompilationDatabase &DB,
                                     const std::vector<std::string> &Sources) {
  std::vector<std::string> All = DB.getAllFiles(); // in the database's own (hash) order
  std::sort(All.begin(), All.end());
  All.erase(std::unique(All.begin(), All.end()), All.end());
  if (Sources.empty())
    return All;
  std::vector<std::string> Files;
  Files.reserve(Sources.size());
  for (const std::string &S : Sources)
    Files.push_back(resolveSource(DB, All, S));
  std::sort(Files.begin(), Files.end());
  Files.erase(std::unique(Files.begin(), Files.end()), Files.end());
  return Files;
}

} // namespace sharedstate::scan
