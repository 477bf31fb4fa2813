#!/usr/bin/env bash
# Rebuild the small JPEG fixtures (committed; CI does not run this). Needs ImageMagick and
# libjpeg-turbo-progs (cjpeg, jpegtran). Source pictures are seeded plasma fractals, no real media.
# Each file covers a coding case the corpus lacks: restart markers, arithmetic coding,
# grayscale, 4:4:4 / 4:2:2 sampling, non-interleaved scans, optimized tables, odd sizes.
set -euo pipefail
cd "$(dirname "$0")"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
convert -seed 11 -size 320x240 plasma:fractal "$T/a.ppm"
convert -seed 12 -size 157x93 plasma:fractal "$T/odd.ppm"
printf '0;\n1;\n2;\n' > "$T/scans.txt"
cjpeg -quality 90 -restart 1 "$T/a.ppm" > restart_rows.jpg
cjpeg -quality 90 -restart 1B -sample 2x2 "$T/odd.ppm" > restart_blocks_odd.jpg
cjpeg -quality 90 -progressive -restart 2 "$T/a.ppm" > progressive_restart.jpg
cjpeg -quality 90 -arithmetic "$T/a.ppm" > arithmetic.jpg
cjpeg -quality 90 -arithmetic -progressive "$T/a.ppm" > arithmetic_progressive.jpg
cjpeg -quality 92 -grayscale "$T/a.ppm" > gray.jpg
cjpeg -quality 85 -sample 1x1 "$T/a.ppm" > s444.jpg
cjpeg -quality 85 -sample 2x1 -optimize "$T/a.ppm" > s422_optimized.jpg
cjpeg -quality 90 -scans "$T/scans.txt" "$T/a.ppm" > noninterleaved.jpg
cjpeg -quality 100 -sample 1x1 "$T/odd.ppm" > q100_odd.jpg
cjpeg -quality 8 "$T/a.ppm" > q8.jpg
cjpeg -quality 90 -progressive -grayscale "$T/odd.ppm" > progressive_gray_odd.jpg
