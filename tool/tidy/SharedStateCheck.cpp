// How findings become clang-tidy diagnostics:
// - the warning is the scanner's message at the variable's declaration, with
//   one note per write (the evidence);
// - which findings warn is the WarnOn option (default: not-thread-safe);
// - a category-1 variable that is not const gets a fix-it adding const (or
//   constexpr) on every declaration, but only where that cannot break code:
//   every declaration is in the main file (a header is shared with TUs this
//   one cannot see), the linkage stays the same (const on a namespace-scope
//   variable without an extern declaration makes it internal), and a const
//   object can be initialized as written (no initializer needs a type that
//   allows const default-initialization). Variables that hand out non-const
//   access get no hint at all (Classify).
#include "SharedStateCheck.h"

#include "extract/Extractor.h"
#include "facts/Merge.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/ASTMatchers/ASTMatchFinder.h>
#include <clang/Basic/SourceManager.h>

#include <map>

namespace sharedstate::tidy {

using namespace clang;
using namespace clang::ast_matchers;
using clang::tidy::ClangTidyContext;
using clang::tidy::ClangTidyOptions;

namespace {

/// One analysis per TU and set of analysis options, shared by the enabled
/// sharedstate checks (normally all configured alike, so one analysis):
/// clang-tidy runs the checks of a TU one after the other in one thread.
struct TUAnalysis {
  std::vector<Finding> findings;
  DeclIndex index;
};

struct AnalysisCache {
  const ASTContext *context = nullptr;
  std::map<std::string, TUAnalysis> byOptions;
};

AnalysisCache &cache() {
  static AnalysisCache Cache;
  return Cache;
}

std::string signature(const AnalysisOptions &O) {
  std::string S;
  for (const ListOption &L : ListOptions) {
    for (const std::string &Item : O.*L.list)
      S += Item + ";";
    S += "|";
  }
  return S;
}

clang::SourceLocation translate(const SourceManager &SM, const sharedstate::SourceLocation &L) {
  if (!L.valid())
    return {};
  auto FE = SM.getFileManager().getOptionalFileRef(L.file);
  if (!FE)
    return {};
  return SM.translateFileLineCol(*FE, L.line, L.column);
}

/// The fix-its that make a never-written variable const, or none when that
/// is not safe. Every declaration in the TU gets the same keyword.
std::vector<FixItHint> constFixes(const ASTContext &Ctx, const std::vector<const VarDecl *> &Decls,
                                  InitKind Init) {
  if (Decls.empty())
    return {};
  const SourceManager &SM = Ctx.getSourceManager();
  for (const VarDecl *D : Decls)
    if (!SM.isInMainFile(SM.getExpansionLoc(D->getLocation())))
      return {}; // a header: other TUs may write it
  const VarDecl *Canon = Decls.front()->getCanonicalDecl();
  const VarDecl *Def = Canon->getDefinition();
  if (!Def)
    return {};
  // `static int n;` made const would have no value: a const object needs an
  // initializer unless its class allows const default-initialization.
  const Expr *Written = Def->getInit();
  const auto *Construct = dyn_cast_or_null<CXXConstructExpr>(Written ? Written->IgnoreImplicit() : nullptr);
  bool DefaultInit = !Written || (Construct && Construct->getNumArgs() == 0 && !Construct->isListInitialization() &&
                               Construct->getParenOrBraceRange().isInvalid());
  if (DefaultInit) {
    const CXXRecordDecl *RD = Ctx.getBaseElementType(Def->getType())->getAsCXXRecordDecl();
    if (!RD || !RD->allowConstDefaultInit())
      return {};
  }
  bool KeepsLinkage = Canon->isStaticLocal() || Canon->isStaticDataMember() || !Canon->isExternallyVisible() ||
                      Canon->isInline();
  for (const VarDecl *D : Decls)
    KeepsLinkage = KeepsLinkage || D->getStorageClass() == SC_Extern;
  if (!KeepsLinkage)
    return {};
  // constexpr needs one declaration (it must be on the definition) and a
  // constant initializer.
  bool Constexpr = Decls.size() == 1 && Init == InitKind::Constant && Decls.front()->getInit() &&
                   Decls.front()->getType()->isLiteralType(Ctx) && !Canon->isStaticDataMember();
  std::vector<FixItHint> Fixes;
  for (const VarDecl *D : Decls) {
    QualType T = D->getType();
    if (T->isReferenceType() || T->isDependentType() || D->getDeclContext()->isDependentContext() ||
        D->getLocation().isMacroID() || D->getTypeSpecStartLoc().isMacroID() || D->getTypeSpecStartLoc().isInvalid())
      return {};
    // `int a, b;`: a keyword before the type would change both.
    for (const Decl *Other : D->getDeclContext()->decls())
      if (const auto *OV = dyn_cast<VarDecl>(Other);
          OV && OV != D && OV->getTypeSpecStartLoc() == D->getTypeSpecStartLoc())
        return {};
    if (Constexpr)
      Fixes.push_back(FixItHint::CreateInsertion(D->getTypeSpecStartLoc(), "constexpr "));
    else if (Ctx.getBaseElementType(T)->isPointerType())
      Fixes.push_back(FixItHint::CreateInsertion(D->getLocation(), "const ")); // char *const p
    else
      Fixes.push_back(FixItHint::CreateInsertion(D->getTypeSpecStartLoc(), "const "));
  }
  return Fixes;
}

} // namespace

SharedStateCheck::SharedStateCheck(llvm::StringRef Name, ClangTidyContext *Context, std::string Kind)
    : ClangTidyCheck(Name, Context), Context(Context), Kind(std::move(Kind)), Warn(WarnOn::defaults()) {
  std::string Error;
  std::string Spec = option("WarnOn", "not-thread-safe");
  if (auto W = WarnOn::parse(Spec, Error))
    Warn = *W;
  else
    configurationDiag("invalid %0.WarnOn: %1") << Name << Error;
  Analysis = AnalysisOptions::defaults();
  for (const ListOption &L : ListOptions) {
    std::string &Value = ListValues[L.option] = option(L.option, "");
    for (std::string &S : splitList(Value))
      (Analysis.*L.list).push_back(std::move(S));
  }
}

std::string SharedStateCheck::option(llvm::StringRef Name, llvm::StringRef Default) const {
  if (std::optional<llvm::StringRef> Local = Options.get(Name))
    return Local->str();
  const auto &All = Context->getOptions().CheckOptions;
  auto It = All.find(("sharedstate." + Name).str());
  return It != All.end() ? It->second.Value : Default.str();
}

void SharedStateCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "WarnOn", Warn.str());
  for (const ListOption &L : ListOptions)
    Options.store(Opts, L.option, ListValues.at(L.option));
}

void SharedStateCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

void SharedStateCheck::onEndOfTranslationUnit() { cache() = AnalysisCache(); }

void SharedStateCheck::check(const MatchFinder::MatchResult &Result) {
  AnalysisCache &C = cache();
  if (C.context != Result.Context) {
    C = AnalysisCache();
    C.context = Result.Context;
  }
  auto [It, Fresh] = C.byOptions.try_emplace(signature(Analysis));
  TUAnalysis &A = It->second;
  if (Fresh) {
    ProgramFacts Program;
    mergeInto(Program, extractFacts(*Result.Context, Analysis, &A.index));
    finalize(Program);
    A.findings = classify(Program);
  }
  const SourceManager &SM = *Result.SourceManager;
  for (const Finding &F : A.findings) {
    if (F.kind != Kind || !Warn.warns(F))
      continue;
    const auto &Decls = A.index.variables[F.key];
    clang::SourceLocation Loc = translate(SM, F.location);
    if (Loc.isInvalid() && !Decls.empty())
      Loc = Decls.front()->getLocation();
    {
      auto D = diag(Loc, "%0") << F.message;
      if (F.category == 1 && !F.hint.empty()) {
        InitKind Init = InitKind::None;
        if (const VarDecl *Def = Decls.empty() ? nullptr : Decls.front()->getDefinition())
          Init = (Def->getInit() && Def->hasConstantInitialization()) ? InitKind::Constant : InitKind::Dynamic;
        for (const FixItHint &Fix : constFixes(*Result.Context, Decls, Init))
          D << Fix;
      }
    }
    for (const Evidence &E : F.evidence) {
      if (E.what == AccessWhat::Init || E.what == AccessWhat::Check)
        continue;
      clang::SourceLocation EL = translate(SM, E.location);
      if (EL.isValid())
        diag(EL, "%0", DiagnosticIDs::Note) << describe(E);
    }
    for (const Instance &I : F.instances) {
      clang::SourceLocation IL = translate(SM, I.location);
      if (IL.isValid())
        diag(IL, "one instance per process: %0", DiagnosticIDs::Note) << I.detail;
    }
    if (!F.hint.empty())
      diag(Loc, "%0", DiagnosticIDs::Note) << F.hint;
  }
}

} // namespace sharedstate::tidy
