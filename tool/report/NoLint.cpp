// NOLINT directives (see NoLint.h). The rules follow clang-tidy's
// NoLintDirectiveHandler and GlobList, so that a comment means the same to the
// plugin and to the scanner.
#include "report/NoLint.h"

#include <algorithm>
#include <string_view>

namespace sharedstate {

namespace {

bool isAsciiAlpha(char C) { return (C >= 'A' && C <= 'Z') || (C >= 'a' && C <= 'z'); }

std::string_view trim(std::string_view S, std::string_view Chars = " \t\n\v\f\r") {
  size_t B = S.find_first_not_of(Chars);
  if (B == std::string_view::npos)
    return {};
  size_t E = S.find_last_not_of(Chars);
  return S.substr(B, E - B + 1);
}

/// "a , b" -> "a,b": BEGIN and END match when their trimmed lists are equal.
std::string trimItems(std::string_view List) {
  std::string Out;
  while (true) {
    size_t Comma = List.find(',');
    Out += trim(List.substr(0, Comma));
    if (Comma == std::string_view::npos)
      break;
    Out += ',';
    List.remove_prefix(Comma + 1);
  }
  return Out;
}

/// Full match of Name against Glob, where '*' matches any run of characters.
bool globMatches(std::string_view Glob, std::string_view Name) {
  size_t G = 0, N = 0, Star = std::string_view::npos, Resume = 0;
  while (N < Name.size()) {
    if (G < Glob.size() && Glob[G] == '*') {
      Star = G++;
      Resume = N;
    } else if (G < Glob.size() && Glob[G] == Name[N]) {
      ++G;
      ++N;
    } else if (Star != std::string_view::npos) {
      G = Star + 1;
      N = ++Resume;
    } else {
      return false;
    }
  }
  while (G < Glob.size() && Glob[G] == '*')
    ++G;
  return G == Glob.size();
}

/// Every NOLINT directive in Buffer, with positions offset by Base.
std::vector<NoLintIndex::Directive> directives(std::string_view Buffer, size_t Base = 0) {
  using Kind = NoLintIndex::Kind;
  static constexpr std::string_view Tag = "NOLINT";
  std::vector<NoLintIndex::Directive> Out;
  size_t Pos = 0;
  while (Pos < Buffer.size()) {
    size_t At = Buffer.find(Tag, Pos);
    if (At == std::string_view::npos)
      break;
    // The letters right after NOLINT make the directive's name: NOLINTNEXTLINE.
    Pos = At + Tag.size();
    while (Pos < Buffer.size() && isAsciiAlpha(Buffer[Pos]))
      ++Pos;
    std::string_view Name = Buffer.substr(At, Pos - At);
    Kind K;
    if (Name == "NOLINT")
      K = Kind::NoLint;
    else if (Name == "NOLINTNEXTLINE")
      K = Kind::NextLine;
    else if (Name == "NOLINTBEGIN")
      K = Kind::Begin;
    else if (Name == "NOLINTEND")
      K = Kind::End;
    else
      continue; // NOLINTFOO, NOLINTED: not a directive
    std::optional<std::string> Checks;
    if (Pos < Buffer.size() && Buffer[Pos] == '(') {
      size_t Close = Buffer.find_first_of("\n)", ++Pos);
      if (Close != std::string_view::npos && Buffer[Close] == ')') {
        Checks = trimItems(Buffer.substr(Pos, Close - Pos));
        Pos = Close + 1;
      }
    }
    Out.push_back({K, Base + At, std::move(Checks)});
  }
  return Out;
}

} // namespace

bool matchesGlobList(const std::string &Globs, const std::string &Name) {
  std::string_view Rest = Globs;
  bool Matched = false;
  do {
    Rest = trim(Rest, " \r\n");
    bool Positive = Rest.empty() || Rest.front() != '-';
    if (!Positive)
      Rest.remove_prefix(1);
    size_t End = Rest.find_first_of(",\n");
    std::string_view Glob = trim(Rest.substr(0, End));
    Rest = End == std::string_view::npos ? std::string_view() : Rest.substr(End + 1);
    // Negative globs are dropped (clang-tidy's KeepNegativeGlobs=false), so
    // any positive match decides.
    if (Positive && globMatches(Glob, Name))
      Matched = true;
  } while (!Rest.empty());
  return Matched;
}

bool NoLintIndex::Directive::covers(const std::string &Check) const {
  return !checks || matchesGlobList(*checks, Check);
}

NoLintIndex::NoLintIndex(std::string Contents) : Text(std::move(Contents)) {
  LineStarts.push_back(0);
  for (size_t I = 0; I < Text.size(); ++I)
    if (Text[I] == '\n')
      LineStarts.push_back(I + 1);
  // BEGIN/END pairs nest: an END closes the innermost open BEGIN if they
  // name the same checks, and is ignored otherwise.
  std::vector<Directive> Open;
  for (Directive &D : directives(Text)) {
    if (D.kind == Kind::Begin) {
      Open.push_back(std::move(D));
    } else if (D.kind == Kind::End && !Open.empty() && Open.back().checks == D.checks) {
      Blocks.push_back({std::move(Open.back()), D.pos});
      Open.pop_back();
    }
  }
}

bool NoLintIndex::lineHas(size_t LineStart, Kind K, const std::string &Check) const {
  size_t End = std::min(Text.find('\n', LineStart), Text.size());
  for (const Directive &D : directives(std::string_view(Text).substr(LineStart, End - LineStart), LineStart))
    if (D.kind == K && D.covers(Check))
      return true;
  return false;
}

bool NoLintIndex::suppresses(unsigned Line, unsigned Column, const std::string &Check) const {
  if (Line == 0 || Line > LineStarts.size())
    return false;
  size_t LineStart = LineStarts[Line - 1];
  size_t LineEnd = std::min(Text.find('\n', LineStart), Text.size());
  size_t Pos = std::min(LineStart + (Column ? Column - 1 : 0), LineEnd);
  if (lineHas(LineStart, Kind::NoLint, Check))
    return true;
  if (Line > 1 && lineHas(LineStarts[Line - 2], Kind::NextLine, Check))
    return true;
  return std::any_of(Blocks.begin(), Blocks.end(), [&](const Block &B) {
    return B.begin.pos < Pos && Pos < B.endPos && B.begin.covers(Check);
  });
}

bool isSuppressed(const std::string &Text, unsigned Line, unsigned Column, const std::string &Check) {
  return NoLintIndex(Text).suppresses(Line, Column, Check);
}

} // namespace sharedstate
