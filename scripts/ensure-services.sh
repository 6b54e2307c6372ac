#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer. When nothing listens on the local default
# ports, start project-local servers under var/ (a PostgreSQL cluster, a Redis daemon).
# Servers named by DATABASE_URL / REDIS_URL on another host are left alone.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var/log

db_url="${DATABASE_URL:-postgis://postgres@127.0.0.1:5432/observatoire}"
redis_url="${REDIS_URL:-redis://127.0.0.1:6379/0}"
hostport() { python3 -c "import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(p.hostname or '127.0.0.1', p.port or int(sys.argv[2]))" "$1" "$2"; }
read -r pg_host pg_port < <(hostport "$db_url" 5432)
read -r redis_host redis_port < <(hostport "$redis_url" 6379)
is_local() { [ "$1" = "127.0.0.1" ] || [ "$1" = "localhost" ]; }

if ! pg_isready -q -h "$pg_host" -p "$pg_port"; then
  if ! is_local "$pg_host"; then echo "✗ PostgreSQL ne répond pas sur $pg_host:$pg_port" >&2; exit 1; fi
  pgbin="/usr/lib/postgresql/$(ls /usr/lib/postgresql | sort -V | tail -n 1)/bin"
  data="$PWD/var/pgdata"
  as_pg=()
  if [ "$(id -u)" -eq 0 ]; then as_pg=(runuser -u postgres --); chown postgres "$PWD/var" "$PWD/var/log"; fi
  if [ ! -f "$data/PG_VERSION" ]; then
    echo "→ Création d'un cluster PostgreSQL local dans var/pgdata"
    "${as_pg[@]}" "$pgbin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  echo "→ Démarrage de PostgreSQL local sur le port $pg_port"
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$data" -l "$PWD/var/log/postgresql.log" -w \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -k /tmp" start >/dev/null
fi

if ! redis-cli -h "$redis_host" -p "$redis_port" ping >/dev/null 2>&1; then
  if ! is_local "$redis_host"; then echo "✗ Redis ne répond pas sur $redis_host:$redis_port" >&2; exit 1; fi
  echo "→ Démarrage de Redis local sur le port $redis_port"
  mkdir -p var/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port "$redis_port" --dir "$PWD/var/redis" \
    --save "" --appendonly no --logfile "$PWD/var/log/redis.log"
  for _ in $(seq 50); do redis-cli -h "$redis_host" -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
echo "✓ PostgreSQL ($pg_host:$pg_port) et Redis ($redis_host:$redis_port) répondent"
