#!/usr/bin/env bash
# genomgang for Windows, built and tested on this Linux machine (issue 13).
#
#   dist/windows.sh               install what is missing, build genomgang.exe, package
#                                 dist/out/genomgang-VERSION-windows-x64.zip, run the Wine check
#   dist/windows.sh --no-check    build and package only
#   dist/windows.sh --check-only  the Wine check only, on the genomgang.exe already built
#
# Build: the x86_64-pc-windows-gnu Rust target (rustup) and MinGW-w64 (Debian's
# gcc-mingw-w64-x86-64) link a static exe (.cargo/config.toml: +crt-static), with its version
# and description in the file's properties (build.rs compiles a resource with windres).
# The exe must import no DLL beyond Windows' own; the script checks that.
#
# Check: the same inputs run through the Linux binary and, under Wine, through genomgang.exe
# must give byte-identical KPI JSON (`--json`) and workbooks with the same cell values
# (examples/dist_tool.rs dumps every cell). Cases: the Kungsholmen sample, a Windows-1252 CSV,
# a path with å/ä/ö and spaces, lock and system files, a folder given alone (drag and drop),
# unit names Windows cannot use in a file name, and a batch of a small generated city.
# JSON and Markdown are compared byte for byte, as they are. In the workbooks one cell may
# differ legitimately: Källor names the configuration files by their path as given, in the
# platform's own form (in/stad/genomgang.toml, in/stad\genomgang.toml); the comparison turns
# `\` into `/` in Källor cells naming genomgang.toml, and nowhere else.
# Debian's Wine 8 lacks bcryptprimitives.dll (ProcessPrng, which Rust's std uses; Windows 10
# and later have it): a stub forwarding to advapi32's SystemFunction036 (RtlGenRandom),
# built with the same MinGW, goes into the test prefix only. It is never shipped.
#
# Environment: CARGO_TARGET_DIR (as cargo), GENOMGANG_WINEPREFIX (default
# /tmp/genomgang-wine), GENOMGANG_CHECK_DIR (default /tmp/genomgang-wine-check).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
TARGET=x86_64-pc-windows-gnu
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
EXE="$TARGET_DIR/$TARGET/release/genomgang.exe"
VERSION="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)"
NAME="genomgang-$VERSION-windows-x64"
OUT_DIR="$ROOT/dist/out"
export WINEPREFIX="${GENOMGANG_WINEPREFIX:-/tmp/genomgang-wine}"
CHECK_DIR="${GENOMGANG_CHECK_DIR:-/tmp/genomgang-wine-check}"
export WINEDEBUG=-all WINEARCH=win64
# No Mono or Gecko install prompts while the prefix is made; a console program needs neither.
export WINEDLLOVERRIDES="mscoree,mshtml="
# Wine turns the Unix arguments (å, ä, ö) into Windows text through the locale.
export LC_ALL=C.UTF-8

say() { printf '== %s\n' "$*"; }
die() { printf 'windows.sh: %s\n' "$*" >&2; exit 1; }

apt_install() {
    local missing=()
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    if ((${#missing[@]})); then
        say "apt-get install ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

ensure_build_tools() {
    apt_install gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64
    if ! rustup target list --installed | grep -qx "$TARGET"; then
        say "rustup target add $TARGET"
        rustup target add "$TARGET"
    fi
}

ensure_wine() {
    apt_install wine wine64 gcc-mingw-w64-x86-64
}

# ---------------------------------------------------------------- build and package

build() {
    say "cargo build --release --target $TARGET"
    local start=$SECONDS
    cargo build --release --locked --target "$TARGET" --bin genomgang
    say "built $EXE in $((SECONDS - start)) s"

    say "DLLs genomgang.exe imports"
    local dlls bad
    dlls="$(x86_64-w64-mingw32-objdump -p "$EXE" | sed -n 's/^\s*DLL Name: //p' | sort -fu)"
    printf '   %s\n' $dlls
    # Windows' own: the system DLLs and the api-ms-win-* API sets. Anything else (libgcc_s,
    # libwinpthread, libstdc++ ...) would have to be shipped beside the exe.
    bad="$(grep -viE '^(kernel32|ntdll|msvcrt|ucrtbase|advapi32|userenv|ws2_32|bcrypt|bcryptprimitives|user32|shell32|ole32|oleaut32|secur32|crypt32|api-ms-win-.*)\.dll$' <<<"$dlls" || true)"
    [[ -z "$bad" ]] || die "genomgang.exe needs DLLs Windows does not have: $bad"

    say "version resource (the exe's properties)"
    local info
    info="$(x86_64-w64-mingw32-windres -i "$EXE" -O rc 2>/dev/null | grep -E 'VALUE "(FileDescription|FileVersion)"' || true)"
    printf '%s\n' "$info"
    grep -q "\"FileVersion\", \"$VERSION\"" <<<"$info" || die "genomgang.exe has no version resource with $VERSION"
}

linux_tools() {
    # The Linux binary (for the templates and the comparison) and the cell dumper.
    cargo build --locked --bin genomgang --example dist_tool --example make_city >&2
    LINUX_BIN="$TARGET_DIR/debug/genomgang"
    DIST_TOOL="$TARGET_DIR/debug/examples/dist_tool"
}

package() {
    linux_tools
    local stage="$OUT_DIR/stage/$NAME"
    rm -rf "$OUT_DIR/stage" && mkdir -p "$stage"
    cp "$EXE" "$stage/genomgang.exe"
    # Notepad reads UTF-8 with a BOM on every Windows version; CRLF line ends.
    { printf '\xef\xbb\xbf'; sed "s/{VERSION}/$VERSION/; s/\$/\r/" dist/las-mig.txt; } >"$stage/Läs mig.txt"
    "$LINUX_BIN" templates "$stage/Mallar" >/dev/null
    local zip="$OUT_DIR/$NAME.zip"
    rm -f "$zip"
    "$DIST_TOOL" zip "$zip" "$stage"
    rm -rf "$OUT_DIR/stage"
    say "packaged $zip ($(du -k "$zip" | cut -f1) KiB)"
    unzip -l "$zip" 2>/dev/null || true
}

# ---------------------------------------------------------------- Wine check

# The stub bcryptprimitives.dll for the test prefix (see the top of this file).
wine_prefix() {
    local sys32="$WINEPREFIX/drive_c/windows/system32"
    if [[ ! -f "$sys32/kernel32.dll" ]]; then
        say "wineboot: new prefix $WINEPREFIX"
        wineboot --init >/dev/null 2>&1 || true
        wineserver -w || true
    fi
    [[ -f "$sys32/kernel32.dll" ]] || die "no Wine prefix at $WINEPREFIX"
    if [[ ! -f "$sys32/bcryptprimitives.dll" ]]; then
        say "stub bcryptprimitives.dll (ProcessPrng -> SystemFunction036) in the test prefix"
        local tmp
        tmp="$(mktemp -d)"
        cat >"$tmp/stub.c" <<'C'
#include <windows.h>
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
C
        x86_64-w64-mingw32-gcc -O2 -shared -s -o "$tmp/bcryptprimitives.dll" "$tmp/stub.c" -ladvapi32
        cp "$tmp/bcryptprimitives.dll" "$sys32/"
        rm -rf "$tmp"
    fi
}

# Runs genomgang.exe under Wine from the current folder, without a console of its own
# (stdin from /dev/null: it never waits for a key). Arguments are passed as they are:
# relative paths, so both programs see the same ones.
win() { wine "$EXE" "$@" </dev/null; }
lin() { "$LINUX_BIN" "$@" </dev/null; }

FAILED=0
fail() { printf 'FEL: %s\n' "$*"; FAILED=1; }

# compare CASE: CASE/linux and CASE/windows hold the two runs' outputs.
compare_outputs() {
    local case="$1" a="$1/linux" b="$1/windows" f
    (cd "$a" && find . -type f | sort) >"$case/files.linux"
    (cd "$b" && find . -type f | sort) >"$case/files.windows"
    if ! diff -u "$case/files.linux" "$case/files.windows" >"$case/files.diff"; then
        fail "$case: different files written"
        cat "$case/files.diff"
    fi
    while IFS= read -r f; do
        [[ -f "$b/$f" ]] || continue
        case "$f" in
        *.json | *.md)
            if cmp -s "$a/$f" "$b/$f"; then
                printf '   %-52s %6s bytes identical\n' "${f#./}" "$(wc -c <"$a/$f")"
            else
                fail "$case: $f differs"
                diff -u "$a/$f" "$b/$f" | head -20
            fi
            ;;
        *.xlsx)
            "$DIST_TOOL" dump-cells "$a/$f" >"$case/cells.linux"
            # The one legitimate difference: Källor names the configuration files by their
            # path, in the platform's form (in/stad\genomgang.toml on Windows); `\` → `/` there.
            "$DIST_TOOL" dump-cells "$b/$f" |
                sed -E '/^Källor\t.*genomgang\.toml/ s#\\\\#/#g' >"$case/cells.windows"
            if diff -u "$case/cells.linux" "$case/cells.windows" >"$case/cells.diff"; then
                printf '   %-52s %6s cells equal\n' "${f#./}" "$(wc -l <"$case/cells.linux")"
            else
                fail "$case: $f: cell values differ"
                head -20 "$case/cells.diff"
            fi
            ;;
        esac
    done <"$case/files.linux"
}

# run_case NAME EXPECTED_EXIT ARGS...: ARGS with @OUT@ for the output folder.
run_case() {
    local case="$1" expect="$2"
    shift 2
    mkdir -p "$case/linux" "$case/windows"
    local la=() wa=() a rc_l rc_w
    for a in "$@"; do
        la+=("${a//@OUT@/$case/linux}")
        wa+=("${a//@OUT@/$case/windows}")
    done
    set +e
    lin "${la[@]}" >"$case/linux.stdout" 2>"$case/linux.stderr"
    rc_l=$?
    win "${wa[@]}" >"$case/windows.stdout" 2>"$case/windows.stderr"
    rc_w=$?
    set -e
    say "$case: exit $rc_l (Linux), $rc_w (Windows)"
    [[ $rc_l == "$expect" ]] || fail "$case: Linux exit $rc_l, expected $expect"
    [[ $rc_w == "$rc_l" ]] || { fail "$case: Windows exit $rc_w"; cat "$case/windows.stderr"; }
    compare_outputs "$case"
}

check() {
    [[ -f "$EXE" ]] || die "no $EXE: run dist/windows.sh first"
    ensure_wine
    linux_tools
    local start=$SECONDS
    wine_prefix
    say "Wine: $(wine --version), prefix $WINEPREFIX"
    rm -rf "$CHECK_DIR" && mkdir -p "$CHECK_DIR"
    cd "$CHECK_DIR"

    # The inputs.
    mkdir -p in
    cp -r "$ROOT/samples/kungsholmen" in/kungsholmen
    # å, ä, ö and spaces in every part of the path; lock and system files beside the inputs.
    mkdir -p "in/Data för år 2025"
    cp -r "$ROOT/samples/kungsholmen" "in/Data för år 2025/Östermalm och Södra"
    sed -i 's/^unit = .*/unit = "Östermalm: Södra? stadsdel."/' "in/Data för år 2025/Östermalm och Södra/genomgang.toml"
    local d="in/Data för år 2025/Östermalm och Södra"
    printf 'x' >"$d/~\$Riskregister 2025.xlsx"
    printf '[.ShellClassInfo]\r\n' >"$d/desktop.ini"
    printf 'x' >"$d/Thumbs.db"
    printf 'x' >"$d/.DS_Store"
    # A CSV in Windows-1252 with å, ä, ö in the header and values, semicolons, CRLF.
    mkdir -p in/ansi
    printf 'Ärendenummer;Händelsedatum;Kategori;Personuppgiftsincident;Anmäld till IMY\r\nINC-1;2025-01-14;Obehörig åtkomst;Ja;Ja\r\nINC-2;2025-03-02;Nätfiske;Nej;Nej\r\nINC-3;2025-06-30;Förlust av utrustning;Ja;Nej\r\nINC-4;2024-11-11;Felskickad e-post;Ja;Ja\r\n' |
        iconv -f UTF-8 -t WINDOWS-1252 >"in/ansi/Incidenter år 2025.csv"
    # A small city for batch: 28 units, one city-wide incident file split by unit.
    "$TARGET_DIR/debug/examples/make_city" in/stad --scale 0.01 >/dev/null
    rm -f in/stad/facit.json
    # A folder dropped on the exe: its own copy, so the workbook beside it is its only output.
    mkdir -p drop/linux/Kungsholmen drop/windows/Kungsholmen
    cp -r "$ROOT/samples/kungsholmen/." drop/linux/Kungsholmen/
    cp -r "$ROOT/samples/kungsholmen/." drop/windows/Kungsholmen/

    run_case sample 0 report in/kungsholmen --out @OUT@ --json @OUT@/kpi.json
    run_case "paths" 0 report "$d" --out "@OUT@/Utdata med å ä ö" --json "@OUT@/Utdata med å ä ö/kpi år.json"
    if grep -hE 'Thumbs|desktop\.ini|DS_Store|~\$' paths/cells.windows paths/windows/*/*.json; then
        fail "paths: a lock or system file is mentioned in the outputs"
    fi
    run_case ansi 0 report in/ansi --out @OUT@ --year 2025 --json @OUT@/kpi.json
    run_case batch 0 batch in/stad --out @OUT@ --json @OUT@/kpi.json --jobs 2

    # Drag and drop: the folder alone; the workbook lands beside it.
    set +e
    (cd drop/linux && lin Kungsholmen) >drop/linux.stdout 2>drop/linux.stderr
    local rc_l=$?
    (cd drop/windows && win Kungsholmen) >drop/windows.stdout 2>drop/windows.stderr
    local rc_w=$?
    set -e
    say "drop: exit $rc_l (Linux), $rc_w (Windows)"
    [[ $rc_l == 0 && $rc_w == 0 ]] || fail "drop: exit $rc_l / $rc_w"
    rm -rf drop/linux/Kungsholmen drop/windows/Kungsholmen
    mkdir -p drop/case && mv drop/linux drop/windows drop/case/
    compare_outputs drop/case
    ls drop/case/windows

    say "Wine check took $((SECONDS - start)) s"
    if ((FAILED)); then
        say "Wine check FAILED (details in $CHECK_DIR)"
        exit 1
    fi
    say "Wine check passed: Linux and Windows outputs are identical"
}

# ---------------------------------------------------------------- main

mode=all
case "${1:-}" in
"") ;;
--check-only) mode=check ;;
--no-check) mode=build ;;
*) die "usage: dist/windows.sh [--check-only | --no-check]" ;;
esac

if [[ $mode != check ]]; then
    ensure_build_tools
    build
    package
fi
if [[ $mode != build ]]; then
    check
fi
