// An installed layout as scripts/install writes it under --root: its env file, its units, and
// the processes the units name, started the way systemd would (ExecStart with the env file's
// values, in the unit's WorkingDirectory), without systemd.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);
export const repoRoot = resolve(import.meta.dirname, "../../..");

/** One query on a fresh connection. */
export async function sql<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

export function layout(root: string) {
  return {
    envFile: join(root, "etc/gantry/gantry.env"),
    unitDir: join(root, "etc/systemd/system"),
    current: join(root, "opt/gantry/current"),
    dataDir: join(root, "var/lib/gantry"),
  };
}

/** Runs a checkout's scripts/install in test mode; its output when it fails. */
export async function install(checkout: string, root: string, sets: Record<string, string> = {}) {
  const args = ["--root", root, "--no-systemd", "--no-build"];
  for (const [key, value] of Object.entries(sets)) args.push("--set", `${key}=${value}`);
  try {
    return await run(join(checkout, "scripts/install"), args, {
      cwd: checkout,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`scripts/install failed: ${failed.message}\n${failed.stdout}\n${failed.stderr}`);
  }
}

export async function readEnvFile(file: string): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const line of (await readFile(file, "utf8")).split("\n")) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match) env[match[1]!] = match[2]!;
  }
  return env;
}

/** The [Service] settings of a unit file, each key with every value it was given. */
export async function unitSettings(file: string): Promise<Map<string, string[]>> {
  const settings = new Map<string, string[]>();
  let section = "";
  for (const line of (await readFile(file, "utf8")).split("\n")) {
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) section = header[1]!;
    const entry = /^(\w+)=(.*)$/.exec(line);
    if (section === "Service" && entry)
      settings.set(entry[1]!, [...(settings.get(entry[1]!) ?? []), entry[2]!]);
  }
  return settings;
}

export interface UnitProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

/** Starts a unit's ExecStart as systemd would: ${VAR} from the env file, its working directory. */
export async function startUnit(root: string, unit: string): Promise<UnitProcess> {
  const { envFile, unitDir } = layout(root);
  const env = await readEnvFile(envFile);
  const settings = await unitSettings(join(unitDir, unit));
  const execStart = settings.get("ExecStart")?.[0];
  if (!execStart) throw new Error(`${unit} has no ExecStart`);
  const argv = execStart
    .split(/\s+/)
    .map((word) => word.replace(/\$\{(\w+)\}/g, (_, name: string) => env[name] ?? ""));
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: settings.get("WorkingDirectory")?.[0],
    // systemd gives a unit the env file and little else: no developer's variables leak in.
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    text += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    text += chunk.toString();
  });
  const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
  return {
    child,
    output: () => text,
    exited,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}
