#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Decode time per transfer syntax, as a ratio to memcpy: a 512x512 CT slice and a
# 4096x3328 16-bit mammogram made by tools/make-phantom in each syntax, then
# bench-decode on them, then bench-rle (ours against GDCM's RLE decoder).
#
#   bench/run-decode.sh [BUILD_DIR] [RUNS]     (default: build-release/, 30 runs)
#
# Configure BUILD_DIR with --buildtype=release for numbers worth quoting.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build_dir=${1:-$(dirname "$here")/build-release}
runs=${2:-30}
phantom=$build_dir/tools/make-phantom
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for ts in explicit implicit big-endian deflate rle jpeg-lossless jpeg-ls jpeg-ls-near j2k j2k-lossy; do
    "$phantom" --kind ct --slices 1 --seed 1 --transfer-syntax "$ts" --out "$work/ct-$ts" >/dev/null
    cp "$work/ct-$ts/CT000001.dcm" "$work/ct-$ts.dcm"
done
for ts in explicit rle jpeg-ls j2k; do
    "$phantom" --kind mammo --seed 1 --transfer-syntax "$ts" --out "$work/mg-$ts" >/dev/null
    cp "$work/mg-$ts/MG000001.dcm" "$work/mammo-$ts.dcm"
done

"$build_dir/bench/bench-decode" --runs "$runs" "$work"/ct-*.dcm
"$build_dir/bench/bench-decode" --runs "$((runs / 3 + 1))" "$work"/mammo-*.dcm
"$build_dir/bench/bench-rle" --runs "$runs" "$work/ct-rle.dcm" "$work/mammo-rle.dcm"
