#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Study retrieval: `lightbox-cli fetch` against `curl` on the same WADO-RS study URL, with
# the same Accept header, from a real Orthanc on loopback.
#
#   bench/bench-fetch.sh [BUILD_DIR] [RUNS]      (default: $LB_BUILD_ROOT or build/, 7 runs)
#
# Outside an archive it makes (once, cached in BUILD_DIR/bench-fetch-ct) a 500-slice
# 512x512 uncompressed CT with tools/make-phantom and re-runs itself under
# `tools/archive run --seed-dir`.  Runs alternate curl and lightbox-cli so that both see the
# same machine; medians are compared.  curl writes to /dev/null; lightbox-cli parses every
# instance and writes it to a fresh folder in /dev/shm (or $TMPDIR).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
source_root=$(dirname "$here")
build_dir=${1:-${LB_BUILD_ROOT:-$source_root/build}}
runs=${2:-7}
cli=$build_dir/src/cli/lightbox-cli
patient='BENCH^FETCH'
slices=500

if [ ! -x "$cli" ]; then
    echo "bench-fetch: build lightbox-cli first ($cli is missing)." >&2
    exit 1
fi

if [ -z "${LB_ARCHIVE_URL:-}" ]; then
    phantom=$build_dir/bench-fetch-ct
    if [ ! -f "$phantom/complete" ]; then
        rm -rf "$phantom"
        echo "bench-fetch: making a $slices-slice CT in $phantom (once)..." >&2
        "$build_dir/tools/make-phantom" --kind ct --slices "$slices" --size 512x512 \
            --transfer-syntax explicit --patient-name "$patient" --patient-id LBBENCH-1 \
            --seed 7 --out "$phantom/make" >/dev/null
        # Only the instances go to the archive, not make-phantom's description.
        mkdir "$phantom/seed"
        mv "$phantom/make"/*.dcm "$phantom/seed/"
        touch "$phantom/complete"
    fi
    exec "$source_root/tools/archive" run --seed-dir "$phantom/seed" -- "$0" "$build_dir" "$runs"
fi

url=$LB_ARCHIVE_URL
study=$("$cli" worklist --server "$url" --patient "$patient" --json |
    sed -n 's/.*"study_instance_uid" : "\([0-9.]*\)".*/\1/p' | head -n 1)
if [ -z "$study" ]; then
    echo "bench-fetch: the archive holds no study of $patient." >&2
    exit 1
fi
accept='multipart/related; type="application/dicom"; transfer-syntax=*'
scratch=$(mktemp -d "${TMPDIR:-/dev/shm}/bench-fetch.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

curl_run() {
    curl -sS -o /dev/null -H "Accept: $accept" \
        -w '%{size_download} %{time_total} %{time_starttransfer}\n' "$url/studies/$study"
}

# Prints "bytes seconds first_ms" from lightbox-cli's summary line.
lightbox_run() {
    rm -rf "$scratch/out"
    "$cli" fetch --server "$url" --out "$scratch/out" "$study" |
        sed -n 's/^\([0-9]*\) instances, \([0-9]*\) bytes, \([0-9.]*\) s, .*after \([0-9.]*\) ms$/\2 \3 \4/p'
}

median() {
    sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "study $study at $url"
curl_run >/dev/null
lightbox_run >/dev/null
: >"$scratch/curl"
: >"$scratch/lightbox"
i=1
while [ "$i" -le "$runs" ]; do
    curl_line=$(curl_run)
    lightbox_line=$(lightbox_run)
    echo "$curl_line" >>"$scratch/curl"
    echo "$lightbox_line" >>"$scratch/lightbox"
    echo "run $i: curl $(echo "$curl_line" | awk '{ printf "%.3f s (first byte %.1f ms)", $2, $3 * 1000 }')," \
        "lightbox-cli $(echo "$lightbox_line" | awk '{ printf "%.3f s (first instance %.1f ms)", $2, $3 }')"
    i=$((i + 1))
done

bytes=$(head -n 1 "$scratch/curl" | cut -d' ' -f1)
curl_s=$(cut -d' ' -f2 "$scratch/curl" | median)
curl_first=$(cut -d' ' -f3 "$scratch/curl" | median)
lightbox_s=$(cut -d' ' -f2 "$scratch/lightbox" | median)
lightbox_first=$(cut -d' ' -f3 "$scratch/lightbox" | median)
awk -v b="$bytes" -v c="$curl_s" -v cf="$curl_first" -v l="$lightbox_s" -v lf="$lightbox_first" \
    -v n="$runs" 'BEGIN {
    printf "median of %d runs, %.1f MB:\n", n, b / 1e6
    printf "  curl          %.3f s  %6.1f MB/s  first byte after %.1f ms\n", c, b / 1e6 / c, cf * 1000
    printf "  lightbox-cli  %.3f s  %6.1f MB/s  first complete instance after %.1f ms\n", l, b / 1e6 / l, lf
    printf "  throughput ratio lightbox-cli / curl: %.0f %%\n", 100 * c / l
}'
