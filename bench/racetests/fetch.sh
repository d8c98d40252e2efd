#!/usr/bin/env bash
# Fetches ThreadSanitizer's own lit tests (compiler-rt/test/tsan/) from the
# Debian 12 source package of LLVM 19, for the race-test precision set.
#
#   bash bench/racetests/fetch.sh [WORK_DIR]      (default: bench/racetests/work)
#   RACETESTS_WORK=/some/dir bash bench/racetests/fetch.sh
#
# The source package's files are only downloaded (`apt-get source
# --download-only`: the .dsc, the orig tarball of about 160 MB and the Debian
# patches). From the tarball, one tar run takes compiler-rt/test/tsan/ and the
# two header directories its tests include (about 5 MB in all), so the 1+ GB
# source tree is never unpacked. Debian's patches are not applied: none of them
# touches these directories.
#
# Idempotent: the deb-src source, the download and the extraction are each done
# only when missing. Needs root (or sudo) for the apt source and apt-get update.
# Writes WORK_DIR/version.txt with the Debian version and the number of tests.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="${1:-${RACETESTS_WORK:-$HERE/work}}"
mkdir -p "$WORK/dl"
WORK="$(cd "$WORK" && pwd)"
SRCPKG=llvm-toolchain-19
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

# --- 1. a deb-src source, mirroring the deb lines --------------------------
have_src() {
  grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ ||
    grep -rqs '^deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/
}
if ! have_src; then
  SRC_LIST=/etc/apt/sources.list.d/debian-src.sources
  echo "fetch: adding $SRC_LIST (deb-src for the suites of the deb lines)"
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    # deb822 format: the same stanzas with Types: deb-src
    sed -e 's/^Types:.*/Types: deb-src/' /etc/apt/sources.list.d/debian.sources |
      $SUDO tee "$SRC_LIST" >/dev/null
  else
    # one-line format: the same lines as deb-src
    SRC_LIST=/etc/apt/sources.list.d/debian-src.list
    grep -hs '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' |
      $SUDO tee "$SRC_LIST" >/dev/null
  fi
  $SUDO apt-get update -qq
fi
if [ -z "$(apt-cache showsrc "$SRCPKG" 2>/dev/null)" ]; then
  $SUDO apt-get update -qq
fi

# --- 2. download the source package (no unpacking) -------------------------
ver="$(apt-cache showsrc "$SRCPKG" 2>/dev/null | sed -n 's/^Version: //p' | head -1)"
[ -n "$ver" ] || { echo "fetch: apt knows no source package $SRCPKG (deb-src lines? apt-get update?)" >&2; exit 1; }
upver="${ver#*:}"; upver="${upver%-*}"            # 1:19.1.7-3~deb12u1 -> 19.1.7
orig="$WORK/dl/${SRCPKG}_${upver}.orig.tar.xz"
if [ ! -s "$orig" ] || ! ls "$WORK/dl/${SRCPKG}_"*.dsc >/dev/null 2>&1; then
  echo "fetch: apt-get source --download-only $SRCPKG ($ver, about 160 MB)"
  (cd "$WORK/dl" && apt-get source -qq --download-only "$SRCPKG=$ver")
fi
[ -s "$orig" ] || { echo "fetch: $orig missing after the download" >&2; exit 1; }

# --- 3. extract compiler-rt/test/tsan/ (and the headers its tests include) --
# The tests include "test.h" (tsan/), "sanitizer_common/print_address.h" and
# "sanitizer_common/sanitizer_ucontext.h" (found through -I compiler-rt/test, as
# lit's tsan_incdir does), and <sanitizer/tsan_interface.h>, which a clang
# installation ships from compiler-rt/include/ (Debian: libclang-rt-19-dev, not
# installed here). So three members are extracted, keeping the tree's layout
# under $WORK/compiler-rt/: test/tsan/ (about 5 MB), the top-level headers of
# test/sanitizer_common/ and include/sanitizer/.
CRT="$WORK/compiler-rt"
TSAN="$CRT/test/tsan"
stamp="$(basename "$orig")"
if [ ! -f "$CRT/.extracted" ] || [ "$(cat "$CRT/.extracted")" != "$stamp" ]; then
  echo "fetch: extracting compiler-rt/test/tsan/ from $stamp (xz decompresses the whole stream: 10-60 s)"
  rm -rf "$CRT" "$WORK/extract.tmp"
  mkdir -p "$WORK/extract.tmp"
  # the first path component is the tarball's top directory
  # (llvm-toolchain-19_19.1.7/); --no-wildcards-match-slash keeps '*' to one
  # component, so '*/compiler-rt/test/sanitizer_common/*.h' is not recursive
  tar -xJf "$orig" -C "$WORK/extract.tmp" --strip-components=1 \
      --wildcards --no-wildcards-match-slash \
      '*/compiler-rt/test/tsan' \
      '*/compiler-rt/test/sanitizer_common/*.h' \
      '*/compiler-rt/include/sanitizer'
  mv "$WORK/extract.tmp/compiler-rt" "$CRT"
  rmdir "$WORK/extract.tmp"
  chmod -R u+rwX,go+rX "$CRT"
  echo "$stamp" >"$CRT/.extracted"
fi
for f in "$TSAN/test.h" "$CRT/test/sanitizer_common/print_address.h" "$CRT/include/sanitizer/tsan_interface.h"; do
  [ -f "$f" ] || { echo "fetch: $f missing: extraction failed" >&2; exit 1; }
done

ntop="$(find "$TSAN" -maxdepth 1 -type f \( -name '*.cpp' -o -name '*.cc' \) | wc -l)"
nall="$(find "$TSAN" -type f \( -name '*.cpp' -o -name '*.cc' -o -name '*.c' -o -name '*.m' -o -name '*.mm' \) | wc -l)"
{
  echo "# fetched by bench/racetests/fetch.sh"
  echo "source=$SRCPKG version=$ver tarball=$(basename "$orig")"
  echo "tsan_dir=$TSAN top_level_cpp_cc=$ntop all_test_sources=$nall"
} >"$WORK/version.txt"
cat "$WORK/version.txt"
