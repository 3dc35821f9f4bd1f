#!/usr/bin/env bash
# npm run bench [-- --quick]: brings up the servers the benchmark measures against (the same
# ones the tests use), then runs it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
services_env="$(bash scripts/services.sh up)"
eval "$services_env"
exec node --import tsx bench/run.ts "$@"
