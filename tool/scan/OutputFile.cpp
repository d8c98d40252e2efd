// See OutputFile.h.
#include "scan/OutputFile.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/raw_ostream.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <unistd.h>

namespace sharedstate::scan {

namespace {
void discard(const std::string &Tmp) {
  if (std::error_code EC = llvm::sys::fs::remove(Tmp))
    llvm::errs() << "sharedstate-scan: warning: cannot remove '" << Tmp << "': " << EC.message() << "\n";
}
} // namespace

bool writeAtomically(const std::string &Path, const std::string &Text, std::string &Error) {
  std::string Tmp = Path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream Out(Tmp, std::ios::binary | std::ios::trunc);
    if (!Out) {
      Error = "cannot write '" + Path + "': " + std::strerror(errno);
      return false;
    }
    Out << Text;
    Out.flush();
    if (!Out) {
      Error = "cannot write '" + Path + "': " + std::strerror(errno);
      discard(Tmp);
      return false;
    }
  }
  if (std::rename(Tmp.c_str(), Path.c_str()) != 0) {
    Error = "cannot write '" + Path + "': " + std::strerror(errno);
    discard(Tmp);
    return false;
  }
  return true;
}

} // namespace sharedstate::scan
