// OutputFile: writing the report (-o) and the facts (--save-facts) where the
// user asked, without ever destroying what was there.
//
// - "-" is standard output.
// - A symbolic link is followed: its target is written, the link stays.
// - A regular file, or a path that does not exist yet, is written through a
//   temporary file in the same directory and a rename, so an existing file is
//   replaced whole or not at all, and keeps its permission bits. The temporary
//   file is removed if the scan is interrupted (SIGINT, SIGTERM) while it is
//   being written.
// - Anything else that exists (a character device such as /dev/null or
//   /dev/stdout, a FIFO, a socket) is opened and written in place: a rename
//   would replace the device with a plain file.
#pragma once

#include <string>

namespace sharedstate::scan {

/// Checks, before any work, that Path can be written the way writeOutput will
/// write it: its directory exists and is writable, it is not a directory, an
/// existing file or device is writable. On error returns false with a
/// one-line Error naming Path.
bool checkOutput(const std::string &Path, std::string &Error);

/// Writes Text to Path as described above. On error returns false with a
/// one-line Error naming Path; an existing regular file is then unchanged.
bool writeOutput(const std::string &Path, const std::string &Text, std::string &Error);

} // namespace sharedstate::scan
