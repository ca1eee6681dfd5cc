# Shared by Gantry's scripts: paths, messages, the .env file and the defaults that the
# services scripts need before Node (and packages/config) is available.
set -euo pipefail

GANTRY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export GANTRY_ROOT

# .env holds the user's overrides; variables already set in the environment win.
if [[ -f "$GANTRY_ROOT/.env" ]]; then
  while IFS='=' read -r key value; do
    [[ "$key" =~ ^[A-Z_][A-Z0-9_]*$ ]] || continue
    [[ -n "${!key:-}" ]] && continue
    value="${value%\"}"; value="${value#\"}"
    export "$key=$value"
  done < <(grep -E '^[A-Z_][A-Z0-9_]*=' "$GANTRY_ROOT/.env")
fi

: "${GANTRY_DATA_DIR:=$GANTRY_ROOT/var}"
case "$GANTRY_DATA_DIR" in /*) ;; *) GANTRY_DATA_DIR="$GANTRY_ROOT/${GANTRY_DATA_DIR#./}" ;; esac
export GANTRY_DATA_DIR
mkdir -p "$GANTRY_DATA_DIR/log"


# Sessions and secrets at rest need a key: without GANTRY_SECRET, one is generated once and
# kept in the data folder (readable by root only), so restarts keep sessions and secrets valid.
if [[ -z "${GANTRY_SECRET:-}" ]]; then
  if [[ ! -s "$GANTRY_DATA_DIR/secret" ]]; then
    (umask 077 && head -c 48 /dev/urandom | base64 | tr -d '\n/+=' > "$GANTRY_DATA_DIR/secret")
  fi
  GANTRY_SECRET="$(cat "$GANTRY_DATA_DIR/secret")"
fi
export GANTRY_SECRET

# A password for a service the scripts start (Redis, PostgreSQL roles): made once, kept in the
# data folder (readable by root only) so that restarts find the same one, and printed.
# URL-safe (letters and digits), so it goes into a URL as it is.
generated_secret() {
  local name="$1" dir="$GANTRY_DATA_DIR/secrets"
  [[ "$name" =~ ^[a-z0-9_-]+$ ]] || die "generated_secret: invalid name $name"
  if [[ ! -s "$dir/$name" ]]; then
    (umask 077 && mkdir -p "$dir" && head -c 48 /dev/urandom | base64 | tr -d '\n/+=' > "$dir/$name")
  fi
  cat "$dir/$name"
}

# Redis demands a password: without REDIS_URL, the local Redis the scripts start gets a
# generated one (the builds' containers must not be able to inject jobs).
: "${REDIS_URL:=redis://:$(generated_secret redis)@127.0.0.1:6379/0}"
export REDIS_URL

# Caddy's admin API listens on a unix socket in the data folder, out of reach of anything that
# can only open TCP connections (the builds' containers). packages/config derives the same.
: "${CADDY_ADMIN_URL:=unix://$GANTRY_DATA_DIR/caddy/admin.sock}"
export CADDY_ADMIN_URL

# Three PostgreSQL clusters, each with its own administrator and a generated password (the
# scripts set it on the role, as root): Gantry's own database alone on 5432, reachable from
# this machine only; production and staging builds on 5434; development builds on 5433. The
# builds' containers reach their cluster, never Gantry's. Always exported, so that every
# program started from the scripts finds them (packages/config has no password to default to).
# A URL given without a password (.env.example's) gets the generated one too.
with_generated_password() { # URL secret-name
  local scheme="${1%%://*}" rest="${1#*://}"
  [[ "$rest" == *@* && "${rest%%@*}" != *:* ]] || { echo "$1"; return; }
  echo "$scheme://${rest%%@*}:$(generated_secret "$2")@${rest#*@}"
}
DATABASE_URL="$(with_generated_password "${DATABASE_URL:-postgresql://gantry@127.0.0.1:5432/gantry}" postgres-gantry)"
BUILD_DATABASE_URL="$(with_generated_password "${BUILD_DATABASE_URL:-postgresql://gantry@127.0.0.1:5434/postgres}" postgres-prod)"
BUILD_DEV_DATABASE_URL="$(with_generated_password "${BUILD_DEV_DATABASE_URL:-postgresql://gantry@127.0.0.1:5433/postgres}" postgres-dev)"
# The subnets of the builds' Docker networks: the build clusters accept connections from them.
: "${BUILD_NETWORK_POOL:=10.213.0.0/16}"
export DATABASE_URL BUILD_DATABASE_URL BUILD_DEV_DATABASE_URL BUILD_NETWORK_POOL

# How node runs the web app and the worker in production (scripts/start, the systemd units, and
# scripts/bench/idle.ts, which measures them against node's defaults). A 1 MB semi-space keeps
# V8's young generation small (the control plane allocates little per request; node's default
# lets it grow to 3 x 16 MB), and two malloc arenas instead of one per thread stop glibc from
# keeping freed memory in idle arenas. No heap ceiling: a restore or a large log still needs room.
: "${GANTRY_NODE_OPTIONS:=--max-semi-space-size=1}"
: "${GANTRY_MALLOC_ARENA_MAX:=2}"
export GANTRY_NODE_OPTIONS GANTRY_MALLOC_ARENA_MAX

if [[ -t 1 ]]; then bold=$'\e[1m'; red=$'\e[31m'; green=$'\e[32m'; dim=$'\e[2m'; reset=$'\e[0m'
else bold=""; red=""; green=""; dim=""; reset=""; fi

step() { printf '%s==>%s %s\n' "$bold" "$reset" "$*"; }
info() { printf '    %s%s%s\n' "$dim" "$*" "$reset"; }
ok() { printf '    %s%s%s\n' "$green" "$*" "$reset"; }
die() { printf '%serror:%s %s\n' "$red" "$reset" "$*" >&2; exit 1; }

is_root() { [[ "$(id -u)" == 0 ]]; }
has_apt() { command -v apt-get >/dev/null 2>&1; }

# Installs Debian packages that are missing; explains what to provide where it cannot.
APT_UPDATED=""
apt_install() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  if ! is_root || ! has_apt; then
    return 1
  fi
  info "installing ${missing[*]} (apt)"
  if [[ -z "$APT_UPDATED" ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    > "$GANTRY_DATA_DIR/log/apt.log" 2>&1 || { tail -20 "$GANTRY_DATA_DIR/log/apt.log" >&2; return 1; }
}

# Host and port of a URL such as postgresql://u:p@host:port/db.
url_host() { local rest="${1#*://}"; rest="${rest#*@}"; rest="${rest%%/*}"; echo "${rest%:*}"; }
url_port() { local rest="${1#*://}"; rest="${rest#*@}"; rest="${rest%%/*}"; [[ "$rest" == *:* ]] && echo "${rest##*:}" || echo "$2"; }
# The password of a URL such as redis://user:pass@host:port/db, percent-decoded.
url_password() {
  local rest="${1#*://}"; [[ "$rest" == *@* ]] || return 0
  rest="${rest%%@*}"; [[ "$rest" == *:* ]] || return 0
  rest="${rest#*:}"; printf '%b' "${rest//%/\\x}"
}
# The same URL without its password: for command lines, which any local user can read (ps).
url_without_password() {
  local scheme="${1%%://*}" rest="${1#*://}"
  [[ "$rest" == *@* ]] || { echo "$1"; return; }
  local user="${rest%%@*}"; user="${user%%:*}"
  echo "$scheme://${user:+$user@}${rest#*@}"
}
# redis-cli on REDIS_URL, the password passed through the environment (REDISCLI_AUTH).
redis_cli() {
  local password; password="$(url_password "$REDIS_URL")"
  env ${password:+"REDISCLI_AUTH=$password"} redis-cli -u "$(url_without_password "$REDIS_URL")" "$@"
}
# Deletes the keys of REDIS_URL whose names start with PREFIX (a test run's leftovers).
redis_delete_prefix() {
  local password url
  password="$(url_password "$REDIS_URL")"; url="$(url_without_password "$REDIS_URL")"
  (
    [[ -z "$password" ]] || export REDISCLI_AUTH="$password"
    redis-cli -u "$url" --scan --pattern "$1*" | xargs -r redis-cli -u "$url" del >/dev/null
  )
}
is_local_host() { [[ "$1" == "127.0.0.1" || "$1" == "localhost" || "$1" == "::1" ]]; }

# Polls a command until it succeeds or the deadline (seconds) passes.
wait_for() {
  local seconds="$1"; shift
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}
