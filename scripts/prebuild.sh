#!/usr/bin/env bash
# Builds the addon's prebuilds into prebuilds/, where node-gyp-build finds them at run time:
# linux-x64 for glibc and musl, linux-arm64 for glibc, with Debian's compilers (gcc, musl-tools,
# gcc-aarch64-linux-gnu). N-API (NAPI_VERSION 8): one build serves every Node version.
# Without a prebuild for the machine, installing compiles the addon (node-gyp-build's fallback).
set -euo pipefail
cd "$(dirname "$0")/.."
# The host's own build is linux-x64; arm64 is the cross-compiled one.
[ "$(uname -m)" = x86_64 ] || { echo "prebuild: run on an x86-64 Debian machine (arm64 is cross-compiled)" >&2; exit 1; }

declare -A need=([gcc]=gcc [musl-gcc]=musl-tools [aarch64-linux-gnu-gcc]=gcc-aarch64-linux-gnu [aarch64-linux-gnu-g++]=g++-aarch64-linux-gnu)
missing=()
for cmd in "${!need[@]}"; do command -v "$cmd" >/dev/null || missing+=("${need[$cmd]}"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "prebuild: missing compilers; on Debian: apt-get install ${missing[*]}" >&2
  exit 1
fi

# npm puts its node-gyp on PATH and passes its nodedir (Node's own headers: no download).
command -v node-gyp >/dev/null || { echo "prebuild: run it as npm run prebuilds (node-gyp comes with npm)" >&2; exit 1; }
# prebuildify builds in build/ and removes it: the local build is kept aside meanwhile.
if [ -d build ]; then
  rm -rf build.local && mv build build.local
fi
uapi=$(mktemp -d)
restore() {
  rm -rf "$uapi" build
  if [ -d build.local ]; then mv build.local build; fi
}
trap restore EXIT

prebuildify=(node node_modules/prebuildify/bin.js --napi --strip --tag-libc)
rm -rf prebuilds
# The machine's own: linux-x64, glibc.
"${prebuildify[@]}"
# musl (Alpine): musl-gcc compiles and links against musl's libc. Its include path leaves out
# /usr/include, so the kernel's UAPI headers (libc-independent) are given from a folder of links.
ln -s /usr/include/linux /usr/include/asm-generic "$uapi/"
ln -s "/usr/include/$(gcc -dumpmachine)/asm" "$uapi/asm"
CC="musl-gcc -isystem $uapi" CXX="musl-gcc -isystem $uapi" LINK=musl-gcc "${prebuildify[@]}" --libc musl
# arm64, glibc: the cross compiler and its strip.
CC=aarch64-linux-gnu-gcc CXX=aarch64-linux-gnu-g++ LINK=aarch64-linux-gnu-g++ \
  "${prebuildify[@]}" --arch arm64 --strip-bin aarch64-linux-gnu-strip
find prebuilds -name '*.node' | sort
