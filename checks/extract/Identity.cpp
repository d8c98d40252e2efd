// Keys, names and locations (see Identity.h for the rules they follow).
#include "extract/Identity.h"

#include "facts/Paths.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/AST/Stmt.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Index/USRGeneration.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/Support/Path.h>

#include <functional>

namespace sharedstate::extract {

using namespace clang;

namespace {

/// How many static locals of the same name precede V in its function.
unsigned sameNameOrdinal(const FunctionDecl *FD, const VarDecl *V) {
  unsigned Before = 0;
  bool Found = false;
  std::function<void(const Stmt *)> Walk = [&](const Stmt *S) {
    if (!S || Found)
      return;
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *Other = dyn_cast<VarDecl>(D);
            Other && Other->isStaticLocal() && Other->getName() == V->getName()) {
          if (Other->getCanonicalDecl() == V->getCanonicalDecl()) {
            Found = true;
            return;
          }
          ++Before;
        }
    for (const Stmt *Child : S->children())
      Walk(Child);
  };
  Walk(FD->getBody());
  return Found ? Before : 0;
}

const VarDecl *findStaticLocal(const Stmt *S, llvm::StringRef Name) {
  if (!S)
    return nullptr;
  if (const auto *DS = dyn_cast<DeclStmt>(S))
    for (const Decl *D : DS->decls())
      if (const auto *V = dyn_cast<VarDecl>(D); V && V->isStaticLocal() && V->getName() == Name)
        return V;
  for (const Stmt *Child : S->children())
    if (const VarDecl *V = findStaticLocal(Child, Name))
      return V;
  return nullptr;
}

} // namespace

Identity::Identity(ASTContext &Ctx, std::string Root)
    : Ctx(Ctx), SM(Ctx.getSourceManager()), Policy(Ctx.getPrintingPolicy()), Root(std::move(Root)) {
  Policy.SuppressInlineNamespace = true;
  Policy.SuppressTagKeyword = true;
  Policy.AnonymousTagLocations = false; // "(lambda)", not a machine-specific path
}

bool Identity::inSystemHeader(clang::SourceLocation L) const {
  return L.isValid() && SM.isInSystemHeader(SM.getExpansionLoc(L));
}

const VarDecl *Identity::canonicalVariable(const VarDecl *V) {
  if (const VarDecl *P = V->getInstantiatedFromStaticDataMember())
    V = P;
  else if (const VarDecl *P = V->getTemplateInstantiationPattern())
    V = P;
  else if (V->isStaticLocal())
    V = localStaticPattern(V);
  return V->getCanonicalDecl();
}

/// A static local of a function template instantiation, mapped to the same
/// static in the pattern (matched by name: the AST keeps no link) so that
/// next_id<int>::id and next_id<long>::id are one finding.
const VarDecl *Identity::localStaticPattern(const VarDecl *V) {
  const auto *FD = dyn_cast_or_null<FunctionDecl>(V->getParentFunctionOrMethod());
  const FunctionDecl *Pattern = FD ? FD->getTemplateInstantiationPattern() : nullptr;
  if (!Pattern || !Pattern->getBody())
    return V;
  auto [It, Inserted] = LocalPatternCache.try_emplace(V, V);
  if (Inserted)
    if (const VarDecl *Found = findStaticLocal(Pattern->getBody(), V->getName()))
      It->second = Found;
  return It->second;
}

const CXXRecordDecl *Identity::mainFileClass(const Decl *D) {
  const DeclContext *DC = isa<DeclContext>(D) ? cast<DeclContext>(D) : D->getDeclContext();
  for (; DC; DC = DC->getParent()) {
    const auto *RD = dyn_cast<CXXRecordDecl>(DC);
    if (!RD)
      continue;
    const CXXRecordDecl *Pattern = RD;
    if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
      Pattern = Spec->getSpecializedTemplate()->getTemplatedDecl();
    else if (const CXXRecordDecl *From = RD->getInstantiatedFromMemberClass())
      Pattern = From;
    if (SM.isInMainFile(SM.getExpansionLoc(Pattern->getCanonicalDecl()->getLocation())) && definesMain() &&
        selfContained(Pattern))
      return Pattern->getCanonicalDecl();
  }
  return nullptr;
}

bool Identity::definesMain() {
  if (!DefinesMain) {
    DefinesMain = false;
    for (const Decl *D : Ctx.getTranslationUnitDecl()->decls())
      if (const auto *FD = dyn_cast<FunctionDecl>(D); FD && FD->isMain() && FD->doesThisDeclarationHaveABody())
        DefinesMain = true;
  }
  return *DefinesMain;
}

/// Whether the TU defines everything of the class it declares: its member
/// functions and static data members. A class whose methods another file
/// defines (a sample that repeats the class in each of its files) is
/// shared between TUs and keeps its plain key.
bool Identity::selfContained(const CXXRecordDecl *RD) {
  const CXXRecordDecl *Def = RD->getDefinition();
  if (!Def)
    return false;
  if (auto It = SelfContained.find(Def); It != SelfContained.end())
    return It->second;
  bool Whole = true;
  for (const Decl *D : Def->decls()) {
    if (const auto *M = dyn_cast<CXXMethodDecl>(D)) {
      if (!M->isImplicit() && !M->isPureVirtual() && !M->isDeleted() && !M->isDefaulted() && !M->isDefined())
        Whole = false;
    } else if (const auto *FT = dyn_cast<FunctionTemplateDecl>(D)) {
      if (!FT->getTemplatedDecl()->isDefined())
        Whole = false;
    } else if (const auto *V = dyn_cast<VarDecl>(D)) {
      if (V->isStaticDataMember() && !V->getDefinition())
        Whole = false;
    } else if (const auto *Nested = dyn_cast<CXXRecordDecl>(D)) {
      if (Nested->isThisDeclarationADefinition() && !Nested->isImplicit() && !selfContained(Nested))
        Whole = false;
    }
    if (!Whole)
      break;
  }
  SelfContained[Def] = Whole; // stored after the recursion, which may grow the map
  return Whole;
}

std::string Identity::declKey(const Decl *D) {
  auto It = KeyCache.find(D);
  if (It != KeyCache.end())
    return It->second;
  llvm::SmallString<128> USR;
  std::string Key;
  if (!index::generateUSRForDecl(D, USR))
    Key = std::string(USR);
  else
    Key = "loc:" + relative(location(D->getLocation()).file) + ":" +
          std::to_string(SM.getFileOffset(SM.getExpansionLoc(D->getLocation())));
  // Entities with internal linkage are distinct per file even under one
  // name (`static int n;` in a.cpp and b.cpp).
  if (const auto *ND = dyn_cast<NamedDecl>(D); ND && !ND->isExternallyVisible())
    Key += "@" + relative(location(D->getLocation()).file);
  // So are a class the source file of a program (a TU defining main)
  // declares first and defines whole, and its members: no other TU can
  // name it, and another TU's class of the same name is another
  // program's (two example servers that each define `broadcast_server`).
  else if (const CXXRecordDecl *Own = mainFileClass(D))
    Key += "@" + relative(location(Own->getLocation()).file);
  KeyCache[D] = Key;
  return Key;
}

/// Clang's USR for a local variable contains its offset in the file, which
/// would change the finding's id whenever code above it moves: a static
/// local is keyed by its function and its name instead.
std::string Identity::variableKey(const VarDecl *Canon) {
  if (Canon->isStaticLocal())
    if (const auto *FD = dyn_cast_or_null<FunctionDecl>(Canon->getParentFunctionOrMethod())) {
      std::string Key = "local:" + functionKey(FD) + "::" + Canon->getNameAsString();
      // Two statics of one name in different blocks of a function.
      if (unsigned N = sameNameOrdinal(FD, Canon))
        Key += "#" + std::to_string(N);
      return Key;
    }
  return declKey(Canon);
}

/// Clang gives every lambda at namespace scope of a file the same USR, and
/// lambdas elsewhere one holding their file offset. A lambda is keyed by
/// where it lives (its context declaration or enclosing function), its
/// index there and its call signature instead.
std::string Identity::functionKey(const FunctionDecl *FD) {
  // Every program's main has the same USR; each is its own program.
  if (FD->isMain())
    return declKey(FD->getCanonicalDecl()) + "@" + relative(location(FD->getLocation()).file);
  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  if (!MD || !MD->getParent()->isLambda())
    return declKey(FD->getCanonicalDecl());
  const CXXRecordDecl *Closure = MD->getParent();
  const Decl *Context = Closure->getLambdaContextDecl();
  if (!Context)
    Context = dyn_cast_or_null<Decl>(Closure->getDeclContext());
  if (!Context || isa<TranslationUnitDecl, NamespaceDecl>(Context)) {
    // No context Clang numbers lambdas in (the initializer of a non-inline
    // variable): its position is all that tells two such lambdas apart.
    clang::SourceLocation L = SM.getExpansionLoc(Closure->getLocation());
    return "lambda@" + relative(location(L).file) + ":" + std::to_string(SM.getFileOffset(L));
  }
  std::string Where;
  if (const auto *F = dyn_cast_or_null<FunctionDecl>(Context))
    Where = functionKey(F);
  else if (const auto *V = dyn_cast_or_null<VarDecl>(Context))
    Where = V->hasGlobalStorage() ? variableKey(canonicalVariable(V)) : declKey(V);
  else if (Context)
    Where = declKey(Context);
  // Clang numbers a function's lambdas per call signature (the Itanium
  // discriminator): `[](int) {}` and `[] {}` are both #0. The signature
  // tells them apart, the same in every TU.
  return "lambda:" + Where + "#" + std::to_string(Closure->getLambdaIndexInContext()) + ":" +
         MD->getType().getCanonicalType().getAsString(Policy) + "@" + relative(location(Closure->getLocation()).file);
}

std::string Identity::enclosingKey(const FunctionDecl *FD) {
  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  if (!MD || !MD->getParent()->isLambda())
    return "";
  const CXXRecordDecl *Closure = MD->getParent();
  const Decl *Context = Closure->getLambdaContextDecl();
  if (!Context)
    Context = dyn_cast_or_null<Decl>(Closure->getDeclContext());
  const auto *F = dyn_cast_or_null<FunctionDecl>(Context);
  return F ? functionKey(F) : "";
}

std::string Identity::initializerKey(const VarDecl *V) { return "init:" + variableKey(canonicalVariable(V)); }

namespace {
/// D's qualified name. A member of a class template partial specialization
/// is named with the arguments as written (`tuple_index<T, tuple<Ts...>>::value`),
/// not the canonical ones Clang prints (`type-parameter-0-0`).
void printQualified(const NamedDecl *D, llvm::raw_ostream &OS, const PrintingPolicy &Policy) {
  const auto *Partial = dyn_cast<ClassTemplatePartialSpecializationDecl>(D->getDeclContext());
  const ASTTemplateArgumentListInfo *Args = Partial ? Partial->getTemplateArgsAsWritten() : nullptr;
  if (!Args) {
    D->printQualifiedName(OS, Policy);
    return;
  }
  printQualified(Partial->getSpecializedTemplate(), OS, Policy);
  printTemplateArgumentList(OS, Args->arguments(), Policy);
  OS << "::";
  D->printName(OS, Policy);
}
} // namespace

std::string Identity::functionName(const FunctionDecl *FD) {
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD); MD && MD->getParent()->isLambda()) {
    const DeclContext *DC = MD->getParent()->getDeclContext();
    while (DC && !isa<FunctionDecl>(DC) && !DC->isFileContext())
      DC = DC->getParent();
    if (const auto *Outer = dyn_cast_or_null<FunctionDecl>(DC))
      return functionName(Outer) + "::(lambda)";
    return "(lambda)";
  }
  if (const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern())
    FD = Pattern;
  std::string S;
  llvm::raw_string_ostream OS(S);
  printQualified(FD, OS, Policy);
  return OS.str();
}

std::string Identity::variableName(const VarDecl *V) {
  if (V->isStaticLocal())
    if (const auto *FD = dyn_cast_or_null<FunctionDecl>(V->getParentFunctionOrMethod()))
      return functionName(FD) + "::" + V->getNameAsString();
  std::string S;
  llvm::raw_string_ostream OS(S);
  printQualified(V, OS, Policy);
  return OS.str();
}

std::string Identity::normalizedPath(FileEntryRef FE) {
  llvm::StringRef Real = FE.getFileEntry().tryGetRealPathName();
  if (!Real.empty())
    return Real.str();
  llvm::SmallString<256> P(FE.getName());
  SM.getFileManager().makeAbsolutePath(P);
  llvm::sys::path::remove_dots(P, true);
  return std::string(P);
}

sharedstate::SourceLocation Identity::location(clang::SourceLocation L) {
  sharedstate::SourceLocation Out;
  if (L.isInvalid())
    return Out;
  L = SM.getExpansionLoc(L);
  FileID FID = SM.getFileID(L);
  auto It = PathCache.find(FID);
  if (It == PathCache.end()) {
    OptionalFileEntryRef FE = SM.getFileEntryRefForID(FID);
    It = PathCache.try_emplace(FID, FE ? normalizedPath(*FE) : std::string("<unknown>")).first;
  }
  Out.file = It->second;
  Out.line = SM.getExpansionLineNumber(L);
  Out.column = SM.getExpansionColumnNumber(L);
  return Out;
}

std::string Identity::mainFile() {
  OptionalFileEntryRef Main = SM.getFileEntryRefForID(SM.getMainFileID());
  return Main ? normalizedPath(*Main) : std::string();
}

std::string Identity::relative(const std::string &Path) const { return relativeTo(Path, Root); }

} // namespace sharedstate::extract
