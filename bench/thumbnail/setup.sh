#!/usr/bin/env bash
# Prepares the thumbnail benchmark: the tools (Debian's python3-pil, libvips-tools for
# vipsthumbnail, GNU parallel) and a set of real photographs taken from Debian wallpaper
# packages into bench/.photos/ (gitignored, never committed).
#   bash bench/thumbnail/setup.sh [copies]
# `copies` (default 8) is how many times the photo set is repeated, in folders copy1..copyN,
# to give the pools enough items (~50 distinct photos x 8 = ~430 files).
set -euo pipefail
cd "$(dirname "$0")/../.."
COPIES="${1:-8}"
DEST=bench/.photos
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

need=()
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import PIL' 2>/dev/null || need+=(python3-pil)
command -v vipsthumbnail >/dev/null || need+=(libvips-tools)
command -v parallel >/dev/null || need+=(parallel)
apt_updated=0
if [ ${#need[@]} -gt 0 ] || [ ! -f "$DEST/photos/.done" ]; then
  $SUDO apt-get update -qq
  apt_updated=1
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

if [ -f "$DEST/photos/.done" ] && [ "$(cat "$DEST/photos/.done")" = "$COPIES" ]; then
  echo "photos ready: $(find "$DEST/photos" -type f -name '*.jpg' | wc -l) files in $DEST/photos"
  exit 0
fi

# Packages whose wallpapers include real photographs (the illustrations are left out below).
PKGS=(mate-backgrounds lomiri-wallpapers-16.04 lomiri-wallpapers-20.04 ukui-wallpapers plasma-workspace-wallpapers)
mkdir -p "$DEST/debs" "$DEST/extract"
[ "$apt_updated" = 1 ] || $SUDO apt-get update -qq
( cd "$DEST/debs" && apt-get download "${PKGS[@]}" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true )
for deb in "$DEST"/debs/*.deb; do dpkg-deb -x "$deb" "$DEST/extract"; done

# The photographs, by name (symbolic links and illustrations skipped).
X="$DEST/extract/usr/share"
PHOTOS=(
  "$X"/backgrounds/mate/nature/*.jpg
  "$X"/backgrounds/mate/abstract/Elephants*.jpg
  "$X"/backgrounds/mate/desktop/GreenTraditional.jpg
  "$X"/backgrounds/*_by_*.jpg
  "$X"/backgrounds/{2004default,firstgeneration,the-mouse}.jpg
)
for w in Autumn BytheWater ColdRipple ColorfulCups DarkestHour EveningGlow FallenLeaf Grey Kite OneStandsOut Path summer_1am; do
  PHOTOS+=("$X/wallpapers/$w/contents/images/2560x1600.jpg")
done

rm -rf "$DEST/photos"
for k in $(seq 1 "$COPIES"); do
  mkdir -p "$DEST/photos/copy$k"
  for f in "${PHOTOS[@]}"; do
    [ -f "$f" ] && [ ! -L "$f" ] || continue
    base=$(basename "$f")
    [ "$base" = 2560x1600.jpg ] && base="$(basename "$(dirname "$(dirname "$(dirname "$f")")")").jpg"
    cp "$f" "$DEST/photos/copy$k/$base"
  done
done
echo "$COPIES" > "$DEST/photos/.done"
echo "photos ready: $(find "$DEST/photos" -type f -name '*.jpg' | wc -l) files ($(du -sh "$DEST/photos" | cut -f1)) in $DEST/photos"
