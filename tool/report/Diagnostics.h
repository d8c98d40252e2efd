// Diagnostics: a finding as a message with notes, the one shape every sink
// prints.
//
// The text report, clang-tidy's diag() and the editor's publishDiagnostics
// all show a finding the same way: the finding's message at its location,
// then a note per piece of evidence (each write; the initializer and the
// lazy-init check itself are in the message already), a note per reason it
// has one instance per process, and the hint. Building that here, once,
// keeps the front-ends from drifting apart.
#pragma once

#include "classify/Finding.h"

#include <string>
#include <vector>

namespace sharedstate {

struct DiagnosticNote {
  SourceLocation location;
  std::string message;
  bool isHint = false; ///< the advice ("declare it const"), at the finding's location
};

struct Diagnostic {
  SourceLocation location;
  std::string check;
  std::string message;
  std::vector<DiagnosticNote> notes;
};

Diagnostic diagnose(const Finding &F);

} // namespace sharedstate
