# The systemd units of an installed Gantry, written by scripts/install. Each function prints one
# unit; paths come from the caller: PREFIX (the installed releases, `current` the one that runs),
# ENV_FILE, DATA_DIR, NODE (absolute path of node), SERVICE_USER; production's node settings
# GANTRY_NODE_OPTIONS and GANTRY_MALLOC_ARENA_MAX come from scripts/lib/common.sh.
#
# Hardening keeps what Docker needs: the worker talks to the engine over its socket (the docker
# group), runs git, ssh and the PostgreSQL tools, and the engine (not the worker) mounts the
# build folders, so the worker's own view of the filesystem can be read-only but for the data
# directory. PrivateTmp stays off for the worker: the temporary folders it makes are read by
# tools it starts outside its namespace (docker build contexts, pg_dump files).

unit_common_hardening() {
  cat <<UNIT
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
RestrictSUIDSGID=yes
RestrictRealtime=yes
RestrictNamespaces=yes
LockPersonality=yes
SystemCallArchitectures=native
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK
UMask=0027
UNIT
}

unit_target() {
  cat <<UNIT
[Unit]
Description=Gantry (web app, worker and its Caddy)
Documentation=file://$PREFIX/current/README.md
Wants=gantry-caddy.service gantry-web.service gantry-worker.service
After=network-online.target

[Install]
WantedBy=multi-user.target
UNIT
}

# Caddy runs as Gantry's user, so that its admin socket (CADDY_ADMIN_URL, in the data
# directory, mode 0600) is the worker's to drive and no one else's; Debian's own caddy.service
# would hold the same ports.
unit_caddy() {
  cat <<UNIT
[Unit]
Description=Gantry's Caddy (routes to the builds, admin API on a unix socket)
PartOf=gantry.target
Conflicts=caddy.service
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=$SERVICE_USER
Group=$SERVICE_USER
EnvironmentFile=$ENV_FILE
Environment=HOME=$DATA_DIR/caddy XDG_DATA_HOME=$DATA_DIR/caddy XDG_CONFIG_HOME=$DATA_DIR/caddy
WorkingDirectory=$DATA_DIR/caddy
ExecStart=$CADDY run --config $DATA_DIR/caddy/initial.json --resume
Restart=on-failure
RestartSec=5
AmbientCapabilities=CAP_NET_BIND_SERVICE
CapabilityBoundingSet=CAP_NET_BIND_SERVICE
StandardOutput=journal
StandardError=journal
SyslogIdentifier=gantry-caddy
ReadWritePaths=$DATA_DIR
PrivateTmp=yes
UMask=0077
$(unit_common_hardening | grep -v '^UMask=')

[Install]
WantedBy=gantry.target
UNIT
}

unit_web() {
  cat <<UNIT
[Unit]
Description=Gantry web app (dashboard and REST API)
PartOf=gantry.target
After=network-online.target postgresql.service redis-server.service gantry-caddy.service
Wants=network-online.target postgresql.service redis-server.service

[Service]
Type=simple
User=$SERVICE_USER
Group=$SERVICE_USER
EnvironmentFile=$ENV_FILE
Environment="NODE_OPTIONS=$GANTRY_NODE_OPTIONS" MALLOC_ARENA_MAX=$GANTRY_MALLOC_ARENA_MAX
WorkingDirectory=$PREFIX/current/apps/web
ExecStart=$NODE $PREFIX/current/apps/web/node_modules/next/dist/bin/next start -H \${WEB_HOST} -p \${WEB_PORT}
Restart=on-failure
RestartSec=5
StandardOutput=journal
StandardError=journal
SyslogIdentifier=gantry-web
ReadWritePaths=$DATA_DIR -$PREFIX/current/apps/web/.next/cache
PrivateTmp=yes
PrivateDevices=yes
$(unit_common_hardening)

[Install]
WantedBy=gantry.target
UNIT
}

# SIGTERM stops the worker gracefully: it takes no new job, waits for running ones up to
# WORKER_SHUTDOWN_TIMEOUT_MS (30 s by default), then leaves the rest to BullMQ's stalled-job
# check, which hands them to the next worker. TimeoutStopSec gives it that time and more;
# KillMode=mixed sends SIGTERM to the worker alone (it ends what it started itself).
unit_worker() {
  cat <<UNIT
[Unit]
Description=Gantry worker (jobs, Docker, mail catcher, shell and SSH servers)
PartOf=gantry.target
After=network-online.target postgresql.service redis-server.service docker.service gantry-caddy.service
Wants=network-online.target postgresql.service redis-server.service docker.service gantry-caddy.service

[Service]
Type=simple
User=$SERVICE_USER
Group=$SERVICE_USER
SupplementaryGroups=docker
EnvironmentFile=$ENV_FILE
Environment="NODE_OPTIONS=$GANTRY_NODE_OPTIONS" MALLOC_ARENA_MAX=$GANTRY_MALLOC_ARENA_MAX
WorkingDirectory=$PREFIX/current
ExecStartPre=+$PREFIX/current/scripts/services firewall
ExecStart=$NODE $PREFIX/current/apps/worker/dist/main.js
KillMode=mixed
TimeoutStopSec=120
Restart=on-failure
RestartSec=5
StandardOutput=journal
StandardError=journal
SyslogIdentifier=gantry-worker
ReadWritePaths=$DATA_DIR
$(unit_common_hardening)

[Install]
WantedBy=gantry.target
UNIT
}
