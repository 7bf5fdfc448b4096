#!/bin/sh
# Puts noVNC (npm @novnc/novnc, pinned by package-lock.json beside this script) into the gateway's static
# resources at build time: npm ci into a work folder under target/ (again only when the lock changed), then
# core/, vendor/ and the licence are copied to the dashboard's novnc/ folder. Nothing is fetched at run time.
# usage: fetch-novnc.sh <this folder> <work folder> <destination folder>
set -eu
src=$1
work=$2
dest=$3
mkdir -p "$work"
if ! cmp -s "$src/package-lock.json" "$work/package-lock.json" || [ ! -f "$work/node_modules/@novnc/novnc/core/rfb.js" ]; then
    cp "$src/package.json" "$src/package-lock.json" "$work/"
    (cd "$work" && npm ci --no-audit --no-fund --loglevel=error)
fi
pkg="$work/node_modules/@novnc/novnc"
rm -rf "$dest"
mkdir -p "$dest"
cp -R "$pkg/core" "$pkg/vendor" "$pkg/LICENSE.txt" "$pkg/package.json" "$dest/"
