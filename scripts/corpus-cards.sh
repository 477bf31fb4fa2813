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
for s in fat32-deleted exfat-deleted fat32-formatted fat32-fragmented fat32-frag-noise; do
  if [ ! -f "$W/$s/truth.json" ]; then
    echo "corpus: building $s"
    python3 "$C/make_card.py" "$C/scenarios/$s.json" "$W/$s" > "$W/$s.log" 2>&1 || { cat "$W/$s.log"; exit 1; }
  fi
done
