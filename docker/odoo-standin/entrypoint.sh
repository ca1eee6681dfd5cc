#!/bin/bash
# Entrypoint shared by the stand-in and the official-image wrapper. Like the official
# image: `odoo ARGS` or `-ARGS` run the server; anything else is executed as is.
# HOST, PORT, USER, PASSWORD (when set) become --db_host/--db_port/--db_user/--db_password
# unless the command line already gives them. When ODOO_REQUIREMENTS names a file,
# its Python requirements are installed first (pip, when the image has it).
set -e

args=("$@")
if [ "${1:-}" = "odoo" ] || [ "${1:-}" = "--" ]; then
  args=("${@:2}")
elif [ "${1#-}" = "${1:-}" ] && [ -n "${1:-}" ]; then
  exec "$@"
fi

has_opt() {
  local want="$1" a
  for a in "${args[@]}"; do
    case "$a" in "$want" | "$want"=*) return 0 ;; esac
  done
  return 1
}
db_args=()
[ -n "${HOST:-}" ] && ! has_opt --db_host && db_args+=(--db_host "$HOST")
[ -n "${PORT:-}" ] && ! has_opt --db_port && db_args+=(--db_port "$PORT")
[ -n "${USER:-}" ] && [ "${USER}" != "odoo" -o -n "${PASSWORD:-}" ] && ! has_opt --db_user && ! has_opt -r && db_args+=(--db_user "$USER")
[ -n "${PASSWORD:-}" ] && ! has_opt --db_password && ! has_opt -w && db_args+=(--db_password "$PASSWORD")

if [ -n "${ODOO_REQUIREMENTS:-}" ] && [ -f "$ODOO_REQUIREMENTS" ]; then
  if python3 -m pip --version >/dev/null 2>&1; then
    python3 -m pip install --user --no-cache-dir --break-system-packages -r "$ODOO_REQUIREMENTS" 1>&2
  else
    echo "pip is not available in this image: skipping $ODOO_REQUIREMENTS" >&2
  fi
fi

exec odoo "${args[@]}" "${db_args[@]}"
