#!/usr/bin/env bash
# Benchmark of `genomgang batch` on a generated city, against a floor.
#
# What it does:
#   1. Builds the release binary and the examples (`cargo build --release --bins --examples`);
#      set SKIP_BUILD=1 to use the binaries already in target/release.
#   2. Generates a city at scale 1 (28 förvaltningar, ~50 000 employees, ~200 000 input
#      rows) and at scale 16 with `examples/make_city.rs`, into /tmp. Cached: a city is
#      regenerated only when the generator's source changes (its hash is in the folder name).
#   3. Runs `target/release/genomgang batch CITY --out OUT` RUNS_1 times (default 5) at
#      scale 1 and RUNS_16 times (default 3) at scale 16 under `/usr/bin/time -v`, and prints
#      the median wall time, the peak RSS ("Maximum resident set size", highest of the runs)
#      and the ratio scale 16 / scale 1.
#   4. Runs the floor, `examples/floor.rs` (read every input cell with calamine / csv, write
#      the same number of cells per unit with rust_xlsxwriter), the same way, and prints the
#      ratio genomgang / floor.
#   5. Stage times: `genomgang batch --timings` ends with a line "Tider: läsa och tolka …, nyckeltal
#      …, skriva arbetsböcker …" (summed over units, which run in parallel, so the sums
#      exceed the wall time); the script prints it for the last run of each scale. It also
#      timestamps the progress lines and reports the time to the first and the last
#      finished unit.
#
# Targets: scale 1 under 1 s wall and within 1.5× the floor; peak RSS under 500 MB;
# scale 16 at most 17× scale 1.
#
# Usage: bench/run.sh            (from anywhere; it changes to the repository root)
# Environment: RUNS_1, RUNS_16, SCALES ("1 16"), CITY_BASE (/tmp), SKIP_BUILD, JOBS
# (passed as --jobs to genomgang when set).

set -euo pipefail
cd "$(dirname "$0")/.."

RUNS_1=${RUNS_1:-5}
RUNS_16=${RUNS_16:-3}
CITY_BASE=${CITY_BASE:-/tmp}
SCALES=${SCALES:-"1 16"}
BIN=target/release/genomgang
GEN=target/release/examples/make_city
FLOOR=target/release/examples/floor

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    echo "== Bygger release (cargo build --release --bins --examples)"
    cargo build --release --bins --examples 2>&1 | tail -n 3
fi
for b in "$BIN" "$GEN" "$FLOOR"; do
    [[ -x "$b" ]] || { echo "Saknar $b: bygg först (cargo build --release --bins --examples)" >&2; exit 2; }
done

hash=$(cat examples/make_city.rs examples/make_samples.rs | sha256sum | cut -c1-10)

city_dir() { echo "$CITY_BASE/genomgang-city-s$1-$hash"; }

for scale in $SCALES; do
    dir=$(city_dir "$scale")
    if [[ -f "$dir/facit.json" ]]; then
        echo "== Stad skala $scale: återanvänder $dir"
    else
        echo "== Genererar stad skala $scale i $dir"
        rm -rf "$dir.tmp"
        start=$EPOCHREALTIME
        "$GEN" "$dir.tmp" --scale "$scale"
        printf '   (%.1f s)\n' "$(echo "$EPOCHREALTIME - $start" | bc -l)"
        mv "$dir.tmp" "$dir"
    fi
    printf '   %s filer, %s\n' "$(find "$dir" -type f | wc -l)" "$(du -sh "$dir" | cut -f1)"
done

# median of numbers on stdin
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }
maxof() { sort -g | tail -n 1; }

# "h:mm:ss" or "m:ss.ss" → seconds
to_seconds() { awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }'; }

# run LABEL N -- command...: runs N times; leaves WALLS, RSS_KB and STAGES in files under $work
work=$(mktemp -d /tmp/genomgang-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

run() {
    local label=$1 n=$2
    shift 3
    : > "$work/$label.wall"
    : > "$work/$label.rss"
    : > "$work/$label.stages"
    for ((i = 1; i <= n; i++)); do
        local tf="$work/$label.time.$i" log="$work/$label.stderr.$i"
        local out="$work/out-$label"
        rm -rf "$out"
        sync
        local t0=$EPOCHREALTIME
        # stderr of the program (progress lines) is timestamped as it arrives.
        { /usr/bin/time -v -o "$tf" "$@" --out "$out" 2>&1 >/dev/null || echo "EXIT $?"; } |
            while IFS= read -r line; do echo "$EPOCHREALTIME $line"; done > "$log"
        local t1=$EPOCHREALTIME
        if grep -q '^[0-9.]* EXIT' "$log" || grep -q 'Exit status: [1-9]' "$tf"; then
            echo "   körning $i misslyckades:" >&2
            tail -n 20 "$log" >&2
            cat "$tf" >&2
            exit 1
        fi
        local wall rss
        wall=$(grep 'Elapsed (wall clock)' "$tf" | awk '{print $NF}' | to_seconds)
        rss=$(grep 'Maximum resident set size' "$tf" | awk '{print $NF}')
        echo "$wall" >> "$work/$label.wall"
        echo "$rss" >> "$work/$label.rss"
        # progress lines "[k/N] unit klar": first and last, relative to start.
        local first last
        first=$(grep -m1 -E '^[0-9.]+ \[1/' "$log" | awk -v t0="$t0" '{printf "%.2f", $1 - t0}' || true)
        last=$(grep -E '^[0-9.]+ \[[0-9]+/[0-9]+\]' "$log" | tail -n 1 | awk -v t0="$t0" '{printf "%.2f", $1 - t0}' || true)
        local total
        total=$(echo "$t1 - $t0" | bc -l)
        if [[ -n "$first" ]]; then
            printf '%s %s %.2f\n' "$first" "$last" "$total" >> "$work/$label.stages"
        fi
        # genomgang's own stage times ("Tider: ..."), from the last run.
        grep -o 'Tider: .*' "$log" > "$work/$label.tider" || true
        printf '   %-10s körning %d: %6.2f s, %7.1f MB\n' "$label" "$i" "$wall" "$(echo "$rss / 1024" | bc -l)"
    done
}

summary() {
    local label=$1
    local wall rss
    wall=$(median < "$work/$label.wall")
    rss=$(maxof < "$work/$label.rss")
    printf '%s %s\n' "$wall" "$rss"
}

jobs_arg=()
[[ -n "${JOBS:-}" ]] && jobs_arg=(--jobs "$JOBS")

declare -A WALL RSS
for scale in $SCALES; do
    dir=$(city_dir "$scale")
    n=$RUNS_1
    [[ "$scale" != 1 ]] && n=$RUNS_16
    echo "== genomgang batch, skala $scale ($n körningar)"
    run "g$scale" "$n" -- "$BIN" batch "$dir" --timings "${jobs_arg[@]}"
    read -r WALL[g$scale] RSS[g$scale] < <(summary "g$scale")
    echo "== golv (examples/floor.rs), skala $scale ($n körningar)"
    run "f$scale" "$n" -- "$FLOOR" "$dir"
    read -r WALL[f$scale] RSS[f$scale] < <(summary "f$scale")
done

echo
echo "== Resultat ($(nproc) kärnor; median av väggtid, högsta RSS)"
printf '%-28s %10s %12s\n' "" "vägg (s)" "topp-RSS (MB)"
for scale in $SCALES; do
    printf '%-28s %10.2f %12.1f\n' "genomgang batch, skala $scale" "${WALL[g$scale]}" "$(echo "${RSS[g$scale]} / 1024" | bc -l)"
    printf '%-28s %10.2f %12.1f\n' "golv, skala $scale" "${WALL[f$scale]}" "$(echo "${RSS[f$scale]} / 1024" | bc -l)"
done
echo
for scale in $SCALES; do
    printf 'genomgang / golv, skala %-3s %6.2f×\n' "$scale" "$(echo "${WALL[g$scale]} / ${WALL[f$scale]}" | bc -l)"
done
if [[ " $SCALES " == *" 1 "* && " $SCALES " == *" 16 "* ]]; then
    printf 'skala 16 / skala 1, genomgang %6.2f×\n' "$(echo "${WALL[g16]} / ${WALL[g1]}" | bc -l)"
    printf 'skala 16 / skala 1, golv      %6.2f×\n' "$(echo "${WALL[f16]} / ${WALL[f1]}" | bc -l)"
fi

echo
echo "== Steg i genomgang batch"
for scale in $SCALES; do
    [[ -s "$work/g$scale.tider" ]] && echo "   skala $scale: $(cat "$work/g$scale.tider")"
done
echo "   (förloppsraderna, tid från start:)"
printf '%-10s %14s %14s %14s\n' "" "första klar" "sista klar" "totalt"
for scale in $SCALES; do
    if [[ -s "$work/g$scale.stages" ]]; then
        f=$(awk '{print $1}' "$work/g$scale.stages" | median)
        l=$(awk '{print $2}' "$work/g$scale.stages" | median)
        t=$(awk '{print $3}' "$work/g$scale.stages" | median)
        printf 'skala %-4s %12.2f s %12.2f s %12.2f s\n' "$scale" "$f" "$l" "$t"
    fi
done

echo
echo "== Mål"
check() { if awk "BEGIN{exit !($1)}"; then echo "   OK    $2"; else echo "   MISS  $2"; fi; }
if [[ -n "${WALL[g1]:-}" ]]; then
    check "${WALL[g1]} < 1.0" "skala 1 under 1 s (${WALL[g1]} s)"
    check "${WALL[g1]} <= 1.5 * ${WALL[f1]}" "skala 1 inom 1,5× golvet ($(printf '%.2f' "$(echo "${WALL[g1]} / ${WALL[f1]}" | bc -l)")×)"
fi
for scale in $SCALES; do
    check "${RSS[g$scale]} < 500 * 1024" "topp-RSS under 500 MB, skala $scale ($((RSS[g$scale] / 1024)) MB)"
done
if [[ -n "${WALL[g16]:-}" && -n "${WALL[g1]:-}" ]]; then
    check "${WALL[g16]} <= 17 * ${WALL[g1]}" "skala 16 högst 17× skala 1 ($(printf '%.2f' "$(echo "${WALL[g16]} / ${WALL[g1]}" | bc -l)")×)"
fi
