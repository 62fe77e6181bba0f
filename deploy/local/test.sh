#!/usr/bin/env bash
# The whole test suite: PostgreSQL ready (tests create databases of their own, never the one run.sh serves), then
# dotnet test. Exits 0 only when every test passed.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$REPO_ROOT/deploy/local/postgres.sh"

ensure_dotnet
prepare_postgres

# The tests connect with this role to create and drop their own databases (webhooks_test_*).
export WEBHOOKS_TEST_CONNECTION="Host=$PG_HOST;Port=$PG_PORT;Username=$PG_USER;Password=$PG_PASSWORD;Database=postgres"

say "running dotnet test Orleans.Webhooks.sln"
dotnet test "$REPO_ROOT/Orleans.Webhooks.sln" -nologo "$@"
