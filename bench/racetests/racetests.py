#!/usr/bin/env python3
"""Race-test precision set: sharedstate-scan on ThreadSanitizer's lit tests.

    python3 bench/racetests/racetests.py [--work DIR] [--scanner BIN]
                                        [--timeout S] [--only NAME ...]
                                        [--labels-only] [--no-scan]

Steps (all in one run; see README.md for the rules):

1. label: read every *.cpp / *.cc test directly under compiler-rt/test/tsan/
   and under Linux/ (RUN, REQUIRES/UNSUPPORTED/XFAIL and FileCheck lines) and
   label each build variant racy / race-free / hidden-race / excluded;
   for racy variants, decide (automatically) whether the race is on a global.
2. scan: one directory per scanned variant under WORK/results/tests/, with
   its own compile_commands.json, scanned alone with -j 1, report.json next
   to it.
3. report: the metrics, every false alarm, WORK/results/{labels.json,
   results.json, false_alarms.tsv, summary.txt}.

Python 3 standard library only.
"""

import argparse
import hashlib
import json
import os
import re
import shlex
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

CXX = 'clang++-19'
STD = '-std=c++17'

# Features of this host (Debian 12, x86_64, glibc 2.36) as lit's REQUIRES
# would see them. A REQUIRES clause naming anything else excludes the test.
HOST_FEATURES = {
    'linux', 'system-linux', 'x86_64-target-arch', 'stable-runtime',
    'glibc-2.30', 'shell', 'compiler-rt-optimized',
}
# UNSUPPORTED / XFAIL words that mean this host (any other word is another
# platform: darwin, ios, netbsd, a powerpc target...)
HOST_WORDS = {'linux', 'x86_64', 'x86_64-target-arch', '*'}

VARIABLE_KINDS = {'mutable-global', 'mutable-static-member', 'function-local-static'}
RACE_WARNING = 'WARNING: ThreadSanitizer: data race'
DIRECTIVE_SUFFIXES = r'(?:-NOT|-NEXT|-SAME|-DAG|-LABEL|-EMPTY|-COUNT-\d+)?'

# What makes TSan keep quiet about a race that is there. A test that is
# "race-free" by its CHECK lines but uses one of these is "hidden-race".
MASKING_OPTIONS = ('suppressions=', 'report_bugs=0', 'ignore_noninstrumented_modules=1',
                   'report_atomic_races=0', 'report_signal_unsafe=0')
MASKING_SOURCE = [
    (r'\bANNOTATE_BENIGN_RACE\w*|\bAnnotateBenignRace\w*|\bWTF_ANNOTATE_BENIGN_RACE\w*'
     r'|\bWTFAnnotateBenignRace\w*', 'benign-race annotation'),
    (r'\bAnnotateIgnore(?:Reads|Writes)Begin\b|\bANNOTATE_IGNORE_(?:READS|WRITES)\w*',
     'ignore-reads/writes annotation'),
    (r'\b__tsan_ignore_thread_begin\b', '__tsan_ignore_thread_begin'),
    (r'no_sanitize\s*\(\s*"thread"|\bno_sanitize_thread\b', 'no_sanitize("thread")'),
    (r'__tsan_default_options\s*\(\s*\)\s*\{[^}]*(?:report_bugs=0|suppressions|exitcode)',
     '__tsan_default_options hides reports'),
    (r'__tsan_default_suppressions\s*\(', '__tsan_default_suppressions'),
]


# --------------------------------------------------------------------------
# lit RUN lines and FileCheck directives
# --------------------------------------------------------------------------

def run_lines(text):
    """The RUN commands, continuation lines (ending in '\\') joined."""
    cmds, cur = [], None
    for line in text.splitlines():
        m = re.match(r'\s*//\s*RUN:(.*)$', line)
        if not m:
            continue
        part = m.group(1).rstrip()
        if cur is not None:
            part = cur + ' ' + part.strip()
        if part.endswith('\\'):
            cur = part[:-1]
            continue
        cur = None
        cmds.append(part.strip())
    if cur:
        cmds.append(cur.strip())
    return cmds


def lit_clauses(text, word):
    out = []
    for m in re.finditer(r'//\s*' + word + r':(.*)$', text, re.M):
        out.append(m.group(1).strip())
    return out


def platform_exclusion(text):
    """Why lit would not run the test on this host (or run it as XFAIL), or None."""
    for clause in lit_clauses(text, 'REQUIRES'):
        for feat in re.split(r'\s*,\s*', clause):
            if feat and feat not in HOST_FEATURES:
                return 'REQUIRES: ' + clause
    for clause in lit_clauses(text, 'XFAIL'):
        words = set(re.findall(r'[\w*.-]+', clause))
        if clause.strip() == '*' or words & {'linux', 'x86_64'}:
            return 'XFAIL: ' + clause
    for clause in lit_clauses(text, 'UNSUPPORTED'):
        for item in re.split(r'\s*,\s*', clause):
            item = item.strip()
            if item in ('linux', 'x86_64-target-arch') or item.startswith('target=x86_64') \
               or re.fullmatch(r'target=\{\{\.\*\}\}linux.*', item):
                return 'UNSUPPORTED: ' + clause
    return None


def split_segments(cmd):
    """A RUN command -> list of pipelines (split on && || ;), each a list of commands (split on |)."""
    out = []
    for seg in re.split(r'&&|\|\||;', cmd):
        pipe = [p.strip() for p in re.split(r'(?<!\|)\|(?!\|)', seg) if p.strip()]
        if pipe:
            out.append(pipe)
    return out


def tokens(s):
    try:
        return shlex.split(s)
    except ValueError:
        return s.split()


def parse_runs(text):
    """Compiles and executions of the RUN lines, in order."""
    compiles, execs = [], []
    current = None  # the latest compile of an executable
    for cmd in run_lines(text):
        for pipe in split_segments(cmd):
            first = tokens(pipe[0])
            if any(t in ('%clang_tsan', '%clangxx_tsan') for t in first):
                defs = [t for t in first if t.startswith('-D')]
                is_exe = '-shared' not in first and '-c' not in first
                other = [t for t in first if t.startswith('-f') or t.startswith('-mllvm')
                         or t.startswith('-tsan') or t.startswith('-O')]
                c = {'defines': defs, 'exe': is_exe, 'flags': other, 'cmd': pipe[0]}
                compiles.append(c)
                if is_exe:
                    current = c
                continue
            if '%run' not in first:
                continue
            ex = {'compile': current, 'cmd': ' | '.join(pipe)}
            i = first.index('%run')
            pre = first[:i]
            ex['not'] = 'not' in pre
            ex['deflake'] = '%deflake' in pre
            opts = ''
            for t in pre:
                if t.startswith('%env_tsan_opts='):
                    opts += ':' + t[len('%env_tsan_opts='):]
                elif t.startswith('TSAN_OPTIONS='):
                    opts += ':' + t[len('TSAN_OPTIONS='):]
            ex['tsan_opts'] = opts.strip(':')
            ex['args'] = first[i + 2:]
            prefixes, implicit_not, has_filecheck = None, [], False
            for p in pipe[1:]:
                toks = tokens(p)
                if 'FileCheck' not in toks:
                    continue
                has_filecheck = True
                prefixes = []
                j = 0
                while j < len(toks):
                    t = toks[j]
                    m = re.match(r'--?check-prefix(es)?(?:=(.*))?$', t)
                    if m:
                        val = m.group(2)
                        if val is None and j + 1 < len(toks):
                            j += 1
                            val = toks[j]
                        prefixes += [v for v in (val or '').split(',') if v]
                    m = re.match(r'--?implicit-check-not(?:=(.*))?$', t)
                    if m:
                        val = m.group(1)
                        if val is None and j + 1 < len(toks):
                            j += 1
                            val = toks[j]
                        implicit_not.append(val or '')
                    j += 1
                if not prefixes:
                    prefixes = ['CHECK']
                prefixes = [q.replace('%os', 'Linux') for q in prefixes]
            ex['filecheck'] = has_filecheck
            ex['prefixes'] = prefixes or []
            ex['implicit_not'] = implicit_not
            execs.append(ex)
    return compiles, execs


def directives(text, prefix):
    """(kind, pattern) of every FileCheck directive of `prefix`: kind 'pos' or 'not'."""
    out = []
    rx = re.compile(r'(?<![A-Za-z0-9_-])' + re.escape(prefix) + '(' + DIRECTIVE_SUFFIXES + r'):(.*)$')
    for line in text.splitlines():
        m = rx.search(line)
        if m:
            out.append(('not' if m.group(1) == '-NOT' else 'pos', m.group(2).strip()))
    return out


def literal(pattern):
    """A FileCheck pattern without its {{regex}} and [[var]] parts, at its ends too."""
    return re.sub(r'\{\{.*?\}\}|\[\[.*?\]\]', '\x00', pattern)


def forbids_race(pattern):
    """A CHECK-NOT pattern that a data-race report would hit."""
    lit = literal(pattern).strip()
    if '\x00' in lit:
        lit = max(lit.split('\x00'), key=len).strip()
    if not lit or ('ThreadSanitizer' not in lit and 'data race' not in lit):
        return False
    return lit in RACE_WARNING or lit in 'SUMMARY: ThreadSanitizer: data race'


def analyse_exec(text, ex):
    """What one execution expects: a race, none (asserted), another report, or nothing said."""
    res = {'expects_race': False, 'forbids_race': False, 'other_report': [],
           'location': []}
    for p in ex['prefixes']:
        for kind, pat in directives(text, p):
            if kind == 'pos' and re.search(r'data[ -]race', pat):
                res['expects_race'] = True
            elif kind == 'pos' and 'ThreadSanitizer' in pat:
                m = re.search(r'ThreadSanitizer:\s*([^{(\[]*)', pat)
                # 'reported N warnings' says how many, not what
                if m and m.group(1).strip() and not m.group(1).startswith('reported'):
                    res['other_report'].append(m.group(1).strip())
            elif kind == 'not' and forbids_race(pat):
                res['forbids_race'] = True
            if kind == 'pos' and re.search(r'#0\s+(close|dup2?|dup3|pipe2?|socket|socketpair|accept4?|'
                                           r'connect|open|fopen|fclose|epoll_\w+)\b', pat):
                # TSan reports a race on a file descriptor as an 8-byte access in close/dup/...
                res['location'].append(('file descriptor', None))
            if kind == 'pos':
                m = re.search(r'Location is (global|heap block|stack of|TLS of|file descriptor)'
                              r'(?:\s+\'?([A-Za-z_]\w*))?', pat)
                if m:
                    res['location'].append((m.group(1), m.group(2)))
    for pat in ex['implicit_not']:
        if forbids_race(pat):
            res['forbids_race'] = True
    opts = ex['tsan_opts']
    exitcode_changed = re.search(r'(^|:)exitcode=', opts) is not None
    # lit runs pipelines with pipefail and TSan exits with 66 after any report,
    # so a %run that is neither 'not' nor %deflake asserts that TSan reported nothing
    res['must_succeed'] = not ex['not'] and not ex['deflake'] and not exitcode_changed
    flags = ' '.join(ex['compile']['flags']) if ex['compile'] else ''
    res['uninstrumented'] = bool(re.search(
        r'-fno-sanitize-thread-|tsan-instrument-\w+=0|-fno-sanitize=thread', flags))
    res['masked'] = [o for o in MASKING_OPTIONS if o in opts]
    if '-fsanitize-ignorelist' in flags or (ex['compile'] and '-fsanitize-ignorelist' in ex['compile']['cmd']):
        res['masked'].append('-fsanitize-ignorelist')
    return res


def label_test(path, rel):
    """Labels of one test file: a list of variants (one per distinct -D set that needs its own label)."""
    text = open(path, encoding='utf-8', errors='replace').read()
    base = {'test': rel, 'path': path}
    excl = platform_exclusion(text)
    compiles, execs = parse_runs(text)
    if excl:
        return [dict(base, variant='', defines=[], label='excluded', reason=excl)]
    if not compiles:
        return [dict(base, variant='', defines=[], label='excluded', reason='no RUN line compiles it')]
    if not execs:
        return [dict(base, variant='', defines=[], label='excluded', reason='compiled, never run')]
    # group executions by the -D set of the executable they run
    groups = {}
    for ex in execs:
        key = tuple(ex['compile']['defines']) if ex['compile'] else ()
        groups.setdefault(key, []).append(ex)
    variants = []
    for key, exs in groups.items():
        infos = [analyse_exec(text, ex) for ex in exs]
        active = active_text(text, key)
        source_masks = [why for rx, why in MASKING_SOURCE if re.search(rx, active, re.S)]
        expects = any(i['expects_race'] for i in infos)
        # an execution whose binary has the instrumentation off, or whose
        # TSan options mask reports, says nothing about the race-freedom of the code
        clean = [i for i in infos if not i['uninstrumented'] and not i['masked']]
        masked = sorted({m for i in infos for m in i['masked']} | set(source_masks))
        v = dict(base, variant=' '.join(key), defines=list(key),
                 runs=[ex['cmd'] for ex in exs])
        if expects and re.search(r'\bAnnotateIgnoreSync(Begin|End)\b|\bANNOTATE_IGNORE_SYNC', active):
            v['label'] = 'excluded'
            v['reason'] = ('race induced: TSan is told to ignore the synchronization '
                           '(AnnotateIgnoreSyncBegin), so the race it reports is not in the program')
        elif expects:
            v['label'] = 'racy'
            v['reason'] = 'a FileCheck run expects "data race"'
            v['locations'] = sorted({loc for i in infos for loc in i['location']})
        elif source_masks or (masked and not any(i['forbids_race'] or i['must_succeed'] for i in clean)):
            v['label'] = 'hidden-race'
            v['reason'] = 'no race expected, but TSan is told to keep quiet: ' + ', '.join(masked)
        elif any(i['forbids_race'] for i in clean):
            v['label'] = 'race-free'
            v['tier'] = 'asserted'
            v['reason'] = 'CHECK-NOT / --implicit-check-not of a data-race report'
        elif any(i['must_succeed'] for i in clean):
            v['label'] = 'race-free'
            v['tier'] = 'asserted'
            v['reason'] = 'plain %run must exit 0 (TSan exits 66 after a report)'
        elif any(ex['deflake'] for ex in exs) and not any(i['other_report'] for i in infos):
            v['label'] = 'excluded'
            v['reason'] = ('%deflake: the run must make TSan report something, but no CHECK line '
                           'names the report')
        elif any(i['other_report'] for i in infos):
            v['label'] = 'race-free'
            v['tier'] = 'other-report'
            v['reason'] = 'expects another TSan report: ' + sorted({r for i in infos for r in i['other_report']})[0]
        else:
            v['label'] = 'race-free'
            v['tier'] = 'unchecked'
            v['reason'] = 'no race expected; the run is expected to fail for another reason'
        variants.append(v)
    # same label for every -D set: scan the first one only
    if len({(v['label'], v.get('tier')) for v in variants}) == 1:
        v = variants[0]
        if len(variants) > 1:
            v['reason'] += ' (same label for %d -D sets, scanned with the first)' % len(variants)
        variants = [v]
    for v in variants:
        if len(variants) > 1:
            v['reason'] += ' (label depends on -D: each -D set scanned on its own)'
    return variants


# --------------------------------------------------------------------------
# Is the race of a racy test on a global? (a textual approximation)
# --------------------------------------------------------------------------

def active_text(text, defines=()):
    """`text` with the lines of inactive #if/#ifdef branches blanked, for the
    given -D names (an unknown #if condition keeps its code), and the lines of
    preprocessor directives blanked too."""
    names = {d[2:].split('=')[0] for d in defines}
    lines, stack = [], []
    for line in text.split('\n'):
        s = line.strip()
        if s.startswith('#'):
            d = s[1:].strip()
            m = re.match(r'(ifdef|ifndef|if)\b(.*)', d)
            if m:
                kw, cond = m.group(1), m.group(2).strip()
                cond = re.sub(r'//.*|/\*.*?\*/', '', cond).strip()
                if kw == 'ifdef':
                    val = cond in names
                elif kw == 'ifndef':
                    val = cond not in names
                else:
                    dm = re.fullmatch(r'(!?)\s*defined\s*\(?\s*(\w+)\s*\)?', cond)
                    if cond == '0':
                        val = False
                    elif dm:
                        val = (dm.group(2) in names) != bool(dm.group(1))
                    elif re.fullmatch(r'\w+', cond):
                        val = cond in names or cond == '1'
                    else:
                        val = True  # unknown condition: keep the code
                stack.append([val, val])
            elif re.match(r'else\b', d) and stack:
                stack[-1][0] = not stack[-1][1]
            elif re.match(r'elif\b', d) and stack:
                stack[-1][0] = not stack[-1][1]
                stack[-1][1] = True
            elif re.match(r'endif\b', d) and stack:
                stack.pop()
            lines.append('')
            continue
        lines.append(line if all(x[0] for x in stack) else '')
    return '\n'.join(lines)


def strip_code(text, defines=()):
    """Comments and string/char literals blanked (newlines kept), then the
    inactive preprocessor branches (active_text)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith('//', i):
            j = text.find('\n', i)
            i = n if j < 0 else j
        elif text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append(' ' + '\n' * text.count('\n', i, j))
            i = j
        elif c in '"\'':
            j = i + 1
            while j < n and text[j] != c and text[j] != '\n':
                j += 2 if text[j] == '\\' else 1
            out.append(c + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return active_text(''.join(out), defines)


def matching(code, i, open_c='{', close_c='}'):
    depth = 0
    for j in range(i, len(code)):
        if code[j] == open_c:
            depth += 1
        elif code[j] == close_c:
            depth -= 1
            if depth == 0:
                return j
    return len(code) - 1


KEYWORDS = {'if', 'for', 'while', 'switch', 'return', 'sizeof', 'catch', 'do', 'else',
            'new', 'delete', 'case', 'default', 'alignof', 'decltype', 'static_assert',
            'defined', 'operator'}


def parse_decls(code):
    """Function definitions (name -> list of bodies) and variables at namespace
    scope, in class bodies (static members) and function-local statics."""
    funcs, variables = {}, []

    def scan_level(lo, hi, in_class):
        stmt_start = lo
        i = lo
        while i < hi:
            c = code[i]
            if c == ';':
                add_var_stmt(code[stmt_start:i], in_class, None)
                stmt_start = i + 1
            elif c == '{':
                head = code[stmt_start:i]
                end = matching(code, i)
                hs = ' '.join(head.split())
                hs = re.sub(r'__attribute__\s*\(\(.*?\)\)|\[\[.*?\]\]|\b__declspec\s*\(.*?\)', ' ', hs)
                if re.search(r'\bnamespace\b[\w\s:]*$', hs) or re.search(r'\bextern\s*""\s*$', hs):
                    scan_level(i + 1, end, False)
                    stmt_start = end + 1
                    i = end + 1
                    continue
                if re.search(r'\b(struct|class|union)\b', hs) and '=' not in hs and '(' not in hs:
                    scan_level(i + 1, end, True)
                    # 'struct X {...} x;': the declarators follow
                    k = code.find(';', end)
                    tail = code[end + 1:k] if k >= 0 else ''
                    if tail.strip():
                        add_var_stmt('struct_t ' + tail, in_class, None)
                    stmt_start = (k + 1) if k >= 0 else end + 1
                    i = stmt_start
                    continue
                if re.search(r'\benum\b', hs):
                    k = code.find(';', end)
                    stmt_start = i = (k + 1) if k >= 0 else end + 1
                    continue
                m = re.search(r'([A-Za-z_~]\w*)\s*\([^;{}]*\)\s*(?:const\s*|noexcept\s*|override\s*|'
                              r'__attribute__\s*\(\(.*?\)\)\s*|->\s*[\w:<>*& ]+)*(?::[^{]*)?$', hs)
                if m and '=' not in hs.split('(')[0] and m.group(1) not in KEYWORDS:
                    funcs.setdefault(m.group(1), []).append((i, end))
                    scan_body_statics(i, end, m.group(1))
                    stmt_start = end + 1
                    i = end + 1
                    continue
                # an initializer: part of the statement
                i = end + 1
                continue
            i += 1

    def scan_body_statics(lo, hi, fname):
        body = code[lo:hi]
        for m in re.finditer(r'(?<![\w.])static\s+([^;(){}]*?)(?:;|=|\{|\()', body):
            stmt = 'static ' + m.group(1)
            add_var_stmt(stmt, False, fname, local=True)

    def add_var_stmt(stmt, in_class, fname, local=False):
        s = ' '.join(stmt.split())
        if not s or s.startswith(('typedef', 'using', 'template', 'static_assert', 'friend',
                                  'return', 'public', 'private', 'protected', '#')):
            return
        if in_class and not re.match(r'(inline\s+)?static\b', s):
            return  # a non-static data member
        if re.match(r'extern\b', s) and '=' not in s:
            return  # a declaration, defined elsewhere
        if re.fullmatch(r'(struct|class|union|enum)\s+\w+', s):
            return
        # cut initializers, split declarators at top-level commas
        parts = split_top_level(s, '([{<', ')]}>')
        first = parts[0]
        mtype = re.match(r'(.*?)([A-Za-z_]\w*)\s*(\[[^\]]*\]\s*)*(=.*|\{.*|\(.*)?$', first)
        if not mtype:
            return
        type_txt = first
        for k, d in enumerate(parts):
            fp = re.search(r'\(\s*\*\s*(?:(?:volatile|const)\s+)*([A-Za-z_]\w*)\s*\)\s*\(', d)
            if fp:
                name, decl, init = fp.group(1), d, ''
                is_ptr = True
            else:
                d0 = re.split(r'=', d, 1)[0]
                m = re.search(r'([A-Za-z_]\w*)\s*((?:\[[^\]]*\]\s*)*)(\(.*\)|\{.*\})?\s*$', d0)
                if not m:
                    continue
                name, init = m.group(1), m.group(3) or ''
                if init.startswith('(') and (re.match(r'\(\s*\)', init) or
                                             re.match(r'\(\s*(void|const|int|char|unsigned|long|'
                                                      r'struct|[A-Z]\w*\s*[*&])', init) or
                                             re.search(r'\b\w+\s+\w+\s*[,)]', init)):
                    return  # a function declaration
                decl = d0
                is_ptr = '*' in d0[:d0.rfind(name)] if k == 0 else d0.strip().startswith('*')
            if name in KEYWORDS or name in ('void', 'int', 'char', 'long', 'const', 'unsigned'):
                continue
            before = (type_txt if k == 0 else type_txt.split(name)[0] + ' ' + d)
            if k == 0:
                # the type: what precedes the first declarator's name
                base_type = type_txt[:type_txt.find(name)] if name in type_txt else type_txt
            tt = base_type
            const = bool(re.search(r'\bconstexpr\b', tt)) or (
                bool(re.search(r'\bconst\b', tt.split('*')[-1])) and not is_ptr) or (
                is_ptr and re.search(r'\*\s*const\b', decl) is not None)
            kind = 'plain'
            if re.search(r'\b(thread_local|__thread)\b', tt):
                kind = 'tls'
            elif re.search(r'\batomic\w*|_Atomic\b', tt):
                kind = 'atomic'
            elif re.search(r'\b(pthread_(mutex|cond|rwlock|spinlock|barrier|once)_t|mutex|'
                           r'recursive_mutex|shared_mutex|condition_variable|sem_t|Mutex)\b', tt):
                kind = 'sync'
            array = bool(re.search(re.escape(name) + r'\s*\[', decl))
            dims = len(re.findall(r'\[', decl[decl.find(name):])) if array else 0
            variables.append({'name': name, 'const': const, 'pointer': is_ptr, 'array': array, 'dims': dims,
                              'kind': kind, 'function': fname, 'local_static': local,
                              'member': in_class, 'decl': ' '.join(before.split())[:80]})

    scan_level(0, len(code), False)
    return funcs, variables


def split_args(code, i):
    """The top-level comma-separated arguments of the call whose '(' is at i."""
    end = matching(code, i, '(', ')')
    return split_top_level(code[i + 1:end], '([{', ')]}')


def split_top_level(text, opens, closes):
    """text split at the commas outside any of the brackets in opens/closes."""
    parts, depth, cur = [], 0, ''
    for ch in text:
        if ch in opens:
            depth += 1
        elif ch in closes:
            depth -= 1
        if ch == ',' and depth == 0:
            parts.append(cur)
            cur = ''
        else:
            cur += ch
    parts.append(cur)
    return parts


def loop_bodies(code):
    """(start, end) of the body of every for/while loop."""
    out = []
    for m in re.finditer(r'\b(for|while)\s*\(', code):
        close = matching(code, m.end() - 1, '(', ')')
        k = close + 1
        while k < len(code) and code[k].isspace():
            k += 1
        if k < len(code) and code[k] == '{':
            out.append((k, matching(code, k)))
        else:
            e = code.find(';', k)
            out.append((k, e if e >= 0 else len(code)))
    return out


def fn_ident(arg):
    arg = re.sub(r'\(\s*void\s*\*\s*\(\s*\*\s*\)\s*\(\s*void\s*\*\s*\)\s*\)', '', arg)
    ids = [x for x in re.findall(r'[A-Za-z_]\w*', arg)
           if x not in ('void', 'reinterpret_cast', 'static_cast', 'std', 'thread_func_t')]
    return ids[-1] if ids else None


def thread_contexts(code, funcs):
    """What runs beside main: (name, texts-to-analyse-later, how many at once)
    for thread functions (pthread_create, std::thread, std::async), signal
    handlers, fiber functions (makecontext), atexit/on_exit handlers, TLS
    destructors and atfork handlers, and lambdas given to std::thread."""
    loops = loop_bodies(code)
    starts = {}   # root name or lambda text -> number of starts (2 = many)

    def add(key, pos):
        n = 2 if any(lo <= pos <= hi for lo, hi in loops) else 1
        starts[key] = starts.get(key, 0) + n

    args = {}     # root name -> identifiers of the argument it is started with
    pick = {'pthread_create': [2], 'makecontext': [1], 'pthread_key_create': [1],
            'atexit': [0], 'on_exit': [0], 'pthread_atfork': [0, 1, 2], 'signal': [1],
            'sigset': [1], '__cxa_atexit': [0]}
    for m in re.finditer(r'\b(' + '|'.join(pick) + r')\s*\(', code):
        if code[:m.start()].rstrip().endswith(('.', '->')):
            continue
        parts = split_args(code, m.end() - 1)
        for k in pick[m.group(1)]:
            if k < len(parts):
                part = parts[k].strip()
                if part.startswith('[') and '{' in part:
                    add(part, m.start())
                    continue
                x = fn_ident(part)
                if x:
                    add(x, m.start())
                    if m.group(1) == 'pthread_create' and len(parts) > 3:
                        args.setdefault(x, set()).update(
                            re.findall(r'[A-Za-z_]\w*', re.sub(r'\(\s*\w+\s*\*+\s*\)', '', parts[3])))
    for m in re.finditer(r'\bsa_(?:handler|sigaction)\s*=\s*&?\s*([A-Za-z_]\w*)', code):
        add(m.group(1), m.start())
    for m in re.finditer(r'\b(?:std::)?(?:thread|jthread)\s*(?:[A-Za-z_]\w*\s*)?(?:\[[^\]]*\]\s*)?[({]', code):
        i = m.end() - 1
        if code[i] == '{':
            inner = code[i + 1:matching(code, i)]
        else:
            inner = code[i + 1:matching(code, i, '(', ')')]
        st = inner.strip()
        if not st:
            continue
        if st.startswith('['):
            add(st, m.start())
        else:
            x = fn_ident(st.split(',')[0])
            if x:
                add(x, m.start())
    for m in re.finditer(r'\b(?:std::)?async\s*\(', code):
        parts = split_args(code, m.end() - 1)
        for part in parts:
            part = part.strip()
            if part.startswith('['):
                add(part, m.start())
            elif fn_ident(part) in funcs:
                add(fn_ident(part), m.start())
    return starts, args


def address_taken(code, funcs):
    """Functions named other than in a call or their definition (stored in a
    function pointer, passed as a callback)."""
    out = set()
    for f in funcs:
        if f == 'main':
            continue
        for m in re.finditer(r'(?<![\w.>:])' + re.escape(f) + r'\b(?!\s*\()', code):
            out.add(f)
            break
    return out


def closure(code, funcs, root_texts, names=(), fptrs=None):
    """The texts of the root bodies plus every function they call, transitively,
    and the names of the functions included. A call through a variable (a
    function pointer, `fptrs` = (variable names, address-taken functions))
    may call every address-taken function."""
    texts, seen, todo = list(root_texts), set(names), list(root_texts)
    while todo:
        t = todo.pop()
        for m in re.finditer(r'([A-Za-z_]\w*)\s*\(', t):
            f = m.group(1)
            if fptrs and f in fptrs[0] and f not in funcs:
                for g in fptrs[1] - seen:
                    seen.add(g)
                    for lo, hi in funcs[g]:
                        body = code[lo:hi + 1]
                        texts.append(body)
                        todo.append(body)
                continue
            if f in funcs and f not in seen and f != 'main':
                seen.add(f)
                for lo, hi in funcs[f]:
                    body = code[lo:hi + 1]
                    texts.append(body)
                    todo.append(body)
    return texts, seen


ATOMIC_CALL = r'(?:__atomic_\w+|__sync_\w+|__c11_atomic_\w+|__tsan_atomic\w+|atomic_\w+)\s*\(\s*'


def writes(text, v):
    """Does `text` write variable v (an approximation)?"""
    n = re.escape(v['name'])
    pre = r'(?<![\w.>:])(?<!->)'
    if v['pointer']:
        # the pointer itself, not what it points to
        if re.search(r'(?<![*\w.>:])(?<!->)' + n + r'\s*(=(?!=)|\+=|-=|\+\+|--)', text):
            return True
        if re.search(r'(\+\+|--)\s*' + n + r'\b', text):
            return True
    else:
        for m in re.finditer(pre + n + r'\s*(\[[^\]]*\]\s*)*(\.\s*\w+\s*|->\s*\w+\s*)*'
                             r'(=(?!=)|\+=|-=|\*=|/=|%=|\|=|&=|\^=|<<=|>>=|\+\+|--)', text):
            # '*(int *)addr = 1' writes what an integer address points to
            if re.search(r'\*\s*\([^()]*\)\s*$|\*\s*$', text[max(0, m.start() - 40):m.start()]):
                continue
            return True
        if re.search(r'(\+\+|--)\s*' + n + r'\b', text):
            return True
        if re.search(r'\b(memset|memcpy|memmove|strcpy|strncpy|strcat|sprintf|snprintf|read|'
                     r'fread|recv|fgets|pread)\s*\(\s*&?\s*' + n + r'\b', text):
            return True
        if re.search(pre + n + r'\s*(\[[^\]]*\]\s*)*\.\s*(?!size\b|empty\b|c_str\b|data\b|'
                     r'load\b|get\b|begin\b|end\b)\w+\s*\(', text):
            return True
    # a pointer into an array kept in a local ('int *p = data[i];' for a 2-D data)
    if v.get('array') and not v['pointer']:
        for m in re.finditer(r'=\s*(?:\([^()]*\)\s*)?' + n + r'\s*((?:\[[^\]]*\]\s*)*)[;,)]', text):
            if m.group(1).count('[') < v.get('dims', 1):
                return True
    # an array handed to a function (it decays to a pointer to its elements)
    if v.get('array') and not v['pointer']:
        for m in re.finditer(r'[(,]\s*' + n + r'\s*(?:\+[^,)]*)?[,)]', text):
            head = text[max(0, m.start() - 60):m.start() + 1]
            if re.search(r'\b(print\w*|fprintf|puts|fputs|strlen|sizeof|memcmp|strcmp)\s*\([^;]*$', head):
                continue
            return True
    # address taken and handed to something that is not an atomic builtin
    for m in re.finditer(r'&\s*' + n + r'\b', text):
        head = text[max(0, m.start() - 60):m.start()]
        if re.search(ATOMIC_CALL + r'$', head) or re.search(r'\b(barrier_\w+|pthread_\w+)\s*\(\s*$', head):
            continue
        if re.search(r'\b(print\w*|fprintf)\s*\([^;]*$', head):
            continue
        return True
    return False


def accesses(text, v):
    return re.search(r'(?<![\w.>:])(?<!->)' + re.escape(v['name']) + r'\b', text) is not None


def global_race(path, defines, locations):
    """(on_global, how, candidates): whether the racy test's race is on a
    namespace-scope or static variable of the test file.

    The TSan output the test expects decides when it names the location
    ("Location is global", or heap/stack/TLS/fd). Otherwise the source does:
    a candidate is a non-const, non-atomic, non-mutex, non-TLS variable of the
    file that one concurrent context writes and another accesses, where the
    contexts are main (from its first thread start on) and each thread root
    (thread function, signal/atexit handler, fiber, std::thread lambda) with
    the functions it calls; a root started twice, or in a loop, is two."""
    code = strip_code(open(path, encoding='utf-8', errors='replace').read(), defines)
    funcs, variables = parse_decls(code)
    starts, start_args = thread_contexts(code, funcs)
    fptrs = ({v['name'] for v in variables if v['pointer']}, address_taken(code, funcs))
    contexts = []  # (name, text, funcs, many)
    for key, n in starts.items():
        if key in funcs:
            texts, fset = closure(code, funcs, [code[lo:hi + 1] for lo, hi in funcs[key]], {key}, fptrs)
        elif key.startswith('['):
            texts, fset = closure(code, funcs, [key], (), fptrs)
        else:
            continue
        # a global handed to the thread as its argument: the thread may write it
        texts += ['__thread_arg(&%s);' % a for a in sorted(start_args.get(key, ()))]
        contexts.append((key if not key.startswith('[') else '(lambda)', '\n'.join(texts), fset, n >= 2))
    main_txt = ''
    if 'main' in funcs:
        lo, hi = funcs['main'][0]
        body = code[lo:hi + 1]
        m = re.search(r'\b(pthread_create|std::thread|thread\s+\w+\s*[({]|async|signal|sigaction|'
                      r'makecontext|atexit)\b', body)
        body = body[m.start():] if m else ''
        texts, fset = closure(code, funcs, [body] if body else [], (), fptrs)
        main_txt = '\n'.join(texts)
        contexts.append(('main', main_txt, fset | {'main'}, False))
    cands = []
    for v in variables:
        if v['const'] or v['kind'] in ('tls', 'atomic', 'sync'):
            continue
        if v['local_static']:
            f = v['function']
            ftxt = '\n'.join(code[lo:hi + 1] for lo, hi in funcs.get(f, []))
            # the declaration (and its initializer) is no write
            ftxt = re.sub(r'\bstatic\b[^;]*;', ';', ftxt)
            ctxs = [c for c in contexts if f in c[2]]
            if writes(ftxt, v) and (len(ctxs) >= 2 or any(c[3] for c in ctxs)):
                cands.append(f + '::' + v['name'])
            continue
        for name, txt, _, many in contexts:
            if not writes(txt, v):
                continue
            if many or any(accesses(t2, v) for n2, t2, _, _ in contexts if n2 != name):
                cands.append(v['name'])
                break
    glob = [loc for loc in locations if loc[0] == 'global']
    other = [loc for loc in locations if loc[0] != 'global']
    if glob:
        names_loc = [n for _, n in glob if n]
        return True, 'CHECK "Location is global"', sorted(set(cands) | set(names_loc))
    if other:
        return False, 'CHECK "Location is %s"' % other[0][0], cands
    if cands:
        return True, 'source: written in one concurrent context, accessed in another', cands
    return False, 'source: no global written in one context and accessed in another' + (
        '' if len(contexts) > 1 else ' (no thread root found)'), []


# --------------------------------------------------------------------------
# scanning
# --------------------------------------------------------------------------

def variant_dirname(v):
    name = v['test'].replace('/', '__')
    if v['variant']:
        name += '__' + re.sub(r'[^A-Za-z0-9_=.-]+', '_', v['variant']).strip('_')
    return name


def compile_args(v, tsan):
    crt_test = os.path.dirname(tsan)
    crt_inc = os.path.join(os.path.dirname(crt_test), 'include')
    # -isystem for <sanitizer/...>: a clang installation has it in its resource
    # directory, a system header (lit compiles with the installed clang)
    return ([CXX, STD, '-fsyntax-only', '-I' + tsan, '-I' + crt_test, '-isystem', crt_inc]
            + v['defines'] + [v['path']])


def scan_variant(v, tsan, outdir, scanner, timeout):
    d = os.path.join(outdir, variant_dirname(v))
    os.makedirs(d, exist_ok=True)
    db = [{'directory': tsan, 'file': v['path'], 'arguments': compile_args(v, tsan)}]
    with open(os.path.join(d, 'compile_commands.json'), 'w') as f:
        json.dump(db, f, indent=2)
        f.write('\n')
    report = os.path.join(d, 'report.json')
    if os.path.exists(report):
        os.unlink(report)
    cmd = [scanner, '-p', d, '--root', tsan, '-j', '1', '--tu-timeout', str(timeout),
           '--config-file', '/dev/null', '-o', report]
    t0 = time.time()
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout + 30)
        rc, log = p.returncode, p.stdout.decode('utf-8', 'replace')
    except subprocess.TimeoutExpired:
        rc, log = 'timeout', 'timed out after %d s' % (timeout + 30)
    secs = time.time() - t0
    with open(os.path.join(d, 'scan.log'), 'w') as f:
        f.write(' '.join(shlex.quote(c) for c in cmd) + '\n' + log)
    res = {'dir': os.path.relpath(d, outdir), 'rc': rc, 'seconds': round(secs, 2)}
    if rc in (0, 1, 3) and os.path.exists(report):
        res['report'] = json.load(open(report))
    else:
        res['error'] = 'scanner exit %s: %s' % (rc, log.strip().splitlines()[-1:] or '')
    return res


def summarize_findings(report, own_file):
    out = []
    for f in report['findings']:
        if f['kind'] not in VARIABLE_KINDS:
            continue
        loc = f['location']
        race_ev = [e for e in f.get('evidence', []) if e.get('races')] or \
                  [e for e in f.get('evidence', []) if e['what'] in ('reassign', 'mutate', 'escape')
                   and e.get('phase') == 'runtime' and e.get('synchronized') == 'none']
        ev = race_ev[0] if race_ev else None
        # what the scanner thinks runs beside what: the contexts of the racing accesses
        ctx = sorted({'%s%s%s' % (r.get('kind', '?'), ('/' + r['via']) if r.get('via') else '',
                                  ' x many' if r.get('instances') == 'many' else '')
                      for e in race_ev for r in e.get('runsIn', [])})
        out.append({
            'contexts': ctx,
            'symbol': f['symbol'], 'kind': f['kind'], 'category': f['category'],
            'verdict': f['verdict'], 'file': loc['file'], 'line': loc['line'],
            'own': loc['file'] == own_file, 'type': f['type'],
            'evidence': ('%s %s:%d in %s (%s, %s%s)' % (
                ev['what'], ev['location']['file'], ev['location']['line'], ev['function'],
                ev['phase'], ev['synchronized'],
                (', ' + ev['detail']) if ev.get('detail') else '')) if ev else '',
        })
    others = [{'kind': f['kind'], 'symbol': f['symbol'], 'verdict': f['verdict'],
               'file': f['location']['file'], 'line': f['location']['line']}
              for f in report['findings'] if f['kind'] not in VARIABLE_KINDS]
    return out, others


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------

def pct(a, b):
    return '%.1f%%' % (100.0 * a / b) if b else 'n/a'


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--work', default=os.environ.get('RACETESTS_WORK', os.path.join(HERE, 'work')))
    ap.add_argument('--scanner', default=os.environ.get('SHAREDSTATE_SCAN',
                                                        os.path.join(REPO, 'build/bin/sharedstate-scan')))
    ap.add_argument('--timeout', type=int, default=120, help='per-test scan timeout, seconds')
    ap.add_argument('--only', nargs='*', help='only these tests (file names relative to the tsan dir)')
    ap.add_argument('--labels-only', action='store_true', help='label, do not scan')
    ap.add_argument('--no-scan', action='store_true', help='report from the reports of the last scan')
    args = ap.parse_args()

    work = os.path.abspath(args.work)
    tsan = os.path.join(work, 'compiler-rt', 'test', 'tsan')
    if not os.path.isfile(os.path.join(tsan, 'test.h')):
        sys.exit('racetests: %s/test.h missing: run bench/racetests/fetch.sh first' % tsan)
    tsan = os.path.realpath(tsan)
    outdir = os.path.join(work, 'results')
    testdir = os.path.join(outdir, 'tests')
    os.makedirs(testdir, exist_ok=True)

    files = []
    for sub in ('', 'Linux'):
        d = os.path.join(tsan, sub)
        for n in sorted(os.listdir(d)):
            if n.endswith(('.cpp', '.cc')) and os.path.isfile(os.path.join(d, n)):
                files.append(os.path.join(sub, n) if sub else n)
    if args.only:
        files = [f for f in files if f in args.only or os.path.basename(f) in args.only]

    variants = []
    for rel in files:
        for v in label_test(os.path.join(tsan, rel), rel):
            if v['label'] == 'racy':
                on, how, cands = global_race(v['path'], v['defines'], v.get('locations', []))
                v['race_on_global'], v['race_on_global_how'], v['racy_globals'] = on, how, cands
            v.pop('locations', None)
            variants.append(v)
    with open(os.path.join(outdir, 'labels.json'), 'w') as f:
        json.dump([{k: val for k, val in v.items() if k != 'path'} for v in variants], f, indent=1)
        f.write('\n')
    with open(os.path.join(outdir, 'labels.tsv'), 'w') as f:
        f.write('test\tvariant\tlabel\ttier\trace_on_global\tracy_globals\treason\n')
        for v in variants:
            f.write('\t'.join([v['test'], v['variant'], v['label'], v.get('tier', ''),
                               {True: 'yes', False: 'no'}.get(v.get('race_on_global'), ''),
                               ','.join(v.get('racy_globals', [])),
                               v['reason'] + ((' [' + v['race_on_global_how'] + ']')
                                              if 'race_on_global_how' in v else '')]) + '\n')
    scanned = [v for v in variants if v['label'] != 'excluded']
    print('racetests: %d test files, %d variants labelled, %d to scan (tsan dir %s)'
          % (len(files), len(variants), len(scanned), tsan), file=sys.stderr)
    if args.labels_only:
        for v in variants:
            extra = ''
            if v['label'] == 'racy':
                extra = ' global=%s [%s] %s' % (v['race_on_global'], v['race_on_global_how'],
                                                ','.join(v['racy_globals']))
            print('%-40s %-14s %-12s %-12s %s%s' % (v['test'], v['variant'][:14], v['label'],
                                                    v.get('tier', ''), v['reason'], extra))
        return

    results_path = os.path.join(outdir, 'results.json')
    previous = {}
    if args.no_scan and os.path.exists(results_path):
        previous = {(r['test'], r['variant']): r for r in json.load(open(results_path))}
    t_start = time.time()
    results = []
    for k, v in enumerate(scanned):
        key = (v['test'], v['variant'])
        if args.no_scan:
            d = os.path.join(testdir, variant_dirname(v))
            rep = os.path.join(d, 'report.json')
            res = {'dir': os.path.relpath(d, outdir), 'rc': previous.get(key, {}).get('rc'),
                   'seconds': previous.get(key, {}).get('seconds')}
            if os.path.exists(rep):
                res['report'] = json.load(open(rep))
            else:
                res['error'] = 'no report.json (not scanned)'
        else:
            res = scan_variant(v, tsan, testdir, args.scanner, args.timeout)
            print('racetests: [%d/%d] %s%s: exit %s, %.1f s' % (
                k + 1, len(scanned), v['test'], (' ' + v['variant']) if v['variant'] else '',
                res['rc'], res['seconds']), file=sys.stderr)
        r = {kk: val for kk, val in v.items() if kk != 'path'}
        r.update({kk: val for kk, val in res.items() if kk != 'report'})
        if 'report' in res:
            rep = res['report']
            r['findings'], r['other_findings'] = summarize_findings(rep, v['test'])
            r['tu_errors'] = [e['message'] for e in rep.get('errors', [])]
        results.append(r)
    wall = time.time() - t_start
    with open(results_path, 'w') as f:
        json.dump(results, f, indent=1)
        f.write('\n')
    print_summary(results, variants, outdir, wall, args)


def print_summary(results, variants, outdir, wall, args):
    lines = []
    P = lines.append
    head = subprocess.run(['git', '-C', REPO, 'rev-parse', '--short', 'HEAD'],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.decode().strip()
    try:
        st = os.stat(args.scanner)
        digest = hashlib.sha256(open(args.scanner, 'rb').read()).hexdigest()[:12]
        built = time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime(st.st_mtime))
    except OSError:
        digest, built = '?', '?'
    P('race-test precision set: sharedstate-scan on compiler-rt/test/tsan')
    P('scanner %s (sha256 %s, built %s); checkout at git %s; run %s'
      % (args.scanner, digest, built, head or '?', time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())))
    by = {}
    for v in variants:
        by.setdefault(v['label'], []).append(v)
    P('')
    P('labels: %d variants of %d test files' % (len(variants), len({v['test'] for v in variants})))
    for lab in ('racy', 'race-free', 'hidden-race', 'excluded'):
        vs = by.get(lab, [])
        extra = ''
        if lab == 'race-free':
            tiers = {}
            for v in vs:
                tiers[v['tier']] = tiers.get(v['tier'], 0) + 1
            extra = ' (' + ', '.join('%s %d' % kv for kv in sorted(tiers.items())) + ')'
        if lab == 'racy':
            g = sum(1 for v in vs if v['race_on_global'])
            extra = ' (race on a global: %d)' % g
        P('  %-12s %4d%s' % (lab, len(vs), extra))
    failed = [r for r in results if 'findings' not in r]
    tu_err = [r for r in results if r.get('tu_errors')]
    secs = [r['seconds'] for r in results if isinstance(r.get('seconds'), (int, float))]
    P('scans: %d, no report: %d, with TU errors: %d, scan time %.0f s (slowest %.1f s)' % (
        len(results), len(failed), len(tu_err), sum(secs), max(secs) if secs else 0))
    for r in failed:
        P('  no report: %s %s: %s' % (r['test'], r['variant'], r.get('error')))
    for r in tu_err:
        P('  TU error: %s %s: %s' % (r['test'], r['variant'], r['tu_errors'][0][:150]))

    ok = [r for r in results if 'findings' in r and not r.get('tu_errors')]
    free = [r for r in ok if r['label'] == 'race-free']

    def fa_stats(rs, own_only):
        n = bad = 0
        tests_bad = 0
        for r in rs:
            fs = [f for f in r['findings'] if f['own'] or not own_only]
            n += len(fs)
            b = [f for f in fs if f['verdict'] == 'not-thread-safe']
            bad += len(b)
            tests_bad += bool(b)
        return n, bad, tests_bad

    P('')
    P('(a) race-free tests: globals reported not-thread-safe (the false-alarm rate)')
    P('  %-44s %6s %7s %7s %6s %s' % ('', 'tests', 'globals', 'not-ts', 'rate', 'tests with >=1'))
    rows = [('all race-free, globals of the test file', free, True)]
    for tier in ('asserted', 'other-report', 'unchecked'):
        rows.append(('  tier %s' % tier, [r for r in free if r['tier'] == tier], True))
    rows.append(('all race-free, test-suite headers too', free, False))
    hidden = [r for r in ok if r['label'] == 'hidden-race']
    rows.append(('hidden-race (not in (a)), test file', hidden, True))
    for name, rs, own in rows:
        n, bad, tb = fa_stats(rs, own)
        P('  %-44s %6d %7d %7d %6s %d' % (name, len(rs), n, bad, pct(bad, n), tb))

    racy = [r for r in ok if r['label'] == 'racy']
    onglob = [r for r in racy if r['race_on_global']]
    hit_any = [r for r in onglob if any(f['own'] and f['verdict'] == 'not-thread-safe' for f in r['findings'])]

    def hit_named(r):
        want = set(r['racy_globals'])
        for f in r['findings']:
            if f['own'] and f['verdict'] == 'not-thread-safe':
                if f['symbol'] in want or f['symbol'].split('::')[-1] in want:
                    return True
        return False
    hit_named_l = [r for r in onglob if hit_named(r)]
    P('')
    P('(b) racy tests whose race is on a global: at least one global of the test file not-thread-safe (recall)')
    P('  racy tests scanned: %d, race on a global: %d' % (len(racy), len(onglob)))
    P('  >=1 global of the test file not-thread-safe: %d of %d = %s' % (len(hit_any), len(onglob), pct(len(hit_any), len(onglob))))
    P('  the racy global itself (by the labeller) not-thread-safe: %d of %d = %s' % (
        len(hit_named_l), len(onglob), pct(len(hit_named_l), len(onglob))))
    notglob = [r for r in racy if not r['race_on_global']]
    nb = [r for r in notglob if any(f['own'] and f['verdict'] == 'not-thread-safe' for f in r['findings'])]
    P('  (racy, race not on a global: %d; of them %d have a global reported not-thread-safe)' % (len(notglob), len(nb)))
    missed = [r for r in onglob if r not in hit_any]
    if missed:
        P('  missed: ' + ', '.join('%s%s [%s]' % (r['test'], (' ' + r['variant']) if r['variant'] else '',
                                                  ','.join(r['racy_globals'])) for r in missed))

    # false alarms
    fas = []
    for r in free:
        for f in r['findings']:
            if f['verdict'] == 'not-thread-safe':
                fas.append((r, f))
    P('')
    P('false alarms on race-free tests (%d; * = declared in a test-suite header, not in the test file):' % len(fas))
    with open(os.path.join(outdir, 'false_alarms.tsv'), 'w') as tsv:
        tsv.write('test\tvariant\ttier\tsymbol\tlocation\tcategory\tin_test_file\tevidence\n')
        for r, f in fas:
            P('  %s%s %s:%d %s (cat %d, %s)%s' % (
                '' if f['own'] else '*', r['test'] + ((' ' + r['variant']) if r['variant'] else ''),
                f['file'], f['line'], f['symbol'], f['category'], r['tier'],
                ('  <- ' + f['evidence']) if f['evidence'] else ''))
            tsv.write('\t'.join([r['test'], r['variant'], r['tier'], f['symbol'],
                                 '%s:%d' % (f['file'], f['line']), str(f['category']),
                                 'yes' if f['own'] else 'no', f['evidence']]) + '\n')
    # the hand-check (handcheck.json): why, per false alarm
    hc_path = os.path.join(HERE, 'handcheck.json')
    hc = json.load(open(hc_path)) if os.path.exists(hc_path) else {'reasons': {}, 'entries': [], 'dubious_tests': {}}
    def hc_entry(r, f):
        for e in hc['entries']:
            if e['symbol'] == f['symbol'] and e['test'] in ('*', r['test']) and \
               ('file' not in e or e['file'] == f['file']):
                return e
        return None
    if fas:
        P('')
        P('hand-checked reasons (handcheck.json) of the false alarms: test file / headers, example')
        tab, unclassified = {}, []
        for r, f in fas:
            e = hc_entry(r, f)
            if not e:
                unclassified.append((r, f))
                continue
            a = tab.setdefault(e['reason'], [0, 0, None])
            a[0 if f['own'] else 1] += 1
            if a[2] is None or (f['own'] and not a[2][1]):
                a[2] = ('%s:%d %s' % (f['file'], f['line'], f['symbol']), f['own'])
        for key, (own, hdr, ex) in sorted(tab.items(), key=lambda kv: (-kv[1][0], -kv[1][1])):
            P('  %4d %4d  %-24s e.g. %s' % (own, hdr, key, ex[0]))
        P('  %4d       unclassified%s' % (sum(1 for r, f in unclassified if f['own']), ''.join(
            '\n             %s %s:%d %s' % (r['test'], f['file'], f['line'], f['symbol']) for r, f in unclassified)))
        dub = hc.get('dubious_tests', {})
        keep = [r for r in free if r['test'] not in dub]
        n, bad, tb = fa_stats(keep, True)
        P('  (a) without the %d tests hand-checked as dubious (they do race): %d globals, %d not-thread-safe = %s'
          % (len(free) - len(keep), n, bad, pct(bad, n)))
    if fas:
        P('')
        P('false alarms by the racing context the scanner reports (test file / headers):')
        tab = {}
        for r, f in fas:
            key = ', '.join(f['contexts']) or '(no runsIn)'
            a = tab.setdefault(key, [0, 0])
            a[0 if f['own'] else 1] += 1
        for key, (own, hdr) in sorted(tab.items(), key=lambda kv: -sum(kv[1])):
            P('  %4d %4d  %s' % (own, hdr, key))
    nonvar = [(r, o) for r in free for o in r.get('other_findings', []) if o['verdict'] == 'not-thread-safe']
    P('')
    P('not counted above: %d not-thread-safe findings of other kinds (lazy-init, singleton-handler) on race-free tests%s'
      % (len(nonvar), (': ' + ', '.join('%s %s:%d %s' % (o['kind'], o['file'], o['line'], o['symbol'])
                                     for r, o in nonvar)) if nonvar else ''))
    excl = by.get('excluded', [])
    P('excluded: ' + '; '.join('%s%s (%s)' % (v['test'], (' ' + v['variant']) if v['variant'] else '', v['reason'])
                               for v in excl))
    P('')
    P('wall time %.0f s; outputs in %s' % (wall, outdir))
    text = '\n'.join(lines) + '\n'
    sys.stdout.write(text)
    with open(os.path.join(outdir, 'summary.txt'), 'w') as f:
        f.write(text)


if __name__ == '__main__':
    main()
