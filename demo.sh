#!/usr/bin/env bash
# The main job: a library written in plain blocking socket code (samples/PatchDemo.QuoteClient, no
# reference to Gevent) is called from 20 greenlets, once as built and once after gevent-patch has
# rewritten the DLL on disk. Needs only the .NET SDK.
set -euo pipefail
cd "$(dirname "$0")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "Building samples/PatchDemo and the gevent-patch CLI..."
dotnet publish samples/PatchDemo -c Release -o "$work/app" --nologo -v quiet > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
dotnet build src/gevent-patch-cli -c Release --nologo -v quiet > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }

echo
echo "1. As built:"
dotnet "$work/app/PatchDemo.dll" "$@"

echo
echo "2. gevent-patch patch PatchDemo.QuoteClient.dll --in-place"
dotnet src/gevent-patch-cli/bin/Release/net10.0/gevent-patch.dll patch "$work/app/PatchDemo.QuoteClient.dll" --in-place

echo
echo "3. Patched:"
dotnet "$work/app/PatchDemo.dll" "$@"
