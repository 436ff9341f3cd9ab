# Sourced by scripts/test: starts a throw-away PostgreSQL from Debian's packages on loopback, so
# the database tests run against a real PostgreSQL besides SQLite. Exports the connection string
# Backstage's TestDatabases reads. Stops it when the calling shell exits.

lbd_start_postgres() {
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -z "$bin" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "lb-doctor: installing PostgreSQL from Debian's packages" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) >&2 || true
    bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  fi
  if [ -z "$bin" ]; then
    echo "lb-doctor: WARNING: PostgreSQL is not installed; database tests run on SQLite only" >&2
    return 0
  fi
  local version port dir run_as=()
  version="$(basename "$(dirname "$bin")")"
  port="${LBD_POSTGRES_PORT:-54329}"
  dir="$(mktemp -d /tmp/lb-doctor-pg.XXXXXX)"
  # initdb refuses to run as root; the postgres system user owns the data folder instead.
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$dir"
    run_as=(runuser -u postgres --)
  fi
  "${run_as[@]}" "$bin/initdb" -D "$dir/data" -A trust -U postgres >/dev/null || return 1
  "${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null || {
    cat "$dir/log" >&2
    return 1
  }
  LBD_POSTGRES_DIR="$dir"
  LBD_POSTGRES_BIN="$bin"
  LBD_POSTGRES_RUN_AS="${run_as[*]}"
  export "BACKSTAGE_TEST_DATABASE_POSTGRES${version}_CONNECTION_STRING=postgresql://postgres@127.0.0.1:$port/postgres"
  export LBD_POSTGRES_VERSION="$version"
  trap lbd_stop_postgres EXIT
  echo "lb-doctor: PostgreSQL $version on 127.0.0.1:$port" >&2
}

lbd_stop_postgres() {
  [ -n "${LBD_POSTGRES_DIR:-}" ] || return 0
  $LBD_POSTGRES_RUN_AS "$LBD_POSTGRES_BIN/pg_ctl" -D "$LBD_POSTGRES_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$LBD_POSTGRES_DIR"
  LBD_POSTGRES_DIR=
}
