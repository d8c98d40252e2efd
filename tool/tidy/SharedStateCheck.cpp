// How findings become clang-tidy diagnostics:
// - the warning is the finding's message at its location (the variable's
//   declaration, the check, the class), with the notes of report/Diagnostics.h
//   (each write, each reason for one instance per process, the hint);
// - which findings warn is the check's WarnOn (config/ResolveOptions.h);
// - a category-1 variable that is not const gets a fix-it adding const or
//   constexpr where that is safe (ConstFixes.h).
#include "SharedStateCheck.h"

#include "ConstFixes.h"
#include "config/ResolveOptions.h"
#include "facts/Merge.h"
#include "report/Diagnostics.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/ASTMatchers/ASTMatchFinder.h>
#include <clang/Basic/SourceManager.h>

namespace sharedstate::tidy {

using namespace clang;
using namespace clang::ast_matchers;
using clang::tidy::ClangTidyContext;
using clang::tidy::ClangTidyOptions;

namespace {

std::string signature(const AnalysisOptions &O) {
  std::string S;
  for (const ListOption &L : ListOptions) {
    for (const std::string &Item : O.*L.list)
      S += Item + ";";
    S += "|";
  }
  return S + (O.serialLibraryCallers ? "serial" : "concurrent");
}

clang::SourceLocation translate(const SourceManager &SM, const sharedstate::SourceLocation &L) {
  if (!L.valid())
    return {};
  auto FE = SM.getFileManager().getOptionalFileRef(L.file);
  if (!FE)
    return {};
  return SM.translateFileLineCol(*FE, L.line, L.column);
}

/// clang-tidy's CheckOptions, as ResolveOptions reads them.
OptionLookup contextLookup(ClangTidyContext *Context) {
  return [Context](const std::string &Key) -> std::optional<std::string> {
    const auto &All = Context->getOptions().CheckOptions;
    auto It = All.find(Key);
    if (It == All.end())
      return std::nullopt;
    return It->second.Value;
  };
}

} // namespace

SharedStateCheck::SharedStateCheck(llvm::StringRef Name, ClangTidyContext *Context, const CheckInfo &Info,
                                   std::shared_ptr<AnalysisCache> Cache)
    : ClangTidyCheck(Name, Context), Info(Info), Cache(std::move(Cache)), Warn(WarnOn::defaults()) {
  const OptionLookup Lookup = contextLookup(Context);
  std::string Error;
  if (std::optional<WarnOn> W = resolveWarnOn(Lookup, Name.str(), Error))
    Warn = *W;
  else
    configurationDiag("invalid %0.WarnOn: %1") << Name << Error;
  CheckSettings Settings = resolveCheck(Lookup, Name.str());
  if (!Settings.problem.empty())
    configurationDiag("invalid %0") << Settings.problem;
  Analysis = std::move(Settings.analysis);
  ListValues = std::move(Settings.listValues);
}

void SharedStateCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "WarnOn", Warn.str());
  for (const ListOption &L : ListOptions)
    Options.store(Opts, L.option, ListValues.at(L.option));
}

void SharedStateCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

void SharedStateCheck::onEndOfTranslationUnit() { *Cache = AnalysisCache(); }

const AnalysisCache::TUAnalysis &SharedStateCheck::analysis(ASTContext &Ctx) {
  if (Cache->context != &Ctx) {
    *Cache = AnalysisCache();
    Cache->context = &Ctx;
  }
  auto [It, Fresh] = Cache->byOptions.try_emplace(signature(Analysis));
  AnalysisCache::TUAnalysis &A = It->second;
  if (Fresh) {
    ProgramFacts Program;
    mergeInto(Program, extractFacts(Ctx, Analysis, &A.index));
    finalize(Program);
    A.findings = classify(Program, ClassifyOptions{Analysis.serialLibraryCallers});
  }
  return A;
}

void SharedStateCheck::check(const MatchFinder::MatchResult &Result) {
  const AnalysisCache::TUAnalysis &A = analysis(*Result.Context);
  const SourceManager &SM = *Result.SourceManager;
  for (const Finding &F : A.findings) {
    if (F.kind != Info.kind || !Warn.warns(F))
      continue;
    auto DeclsIt = A.index.variables.find(F.key);
    const std::vector<const VarDecl *> NoDecls;
    const std::vector<const VarDecl *> &Decls = DeclsIt == A.index.variables.end() ? NoDecls : DeclsIt->second;
    const Diagnostic D = diagnose(F);
    clang::SourceLocation Loc = translate(SM, D.location);
    if (Loc.isInvalid() && !Decls.empty())
      Loc = Decls.front()->getLocation();
    {
      auto Builder = diag(Loc, "%0") << D.message;
      if (F.category == 1 && !F.hint.empty()) {
        InitKind Init = InitKind::None;
        if (const VarDecl *Def = Decls.empty() ? nullptr : Decls.front()->getDefinition())
          Init = (Def->getInit() && Def->hasConstantInitialization()) ? InitKind::Constant : InitKind::Dynamic;
        for (const FixItHint &Fix : constFixes(*Result.Context, Decls, Init))
          Builder << Fix;
      }
    }
    for (const DiagnosticNote &N : D.notes) {
      clang::SourceLocation NL = N.isHint ? Loc : translate(SM, N.location);
      if (NL.isValid() || N.isHint)
        diag(NL, "%0", DiagnosticIDs::Note) << N.message;
    }
  }
}

} // namespace sharedstate::tidy
