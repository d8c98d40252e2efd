// SharedStateCheck: the clang-tidy face of one row of the checks table.
//
// The analysis is the scanner's (extract -> merge -> classify), run once per
// TU however many sharedstate checks are enabled; each check then reports the
// findings of its own kind through the same Diagnostics the scanner prints.
// clang-tidy sees one TU at a time, so a global defined here and written in
// another file looks unwritten: sharedstate-scan gives the whole-program
// answer (docs/clang-tidy.md).
#pragma once

#include "CheckTable.h"
#include "classify/Classify.h"
#include "classify/WarnOn.h"
#include "extract/Extractor.h"
#include "facts/Options.h"

#include <clang-tidy/ClangTidyCheck.h>

#include <map>
#include <memory>
#include <string>

namespace sharedstate::tidy {

/// One analysis per TU and set of analysis options, shared by the enabled
/// sharedstate checks (normally all configured alike, so one analysis):
/// clang-tidy runs the checks of a TU one after the other in one thread.
/// The module owns it and hands it to every check it creates.
struct AnalysisCache {
  struct TUAnalysis {
    std::vector<Finding> findings;
    DeclIndex index;
  };
  const clang::ASTContext *context = nullptr;
  std::map<std::string, TUAnalysis> byOptions;
};

class SharedStateCheck : public clang::tidy::ClangTidyCheck {
public:
  SharedStateCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context, const CheckInfo &Info,
                   std::shared_ptr<AnalysisCache> Cache);

  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void onEndOfTranslationUnit() override;

private:
  const AnalysisCache::TUAnalysis &analysis(clang::ASTContext &Ctx);

  const CheckInfo &Info;
  std::shared_ptr<AnalysisCache> Cache;
  WarnOn Warn;
  /// The list options as configured (ListOptions), to show in --dump-config.
  std::map<std::string, std::string> ListValues;
  AnalysisOptions Analysis;
};

} // namespace sharedstate::tidy
