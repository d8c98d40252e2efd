// Ancestors: the nodes above the one being visited, innermost last.
//
// The traversal (Extractor.cpp) pushes every statement and declaration it
// enters and pops it on the way out, so a visitor can walk up from a mention
// to what uses it without building a parent map. Index 0 is the translation
// unit; back() is the node being visited.
#pragma once

#include <cstddef>
#include <vector>

namespace clang {
class Decl;
class Expr;
class Stmt;
} // namespace clang

namespace sharedstate::extract {

/// A statement or a declaration (exactly one is set).
struct Frame {
  const clang::Stmt *S = nullptr;
  const clang::Decl *D = nullptr;
};

class Ancestors {
public:
  void push(Frame F) { Frames.push_back(F); }
  void pop() { Frames.pop_back(); }
  size_t size() const { return Frames.size(); }
  bool empty() const { return Frames.empty(); }
  const Frame &operator[](size_t I) const { return Frames[I]; }
  const Frame &back() const { return Frames.back(); }
  /// The index of the node being visited.
  size_t top() const { return Frames.size() - 1; }

  /// Whether E, the node being visited, is the callee of the call above it
  /// (through parentheses and implicit casts).
  bool isDirectCallee(const clang::Expr *E) const;

  /// Whether E, the node being visited, is (through parentheses, casts, `&`
  /// and temporaries) an argument of a call or construction.
  bool isCallArgument(const clang::Expr *E) const;

  /// The index of the nearest frame above the node at index I that uses
  /// its value: past parentheses, implicit casts and temporaries (0, the
  /// translation unit, when there is none).
  size_t valueUser(size_t I) const;

  /// Whether the node at index I is inside sizeof, noexcept or typeid, which
  /// never evaluate it.
  bool inUnevaluatedContext(size_t I) const;

private:
  std::vector<Frame> Frames;
};

} // namespace sharedstate::extract
