// See OutputFile.h.
#include "scan/OutputFile.h"

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/Signals.h>
#include <llvm/Support/raw_ostream.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sharedstate::scan {

namespace {

bool isStandardOutput(const std::string &Path) { return Path.empty() || Path == "-"; }

std::string failure(const std::string &Path, const std::string &Why) { return "cannot write '" + Path + "': " + Why; }

std::string lastError(const std::string &Path) { return failure(Path, std::strerror(errno)); }

/// Path with every symbolic link followed, as far as it exists; the file it
/// names need not exist. False with Error on a loop or an unreadable link.
bool resolveLinks(const std::string &Path, std::string &Target, std::string &Error) {
  Target = Path;
  for (int Hops = 0; Hops < 40; ++Hops) {
    struct stat St;
    if (::lstat(Target.c_str(), &St) != 0 || !S_ISLNK(St.st_mode))
      return true;
    char Buf[4096];
    ssize_t N = ::readlink(Target.c_str(), Buf, sizeof Buf - 1);
    if (N < 0) {
      Error = lastError(Path);
      return false;
    }
    std::string Link(Buf, static_cast<size_t>(N));
    if (llvm::sys::path::is_absolute(Link)) {
      Target = Link;
    } else {
      llvm::SmallString<256> Joined(llvm::sys::path::parent_path(Target));
      llvm::sys::path::append(Joined, Link);
      Target = std::string(Joined);
    }
  }
  Error = failure(Path, "too many levels of symbolic links");
  return false;
}

std::string directoryOf(const std::string &Path) {
  llvm::StringRef Dir = llvm::sys::path::parent_path(Path);
  return Dir.empty() ? "." : Dir.str();
}

bool writeAll(int FD, const std::string &Text) {
  const char *P = Text.data();
  size_t Left = Text.size();
  while (Left > 0) {
    ssize_t N = ::write(FD, P, Left);
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      return false;
    P += N;
    Left -= static_cast<size_t>(N);
  }
  return true;
}

bool writeStandardOutput(const std::string &Text, std::string &Error) {
  llvm::outs() << Text;
  llvm::outs().flush();
  if (std::error_code EC = llvm::outs().error()) {
    llvm::outs().clear_error(); // else LLVM aborts at exit
    Error = "cannot write the report to standard output: " + EC.message();
    return false;
  }
  return true;
}

/// A device, FIFO or socket: written where it is.
bool writeInPlace(const std::string &Path, const std::string &Target, const std::string &Text, std::string &Error) {
  int FD = ::open(Target.c_str(), O_WRONLY | O_CLOEXEC);
  if (FD < 0) {
    Error = lastError(Path);
    return false;
  }
  bool Ok = writeAll(FD, Text);
  if (!Ok)
    Error = lastError(Path);
  if (::close(FD) != 0 && Ok) {
    Error = lastError(Path);
    Ok = false;
  }
  return Ok;
}

/// A regular file or a new one: a temporary file beside it, renamed over it.
bool replace(const std::string &Path, const std::string &Target, const struct stat *Old, const std::string &Text,
             std::string &Error) {
  std::string Tmp = Target + ".tmp." + std::to_string(::getpid());
  int FD = ::open(Tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (FD < 0) {
    Error = lastError(Path);
    return false;
  }
  llvm::sys::RemoveFileOnSignal(Tmp); // an interrupt now leaves nothing behind
  bool Ok = true;
  if (Old && ::fchmod(FD, Old->st_mode & 07777) != 0)
    Ok = false; // the file keeps its permissions, or is not replaced
  Ok = Ok && writeAll(FD, Text);
  if (!Ok)
    Error = lastError(Path);
  if (::close(FD) != 0 && Ok) {
    Error = lastError(Path);
    Ok = false;
  }
  if (Ok && std::rename(Tmp.c_str(), Target.c_str()) != 0) {
    Error = lastError(Path);
    Ok = false;
  }
  if (!Ok && ::unlink(Tmp.c_str()) != 0)
    llvm::errs() << "sharedstate-scan: warning: cannot remove '" << Tmp << "': " << std::strerror(errno) << "\n";
  llvm::sys::DontRemoveFileOnSignal(Tmp);
  return Ok;
}

} // namespace

bool checkOutput(const std::string &Path, std::string &Error) {
  if (isStandardOutput(Path))
    return true;
  std::string Target;
  if (!resolveLinks(Path, Target, Error))
    return false;
  struct stat St;
  if (::stat(Target.c_str(), &St) == 0) {
    if (S_ISDIR(St.st_mode)) {
      Error = failure(Path, "is a directory");
      return false;
    }
    if (::access(Target.c_str(), W_OK) != 0) {
      Error = lastError(Path);
      return false;
    }
    if (!S_ISREG(St.st_mode))
      return true; // written in place: its directory does not matter
  }
  // A new or replaced regular file: the temporary file goes beside it.
  std::string Dir = directoryOf(Target);
  if (::stat(Dir.c_str(), &St) != 0) {
    Error = lastError(Path);
    return false;
  }
  if (!S_ISDIR(St.st_mode)) {
    Error = failure(Path, "'" + Dir + "' is not a directory");
    return false;
  }
  if (::access(Dir.c_str(), W_OK | X_OK) != 0) {
    Error = failure(Path, "its directory is not writable: " + std::string(std::strerror(errno)));
    return false;
  }
  return true;
}

bool writeOutput(const std::string &Path, const std::string &Text, std::string &Error) {
  if (isStandardOutput(Path))
    return writeStandardOutput(Text, Error);
  std::string Target;
  if (!resolveLinks(Path, Target, Error))
    return false;
  struct stat St;
  if (::stat(Target.c_str(), &St) != 0)
    return replace(Path, Target, nullptr, Text, Error);
  if (S_ISDIR(St.st_mode)) {
    Error = failure(Path, "is a directory");
    return false;
  }
  if (S_ISREG(St.st_mode))
    return replace(Path, Target, &St, Text, Error);
  return writeInPlace(Path, Target, Text, Error);
}

} // namespace sharedstate::scan
