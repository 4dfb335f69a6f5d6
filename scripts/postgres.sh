#!/usr/bin/env bash
# Install and start a local PostgreSQL server for the test suite (Debian, as root or with sudo),
# with a role that may create databases. Prints the admin URL for AUDITKIT_TEST_PG.
set -euo pipefail
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}
version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
if ! pg_lsclusters -h 2>/dev/null | grep -q "^$version main"; then
  $sudo pg_createcluster "$version" main >/dev/null 2>&1
fi
$sudo pg_ctlcluster "$version" main start >/dev/null 2>&1 || true
for _ in $(seq 1 30); do
  as_postgres psql -qAtc "select 1" >/dev/null 2>&1 && break
  sleep 1
done
as_postgres psql -qAtc "SELECT 1 FROM pg_roles WHERE rolname = 'auditkit'" | grep -q 1 \
  || as_postgres psql -qc "CREATE ROLE auditkit LOGIN PASSWORD 'auditkit' CREATEDB" >/dev/null
# lets the tests drop their databases WITH (FORCE) even if a stray session is left
as_postgres psql -qc "GRANT pg_signal_backend TO auditkit" >/dev/null 2>&1
port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')
echo "postgresql+psycopg://auditkit:auditkit@127.0.0.1:${port:-5432}/postgres"
