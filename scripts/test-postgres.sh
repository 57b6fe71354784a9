#!/usr/bin/env bash
# Runs a command (the PostgreSQL pass of `make test`) with DATABASE_URL set
# to TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/exchange).
#
# When nothing answers there and the address is on this machine, a
# throwaway cluster is started on that port from the installed server
# binaries (/usr/lib/postgresql/*/bin; as root they run as the postgres
# user) and removed afterwards. Without a server or the binaries it stops
# at once, naming what to install: never a silent skip.
#
#   scripts/test-postgres.sh --check     # only say whether it can run
#   scripts/test-postgres.sh CMD ARGS... # run CMD against the server
set -euo pipefail

url="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/exchange}"
read -r host port user < <(
  python3 - "$url" <<'EOF'
import sys
from urllib.parse import unquote, urlsplit

u = urlsplit(sys.argv[1])
print(u.hostname or "127.0.0.1", u.port or 5432, unquote(u.username or "postgres"))
EOF
)

answers() {
  python3 -c 'import socket, sys
try:
    socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2).close()
except OSError:
    sys.exit(1)' "$host" "$port"
}

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
local_host=false
case "$host" in 127.0.0.1 | localhost | ::1) local_host=true ;; esac

if answers; then
  mode=server
elif $local_host && [[ -n "$pgbin" && -x "$pgbin/initdb" ]]; then
  mode=cluster
else
  echo "test-postgres: nothing answers on $host:$port (TEST_DATABASE_URL=$url)" >&2
  if $local_host; then
    echo "test-postgres: and no PostgreSQL server binaries (initdb, pg_ctl) are installed." >&2
    echo "test-postgres: install them (Debian/Ubuntu: apt-get install postgresql)," >&2
    echo "test-postgres: or point TEST_DATABASE_URL at a running server." >&2
  else
    echo "test-postgres: start that server or point TEST_DATABASE_URL at a running one." >&2
  fi
  exit 1
fi

if [[ "${1:-}" == "--check" ]]; then
  if [[ $mode == server ]]; then
    echo "test-postgres: PostgreSQL answers on $host:$port"
  else
    echo "test-postgres: will start a throwaway cluster on $host:$port ($pgbin)"
  fi
  exit 0
fi

if [[ $mode == cluster ]]; then
  as_owner=()
  if [[ $(id -u) == 0 ]]; then
    id postgres >/dev/null 2>&1 || {
      echo "test-postgres: running as root needs the postgres user (apt-get install postgresql)" >&2
      exit 1
    }
    as_owner=(runuser -u postgres --)
  fi
  pgdata=$(mktemp -d "${TMPDIR:-/tmp}/test-pgdata.XXXXXX")
  [[ ${#as_owner[@]} == 0 ]] || chown postgres "$pgdata"
  cleanup() {
    "${as_owner[@]}" "$pgbin/pg_ctl" -D "$pgdata" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$pgdata"
  }
  trap cleanup EXIT
  echo "test-postgres: nothing answers on $host:$port; starting a throwaway cluster there"
  "${as_owner[@]}" "$pgbin/initdb" -D "$pgdata" -U "$user" -A trust >/dev/null
  # The socket goes in the data directory, away from any system server's.
  "${as_owner[@]}" "$pgbin/pg_ctl" -D "$pgdata" -l "$pgdata/log" -w \
    -o "-p $port -k $pgdata -h $host -c fsync=off" start >/dev/null
fi

DATABASE_URL="$url" "$@"
