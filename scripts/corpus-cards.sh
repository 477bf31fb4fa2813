#!/usr/bin/env bash
# Build the corpus's public scenario cards (not the 3 GB one) for the tests, once.
# Synthetic media come from the corpus's gen_media.sh (real encoders, ~4 min the first time);
# cards from make_card.py (needs root: loop devices and FUSE). Nothing here is committed.
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
C=${PHOTORESCUE_CORPUS:-$HERE/../shared/corpus}
W=${PHOTORESCUE_CORPUS_WORK:-/tmp/photorescue-corpus}
mkdir -p "$W"
if [ ! -f "$W/synth/.done" ]; then
  echo "corpus: generating synthetic media into $W/synth (once, a few minutes)"
  rm -rf "$W/synth"
  "$C/gen_media.sh" "$W/synth" > "$W/gen_media.log" 2>&1
  touch "$W/synth/.done"
fi
build() {  # build SCENARIO_JSON NAME
  if [ ! -f "$W/$2/truth.json" ]; then
    echo "corpus: building $2"
    rm -rf "$W/$2"
    python3 "$C/make_card.py" "$1" "$W/$2" > "$W/$2.log" 2>&1 || { cat "$W/$2.log"; exit 1; }
  fi
}
# The public scenarios, and our own harder ones (bench/scenarios: same generator, same media;
# the benchmark runs the same cards).
for s in fat32-deleted exfat-deleted fat32-formatted fat32-fragmented fat32-frag-noise; do
  build "$C/scenarios/$s.json" "$s"
done
for f in "$HERE"/bench/scenarios/*.json; do
  build "$f" "$(basename "$f" .json)"
done
