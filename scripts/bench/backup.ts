// Backup benchmark: Gantry's backup and restore against the bare tools on the same data.
//
//   pnpm exec tsx scripts/bench/backup.ts [--size-mb N] [--files N] [--level L] [--runs N] [--verify] [--from DB] [--filestore DIR] [--clean]
//
// Builds (or reuses) a database of at least N MB (default 1024) and a filestore of
// --files files (default 10000) under <data dir>/bench/backup, then measures two fair pairs:
//   stored:   createBackup level 0 (nothing compressed)      vs  pg_dump -f + tar -cf
//             restoreBackup of that zip                      vs  createdb + psql -f + tar -xf
//   level L:  createBackup level L (dump.sql deflated)       vs  pg_dump | gzip -L + tar -cf
//             restoreBackup of that zip                      vs  createdb + gzip -dc | psql + tar -xf
// Filestore files are stored uncompressed on both sides. Each measurement alternates the
// two sides --runs times and reports medians and their ratio (goal <= 1.3x). Gantry's side
// runs in a child process, so its time excludes start-up and its peak RSS
// (resourceUsage().maxRSS) is its own. --from backs up an existing database of the same
// cluster instead (e.g. a real Odoo database with demo data), left in place by --clean;
// --filestore takes its filestore instead of the generated files.
import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { mkdir, rm, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { config } from "@gantry/config";
import type pg from "pg";
import { createBackup, restoreBackup, verifyBackup } from "../../packages/backup/src/index";
import { findPgTool } from "../../packages/postgres/src/index";
import { flag, option } from "./lib/args";
import { ensureFilestore } from "./lib/filestore";
import { adminOf, queryOn } from "./lib/pg";
import { machineLine } from "./lib/platform";

// `--child LABEL JSON`: the measured side, run in its own process.
const args = process.argv.slice(2);
const FROM = option("--from", "");
const DB = FROM || "gantry_bench_backup";
const benchDir = resolve(config().GANTRY_DATA_DIR, "bench", "backup");

const admin = (database = "postgres") => adminOf(config().DATABASE_URL, database);
const query = <T extends pg.QueryResultRow>(database: string, text: string) =>
  queryOn<T>(admin(database), text);

const dropDb = (name: string) => query("postgres", `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);

async function ensureDatabase(sizeMb: number): Promise<number> {
  const exists = (await query("postgres", `SELECT 1 FROM pg_database WHERE datname = '${DB}'`)).length > 0;
  if (FROM && !exists) throw new Error(`database ${FROM} (--from) does not exist`);
  if (!exists) {
    await query("postgres", `CREATE DATABASE "${DB}"`);
    await query(
      DB,
      `CREATE TABLE ir_module_module (id serial PRIMARY KEY, name varchar UNIQUE, state varchar, latest_version varchar);
       INSERT INTO ir_module_module (name, state, latest_version) VALUES ('base', 'installed', '18.0.1.3'), ('web', 'installed', '18.0.1.0');
       CREATE TABLE ir_config_parameter (id serial PRIMARY KEY, key varchar UNIQUE, value text);
       INSERT INTO ir_config_parameter (key, value) VALUES ('database.uuid', gen_random_uuid()::text);
       CREATE TABLE res_partner (id bigserial PRIMARY KEY, name varchar, email varchar, street varchar, city varchar,
         comment text, amount numeric(16,2), active boolean, create_date timestamp, write_date timestamp);
       CREATE TABLE mail_message (id bigserial PRIMARY KEY, res_id bigint, model varchar, body text, date timestamp);`,
    );
  }
  let size = Number(
    (await query<{ s: string }>(DB, "SELECT pg_database_size(current_database()) AS s"))[0]!.s,
  );
  while (!FROM && size < sizeMb * 1024 * 1024) {
    const t0 = Date.now();
    // ~100 MB a round: partners with text that compresses like real data, and messages.
    await query(
      DB,
      `INSERT INTO res_partner (name, email, street, city, comment, amount, active, create_date, write_date)
         SELECT 'Partner ' || i, 'partner' || i || '@example.com', (i % 997) || ' Main Street', 'City ' || (i % 113),
                md5(i::text) || ' ' || md5((i * 7)::text) || ' note', (i % 100000) / 100.0, i % 9 <> 0,
                now() - (i || ' seconds')::interval, now()
           FROM generate_series(1, 250000) AS i;
       INSERT INTO mail_message (res_id, model, body, date)
         SELECT i, 'res.partner', '<p>' || repeat(md5((i * 13)::text) || ' ', 4) || '</p>', now()
           FROM generate_series(1, 250000) AS i;`,
    );
    size = Number((await query<{ s: string }>(DB, "SELECT pg_database_size(current_database()) AS s"))[0]!.s);
    console.log(`  database ${Math.round(size / 1048576)} MB (${Date.now() - t0} ms for this round)`);
  }
  await query(DB, "VACUUM ANALYZE");
  return size;
}

/** Runs a program, its stdin and stdout optionally from and to files; rejects on a non-zero exit. */
function runTool(
  command: string,
  argv: string[],
  io: { env?: NodeJS.ProcessEnv; stdin?: string; stdout?: string } = {},
): Promise<void> {
  return new Promise((resolveRun, reject) => {
    const stdin = io.stdin ? openSync(io.stdin, "r") : "ignore";
    const stdout = io.stdout ? openSync(io.stdout, "w") : "ignore";
    const child = spawn(command, argv, { env: io.env ?? process.env, stdio: [stdin, stdout, "inherit"] });
    child.on("error", reject);
    child.on("close", (code) => {
      if (typeof stdin === "number") closeSync(stdin);
      if (typeof stdout === "number") closeSync(stdout);
      code === 0 ? resolveRun() : reject(new Error(`${command} exited with ${code}`));
    });
  });
}

/** `a | b`, without a shell: a's stdout feeds b's stdin. */
function runPiped(
  a: [string, string[]],
  b: [string, string[]],
  io: { env: NodeJS.ProcessEnv; stdin?: string; stdout?: string },
): Promise<void> {
  return new Promise((resolveRun, reject) => {
    const stdin = io.stdin ? openSync(io.stdin, "r") : "ignore";
    const stdout = io.stdout ? openSync(io.stdout, "w") : "ignore";
    const first = spawn(a[0], a[1], { env: io.env, stdio: [stdin, "pipe", "inherit"] });
    const second = spawn(b[0], b[1], { env: io.env, stdio: [first.stdout, stdout, "inherit"] });
    // The pipe now belongs to the second program; the parent's end would keep `first` open.
    first.stdout?.destroy();
    let pending = 2;
    const done = (name: string) => (code: number | null) => {
      if (code !== 0) reject(new Error(`${name} exited with ${code}`));
      else if (--pending === 0) {
        if (typeof stdin === "number") closeSync(stdin);
        if (typeof stdout === "number") closeSync(stdout);
        resolveRun();
      }
    };
    first.on("error", reject).on("exit", done(a[0]));
    second.on("error", reject).on("close", done(b[0]));
  });
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

interface ChildReport {
  ms: number;
  maxRssKb: number;
  result: unknown;
}

/** Runs one Gantry operation in a fresh process (same tsx loader) and returns its figures. */
function inChild(op: string, payload: unknown): Promise<ChildReport> {
  return new Promise((resolveChild, reject) => {
    const child = spawn(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), "--child", op, JSON.stringify(payload)],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`child ${op} exited with ${code}`));
      resolveChild(JSON.parse(out.trim().split("\n").pop()!) as ChildReport);
    });
  });
}

async function child(op: string, payload: Record<string, string | number>): Promise<void> {
  const t0 = performance.now();
  let result: unknown;
  if (op === "backup") {
    const r = await createBackup({
      source: admin(String(payload.database)),
      filestore: String(payload.filestore),
      output: String(payload.output),
      compressionLevel: Number(payload.level),
    });
    result = { sizeBytes: r.sizeBytes, fileCount: r.fileCount };
  } else if (op === "restore") {
    const r = await restoreBackup({
      archive: String(payload.archive),
      admin: admin(),
      database: String(payload.database),
      filestore: String(payload.filestore),
    });
    result = { rows: r.rows, files: r.files };
  } else if (op === "verify") {
    result = await verifyBackup({
      archive: String(payload.archive),
      admin: admin(),
      scratchDir: String(payload.scratch),
    });
  }
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ ms, maxRssKb: process.resourceUsage().maxRSS, result }));
}

interface Pair {
  label: string;
  bare: string;
  bareMs: number[];
  gantryMs: number[];
  peakRssKb: number[];
}

async function main(): Promise<void> {
  if (args[0] === "--child") return child(args[1]!, JSON.parse(args[2]!));
  const sizeMb = Number(option("--size-mb", "1024"));
  const files = Number(option("--files", "10000"));
  const level = Number(option("--level", "1"));
  const runs = Number(option("--runs", "1"));
  if (flag("--clean")) {
    if (!FROM) await dropDb(DB);
    await rm(benchDir, { recursive: true, force: true });
    console.log("bench data removed");
    return;
  }
  await mkdir(benchDir, { recursive: true });
  console.log(
    FROM
      ? `backing up database ${FROM}`
      : `preparing: database >= ${sizeMb} MB, ${files} files in ${benchDir}`,
  );
  const dbSize = await ensureDatabase(sizeMb);
  const fs = await ensureFilestore({
    count: files,
    given: option("--filestore", ""),
    dir: join(benchDir, "filestore", DB),
    markerDir: benchDir,
  });
  const out = join(benchDir, "out");
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const pgDump = await findPgTool("pg_dump");
  const psql = await findPgTool("psql");
  const env = { ...process.env, PGPASSWORD: admin().password };
  const conn = ["-h", admin().host, "-p", String(admin().port), "-U", admin().user];
  const psqlArgs = (db: string) => [
    ...conn,
    "-X",
    "-q",
    "-o",
    "/dev/null",
    "-v",
    "ON_ERROR_STOP=1",
    "--single-transaction",
    "-d",
    db,
  ];
  const restoredDb = "gantry_bench_restored";
  const baselineDb = "gantry_bench_baseline";
  const path = (name: string) => join(out, name);

  // Two fair pairs: nothing compressed on either side, and dump.sql compressed at the same
  // zlib level on both sides (gzip for the bare tools). Filestore files are stored by both.
  const variants = [
    { name: "stored", level: 0, bare: "pg_dump -f + tar -cf", restoreBare: "createdb + psql -f + tar -xf" },
    {
      name: `level ${level}`,
      level,
      bare: `pg_dump | gzip -${level} + tar -cf`,
      restoreBare: "createdb + gzip -dc | psql + tar -xf",
    },
  ];
  const pairs: Pair[] = [];
  try {
    for (const v of variants) {
      const zip = path(`backup-${v.level}.zip`);
      const backup: Pair = {
        label: `backup, ${v.name}`,
        bare: v.bare,
        bareMs: [],
        gantryMs: [],
        peakRssKb: [],
      };
      const restore: Pair = {
        label: `restore, ${v.name}`,
        bare: v.restoreBare,
        bareMs: [],
        gantryMs: [],
        peakRssKb: [],
      };
      for (let run = 1; run <= runs; run++) {
        console.log(`${v.name}, run ${run}/${runs} (${machineLine()})`);
        await rm(path("filestore.tar"), { force: true });
        backup.bareMs.push(
          await timed(async () => {
            const dumpArgs = [...conn, "--no-owner", "--format=plain", DB];
            if (v.level === 0) await runTool(pgDump.path, [...dumpArgs, "-f", path("dump.sql")], { env });
            else
              await runPiped([pgDump.path, dumpArgs], ["gzip", [`-${v.level}`]], {
                env,
                stdout: path("dump.sql.gz"),
              });
            await runTool("tar", ["-cf", path("filestore.tar"), "-C", fs.dir, "."]);
          }),
        );
        await rm(zip, { force: true });
        const b = await inChild("backup", {
          database: DB,
          filestore: fs.dir,
          output: zip,
          level: v.level,
        });
        backup.gantryMs.push(b.ms);
        backup.peakRssKb.push(b.maxRssKb);
        console.log(
          `  backup:  bare ${seconds(backup.bareMs.at(-1)!)}, gantry ${seconds(b.ms)} (peak RSS ${Math.round(b.maxRssKb / 1024)} MB)`,
        );

        await dropDb(baselineDb);
        await rm(path("baseline-fs"), { recursive: true, force: true });
        restore.bareMs.push(
          await timed(async () => {
            await query("postgres", `CREATE DATABASE "${baselineDb}" TEMPLATE template0 ENCODING 'UTF8'`);
            if (v.level === 0)
              await runTool(psql.path, [...psqlArgs(baselineDb), "-f", path("dump.sql")], { env });
            else
              await runPiped(
                ["gzip", ["-dc", path("dump.sql.gz")]],
                [psql.path, [...psqlArgs(baselineDb), "-f", "-"]],
                { env },
              );
            await mkdir(path("baseline-fs"));
            await runTool("tar", ["-xf", path("filestore.tar"), "-C", path("baseline-fs")]);
          }),
        );
        await dropDb(baselineDb);
        await dropDb(restoredDb);
        await rm(path("restored-fs"), { recursive: true, force: true });
        const r = await inChild("restore", {
          archive: zip,
          database: restoredDb,
          filestore: path("restored-fs"),
        });
        restore.gantryMs.push(r.ms);
        restore.peakRssKb.push(r.maxRssKb);
        console.log(
          `  restore: bare ${seconds(restore.bareMs.at(-1)!)}, gantry ${seconds(r.ms)} (peak RSS ${Math.round(r.maxRssKb / 1024)} MB)`,
        );
        await dropDb(restoredDb);
      }
      pairs.push(backup, restore);
      if (flag("--verify") && v.level === level) {
        const verify = await inChild("verify", { archive: zip, scratch: out });
        console.log(`  gantry verifyBackup: ${seconds(verify.ms)} (${JSON.stringify(verify.result)})`);
      }
    }

    const sizes = {
      dump: (await stat(path("dump.sql"))).size,
      gz: (await stat(path("dump.sql.gz"))).size,
      tar: (await stat(path("filestore.tar"))).size,
      stored: (await stat(path("backup-0.zip"))).size,
      zip: (await stat(path(`backup-${level}.zip`))).size,
    };
    // What the same child process holds doing nothing: the part of the peak RSS that is Node
    // and the TypeScript loader, not the backup.
    const idle = await inChild("idle", {});
    const mb = (n: number) => `${Math.round(n / 1048576)} MB`;
    console.log(`\nresults (median of ${runs} run${runs > 1 ? "s" : ""}; goal <= 1.3x; ${machineLine()})`);
    console.log(
      `  data: database ${mb(dbSize)} (dump.sql ${mb(sizes.dump)}), filestore ${fs.count} files ${mb(fs.bytes)}`,
    );
    for (const p of pairs) {
      const g = median(p.gantryMs);
      const bare = median(p.bareMs);
      console.log(
        `  ${p.label.padEnd(18)} gantry ${seconds(g).padStart(7)} vs ${p.bare} ${seconds(bare)} = ${(g / bare).toFixed(2)}x, gantry peak RSS ${mb(Math.max(...p.peakRssKb) * 1024)}`,
      );
    }
    console.log(`  (an idle child process of this script peaks at ${mb(idle.maxRssKb * 1024)} RSS)`);
    console.log(
      `  archives: stored zip ${mb(sizes.stored)} vs dump.sql + tar ${mb(sizes.dump + sizes.tar)}; level ${level} zip ${mb(sizes.zip)} vs dump.sql.gz + tar ${mb(sizes.gz + sizes.tar)}`,
    );
  } finally {
    await dropDb(restoredDb);
    await dropDb(baselineDb);
    await rm(out, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
