#!/usr/bin/env bash
# Regenerates each package's PublicAPI.Unshipped.txt from the code, after an intended change to the public API.
#
# The build checks every package's public surface with Microsoft.CodeAnalysis.PublicApiAnalyzers: a public symbol that
# neither PublicAPI.Shipped.txt nor PublicAPI.Unshipped.txt declares fails the build with RS0016, and a declared one
# that is gone fails it with RS0017. This script starts the Unshipped file again from its header, so that every
# public symbol not already shipped is reported as RS0016, and lets the analyzer's own code fix (run offline by
# `dotnet format analyzers`) declare each of them. The result is the current API whatever a merge left in the file, so
# after merging branches that changed the API, take either side of a conflict in the file and run this.
#
# Review the file's diff like code: every added line is a promise to users. When a version ships, move the Unshipped
# lines into PublicAPI.Shipped.txt (keeping its `#nullable enable` header); removing a shipped symbol then needs a
# `*REMOVED*` line in Unshipped, which this script does not write.
#
# Usage: tests/tools/update-public-api.sh [src/Project ...]   (default: every project under src/ with a PublicAPI file;
# from anywhere; needs the .NET SDK and restored packages)
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ "$#" -gt 0 ]; then dirs=("$@"); else dirs=(); for f in src/*/PublicAPI.Shipped.txt; do dirs+=("$(dirname "$f")"); done; fi
for dir in "${dirs[@]}"; do
  dir=${dir%/}
  project=$(ls "$dir"/*.csproj)
  unshipped=$dir/PublicAPI.Unshipped.txt
  printf '#nullable enable\n' > "$unshipped"
  dotnet format analyzers "$project" --diagnostics RS0016 RS0017 --severity warn --verbosity quiet
  # The build is the check: it fails if the file and the code still disagree.
  dotnet build "$project" -c Release -v quiet -nologo
  echo "$(grep -vc '^#' "$unshipped") API lines in $unshipped"
done
