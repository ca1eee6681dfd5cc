import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { PROD_CLUSTER } from "../../support/clusters";
import { FIXTURE_SERIES, makeReposArgs, missingImageHint, ODOO_REPOSITORY } from "../../support/odoo-target";

const run = promisify(execFile);
const repoRoot = resolve(import.meta.dirname, "../../..");
/** The Odoo stand-in runs against production's build cluster, as its administrator. */
export const PG = {
  host: PROD_CLUSTER.host,
  port: PROD_CLUSTER.port,
  user: PROD_CLUSTER.user,
  password: PROD_CLUSTER.password,
};
export const DB_ARGS = [
  "--db_host",
  PG.host,
  "--db_port",
  String(PG.port),
  "--db_user",
  PG.user,
  "--db_password",
  PG.password,
];

/** The images run: `ODOO_IMAGE:<series>`, as Gantry names them (gantry/odoo by default). */
export function imageOf(series = FIXTURE_SERIES): string {
  return `${ODOO_REPOSITORY}:${series}`;
}

/** Fails with a clear message when the stand-in images were not built. */
export async function requireImages(series: string[] = [FIXTURE_SERIES]): Promise<void> {
  for (const s of series) {
    try {
      await run("docker", ["image", "inspect", imageOf(s)]);
    } catch {
      throw new Error(missingImageHint(imageOf(s)));
    }
  }
}

let reposDir: Promise<string> | undefined;
/** The fixture bare repositories, made once per test process. */
export function fixtureRepos(): Promise<string> {
  reposDir ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), "gantry-standin-repos-"));
    await run(join(repoRoot, "tests/fixtures/make-repos"), makeReposArgs(dir));
    return dir;
  })();
  return reposDir;
}

/** A working copy of `repo` at `branch`, submodules included, readable by the image's odoo user. */
export async function checkout(repo: string, branch: string): Promise<string> {
  const repos = await fixtureRepos();
  const dir = await mkdtemp(join(tmpdir(), "gantry-standin-src-"));
  await run("git", [
    "-c",
    "protocol.file.allow=always",
    "clone",
    "-q",
    "--recurse-submodules",
    "-b",
    branch,
    join(repos, `${repo}.git`),
    join(dir, "src"),
  ]);
  await chmod(dir, 0o755);
  return join(dir, "src");
}

/** A data dir the container's odoo user (uid 101) can write to. */
export async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "gantry-standin-data-"));
  await chmod(dir, 0o777);
  return dir;
}

export function uniqueDb(prefix = "standin"): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
}

export async function query<T extends pg.QueryResultRow>(db: string, sql: string, params: unknown[] = []) {
  const client = new pg.Client({ ...PG, database: db });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

export async function dropDb(db: string): Promise<void> {
  await query("postgres", `DROP DATABASE IF EXISTS "${db.replace(/"/g, "")}" WITH (FORCE)`);
}

export async function cloneDb(template: string, db: string): Promise<void> {
  await query("postgres", `CREATE DATABASE "${db}" TEMPLATE "${template}"`);
}

export interface OdooRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface OdooOptions {
  series?: string;
  source?: string;
  data?: string;
  name?: string;
  detach?: boolean;
  /** More `-v` mounts, `host:container[:ro]`. */
  extraMounts?: string[];
}

/** Extra addons folders of a fixture checkout: the root and its submodule. */
export const ADDONS = "/mnt/extra-addons,/mnt/extra-addons/addons/extra";

/** `-i` of acme_mailer, whose install sends one mail, through the given SMTP options. */
export function mailerInstallArgs(db: string, smtp: string[]): string[] {
  return [
    "odoo",
    "-d",
    db,
    ...DB_ARGS,
    "--addons-path",
    ADDONS,
    "-i",
    "acme_mailer",
    ...smtp,
    "--stop-after-init",
  ];
}

function dockerArgs(args: string[], opts: OdooOptions): string[] {
  const out = [
    "run",
    "--network",
    "host",
    "--label",
    "gantry.managed=true",
    "--label",
    "gantry.test=standin",
  ];
  if (opts.name) out.push("--name", opts.name);
  out.push(opts.detach ? "-d" : "--rm");
  if (opts.source) out.push("-v", `${opts.source}:/mnt/extra-addons:ro`);
  if (opts.data) out.push("-v", `${opts.data}:/var/lib/odoo`);
  for (const mount of opts.extraMounts ?? []) out.push("-v", mount);
  out.push(imageOf(opts.series), ...args);
  return out;
}

/** Runs the image's `odoo` command to completion. */
export async function odoo(args: string[], opts: OdooOptions = {}): Promise<OdooRun> {
  try {
    const { stdout, stderr } = await run("docker", dockerArgs(args, opts), { maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

export async function odooDetached(args: string[], opts: OdooOptions & { name: string }): Promise<void> {
  await run("docker", dockerArgs(args, { ...opts, detach: true }));
}

export async function logsOf(name: string): Promise<string> {
  const { stdout, stderr } = await run("docker", ["logs", name], { maxBuffer: 64 * 1024 * 1024 });
  return stdout + stderr;
}

export async function removeContainer(name: string): Promise<void> {
  await run("docker", ["rm", "-f", name]).catch(() => undefined);
}

/** Every container this suite started, by label: removed after each file. */
export async function removeTestContainers(): Promise<void> {
  const { stdout } = await run("docker", ["ps", "-aq", "--filter", "label=gantry.test=standin"]);
  const ids = stdout.split("\n").filter(Boolean);
  if (ids.length) await run("docker", ["rm", "-f", ...ids]).catch(() => undefined);
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

/** Odoo's log line format: `YYYY-MM-DD HH:MM:SS,mmm PID LEVEL DB LOGGER: message`. */
export const LOG_LINE =
  /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} \d+ (DEBUG|INFO|WARNING|ERROR|CRITICAL) \S+ [\w.]+: /;

/** A database with base, mail and contacts installed (no tests): cloned by each test. */
export async function makeTemplate(series = "17.0"): Promise<string> {
  const db = uniqueDb("standin_tpl");
  const result = await odoo(["odoo", "-d", db, ...DB_ARGS, "-i", "base,mail,contacts", "--stop-after-init"], {
    series,
    data: await dataDir(),
  });
  if (result.code !== 0) throw new Error(`template install failed:\n${result.stdout}${result.stderr}`);
  return db;
}
