# The rc file of the interactive bash in a build's shell (web or SSH). Gantry passes it with each
# session instead of baking it into an image, so the helpers are the same on the stand-in and on
# the official Odoo image. The container's environment holds the build's own database login
# (HOST, PORT, USER, PASSWORD: the images' entrypoint contract); GANTRY_DB names its database.
unset GANTRY_SHELL_RC

# psql and every libpq tool connect as the build's role to its database, and nothing else:
# the role owns that database only, and other databases refuse it.
export PGHOST="$HOST" PGPORT="$PORT" PGUSER="$USER" PGPASSWORD="$PASSWORD" PGDATABASE="$GANTRY_DB"
export GANTRY_LOGS=/var/log/gantry-build

# The value of one option on the serving Odoo's command line (PID 1 of the container).
_gantry_serve_option() {
  local want="$1" previous="" arg
  while IFS= read -r -d '' arg; do
    if [[ "$previous" == "$want" ]]; then printf '%s' "$arg"; return 0; fi
    if [[ "$arg" == "$want="* ]]; then printf '%s' "${arg#*=}"; return 0; fi
    previous="$arg"
  done </proc/1/cmdline
  return 1
}

# The options an Odoo command needs to act on this build: its database, code and files.
_gantry_odoo_args() {
  _GANTRY_ARGS=(-d "$GANTRY_DB")
  local option value
  for option in --addons-path --data-dir; do
    if value="$(_gantry_serve_option "$option")"; then _GANTRY_ARGS+=("$option" "$value"); fi
  done
}

odoo-shell() {
  _gantry_odoo_args
  /entrypoint.sh odoo shell "${_GANTRY_ARGS[@]}" --no-http "$@"
}

odoo-restart() {
  # Gantry restarts the serving container (this shell goes with it) and opens a new shell once
  # Odoo answers again. The token is this session's: output of anything else cannot ask for it.
  printf '\033]7719;gantry-restart;%s\007' "$GANTRY_RESTART_TOKEN"
  echo "Restarting Odoo: this shell comes back once Odoo answers again."
  sleep 120
}

# One Odoo run that updates the modules (-u) beside the serving one, which keeps serving.
_gantry_update_modules() {
  local modules
  modules="$(IFS=,; echo "$*")"
  if ! [[ "$modules" =~ ^[A-Za-z0-9_]+(,[A-Za-z0-9_]+)*$ ]]; then
    echo "odoo-update: module names are letters, digits and underscores" >&2
    return 2
  fi
  _gantry_odoo_args
  /entrypoint.sh odoo -u "$modules" "${_GANTRY_ARGS[@]}" --stop-after-init --no-http \
    --workers 0 --max-cron-threads 0
}

odoo-update() {
  if [[ $# -eq 0 ]]; then
    echo "usage: odoo-update MODULE [MODULE...]   (updates the modules, then restarts Odoo)" >&2
    return 2
  fi
  _gantry_update_modules "$@" || return
  odoo-restart
}

odoo-logs() {
  if [[ "${1:-}" == "-f" ]]; then
    tail -n 100 -F "$GANTRY_LOGS/odoo.log"
  else
    tail -n "${1:-200}" "$GANTRY_LOGS/odoo.log"
  fi
}

gantry-help() {
  cat <<'HELP'
  odoo-shell             Odoo's shell (Python) on this build's database
  psql                   this build's database, as its own role
  odoo-update MODULE...  update modules (-u), then restart Odoo
  odoo-restart           restart this build's Odoo
  odoo-logs [N | -f]     the last N lines of odoo.log (200), or follow it
HELP
}

export -f _gantry_serve_option _gantry_odoo_args _gantry_update_modules odoo-shell odoo-restart odoo-update odoo-logs gantry-help
PS1='\[\e[1;36m\]${GANTRY_PROMPT}\[\e[0m\]:\w\$ '
cd
echo "Gantry shell on ${GANTRY_PROMPT}. Helpers (gantry-help):"
gantry-help
