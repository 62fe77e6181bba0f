# Sourced by run.sh and test.sh: makes sure PostgreSQL is installed and running on this machine, creates the role and
# database of the connection string if missing, and applies deploy/sql/*.sql in order (each file is idempotent).
# Works as root or as a user with sudo. Every step says what it does; a missing piece stops with a clear message.

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# sudo without a password when it can; with a terminal it may ask for one (sudo reads it from /dev/tty, so this works
# with stdin redirected too); without one, never waiting for input nobody can give.
run_sudo() {
  if sudo -n true 2>/dev/null; then sudo -n "$@"
  elif { : </dev/tty; } 2>/dev/null; then say "sudo asks for your password to run: $*"; sudo "$@"
  else return 1
  fi
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then run_sudo "$@" || die "'$*' needs root: run as root, or as a user with sudo"
  else die "'$*' needs root, and sudo is not installed"
  fi
}

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$*"
  elif command -v sudo >/dev/null 2>&1; then run_sudo -u postgres sh -c "$*" || die "cannot run as the postgres user (needs sudo)"
  else die "cannot run as the postgres user: not root, and sudo is not installed"
  fi
}

# Reads Host/Port/Database/Username/Password out of an Npgsql connection string into PG_HOST, PG_PORT, PG_DB, PG_USER, PG_PASSWORD.
parse_connection_string() {
  local cs="$1" part key value
  PG_HOST=127.0.0.1 PG_PORT=5432 PG_DB=webhooks PG_USER=webhooks PG_PASSWORD=
  IFS=';' read -ra parts <<<"$cs"
  for part in "${parts[@]}"; do
    key="$(printf '%s' "${part%%=*}" | tr '[:upper:]' '[:lower:]' | tr -d ' ')"
    value="${part#*=}"
    case "$key" in
      host|server) PG_HOST="$value" ;;
      port) PG_PORT="$value" ;;
      database) PG_DB="$value" ;;
      username|userid|user) PG_USER="$value" ;;
      password) PG_PASSWORD="$value" ;;
    esac
  done
}

ensure_postgres_installed() {
  if command -v pg_ctlcluster >/dev/null 2>&1 && command -v psql >/dev/null 2>&1; then return; fi
  command -v apt-get >/dev/null 2>&1 || die "PostgreSQL is not installed and apt-get is not available: install PostgreSQL 15 yourself"
  say "installing PostgreSQL (apt package postgresql)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 || die "apt-get update failed"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2 || die "apt-get install postgresql failed"
}

ensure_postgres_running() {
  if pg_isready -q -h "$PG_HOST" -p "$PG_PORT" 2>/dev/null; then return; fi
  case "$PG_HOST" in
    127.0.0.1|localhost|::1) ;;
    *) die "PostgreSQL at $PG_HOST:$PG_PORT does not answer (a remote server is not started by this script)" ;;
  esac
  local cluster
  cluster="$(pg_lsclusters --no-header 2>/dev/null | awk -v port="$PG_PORT" '$3 == port { print $1 " " $2; exit }')"
  if [ -z "$cluster" ]; then
    local version
    version="$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1 || true)"
    [ -n "$version" ] || die "no PostgreSQL server binaries found under /usr/lib/postgresql"
    say "creating PostgreSQL cluster $version/main on port $PG_PORT"
    as_root pg_createcluster "$version" main --port "$PG_PORT" >&2 || die "pg_createcluster failed"
    cluster="$version main"
  fi
  say "starting PostgreSQL cluster ${cluster/ //}"
  # shellcheck disable=SC2086
  as_root pg_ctlcluster $cluster start >&2 || true
  for _ in $(seq 1 30); do
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT" && return
    sleep 1
  done
  die "PostgreSQL did not start on $PG_HOST:$PG_PORT within 30 s (see /var/log/postgresql/)"
}

# Creates the login role (with CREATEDB, so that tests can make databases of their own) and the database if missing.
ensure_role_and_database() {
  local user_sql="${PG_USER//\'/\'\'}" password_sql="${PG_PASSWORD//\'/\'\'}"
  if [ "$(PGPASSWORD="$PG_PASSWORD" psql -w -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc 'SELECT rolcreatedb FROM pg_roles WHERE rolname = current_user' 2>/dev/null)" != t ]; then
    say "creating PostgreSQL role $PG_USER (LOGIN, CREATEDB)"
    as_postgres "psql -w -v ON_ERROR_STOP=1 -q -p $PG_PORT" >/dev/null <<SQL || die "could not create role $PG_USER"
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$user_sql') THEN
    CREATE ROLE "$PG_USER" LOGIN CREATEDB PASSWORD '$password_sql';
  ELSE
    ALTER ROLE "$PG_USER" LOGIN CREATEDB PASSWORD '$password_sql';
  END IF;
END \$\$;
SQL
  fi
  ensure_database "$PG_DB"
}

ensure_database() {
  local db="$1"
  if [ "$(PGPASSWORD="$PG_PASSWORD" psql -w -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '${db//\'/\'\'}'")" != 1 ]; then
    say "creating database $db (UTF8)"
    # UTF8 whatever the cluster's default: a cluster that apt created where no locale was set (a bare container) is
    # SQL_ASCII, and jsonb there refuses the \u00e9 escapes that a name like "José" is written with. The C locale goes
    # with any encoding and sorts by code point, as C.UTF-8 does.
    PGPASSWORD="$PG_PASSWORD" psql -w -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -v ON_ERROR_STOP=1 -q \
      -c "CREATE DATABASE \"$db\" OWNER \"$PG_USER\" ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0" \
      || die "could not create database $db"
  fi
}

apply_schema() {
  local db="$1" file
  say "applying schema deploy/sql/ to $db"
  for file in "$REPO_ROOT"/deploy/sql/*.sql; do
    PGPASSWORD="$PG_PASSWORD" psql -w -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$db" -v ON_ERROR_STOP=1 -q -f "$file" >/dev/null \
      || die "applying $(basename "$file") to $db failed"
  done
}

prepare_postgres() {
  parse_connection_string "${ConnectionStrings__Webhooks:-Host=127.0.0.1;Port=5432;Database=webhooks;Username=webhooks;Password=webhooks}"
  ensure_postgres_installed
  ensure_postgres_running
  ensure_role_and_database
  apply_schema "$PG_DB"
}

ensure_dotnet() {
  command -v dotnet >/dev/null 2>&1 || die "the .NET 10 SDK (dotnet) is not on PATH: install it from https://dot.net"
}
