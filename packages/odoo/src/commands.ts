// Odoo command lines as argument arrays (never shell strings): install, update, serve,
// neutralize, shell. Every value that comes from outside is validated before it becomes an
// argument, and `redactCommand` hides secrets from anything meant for logs.
import { MODULE_NAME_PATTERN } from "./graph";
import { demoOffByDefault, type Series } from "./series";
import { parseTestTags } from "./test-tags";

export class CommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CommandError";
  }
}

export interface DbConnection {
  host: string;
  port: number;
  user: string;
  password: string;
}

export type OdooLogLevel = "info" | "debug" | "debug_sql" | "debug_rpc" | "warn" | "error" | "critical";

export interface CommonOptions {
  /** The program: `odoo` (official image entrypoint) or a path to `odoo-bin`. */
  binary?: string;
  db: string;
  connection: DbConnection;
  /** Container paths, in order. */
  addonsPath?: readonly string[];
  dataDir?: string;
  logLevel?: OdooLogLevel;
  logfile?: string;
  /**
   * Leave `--db_password` out (when it reaches Odoo through the environment or a config
   * file instead, which keeps it out of `ps` and `docker inspect`).
   */
  omitPassword?: boolean;
}

export interface TestOptions {
  /** `--test-tags` spec (validated); without it Odoo runs the `standard` tests of the modules loaded. */
  tags?: string;
}

export interface InstallOptions extends CommonOptions {
  modules: readonly string[];
  series: Series | string;
  demo: boolean;
  tests?: TestOptions | false;
  stopAfterInit?: boolean;
}

export interface UpdateOptions extends CommonOptions {
  modules: readonly string[] | "all";
  /** Modules to install in the same run (`-i`): new ones the updated code brings. */
  install?: readonly string[];
  tests?: TestOptions | false;
  stopAfterInit?: boolean;
}

export interface ServeOptions extends CommonOptions {
  httpInterface?: string;
  httpPort?: number;
  workers: number;
  maxCronThreads: number;
  limitTimeReal?: number;
  proxyMode?: boolean;
  /** Outgoing mail server; `user` and `password` log in to it (the catcher knows each build so). */
  smtp?: { server: string; port: number; user?: string; password?: string };
  /** A config file (container path) with what must stay off the command line: odooConfigFile. */
  configFile?: string;
  /** `--load`: the server-wide modules (serverWideModules in connect.ts); Odoo's default when absent. */
  serverWideModules?: readonly string[];
}

// Odoo's own rule for database names (odoo.service.db), bounded to PostgreSQL's 63 bytes.
const DB_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;
const HOST = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,252}[A-Za-z0-9])?$|^\[?[0-9a-fA-F:.]+\]?$/;

function check(condition: boolean, message: string): void {
  if (!condition) throw new CommandError(message);
}

function checkPort(port: number, what: string): void {
  check(Number.isInteger(port) && port > 0 && port < 65536, `${what} must be a port number, got ${port}`);
}

function checkPath(path: string, what: string): void {
  check(
    path.startsWith("/") && !path.includes("\0") && !path.includes(","),
    `${what} must be an absolute path without commas: ${JSON.stringify(path)}`,
  );
}

/**
 * Odoo's config file for a serving build: the master password (`admin_passwd`, which guards the
 * database manager), random per build, so that it is in no command line and no image.
 */
export function odooConfigFile(options: { adminPasswd: string; connectKey?: string }): string {
  check(
    /^[A-Za-z0-9_-]{16,128}$/.test(options.adminPasswd),
    "the master password must be 16 to 128 letters, digits, _ or -",
  );
  let text = `[options]\nadmin_passwd = ${options.adminPasswd}\n`;
  if (options.connectKey !== undefined) {
    // Odoo keeps every key of [options] in odoo.tools.config: gantry_connect reads it there.
    check(
      /^[A-Za-z0-9_-]{32,128}$/.test(options.connectKey),
      "the connect key must be 32 to 128 letters, digits, _ or -",
    );
    text += `gantry_connect_key = ${options.connectKey}\n`;
  }
  return text;
}

function checkModules(modules: readonly string[]): string {
  check(modules.length > 0, "no modules given");
  const bad = modules.filter((m) => !MODULE_NAME_PATTERN.test(m));
  check(bad.length === 0, `invalid module names: ${bad.map((m) => JSON.stringify(m)).join(", ")}`);
  return [...new Set(modules)].join(",");
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");
}

function common(options: CommonOptions): string[] {
  check(DB_NAME.test(options.db), `invalid database name ${JSON.stringify(options.db)}`);
  const { host, port, user, password } = options.connection;
  check(HOST.test(host), `invalid database host ${JSON.stringify(host)}`);
  checkPort(port, "database port");
  check(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}$/.test(user), `invalid database user ${JSON.stringify(user)}`);
  const args = ["-d", options.db, "--db_host", host, "--db_port", String(port), "--db_user", user];
  if (!options.omitPassword) args.push("--db_password", password);
  if (options.addonsPath && options.addonsPath.length > 0) {
    for (const path of options.addonsPath) checkPath(path, "addons path entry");
    args.push("--addons-path", options.addonsPath.join(","));
  }
  if (options.dataDir) {
    checkPath(options.dataDir, "data dir");
    args.push("--data-dir", options.dataDir);
  }
  if (options.logfile) {
    checkPath(options.logfile, "log file");
    args.push("--logfile", options.logfile);
  }
  args.push("--log-level", options.logLevel ?? "info");
  return args;
}

function binary(options: CommonOptions): string {
  const program = options.binary ?? "odoo";
  check(/^[A-Za-z0-9_./-]+$/.test(program), `invalid program ${JSON.stringify(program)}`);
  return program;
}

function testArgs(tests: TestOptions | false | undefined): string[] {
  if (!tests) return [];
  const args = ["--test-enable"];
  if (tests.tags !== undefined) {
    parseTestTags(tests.tags);
    args.push("--test-tags", tests.tags);
  }
  return args;
}

/** Demo data flags for a new database: `--without-demo=all` before saas-18.3, `--with-demo` from it. */
export function demoArgs(series: Series | string, demo: boolean): string[] {
  if (demoOffByDefault(series)) return demo ? ["--with-demo"] : [];
  return demo ? [] : ["--without-demo=all"];
}

export function installCommand(options: InstallOptions): string[] {
  return [
    binary(options),
    ...common(options),
    "-i",
    checkModules(options.modules),
    ...(options.stopAfterInit === false ? [] : ["--stop-after-init"]),
    ...demoArgs(options.series, options.demo),
    ...testArgs(options.tests),
  ];
}

export function updateCommand(options: UpdateOptions): string[] {
  const modules = options.modules === "all" ? "all" : checkModules(options.modules);
  const install = options.install?.length ? ["-i", checkModules(options.install)] : [];
  return [
    binary(options),
    ...common(options),
    ...install,
    "-u",
    modules,
    ...(options.stopAfterInit === false ? [] : ["--stop-after-init"]),
    ...testArgs(options.tests),
  ];
}

export function serveCommand(options: ServeOptions): string[] {
  const httpPort = options.httpPort ?? 8069;
  checkPort(httpPort, "HTTP port");
  check(
    Number.isInteger(options.workers) && options.workers >= 0 && options.workers <= 64,
    "workers must be 0..64",
  );
  check(
    Number.isInteger(options.maxCronThreads) && options.maxCronThreads >= 0 && options.maxCronThreads <= 16,
    "max cron threads must be 0..16",
  );
  const httpInterface = options.httpInterface ?? "0.0.0.0";
  check(HOST.test(httpInterface), `invalid HTTP interface ${JSON.stringify(httpInterface)}`);
  const args = [
    binary(options),
    ...common(options),
    "--http-interface",
    httpInterface,
    "--http-port",
    String(httpPort),
    "--workers",
    String(options.workers),
    "--max-cron-threads",
    String(options.maxCronThreads),
  ];
  if (options.configFile !== undefined) {
    checkPath(options.configFile, "config file");
    args.splice(1, 0, "-c", options.configFile);
  }
  if (options.limitTimeReal !== undefined) {
    check(
      Number.isInteger(options.limitTimeReal) && options.limitTimeReal > 0,
      "limit-time-real must be a positive integer",
    );
    args.push("--limit-time-real", String(options.limitTimeReal));
  }
  if (options.serverWideModules !== undefined) {
    args.push(`--load=${checkModules(options.serverWideModules)}`);
  }
  if (options.proxyMode ?? true) args.push("--proxy-mode");
  if (options.smtp) {
    check(HOST.test(options.smtp.server), `invalid SMTP server ${JSON.stringify(options.smtp.server)}`);
    checkPort(options.smtp.port, "SMTP port");
    // Odoo's option is --smtp (dest smtp_server); it has no --smtp-server.
    args.push("--smtp", options.smtp.server, "--smtp-port", String(options.smtp.port));
    if (options.smtp.user !== undefined) {
      check(
        /^[A-Za-z0-9_.@-]{1,100}$/.test(options.smtp.user),
        `invalid SMTP user ${JSON.stringify(options.smtp.user)}`,
      );
      check(
        /^[\x21-\x7e]{1,200}$/.test(options.smtp.password ?? ""),
        "the SMTP password must be 1 to 200 printable characters",
      );
      args.push("--smtp-user", options.smtp.user, "--smtp-password", options.smtp.password as string);
    }
  }
  // Only this build's database is ever served, whatever the Host header says; and the database
  // manager (/web/database/backup, /restore, /drop, guarded only by admin_passwd) stays shut:
  // backups and restores are Gantry's.
  args.push("--db-filter", `^${escapeRegex(options.db)}$`, "--no-database-list");
  return args;
}

/** `odoo neutralize -d DB`: runs every installed module's neutralize.sql, sets database.is_neutralized. */
export function neutralizeCommand(options: CommonOptions): string[] {
  return [binary(options), "neutralize", ...common(options)];
}

export function shellCommand(
  options: CommonOptions & { shellInterface?: "python" | "ipython" | "ptpython" | "bpython" },
): string[] {
  const args = [binary(options), "shell", ...common(options), "--no-http"];
  if (options.shellInterface) args.push("--shell-interface", options.shellInterface);
  return args;
}

const SECRET_OPTIONS = new Set(["--db_password", "-w", "--smtp-password", "--admin-passwd"]);
export const REDACTED = "********";

/** A copy of the arguments fit for logs: secret option values replaced, in every spelling. */
export function redactCommand(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (SECRET_OPTIONS.has(arg)) {
      out.push(arg);
      if (i + 1 < args.length) {
        out.push(REDACTED);
        i += 1;
      }
      continue;
    }
    const eq = arg.indexOf("=");
    if (eq > 0 && SECRET_OPTIONS.has(arg.slice(0, eq))) {
      out.push(`${arg.slice(0, eq)}=${REDACTED}`);
    } else if (/^-w./.test(arg)) {
      // optparse also takes a short option glued to its value: -wsecret.
      out.push(`-w${REDACTED}`);
    } else {
      out.push(arg);
    }
  }
  return out;
}

/**
 * The official image's entrypoint appends `--db_host/--db_port/--db_user/--db_password`
 * from these variables (defaults db/5432/odoo/odoo) after the command's own arguments, and
 * the last occurrence wins: set them to the same connection.
 */
export function entrypointEnvironment(connection: DbConnection): Record<string, string> {
  return {
    HOST: connection.host,
    PORT: String(connection.port),
    USER: connection.user,
    PASSWORD: connection.password,
  };
}
