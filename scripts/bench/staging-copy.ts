// Staging copy benchmark: how a staging build copies production, against the bare tools.
//
//   pnpm exec tsx scripts/bench/staging-copy.ts [--size-mb N] [--files N] [--jobs N] [--runs N] [--sides gantry,bare,reference] [--no-reference] [--from DB] [--filestore DIR] [--clean]
//
// Builds (or reuses) a production-like database of at least N MB (default 1024: a few large
// tables with indexes and foreign keys, and a few hundred small ones, like Odoo's) and a
// filestore of --files files (default 10000), then copies both, in the same run:
//   gantry:    copyDatabase (one snapshot; schema; then --jobs lanes: large tables as binary
//              COPY ... FREEZE pipes, small ones in one pg_dump -Z0 | pg_restore, each large
//              table's indexes as soon as its rows are in, foreign keys once both tables have
//              their keys) + hard-linked filestore; the phases of each run are printed
//   bare:      pg_dump -Fc | pg_restore (one stream, default compression) + cp -r
//   reference: pg_dump -Fd -j N -Z0 into a folder, then pg_restore -j N (the usual parallel way)
// Production keeps serving meanwhile: one client writes and reads on it during every side.
// Each side runs --runs times (default 1), alternating; medians, ratios and the machine's load
// are printed. --sides picks some of them (gantry,bare,reference).
// --from copies an existing database of the build cluster instead (e.g. a real Odoo database
// with demo data), left in place by --clean; --filestore takes its filestore instead of the
// generated files. The traffic client adds its own table to it.
import { type StdioOptions, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import type { Readable } from "node:stream";
import { config } from "@gantry/config";
import pg from "pg";
import { copyDatabase, copyFilestore, describePhases, findPgTool } from "../../packages/postgres/src/index";
import { flag, option } from "./lib/args";
import { ensureFilestore } from "./lib/filestore";
import { adminOf, queryOn } from "./lib/pg";

const FROM = option("--from", "");
const SOURCE = FROM || "gantry_bench_prod";
const TARGET = "gantry_bench_staging";
const ROLE = "gantry_bench_staging_role";
const ROLE_PASSWORD = "bench0123456789abcdef";
const benchDir = resolve(config().GANTRY_DATA_DIR, "bench", "staging-copy");

const admin = (database = "postgres") => adminOf(config().BUILD_DATABASE_URL, database);
const query = <T extends pg.QueryResultRow>(database: string, text: string) =>
  queryOn<T>(admin(database), text);

const sizeOf = async (database: string) =>
  Number((await query<{ s: string }>(database, "SELECT pg_database_size(current_database()) AS s"))[0]!.s);

async function ensureSource(sizeMb: number): Promise<number> {
  const exists =
    (await query("postgres", `SELECT 1 FROM pg_database WHERE datname = '${SOURCE}'`)).length > 0;
  if (FROM) {
    if (!exists) throw new Error(`database ${FROM} (--from) does not exist on the build cluster`);
    return sizeOf(SOURCE);
  }
  if (!exists) {
    await query("postgres", `CREATE DATABASE "${SOURCE}"`);
    // Odoo-like: a few large tables with indexes and foreign keys, many small ones.
    await query(
      SOURCE,
      `CREATE TABLE res_partner (id bigserial PRIMARY KEY, name varchar NOT NULL, email varchar, street varchar,
         city varchar, comment text, active boolean, create_date timestamp, write_date timestamp);
       CREATE INDEX res_partner_name_index ON res_partner (name);
       CREATE INDEX res_partner_email_index ON res_partner (email);
       CREATE TABLE mail_message (id bigserial PRIMARY KEY, res_id bigint, model varchar, author_id bigint
         REFERENCES res_partner (id), body text, date timestamp);
       CREATE INDEX mail_message_model_res_id_index ON mail_message (model, res_id);
       CREATE INDEX mail_message_author_id_index ON mail_message (author_id);
       CREATE TABLE account_move_line (id bigserial PRIMARY KEY, partner_id bigint REFERENCES res_partner (id),
         name varchar, debit numeric(16,2), credit numeric(16,2), balance numeric(16,2), date date, ref varchar);
       CREATE INDEX account_move_line_partner_id_index ON account_move_line (partner_id);
       CREATE INDEX account_move_line_date_index ON account_move_line (date);
       DO $$ BEGIN
         FOR i IN 1..300 LOOP
           EXECUTE format('CREATE TABLE ir_small_%s (id serial PRIMARY KEY, name varchar, value text, sequence int)', i);
           EXECUTE format('INSERT INTO ir_small_%s (name, value, sequence) SELECT ''n'' || g, md5(g::text), g FROM generate_series(1, 50) g', i);
         END LOOP;
       END $$;`,
    );
  }
  let size = await sizeOf(SOURCE);
  while (size < sizeMb * 1024 * 1024) {
    const t0 = Date.now();
    const base = Number(
      (await query<{ m: string }>(SOURCE, "SELECT coalesce(max(id), 0) AS m FROM res_partner"))[0]!.m,
    );
    // ~120 MB a round.
    await query(
      SOURCE,
      `INSERT INTO res_partner (name, email, street, city, comment, active, create_date, write_date)
         SELECT 'Partner ' || i, 'partner' || i || '@example.com', (i % 997) || ' Main Street', 'City ' || (i % 113),
                md5(i::text) || ' ' || md5((i * 7)::text), i % 9 <> 0, now() - (i || ' seconds')::interval, now()
           FROM generate_series(${base + 1}, ${base + 200000}) AS i;
       INSERT INTO mail_message (res_id, model, author_id, body, date)
         SELECT i, 'res.partner', i, '<p>' || repeat(md5((i * 13)::text) || ' ', 4) || '</p>', now()
           FROM generate_series(${base + 1}, ${base + 200000}) AS i;
       INSERT INTO account_move_line (partner_id, name, debit, credit, balance, date, ref)
         SELECT i, 'Line ' || i, (i % 1000) / 10.0, 0, (i % 1000) / 10.0, current_date - (i % 700), 'INV/' || i
           FROM generate_series(${base + 1}, ${base + 200000}) AS i;`,
    );
    size = await sizeOf(SOURCE);
    console.log(`  database ${Math.round(size / 1048576)} MB (${Date.now() - t0} ms for this round)`);
  }
  await query(SOURCE, "VACUUM ANALYZE");
  return size;
}

function run(command: string, argv: string[], env: NodeJS.ProcessEnv, stdin?: Readable) {
  const stdio: StdioOptions = [stdin ?? "ignore", "pipe", "inherit"];
  const child = spawn(command, argv, { env, stdio });
  const done = new Promise<void>((ok, fail) => {
    child.on("error", fail);
    child.on("close", (code) => (code === 0 ? ok() : fail(new Error(`${command} exited with ${code}`))));
  });
  return { child, done };
}

const env = (password: string) => ({ ...process.env, PGPASSWORD: password });
const conn = (c: ReturnType<typeof admin>) => ["-h", c.host, "-p", String(c.port), "-U", c.user];

async function freshTarget(): Promise<void> {
  await query("postgres", `DROP DATABASE IF EXISTS "${TARGET}" WITH (FORCE)`);
  await query("postgres", `DROP ROLE IF EXISTS "${ROLE}"`);
  await query("postgres", `CREATE ROLE "${ROLE}" LOGIN PASSWORD '${ROLE_PASSWORD}'`);
  // As createRole does: the administrator (no superuser) gives a database only to a role it is a member of.
  await query("postgres", `GRANT "${ROLE}" TO CURRENT_USER`);
  await query("postgres", `CREATE DATABASE "${TARGET}" OWNER "${ROLE}" TEMPLATE template0 ENCODING 'UTF8'`);
}

/**
 * Production's own traffic while a side copies it: one client writing a row and reading a
 * partner by id, again and again, on a table of its own (the copied tables stay as they were,
 * so that every copy can be checked against them). Says how many round trips were served and
 * the slowest: production must keep serving throughout.
 */
function traffic(): () => Promise<{ served: number; slowestMs: number }> {
  let going = true;
  let served = 0;
  let slowestMs = 0;
  const loop = (async () => {
    const client = new pg.Client(admin(SOURCE));
    await client.connect();
    try {
      await client.query(
        "CREATE TABLE IF NOT EXISTS bench_traffic (id bigserial PRIMARY KEY, at timestamptz)",
      );
      while (going) {
        const t0 = performance.now();
        await client.query("INSERT INTO bench_traffic (at) VALUES (now())");
        await client.query("SELECT name FROM res_partner WHERE id = $1", [1 + (served % 100000)]);
        slowestMs = Math.max(slowestMs, performance.now() - t0);
        served += 1;
      }
      await client.query("TRUNCATE bench_traffic");
    } finally {
      await client.end();
    }
  })();
  return async () => {
    going = false;
    await loop;
    return { served, slowestMs: Math.round(slowestMs) };
  };
}

async function timed(work: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await work();
  return performance.now() - t0;
}

async function gantrySide(filestore: string, jobs: number): Promise<number> {
  await freshTarget();
  const copyDir = join(benchDir, "staging", "filestore", TARGET);
  await rm(copyDir, { recursive: true, force: true });
  const source = admin(SOURCE);
  return timed(async () => {
    const report = await copyDatabase({
      source,
      target: { ...admin(TARGET), user: ROLE, password: ROLE_PASSWORD },
      jobs,
    });
    const t0 = performance.now();
    await copyFilestore(filestore, copyDir);
    console.log(`    ${describePhases(report.phases)}; filestore ${Math.round(performance.now() - t0)} ms`);
  });
}

async function bareSide(filestore: string): Promise<number> {
  await freshTarget();
  const copyDir = join(benchDir, "staging-bare", "filestore", TARGET);
  await rm(join(benchDir, "staging-bare"), { recursive: true, force: true });
  await mkdir(join(benchDir, "staging-bare", "filestore"), { recursive: true });
  const pgDump = (await findPgTool("pg_dump")).path;
  const pgRestore = pgDump.replace(/pg_dump$/, "pg_restore");
  const src = admin(SOURCE);
  return timed(async () => {
    const dump = run(pgDump, [...conn(src), "-Fc", SOURCE], env(src.password));
    const restore = run(
      pgRestore,
      ["-h", src.host, "-p", String(src.port), "-U", ROLE, "--no-owner", "--no-privileges", "-d", TARGET],
      env(ROLE_PASSWORD),
      dump.child.stdout!,
    );
    dump.child.stdout!.destroy();
    await Promise.all([dump.done, restore.done]);
    await run("cp", ["-r", "--", filestore, copyDir], process.env).done;
  });
}

async function referenceSide(filestore: string, jobs: number): Promise<number> {
  await freshTarget();
  const dir = await mkdtemp(join(benchDir, "dump-"));
  await rm(dir, { recursive: true, force: true });
  const copyDir = join(benchDir, "staging-ref", "filestore", TARGET);
  await rm(join(benchDir, "staging-ref"), { recursive: true, force: true });
  await mkdir(join(benchDir, "staging-ref", "filestore"), { recursive: true });
  const pgDump = (await findPgTool("pg_dump")).path;
  const pgRestore = pgDump.replace(/pg_dump$/, "pg_restore");
  const src = admin(SOURCE);
  try {
    return await timed(async () => {
      await run(
        pgDump,
        [...conn(src), "-Fd", "-j", String(jobs), "-Z0", "-f", dir, SOURCE],
        env(src.password),
      ).done;
      await run(
        pgRestore,
        [
          "-h",
          src.host,
          "-p",
          String(src.port),
          "-U",
          ROLE,
          "--no-owner",
          "--no-privileges",
          "-j",
          String(jobs),
          "-d",
          TARGET,
          dir,
        ],
        env(ROLE_PASSWORD),
      ).done;
      await run("cp", ["-r", "--", filestore, copyDir], process.env).done;
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function checkCopy(): Promise<void> {
  const count = async (db: string) =>
    (
      await query<{ n: string }>(
        db,
        "SELECT (SELECT count(*) FROM mail_message) + (SELECT count(*) FROM account_move_line) AS n",
      )
    )[0]!.n;
  const [a, b] = [await count(SOURCE), await count(TARGET)];
  if (a !== b) throw new Error(`copy incomplete: ${b} rows of ${a}`);
  const indexes = async (db: string) =>
    (await query<{ n: string }>(db, "SELECT count(*) AS n FROM pg_indexes WHERE schemaname = 'public'"))[0]!
      .n;
  if ((await indexes(SOURCE)) !== (await indexes(TARGET))) throw new Error("copy lacks indexes");
}

type Side = "gantry" | "bare" | "reference";
const LABELS: Record<Side, (jobs: number) => string> = {
  gantry: (jobs) =>
    `gantry (snapshot, ${jobs} lanes: binary COPY streams, indexes as tables land, hard links)`,
  bare: () => "bare pg_dump -Fc | pg_restore + cp -r",
  reference: (jobs) => `pg_dump -Fd -j ${jobs} -Z0 + pg_restore -j ${jobs} + cp -r`,
};

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  if (flag("--clean")) {
    if (!FROM) await query("postgres", `DROP DATABASE IF EXISTS "${SOURCE}" WITH (FORCE)`);
    await query("postgres", `DROP DATABASE IF EXISTS "${TARGET}" WITH (FORCE)`);
    await query("postgres", `DROP ROLE IF EXISTS "${ROLE}"`);
    await rm(benchDir, { recursive: true, force: true });
    console.log("bench data removed");
    return;
  }
  const sizeMb = Number(option("--size-mb", "1024"));
  const given = option("--filestore", "");
  const files = Number(option("--files", "10000"));
  const jobs = Number(option("--jobs", String(config().BUILD_COPY_JOBS)));
  const runs = Number(option("--runs", "1"));
  const sides = option("--sides", "gantry,bare,reference")
    .split(",")
    .filter((side): side is Side => side in LABELS)
    .filter((side) => side !== "reference" || !flag("--no-reference"));
  await mkdir(benchDir, { recursive: true });
  console.log(FROM ? `copying database ${FROM}` : `preparing ${sizeMb} MB database and ${files} files...`);
  const size = await ensureSource(sizeMb);
  const filestore = await ensureFilestore({
    count: files,
    given,
    dir: join(benchDir, "production", "filestore", SOURCE),
    markerDir: benchDir,
  });
  console.log(
    `database ${Math.round(size / 1048576)} MB, filestore ${filestore.count} files (${Math.round(filestore.bytes / 1048576)} MB), ${jobs} jobs`,
  );
  await query(SOURCE, "CREATE TABLE IF NOT EXISTS bench_traffic (id bigserial PRIMARY KEY, at timestamptz)");
  const times: Record<Side, number[]> = { gantry: [], bare: [], reference: [] };
  const loads: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Alternating, so that neither side always runs on a cache the other warmed.
    const order = i % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) {
      loads.push(loadavg()[0]!);
      const stopTraffic = traffic();
      const ms =
        side === "gantry"
          ? await gantrySide(filestore.dir, jobs)
          : side === "bare"
            ? await bareSide(filestore.dir)
            : await referenceSide(filestore.dir, jobs);
      const served = await stopTraffic();
      loads.push(loadavg()[0]!);
      await checkCopy();
      times[side].push(ms);
      console.log(
        `  run ${i + 1} ${side}: ${seconds(ms)} (production served ${served.served} write+read round trips meanwhile, slowest ${served.slowestMs} ms)`,
      );
    }
  }
  console.log(`\nstaging copy (database + filestore), median of ${runs} ${runs === 1 ? "run" : "runs"}`);
  for (const side of sides) console.log(`  ${LABELS[side](jobs).padEnd(78)} ${seconds(median(times[side]))}`);
  if (sides.includes("gantry")) {
    const g = median(times.gantry);
    const ratios = sides
      .filter((side) => side !== "gantry")
      .map((side) => `${side} / gantry ${(median(times[side]) / g).toFixed(2)}x`);
    if (ratios.length > 0) console.log(`  ratios: ${ratios.join(", ")}`);
  }
  console.log(
    `  load average (1 min) around the runs: ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} on ${cpus().length} cores`,
  );
  await query("postgres", `DROP DATABASE IF EXISTS "${TARGET}" WITH (FORCE)`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
