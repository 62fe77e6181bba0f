#!/usr/bin/env bash
# The whole test suite: PostgreSQL ready (tests create databases of their own, never the one run.sh serves), then
# dotnet test. Exits 0 only when every test passed.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$REPO_ROOT/deploy/local/postgres.sh"

# promtool (Debian's package prometheus) checks deploy/prometheus/alerts.yml; without it those tests are skipped.
ensure_promtool() {
  command -v promtool >/dev/null 2>&1 && return
  if ! command -v apt-get >/dev/null 2>&1; then
    say "promtool is not installed and apt-get is not available: the alert rules tests will be skipped"
    return
  fi
  say "installing promtool (apt package prometheus, without its recommendations)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends prometheus >&2 \
    || { as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends prometheus >&2; } \
    || { say "could not install prometheus: the alert rules tests will be skipped"; return; }
  # Only its promtool is wanted: a Prometheus server that the package started under systemd is stopped and disabled.
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet prometheus 2>/dev/null; then
    as_root systemctl disable --now prometheus >&2 || true
  fi
}

# The Odoo addon's pure module is tested with Debian's python3 and its standard library only.
ensure_python3() {
  command -v python3 >/dev/null 2>&1 && return
  command -v apt-get >/dev/null 2>&1 || die "python3 is missing and apt-get is not available: install python3"
  say "installing python3 (apt package python3)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3 >&2 \
    || { as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3 >&2; } \
    || die "could not install python3"
}

# Debian's chromium drives the console's browser tests (Playwright launches it; no browser is downloaded).
ensure_chromium() {
  command -v chromium >/dev/null 2>&1 && return
  command -v apt-get >/dev/null 2>&1 || die "chromium is missing and apt-get is not available: install Debian's chromium for the console's browser tests"
  say "installing chromium (apt package chromium)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >&2 \
    || { as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >&2; } \
    || die "apt-get install chromium failed"
}

ensure_dotnet
prepare_postgres
ensure_promtool
ensure_chromium
ensure_python3

say "running python3 -m unittest discover -s deploy/odoo (the Odoo addon's module tests)"
(cd "$REPO_ROOT" && python3 -m unittest discover -s deploy/odoo) || die "the Odoo addon's module tests failed"

# The tests connect with this role to create and drop their own databases (webhooks_test_*).
export WEBHOOKS_TEST_CONNECTION="Host=$PG_HOST;Port=$PG_PORT;Username=$PG_USER;Password=$PG_PASSWORD;Database=postgres"

say "running dotnet test Orleans.Webhooks.sln"
dotnet test "$REPO_ROOT/Orleans.Webhooks.sln" -nologo "$@"
