#!/usr/bin/env bash
# Benchmark of `genomgang batch` on a generated city, side by side with a Python script
# and a parse-only floor.
#
# What it does:
#   1. Builds the release binary and the examples (`cargo build --release --bins --examples`);
#      set SKIP_BUILD=1 to use the binaries already in target/release.
#   2. Generates a city at scale 1 (28 förvaltningar, ~50 000 employees, ~200 000 input
#      rows, ~880 000 cells) and at scale 16 with `examples/make_city.rs`, into /tmp.
#      Cached: a city is regenerated only when the generator's source changes (its hash is
#      in the folder name).
#   3. Per scale, RUNS rounds (default 5); each round runs every contender once, in turn
#      (interleaved, so a busy neighbour on the machine hits all of them alike):
#        xlsx     genomgang batch --format xlsx   (the same work as the script)
#        default  genomgang batch                 (xlsx + docx + md per unit)
#        script   bench/script.py: pandas + python-calamine + XlsxWriter computing the same
#                 KPIs and writing one workbook per unit (one process per core)
#        floor    examples/floor.rs: calamine / csv parse every cell, one small workbook
#                 per unit, nothing else
#        base     BASE_BIN batch --format xlsx, when BASE_BIN is set (an older binary, for
#                 before/after in one run); basedefault: the same with the default formats
#      each under `/usr/bin/time -v`: median wall time, median CPU time (user + sys of all
#      threads and child processes: steadier than wall time on a shared machine), peak
#      RSS (highest of the rounds; for the script it is its largest single process), and
#      the ratios of wall times.
#   4. Stage times: genomgang's `--timings` line "Tider: läsa och tolka …, nyckeltal …,
#      skriva …" (CPU summed over units, which run in parallel), from the last round.
#
# Targets (issue 21): --format xlsx at scale 1 ≤ 0.15 × script and ≤ 1.5 × floor; at
# scale 16 ≤ 0.3 × script and ≤ 1.3 × floor; scale 16 peak RSS ≤ 250 MB.
#
# Usage: bench/run.sh            (from anywhere; it changes to the repository root)
# Environment: RUNS (5), SCALES ("1 16"), CITY_BASE (/tmp), SKIP_BUILD, JOBS (--jobs for
# genomgang and the script; default the cores), BASE_BIN, CONTENDERS ("xlsx default
# script floor", plus "base" when BASE_BIN is set), PYTHON (python3).

set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
CITY_BASE=${CITY_BASE:-/tmp}
SCALES=${SCALES:-"1 16"}
PYTHON=${PYTHON:-python3}
BIN=${BIN:-target/release/genomgang}
GEN=target/release/examples/make_city
FLOOR=target/release/examples/floor
JOBS=${JOBS:-$(nproc)}
default_contenders="xlsx default script floor"
[[ -n "${BASE_BIN:-}" ]] && default_contenders="$default_contenders base basedefault"
CONTENDERS=${CONTENDERS:-$default_contenders}

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    echo "== Bygger release (cargo build --release --bins --examples)"
    cargo build --release --bins --examples 2>&1 | tail -n 3
fi
for b in "$BIN" "$GEN" "$FLOOR"; do
    [[ -x "$b" ]] || { echo "Saknar $b: bygg först (cargo build --release --bins --examples)" >&2; exit 2; }
done
if [[ " $CONTENDERS " == *" script "* ]] && ! "$PYTHON" -c 'import pandas, python_calamine, xlsxwriter' 2>/dev/null; then
    echo "Skriptet behöver pandas, python-calamine och xlsxwriter: pip install pandas python-calamine xlsxwriter" >&2
    exit 2
fi

hash=$(cat examples/make_city.rs examples/make_samples.rs | sha256sum | cut -c1-10)
city_dir() { echo "$CITY_BASE/genomgang-city-s$1-$hash"; }

for scale in $SCALES; do
    dir=$(city_dir "$scale")
    if [[ -f "$dir/facit.json" ]]; then
        echo "== Stad skala $scale: återanvänder $dir"
    else
        echo "== Genererar stad skala $scale i $dir"
        rm -rf "$dir.tmp"
        "$GEN" "$dir.tmp" --scale "$scale"
        mv "$dir.tmp" "$dir"
    fi
    printf '   %s filer, %s\n' "$(find "$dir" -type f | wc -l)" "$(du -sh "$dir" | cut -f1)"
done

median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }
maxof() { sort -g | tail -n 1; }
to_seconds() { awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }'; }

work=$(mktemp -d /tmp/genomgang-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

# command line of a contender on a city, without --out
command_of() {
    local who=$1 dir=$2
    case $who in
        xlsx) echo "$BIN" batch "$dir" --format xlsx --timings --jobs "$JOBS" ;;
        default) echo "$BIN" batch "$dir" --timings --jobs "$JOBS" ;;
        base) echo "$BASE_BIN" batch "$dir" --format xlsx --timings --jobs "$JOBS" ;;
        basedefault) echo "$BASE_BIN" batch "$dir" --timings --jobs "$JOBS" ;;
        script) echo "$PYTHON" bench/script.py "$dir" --jobs "$JOBS" ;;
        floor) echo "$FLOOR" "$dir" ;;
    esac
}

# run_once LABEL COMMAND...: one timed run; appends wall and RSS to $work/LABEL.*
run_once() {
    local label=$1
    shift
    local tf="$work/$label.time" log="$work/$label.stderr" out="$work/out-$label"
    rm -rf "$out"
    sync
    if ! /usr/bin/time -v -o "$tf" "$@" --out "$out" > /dev/null 2> "$log"; then
        echo "   $label misslyckades:" >&2
        tail -n 20 "$log" >&2
        exit 1
    fi
    local wall rss cpu
    wall=$(grep 'Elapsed (wall clock)' "$tf" | awk '{print $NF}' | to_seconds)
    rss=$(grep 'Maximum resident set size' "$tf" | awk '{print $NF}')
    cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$tf")
    echo "$wall" >> "$work/$label.wall"
    echo "$rss" >> "$work/$label.rss"
    echo "$cpu" >> "$work/$label.cpu"
    grep -o 'Tider: .*' "$log" > "$work/$label.tider" || true
    printf '   %-12s %7.2f s %7.2f s CPU %8.1f MB\n' "$label" "$wall" "$cpu" "$(echo "$rss / 1024" | bc -l)"
}

declare -A WALL RSS CPU
for scale in $SCALES; do
    dir=$(city_dir "$scale")
    for ((i = 1; i <= RUNS; i++)); do
        echo "== Skala $scale, omgång $i av $RUNS"
        for who in $CONTENDERS; do
            # shellcheck disable=SC2046
            run_once "$who$scale" $(command_of "$who" "$dir")
        done
    done
    for who in $CONTENDERS; do
        WALL[$who$scale]=$(median < "$work/$who$scale.wall")
        RSS[$who$scale]=$(maxof < "$work/$who$scale.rss")
        CPU[$who$scale]=$(median < "$work/$who$scale.cpu")
    done
done

names() {
    case $1 in
        xlsx) echo "genomgang --format xlsx" ;;
        default) echo "genomgang (xlsx+docx+md)" ;;
        base) echo "före (BASE_BIN) --format xlsx" ;;
        basedefault) echo "före (BASE_BIN) xlsx+docx+md" ;;
        script) echo "skript (pandas)" ;;
        floor) echo "golv (parse + liten bok)" ;;
    esac
}
ratio() { echo "$1 / $2" | bc -l; }

echo
echo "== Resultat ($(nproc) kärnor, --jobs $JOBS; median av $RUNS väggtider och CPU-tider (user+sys, alla trådar och processer), högsta RSS)"
for scale in $SCALES; do
    printf '%-32s %9s %9s %10s %9s %9s\n' "skala $scale" "vägg (s)" "CPU (s)" "RSS (MB)" "/skript" "/golv"
    for who in $CONTENDERS; do
        w=${WALL[$who$scale]}
        r=$(echo "${RSS[$who$scale]} / 1024" | bc -l)
        s="-" f="-"
        [[ -n "${WALL[script$scale]:-}" ]] && s=$(printf '%.2f' "$(ratio "$w" "${WALL[script$scale]}")")
        [[ -n "${WALL[floor$scale]:-}" ]] && f=$(printf '%.2f' "$(ratio "$w" "${WALL[floor$scale]}")")
        printf '%-32s %9.2f %9.2f %10.1f %9s %9s\n' "$(names "$who")" "$w" "${CPU[$who$scale]}" "$r" "$s" "$f"
    done
done

echo
echo "== Steg i genomgang batch (--timings, sista omgången)"
for scale in $SCALES; do
    for who in xlsx default base basedefault; do
        [[ -s "$work/$who$scale.tider" ]] && printf '   skala %-3s %-8s %s\n' "$scale" "$who" "$(cat "$work/$who$scale.tider")"
    done
done

echo
echo "== Mål (issue 21)"
check() { if awk "BEGIN{exit !($1)}"; then echo "   OK    $2"; else echo "   MISS  $2"; fi; }
for scale in $SCALES; do
    [[ -n "${WALL[xlsx$scale]:-}" ]] || continue
    case $scale in
        1) to_script=0.15 to_floor=1.5 ;;
        16) to_script=0.3 to_floor=1.3 ;;
        *) continue ;;
    esac
    if [[ -n "${WALL[script$scale]:-}" ]]; then
        check "${WALL[xlsx$scale]} <= $to_script * ${WALL[script$scale]}" \
            "skala $scale: --format xlsx ≤ $to_script × skriptet ($(printf '%.2f' "$(ratio "${WALL[xlsx$scale]}" "${WALL[script$scale]}")")×)"
    fi
    if [[ -n "${WALL[floor$scale]:-}" ]]; then
        check "${WALL[xlsx$scale]} <= $to_floor * ${WALL[floor$scale]}" \
            "skala $scale: --format xlsx ≤ $to_floor × golvet ($(printf '%.2f' "$(ratio "${WALL[xlsx$scale]}" "${WALL[floor$scale]}")")×)"
    fi
done
if [[ -n "${RSS[xlsx16]:-}" ]]; then
    check "${RSS[xlsx16]} <= 250 * 1024" "skala 16: topp-RSS ≤ 250 MB ($((RSS[xlsx16] / 1024)) MB)"
fi
if [[ -n "${WALL[xlsx16]:-}" && -n "${WALL[xlsx1]:-}" ]]; then
    check "${WALL[xlsx16]} <= 16 * ${WALL[xlsx1]}" "skala 16 / skala 1 ≤ 16 ($(printf '%.1f' "$(ratio "${WALL[xlsx16]}" "${WALL[xlsx1]}")")×)"
fi
