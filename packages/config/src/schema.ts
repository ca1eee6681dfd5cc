import { isIP } from "node:net";
import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(" or ")}` },
  );

/** An IP address or a CIDR block: 10.0.0.1, 10.0.0.0/8, ::1, fd00::/8. */
function isAddressOrBlock(entry: string): boolean {
  const [address = "", prefix, ...rest] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

const addressList = z
  .string()
  .transform((value) =>
    value
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .refine((entries) => entries.every(isAddressOrBlock), {
    message: "comma-separated IP addresses or CIDR blocks (10.0.0.1, 10.0.0.0/8)",
  });

/**
 * Every environment variable Gantry reads, with its default. `.env.example` mirrors this
 * list; a test keeps the two in step.
 */
export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  // The three PostgreSQL URLs: the scripts export them with generated passwords (withPassword).
  DATABASE_URL: url(["postgresql:", "postgres:"]).default("postgresql://gantry@127.0.0.1:5432/gantry"),
  // Unset: the local Redis the scripts start, with the password they generated (see defaults.ts).
  REDIS_URL: url(["redis:", "rediss:"]).optional(),
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]+$/i, "letters, digits, _ and - only")
    .default("gantry"),
  DOCKER_HOST: z.string().default("unix:///var/run/docker.sock"),
  // Where builds run: one Docker Engine (docker), or a Docker Swarm through a manager's engine.
  RUNTIME: z.enum(["docker", "swarm"]).default("docker"),
  SWARM_MANAGER_HOST: z.string().optional(),
  // host:port of the registry images reach the nodes through: as this machine pushes to it,
  // and as the nodes pull from it.
  SWARM_REGISTRY_PUSH: z.string().optional(),
  SWARM_REGISTRY_PULL: z.string().optional(),
  // hostname=address,… : each node's engine, for the shell, exec and stats of its builds.
  SWARM_NODE_HOSTS: z
    .string()
    .regex(/^([^=,\s]+=[^=,\s]+(,[^=,\s]+=[^=,\s]+)*)?$/, "hostname=address pairs, comma-separated")
    .default(""),
  // The address at which tasks on the nodes reach this machine's build database clusters and
  // mail catcher, on their own ports (empty: the overlay's gateway, i.e. not at all).
  SWARM_HOST_ADDRESS: z
    .string()
    .regex(/^[A-Za-z0-9.-]*$/, "a host name or IPv4 address")
    .default(""),
  GANTRY_DATA_DIR: z.string().min(1).default("./var"),
  GANTRY_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  WEB_HOST: z.string().default("127.0.0.1"),
  WEB_PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  PUBLIC_URL: url(["http:", "https:"]).default("http://127.0.0.1:3000"),
  BASE_DOMAIN: z.string().default("localhost"),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  WORKER_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1000).default(30000),
  WORKER_HEARTBEAT_MS: z.coerce.number().int().min(500).default(5000),
  ODOO_IMAGE: z.string().default("gantry/odoo"),
  ADMIN_EMAIL: z.string().email().default("admin@gantry.localhost"),
  // Where Gantry sends its own notices (upgrade outcomes) to project Admins; empty: none sent,
  // they show on the dashboard only. smtp://user:pass@host:587 (STARTTLS when offered) or smtps://.
  SMTP_URL: url(["smtp:", "smtps:"]).optional(),
  MAIL_FROM: z.string().min(3).default("Gantry <gantry@localhost>"),
  ADMIN_PASSWORD: z.string().min(8, "must be at least 8 characters").optional(),
  GANTRY_TEST_MODE: bool.default(false),
  GITHUB_CLIENT_ID: z.string().optional(),
  GITHUB_CLIENT_SECRET: z.string().optional(),
  GITHUB_API_URL: url(["http:", "https:"]).default("https://api.github.com"),
  GITHUB_APP_ID: z.string().regex(/^\d+$/, "digits only").optional(),
  GITHUB_APP_PRIVATE_KEY: z.string().optional(),
  BUILD_DATABASE_URL: url(["postgresql:", "postgres:"]).default(
    "postgresql://gantry@127.0.0.1:5434/postgres",
  ),
  BUILD_DEV_DATABASE_URL: url(["postgresql:", "postgres:"]).default(
    "postgresql://gantry@127.0.0.1:5433/postgres",
  ),
  BUILD_MEMORY_MB: z.coerce.number().int().min(128).default(2048),
  BUILD_CPUS: z.coerce.number().min(0.1).max(64).default(1),
  BUILD_PORT_MIN: z.coerce.number().int().min(1024).max(65535).default(20000),
  BUILD_PORT_MAX: z.coerce.number().int().min(1024).max(65535).default(29999),
  // Build containers sit on Docker bridge networks (one per project and egress mode), each a /24
  // of this pool; the build clusters' pg_hba and the host firewall admit exactly this range.
  BUILD_NETWORK_POOL: z
    .string()
    .regex(/^\d{1,3}(\.\d{1,3}){3}\/(\d|1\d|2[0-4])$/, "an IPv4 CIDR of /24 or wider, e.g. 10.213.0.0/16")
    .default("10.213.0.0/16"),
  BUILD_DEV_KEEP: z.coerce.number().int().min(1).max(100).default(3),
  BUILD_DEV_MAX_AGE_HOURS: z.coerce.number().int().min(1).default(72),
  // Production serves with its own settings: more workers, more memory, no mail catcher.
  BUILD_PROD_WORKERS: z.coerce.number().int().min(0).max(64).default(2),
  BUILD_PROD_MEMORY_MB: z.coerce.number().int().min(128).default(4096),
  BUILD_PROD_CPUS: z.coerce.number().min(0.1).max(64).default(2),
  // Parallel streams of the copy of production into a staging build (rows and index builds).
  BUILD_COPY_JOBS: z.coerce.number().int().min(1).max(16).default(2),
  TEMPLATE_MAX_COUNT: z.coerce.number().int().min(1).max(1000).default(10),
  TEMPLATE_MAX_AGE_DAYS: z.coerce.number().int().min(1).default(7),
  // Where the catcher listens. Builds reach it through their network's gateway (a loopback or
  // wildcard host here means "this host"), so it listens beyond loopback; the host firewall
  // lets build networks reach this port, and the catcher takes mail only with a build's login.
  MAIL_CATCHER_SMTP: z
    .string()
    .regex(/^[A-Za-z0-9.-]+:\d+$/, "HOST:PORT")
    .default("0.0.0.0:2525"),
  // What the catcher keeps: a larger mail is refused at DATA (552); past the count, a build's
  // oldest mails are dropped to make room for the new one.
  MAIL_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
  MAIL_MAX_PER_BUILD: z.coerce.number().int().min(1).max(100000).default(500),
  // The web shell: a WebSocket server the worker runs (it has Docker; the web never does), the
  // address browsers reach it at (empty: PUBLIC_URL's host on SHELL_LISTEN's port), and the
  // minutes after which a session nobody typed in is closed.
  SHELL_LISTEN: z
    .string()
    .regex(/^[A-Za-z0-9.-]+:\d+$/, "HOST:PORT")
    .default("127.0.0.1:3022"),
  SHELL_PUBLIC_URL: z.union([z.literal(""), url(["ws:", "wss:"])]).default(""),
  SHELL_IDLE_MINUTES: z.coerce.number().min(0.01).max(1440).default(30),
  // The SSH server the worker runs beside the shell server: `ssh <build>@host -p PORT` lands in
  // the same shell. Its host key is made once into GANTRY_DATA_DIR/ssh.
  SSH_LISTEN: z
    .string()
    .regex(/^[A-Za-z0-9.-]+:\d+$/, "HOST:PORT")
    .default("127.0.0.1:2222"),
  // SFTP uploads into a build's filestore: no file larger than this, and none while the
  // filesystem under the filestores has less than SFTP_MIN_FREE_BYTES free.
  SFTP_MAX_FILE_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(2 * 1024 * 1024 * 1024),
  SFTP_MIN_FREE_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .default(1024 * 1024 * 1024),
  // unix:///path/to/admin.sock, or http(s):// for a Caddy elsewhere. Unset: the socket the
  // scripts give the Caddy they start, <GANTRY_DATA_DIR>/caddy/admin.sock.
  CADDY_ADMIN_URL: url(["unix:", "http:", "https:"])
    .refine((value) => !value.startsWith("unix:") || /^unix:\/\/\/./.test(value), {
      message: "a unix socket is named by its absolute path: unix:///path/to/admin.sock",
    })
    .optional(),
  CADDY_HTTP_LISTEN: z
    .string()
    .regex(/^[A-Za-z0-9.-]*:\d+$/, "[HOST]:PORT")
    .default(":80"),
  // HTTPS for the builds' hosts and custom domains: off (plain HTTP on CADDY_HTTP_LISTEN), or
  // acme: Caddy also listens on CADDY_HTTPS_LISTEN and gets certificates from ACME_CA.
  HTTPS: z.enum(["off", "acme"]).default("off"),
  CADDY_HTTPS_LISTEN: z
    .string()
    .regex(/^[A-Za-z0-9.-]*:\d+$/, "[HOST]:PORT")
    .default(":443"),
  ACME_CA: url(["http:", "https:"]).default("https://acme-v02.api.letsencrypt.org/directory"),
  ACME_EMAIL: z.union([z.literal(""), z.string().email()]).default(""),
  // A PEM file of the root to trust for ACME_CA (a company or test CA); empty: the system's roots.
  ACME_CA_ROOT: z.string().default(""),
  // Gantry's public addresses: a custom domain whose A/AAAA records name them is verified.
  PUBLIC_IPV4: z
    .union([z.literal(""), z.string().refine((v) => isIP(v) === 4, "an IPv4 address")])
    .default(""),
  PUBLIC_IPV6: z
    .union([z.literal(""), z.string().refine((v) => isIP(v) === 6, "an IPv6 address")])
    .default(""),
  // DNS servers custom domains are verified with (host:port, comma-separated); empty: the system's.
  DNS_RESOLVER: z
    .string()
    .transform((value) =>
      value
        .split(",")
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .refine((entries) => entries.every((entry) => /^(\[[0-9a-fA-F:.]+\]|[0-9.]+)(:\d+)?$/.test(entry)), {
      message: "comma-separated IP[:PORT] ([IPv6]:PORT)",
    })
    .default([]),
  // Idle sleep of staging and development builds: 0 keeps them always up.
  BUILD_IDLE_MINUTES: z.coerce.number().min(0).max(10080).default(60),
  BUILD_IDLE_CHECK_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  // The Monitor tab: every serving, awake build sampled every N seconds (0: never); database
  // and filestore sizes, which cost a walk of their files, at most every N seconds.
  METRICS_INTERVAL_SECONDS: z.coerce
    .number()
    .int()
    .refine((n) => n === 0 || (n >= 5 && n <= 3600), "0, or 5 to 3600")
    .default(15),
  METRICS_SIZE_REFRESH_SECONDS: z.coerce.number().int().min(0).max(86400).default(300),
  // GET /api/health answers from a report at most this old (0: every call checks everything).
  HEALTH_CACHE_SECONDS: z.coerce.number().min(0).max(300).default(5),
  // Statements slower than this many ms land in their build's pg_slow_queries.log: the build
  // clusters' log_min_duration_statement, which scripts/services writes (0: off).
  SLOW_QUERY_MS: z.coerce.number().int().min(0).max(3_600_000).default(1000),
  // New revisions of the Odoo images, pinned revisions that lapse, upgrade-test copies that end:
  // looked at every N minutes (0: never). Production gets a new revision at the window's hour (UTC).
  ODOO_VERSION_CHECK_MINUTES: z.coerce.number().int().min(0).max(1440).default(10),
  // Custom domains' DNS and served certificates looked at again every N minutes (0: never).
  DOMAIN_RECHECK_MINUTES: z.coerce.number().int().min(0).max(10080).default(60),
  ODOO_UPDATE_HOUR: z.coerce.number().int().min(0).max(23).default(4),
  CADDY_ACCESS_LOG: z.string().optional(),
  SESSION_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  SIGN_IN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  SIGN_IN_LOCK_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  SIGN_IN_ACCOUNT_MAX_FAILURES: z.coerce.number().int().min(1).max(10000).default(20),
  TRUSTED_PROXIES: addressList.default([]),
  BACKUP_DIR: z.string().optional(),
  BACKUP_DAILY_HOUR: z.coerce.number().int().min(0).max(23).default(3),
  BACKUP_IMPORT_MAX_MB: z.coerce.number().int().min(1).default(4096),
  BACKUP_S3_BUCKET: z.string().optional(),
  BACKUP_S3_PREFIX: z
    .string()
    .regex(/^([A-Za-z0-9_][A-Za-z0-9._-]*\/)*$/, "path segments ending with /")
    .optional(),
  BACKUP_S3_ENDPOINT: url(["http:", "https:"]).optional(),
  BACKUP_S3_REGION: z.string().default("us-east-1"),
  BACKUP_S3_ACCESS_KEY_ID: z.string().optional(),
  BACKUP_S3_SECRET_ACCESS_KEY: z.string().optional(),
  OPENUPGRADE_PATH: z.string().optional(),
  ODOO_UPGRADE_URL: url(["http:", "https:"]).default("https://upgrade.odoo.com"),
  ODOO_UPGRADE_CONTRACT: z.string().optional(),
  ODOO_UPGRADE_EMAIL: z.string().email().optional(),
});

/** The environment as given: the variables whose default depends on others may be unset. */
export type ParsedEnv = z.infer<typeof envSchema>;

/** The configuration, every derived default filled in (see defaults.ts). */
export type Config = Omit<ParsedEnv, "REDIS_URL" | "CADDY_ADMIN_URL"> & {
  REDIS_URL: string;
  CADDY_ADMIN_URL: string;
};
