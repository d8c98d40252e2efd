#!/usr/bin/env bash
# Builds sharedstate against another installed LLVM major and checks that the
# scanner it produces finds the same thing on a fixture as the main build.
#   other_llvm.sh <source dir> <work dir> <llvm major> <main build's scanner>
# Exit 77 (skipped) when that LLVM is not installed.
set -euo pipefail
src=$1 work=$2 major=$3 main_scan=$4
if [ ! -d "/usr/lib/llvm-${major}/lib/cmake/clang" ]; then
  echo "SKIPPED: LLVM ${major} is not installed (LLVM_VERSION=${major} bash scripts/install-deps.sh)"
  exit 77
fi
rm -rf "$work" && mkdir -p "$work"
cmake -S "$src" -B "$work/build" -G Ninja -DSHAREDSTATE_LLVM_VERSION="$major" -DBUILD_TESTING=OFF >"$work/configure.log"
cmake --build "$work/build" --target sharedstate-scan >"$work/build.log" 2>&1 || { tail -30 "$work/build.log"; exit 1; }
"$work/build/bin/sharedstate-scan" --version | grep -q "version ${major}\." || {
  echo "the scanner does not report LLVM ${major}"; exit 1; }

fixture="$src/fixtures/globals/iterator_write.cpp"
printf '[{"directory":"%s","file":"%s","arguments":["clang++","-std=c++17","-c","%s"]}]' \
  "$(dirname "$fixture")" "$fixture" "$fixture" >"$work/compile_commands.json"
run() { "$1" -p "$work" --root "$(dirname "$fixture")" | grep -v '"llvm"' || true; }
diff <(run "$main_scan") <(run "$work/build/bin/sharedstate-scan") && echo "LLVM ${major} build agrees with the main build"
