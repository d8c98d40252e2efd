// SharedStateCheck: the clang-tidy face of one sharedstate check.
//
// The analysis is the scanner's (extract -> merge -> classify), run once per
// TU however many sharedstate checks are enabled; each check then reports the
// findings of its own kind with the scanner's messages. clang-tidy sees one
// TU at a time, so a global defined here and written in another file looks
// unwritten: sharedstate-scan gives the whole-program answer.
#pragma once

#include "classify/Classify.h"
#include "facts/Options.h"
#include "classify/WarnOn.h"

#include <clang-tidy/ClangTidyCheck.h>

#include <map>
#include <string>

namespace sharedstate::tidy {

class SharedStateCheck : public clang::tidy::ClangTidyCheck {
public:
  SharedStateCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context, std::string Kind);

  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void onEndOfTranslationUnit() override;

private:
  /// A check's option, falling back to "sharedstate.<Name>", which all
  /// sharedstate checks (and sharedstate-scan) share.
  std::string option(llvm::StringRef Name, llvm::StringRef Default) const;

  clang::tidy::ClangTidyContext *Context;
  std::string Kind; ///< the finding kind this check reports
  WarnOn Warn;
  /// The list options as configured (ListOptions), to show in --dump-config.
  std::map<std::string, std::string> ListValues;
  AnalysisOptions Analysis;
};

} // namespace sharedstate::tidy
