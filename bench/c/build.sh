#!/usr/bin/env bash
# Builds the C raw-netlink ceiling program next to this script (bench/c/ipvs_setdest), on the host:
# the benchmark then runs it inside the IPVS VM.
set -euo pipefail
cd "$(dirname "$0")"
command -v gcc >/dev/null || apt-get install -y gcc libc6-dev linux-libc-dev >/dev/null
gcc -O2 -Wall -Wextra -Werror -o ipvs_setdest ipvs_setdest.c
