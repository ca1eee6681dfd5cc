// A PostgreSQL cluster of the caller's own (initdb in a temporary folder, run as the
// `postgres` system user, on a free port of 127.0.0.1, password login), so that it can be
// stopped and started again under Gantry without touching the shared clusters.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFile, chown, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "../integration/worker/private-redis";

const run = promisify(execFile);

async function pgBin(tool: string): Promise<string> {
  const versions = (await readdir("/usr/lib/postgresql")).sort((a, b) => Number(b) - Number(a));
  if (!versions[0]) throw new Error("no PostgreSQL under /usr/lib/postgresql");
  return join("/usr/lib/postgresql", versions[0], "bin", tool);
}

/** Runs a PostgreSQL tool as the postgres user (initdb and the server refuse root). */
async function asPostgres(tool: string, args: string[]): Promise<string> {
  const { stdout } = await run("runuser", ["-u", "postgres", "--", await pgBin(tool), ...args], {
    cwd: tmpdir(),
  });
  return stdout;
}

export class PrivateCluster {
  readonly user = "gantry";
  readonly password = randomBytes(12).toString("hex");

  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly listen: string,
  ) {}

  /**
   * `buildsPool` (BUILD_NETWORK_POOL) makes it a build cluster: it listens on every address and
   * admits that range with a password, as scripts/services sets up the shared ones, so that build
   * containers reach it through their network's gateway.
   */
  static async create(options: { buildsPool?: string } = {}): Promise<PrivateCluster> {
    const dir = await mkdtemp(join(tmpdir(), "gantry-cluster-"));
    const listen = options.buildsPool ? "*" : "127.0.0.1";
    const cluster = new PrivateCluster(dir, await freePort(), listen);
    const uid = Number((await run("id", ["-u", "postgres"])).stdout.trim());
    const gid = Number((await run("id", ["-g", "postgres"])).stdout.trim());
    await chown(dir, uid, gid);
    const pwfile = join(dir, "pw");
    await writeFile(pwfile, cluster.password, { mode: 0o600 });
    await chown(pwfile, uid, gid);
    await asPostgres("initdb", [
      "-D",
      join(dir, "data"),
      "-U",
      cluster.user,
      "--pwfile",
      pwfile,
      "--auth",
      "scram-sha-256",
      "-E",
      "UTF8",
      "--locale",
      "C.UTF-8",
    ]);
    await rm(pwfile);
    if (options.buildsPool)
      await appendFile(
        join(dir, "data", "pg_hba.conf"),
        `host all all ${options.buildsPool} scram-sha-256\n`,
      );
    await cluster.start();
    return cluster;
  }

  /** The administrator's URL for `database`. */
  url(database = "postgres"): string {
    return `postgresql://${this.user}:${this.password}@127.0.0.1:${this.port}/${database}`;
  }

  async start(): Promise<void> {
    await asPostgres("pg_ctl", [
      "-D",
      join(this.dir, "data"),
      "-l",
      join(this.dir, "server.log"),
      "-o",
      `-p ${this.port} -k ${this.dir} -c listen_addresses=${this.listen}`,
      "-w",
      "start",
    ]);
  }

  /** A fast shutdown: sessions are cut, as a restart by the operator would. */
  async stop(): Promise<void> {
    await asPostgres("pg_ctl", ["-D", join(this.dir, "data"), "-m", "fast", "-w", "stop"]);
  }

  async destroy(): Promise<void> {
    await this.stop().catch(() => {});
    await rm(this.dir, { recursive: true, force: true });
  }
}
