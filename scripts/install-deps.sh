#!/usr/bin/env bash
# Debian packages the tests use: real filesystem tools, FUSE exFAT, nbdkit for bad sectors,
# tmux for the smoke test, exiftool, and the encoders that make synthetic media.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq \
  mtools dosfstools exfatprogs exfat-fuse fuse3 fdisk util-linux \
  nbdkit libnbd-bin tmux libimage-exiftool-perl faketime sleuthkit \
  imagemagick ffmpeg libheif-examples time python3 >/dev/null
