// SSH into a build with the system's OpenSSH client against Gantry's SSH server: a development
// build served by the stand-in Odoo (a real worker builds it), keys registered through the
// account use-cases (one pasted, one imported from the GitHub stand-in's public keys). A
// registered key runs a command and gets its exit status back, by build id or by slug, and an
// interactive session lands in the web shell's prompt; an unregistered key, a role without the
// Shell right on the build's stage and an unknown build are refused before any session exists.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { lstat, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGithubStandin } from "../../support/github-standin";
import { type BuildTestEnv, requireImage, shaOf, useBuildTestEnv, waitFor } from "../builds/support";
import { imageOf } from "../standin/helpers";

const UPLOAD_CAP = 1024 * 1024;

let env: BuildTestEnv;
let prisma: typeof import("@gantry/db").prisma;
let core: typeof import("@gantry/core");
let queue: typeof import("@gantry/queue");
let producer: import("@gantry/queue").QueueContext;
let worker: import("../../../apps/worker/src/start-worker").RunningWorker;
let runtime: import("@gantry/runtime").DockerRuntime;
let server: import("../../../apps/worker/src/shell/ssh-server").SshServer;
let github: Awaited<ReturnType<typeof startGithubStandin>>;
let projectId: string;
let buildId: string;
let productionId: string;
let slug: string;
let admin: import("@gantry/core").Actor;
let user: import("@gantry/core").Actor;
let keys: string;

async function actor(role: "ADMIN" | "USER"): Promise<import("@gantry/core").Actor> {
  const row = await prisma().user.create({
    data: {
      email: `${role.toLowerCase()}-${randomBytes(4).toString("hex")}@example.com`,
      name: role,
      // SSH finds the person's roles in the database, as a signed-in request does.
      collaborators: { create: { projectId, role } },
    },
  });
  return { userId: row.id, isAdmin: false, memberships: { [projectId]: role }, tokenProjectIds: null };
}

function keygen(name: string): Promise<string> {
  const file = join(keys, name);
  return new Promise((resolve, reject) =>
    execFile("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", file], (error) =>
      error ? reject(error) : resolve(file),
    ),
  );
}

function sshArgs(key: string, login: string, extra: string[] = []): string[] {
  return [
    "-i",
    key,
    "-o",
    "StrictHostKeyChecking=no",
    "-o",
    "UserKnownHostsFile=/dev/null",
    "-o",
    "IdentitiesOnly=yes",
    "-o",
    "BatchMode=yes",
    "-o",
    "LogLevel=ERROR",
    "-p",
    String(server.port),
    ...extra,
    `${login}@127.0.0.1`,
  ];
}

/** Runs OpenSSH's `sftp` or `scp` against the server: its exit status and output. */
function transfer(tool: "sftp" | "scp", args: string[]): Promise<{ code: number; out: string; err: string }> {
  const options = ["-i", args[0] as string, "-P", String(server.port)];
  for (const option of [
    "StrictHostKeyChecking=no",
    "UserKnownHostsFile=/dev/null",
    "IdentitiesOnly=yes",
    "BatchMode=yes",
    "LogLevel=ERROR",
  ]) {
    options.push("-o", option);
  }
  return new Promise((resolve) => {
    const child = spawn(tool, [...options, ...args.slice(1)], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.on("close", (code) => resolve({ code: code ?? -1, out, err }));
  });
}

/** `sftp -b` with these commands (the batch stops at the first that fails). */
async function sftpBatch(key: string, login: string, commands: string[]) {
  const batch = join(keys, `batch-${randomBytes(4).toString("hex")}`);
  await writeFile(batch, `${commands.join("\n")}\n`);
  return transfer("sftp", [key, "-b", batch, `${login}@127.0.0.1`]);
}

/** `ssh … login@127.0.0.1 command` (fed `input` when given): its exit status and output. */
function ssh(
  key: string,
  login: string,
  command: string,
  input?: string,
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn("ssh", [...sshArgs(key, login), command], {
      stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    child.stdin?.end(input);
    let out = "";
    let err = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr?.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.on("close", (code) => resolve({ code: code ?? -1, out, err }));
  });
}

beforeAll(async () => {
  await requireImage(imageOf("17.0"));
  env = await useBuildTestEnv();
  github = await startGithubStandin();
  process.env.GITHUB_API_URL = github.url;
  (await import("@gantry/config")).resetConfigForTests();
  prisma = (await import("@gantry/db")).prisma;
  core = await import("@gantry/core");
  queue = await import("@gantry/queue");
  runtime = new (await import("@gantry/runtime")).DockerRuntime();
  producer = queue.createQueueContext({
    redisUrl: (await import("@gantry/config")).config().REDIS_URL,
    prefix: env.prefix,
  });
  keys = await mkdtemp(join(tmpdir(), "gantry-ssh-keys-"));
  const { startWorker } = await import("../../../apps/worker/src/start-worker");
  worker = await startWorker({
    prefix: env.prefix,
    queues: ["builds", "maintenance"],
    concurrency: 1,
    shutdownTimeoutMs: 5000,
  });
  const project = await prisma().project.create({
    data: {
      slug: `ssh-${randomBytes(3).toString("hex")}`,
      name: "SSH",
      githubOwner: "acme",
      githubRepo: env.prefix,
      odooSeries: "17.0",
      gitUrl: join(env.repos, "acme17.git"),
    },
  });
  projectId = project.id;
  const branch = await prisma().branch.create({ data: { projectId, name: "main", stage: "DEVELOPMENT" } });
  buildId = (
    await prisma().build.create({
      data: {
        projectId,
        branchId: branch.id,
        stage: "DEVELOPMENT",
        commitSha: await shaOf(join(env.repos, "acme17.git"), "main"),
      },
    })
  ).id;
  await queue.enqueue("builds.run", { buildId }, { jobId: queue.buildJobId(buildId) }, producer);
  const prodBranch = await prisma().branch.create({ data: { projectId, name: "prod", stage: "PRODUCTION" } });
  productionId = (
    await prisma().build.create({
      data: { projectId, branchId: prodBranch.id, stage: "PRODUCTION", commitSha: "a".repeat(40) },
    })
  ).id;
  admin = await actor("ADMIN");
  user = await actor("USER");
  const { startSshServer } = await import("../../../apps/worker/src/shell/ssh-server");
  const { loadHostKey } = await import("../../../apps/worker/src/shell/host-key");
  server = await startSshServer({
    host: "127.0.0.1",
    port: 0,
    runtime,
    queue: producer,
    logger: core.createLogger("test"),
    hostKey: await loadHostKey(join(keys, "host", "host_ed25519")),
    // Small enough to cross in a test; no reserve, so the host's free space does not matter.
    uploadLimits: { maxFileBytes: UPLOAD_CAP, minFreeBytes: 0 },
  });
  const served = await waitFor(
    "the build to serve",
    async () => {
      const row = await prisma().build.findUniqueOrThrow({ where: { id: buildId } });
      return row.status === "DONE" || row.status === "CANCELLED" ? row : undefined;
    },
    400_000,
  );
  if (!served.servingAt || !served.url) throw new Error(`the build ended unserved: ${served.errorSummary}`);
  slug = new URL(served.url).hostname.split(".")[0] as string;
}, 600_000);

afterAll(async () => {
  await server?.close();
  await worker?.stop();
  const { cleanupBuild } = await import("../../../apps/worker/src/builds/cleanup");
  if (buildId) await cleanupBuild(runtime, buildId).catch(() => {});
  await github?.close();
  await producer?.close();
  await queue?.closeDefaultQueueContext();
  await prisma?.().$disconnect();
  await env?.db.drop();
  if (keys) await rm(keys, { recursive: true, force: true });
}, 180_000);

describe("the host key", () => {
  it("is made once, readable by its owner only, and kept", async () => {
    const { loadHostKey } = await import("../../../apps/worker/src/shell/host-key");
    const file = join(keys, "host", "host_ed25519");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await loadHostKey(file)).equals(await readFile(file))).toBe(true);
  });
});

describe("ssh with a registered key", () => {
  let adminKey: string;
  let userKey: string;
  let strangerKey: string;

  beforeAll(async () => {
    [adminKey, userKey, strangerKey] = await Promise.all([
      keygen("admin"),
      keygen("user"),
      keygen("stranger"),
    ]);
    await core.addSshKey(admin, {
      title: "admin laptop",
      publicKey: await readFile(`${adminKey}.pub`, "utf8"),
    });
    // The User's key comes from their GitHub account's public keys.
    github.addUserKeys("octo-user", [(await readFile(`${userKey}.pub`, "utf8")).trim()]);
    const imported = await core.importGithubSshKeys(user, { username: "octo-user" });
    expect(imported.imported).toHaveLength(1);
    expect(imported.imported[0]?.source).toBe("github");
  });

  it("runs a command in the build and returns its exit status", async () => {
    const result = await ssh(adminKey, buildId, "echo $((6*7)); psql -tAc 'select current_user'; exit 3");
    expect(result.err).toBe("");
    expect(result.code).toBe(3);
    const lines = result.out.split(/\r?\n/);
    expect(lines[0]).toBe("42");
    const role = await prisma().build.findUniqueOrThrow({
      where: { id: buildId },
      select: { databaseRole: true },
    });
    expect(lines[1]).toBe(role.databaseRole);
    expect((await ssh(adminKey, buildId, "true")).code).toBe(0);
  });

  it("leaves the build's code nothing of the logs folder but its own odoo.log", async () => {
    // Gantry appends its notes to the folder's other files: a symlink planted there would
    // make the worker write wherever it points.
    const planted = await ssh(
      adminKey,
      buildId,
      "ln -s /etc/passwd /var/log/gantry-build/install.log 2>/dev/null || ln -s /etc/passwd /var/log/gantry-build/planted.log",
    );
    expect(planted.code).not.toBe(0);
    const written = await ssh(adminKey, buildId, "echo from-the-build >> /var/log/gantry-build/odoo.log");
    expect(written.code).toBe(0);
    const logs = (await import("../../../apps/worker/src/shared/workspace")).workspaceOf(buildId).logs;
    expect((await lstat(join(logs, "install.log"))).isSymbolicLink()).toBe(false);
    await expect(lstat(join(logs, "planted.log"))).rejects.toThrow();
    expect(await readFile(join(logs, "odoo.log"), "utf8")).toContain("from-the-build");
  });

  it("feeds a command its input to its end, and keeps stdout and stderr apart", async () => {
    // About 140 kB: more than one SSH window and one pipe buffer.
    const text = `${Array.from({ length: 2000 }, (_, i) => `line ${i} ${"x".repeat(60)}`).join("\n")}\n`;
    const result = await ssh(
      adminKey,
      buildId,
      "tee /tmp/fed | wc -l; sha256sum </tmp/fed | cut -c1-64 >&2; exit 4",
      text,
    );
    expect(result.code).toBe(4);
    // Without a terminal nothing is rewritten: plain newlines, stderr on its own.
    expect(result.out).toBe("2000\n");
    const { createHash } = await import("node:crypto");
    expect(result.err).toBe(`${createHash("sha256").update(text).digest("hex")}\n`);
  });

  it("names the build by its slug too, and audits each session as via ssh with webshell.log", async () => {
    const result = await ssh(userKey, slug, "echo via-slug-$((1+1))");
    expect(result.code).toBe(0);
    expect(result.out).toContain("via-slug-2");
    const rows = await prisma().shellSession.findMany({ where: { buildId, via: "ssh" } });
    expect(rows.map((r) => r.userId)).toEqual(expect.arrayContaining([admin.userId, user.userId]));
    await waitFor(
      "the sessions to end",
      async () =>
        (await prisma().shellSession.count({ where: { buildId, via: "ssh", endedAt: null } })) === 0
          ? true
          : undefined,
      30_000,
    );
    const { workspaceOf } = await import("../../../apps/worker/src/shared/workspace");
    const log = await readFile(join(workspaceOf(buildId).logs, "webshell.log"), "utf8");
    expect(log).toMatch(/start ".*\(USER\) via ssh: echo via-slug/);
    expect(log).toContain("via-slug-2");
    const key = await prisma().sshKey.findFirstOrThrow({ where: { userId: user.userId } });
    expect(key.lastUsedAt).not.toBeNull();
  });

  it("opens the web shell's interactive session with a terminal", async () => {
    const child: ChildProcess = spawn("ssh", sshArgs(adminKey, buildId, ["-tt"]), {
      stdio: ["pipe", "pipe", "pipe"],
    });
    let screen = "";
    child.stdout?.on("data", (d: Buffer) => {
      screen += d.toString();
    });
    const closed = new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? -1)));
    await waitFor("the prompt", async () => (/\$ $/m.test(screen) ? true : undefined), 20_000).catch((e) => {
      throw new Error(`${e} ${JSON.stringify(screen)}`);
    });
    expect(screen).toContain("Gantry shell on");
    child.stdin?.write("echo $((7*6))x\r");
    await waitFor("the answer", async () => (screen.includes("42x") ? true : undefined), 30_000);
    child.stdin?.write("exit 5\r");
    expect(await closed).toBe(5);
  });

  it("refuses an unregistered key", async () => {
    const result = await ssh(strangerKey, buildId, "echo no");
    expect(result.code).toBe(255);
    expect(result.err).toContain("Permission denied");
    expect(result.out).toBe("");
  });

  it("refuses a role without the Shell right on the build's stage, and an unknown build", async () => {
    const before = await prisma().shellSession.count();
    const production = await ssh(userKey, productionId, "echo no");
    expect(production.code).toBe(255);
    expect(production.err).toContain("Permission denied");
    const unknown = await ssh(adminKey, "nosuchbuild", "echo no");
    expect(unknown.code).toBe(255);
    expect(await prisma().shellSession.count()).toBe(before);
    const refused = await prisma().auditEvent.findFirst({
      where: { action: "ssh.refused", userId: user.userId, target: productionId },
    });
    expect(JSON.stringify(refused?.data)).toContain("shell");
  });

  it("refuses a key once it is removed", async () => {
    const [key] = await core.listSshKeys(admin);
    if (!key) throw new Error("the admin has no key");
    await core.removeSshKey(admin, key.id);
    expect((await ssh(adminKey, buildId, "true")).code).toBe(255);
  });
});

describe("sftp and scp of the build's files", () => {
  let adminKey: string;
  let userKey: string;
  let filestore: string;
  let logs: string;
  let local: string;

  beforeAll(async () => {
    [adminKey, userKey] = await Promise.all([keygen("sftp-admin"), keygen("sftp-user")]);
    await core.addSshKey(admin, { title: "sftp", publicKey: await readFile(`${adminKey}.pub`, "utf8") });
    await core.addSshKey(user, { title: "sftp", publicKey: await readFile(`${userKey}.pub`, "utf8") });
    const { filestoreOf, odooDataDirOf, workspaceOf } = await import(
      "../../../apps/worker/src/shared/workspace"
    );
    const build = await prisma().build.findUniqueOrThrow({ where: { id: buildId } });
    filestore = filestoreOf(odooDataDirOf(build), build.databaseName as string);
    logs = workspaceOf(buildId).logs;
    local = join(keys, "upload.txt");
    await writeFile(local, `uploaded ${randomBytes(8).toString("hex")}\n`);
  });

  it("lists the build's folders and downloads a log with scp", async () => {
    const listed = await sftpBatch(adminKey, buildId, ["ls -1 /", "ls -1 /logs"]);
    expect(listed.err).toBe("");
    expect(listed.code).toBe(0);
    // sftp prints the names of an absolute listing with their folder.
    expect(listed.out).toMatch(/^\/logs$/m);
    expect(listed.out).toMatch(/^\/filestore$/m);
    expect(listed.out).toMatch(/^\/src$/m);
    expect(listed.out).toMatch(/install\.log/);
    // The Admin reads what was typed in the shell.
    expect(listed.out).toMatch(/webshell\.log/);
    const copy = join(keys, "install.log");
    const scp = await transfer("scp", [adminKey, `${buildId}@127.0.0.1:/logs/install.log`, copy]);
    expect(scp.err).toBe("");
    expect(scp.code).toBe(0);
    const original = await readFile(join(logs, "install.log"));
    expect(original.length).toBeGreaterThan(0);
    expect((await readFile(copy)).equals(original)).toBe(true);
  });

  it("hides webshell.log from a User", async () => {
    const listed = await sftpBatch(userKey, slug, ["ls -1 /logs"]);
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/install\.log/);
    expect(listed.out).not.toMatch(/webshell\.log/);
    const copy = join(keys, "webshell-copy.log");
    const scp = await transfer("scp", [userKey, `${slug}@127.0.0.1:/logs/webshell.log`, copy]);
    expect(scp.code).not.toBe(0);
    await expect(stat(copy)).rejects.toThrow();
  });

  it("uploads into the filestore as Odoo's user, with sftp and scp, and audits the session", async () => {
    const put = await sftpBatch(userKey, buildId, [
      "mkdir /filestore/ab",
      `put ${local} /filestore/ab/by-sftp.txt`,
    ]);
    expect(put.err).toBe("");
    expect(put.code).toBe(0);
    const scp = await transfer("scp", [userKey, local, `${buildId}@127.0.0.1:/filestore/by-scp.txt`]);
    expect(scp.err).toBe("");
    expect(scp.code).toBe(0);
    for (const path of [
      join(filestore, "ab", "by-sftp.txt"),
      join(filestore, "by-scp.txt"),
      join(filestore, "ab"),
    ]) {
      expect((await stat(path)).uid).toBe(101);
    }
    expect(await readFile(join(filestore, "ab", "by-sftp.txt"), "utf8")).toBe(await readFile(local, "utf8"));
    expect(await readFile(join(filestore, "by-scp.txt"), "utf8")).toBe(await readFile(local, "utf8"));
    const rows = await waitFor(
      "the sftp sessions to end",
      async () => {
        const found = await prisma().shellSession.findMany({
          where: { buildId, via: "sftp", userId: user.userId },
        });
        return found.length >= 2 && found.every((row) => row.endedAt) ? found : undefined;
      },
      30_000,
    );
    expect(rows.some((row) => row.bytesIn > 0)).toBe(true);
    const log = await readFile(join(logs, "webshell.log"), "utf8");
    expect(log).toMatch(/\(USER\) via sftp/);
    expect(log).toContain("sftp write /filestore/ab/by-sftp.txt");
  });

  it("refuses an upload past the per-file cap and keeps what was there", async () => {
    const big = join(keys, "big.bin");
    await writeFile(big, randomBytes(UPLOAD_CAP + 64 * 1024));
    const put = await sftpBatch(userKey, buildId, [
      `put ${local} /filestore/kept.txt`,
      `put ${big} /filestore/big.bin`,
    ]);
    expect(put.code).not.toBe(0);
    // OpenSSH's client shows only the status (SFTP v3 has no "quota" code); the reason is kept.
    expect(put.err).toMatch(/write remote "\/filestore\/big\.bin": Failure/);
    expect(await readFile(join(filestore, "kept.txt"), "utf8")).toBe(await readFile(local, "utf8"));
    expect((await stat(join(filestore, "big.bin"))).size).toBeLessThanOrEqual(UPLOAD_CAP);
    const log = await readFile(join(logs, "webshell.log"), "utf8");
    expect(log).toContain(
      "sftp write refused /filestore/big.bin: File too large: uploads are limited to 1 MiB",
    );
  });

  it("refuses writes into /logs and /src", async () => {
    const before = (await readdir(logs)).sort();
    for (const target of ["/logs/planted.txt", "/src/planted.txt"]) {
      const put = await sftpBatch(adminKey, buildId, [`put ${local} ${target}`]);
      expect(put.code).not.toBe(0);
      expect(put.err).toMatch(/Permission denied/);
    }
    const scp = await transfer("scp", [adminKey, local, `${buildId}@127.0.0.1:/src/planted.txt`]);
    expect(scp.code).not.toBe(0);
    const removed = await sftpBatch(adminKey, buildId, ["rm /logs/install.log"]);
    expect(removed.code).not.toBe(0);
    expect((await readdir(logs)).sort()).toEqual(before);
    const { workspaceOf } = await import("../../../apps/worker/src/shared/workspace");
    await expect(stat(join(workspaceOf(buildId).src, "planted.txt"))).rejects.toThrow();
    await expect(stat(join(logs, "install.log"))).resolves.toBeTruthy();
  });

  it("keeps paths inside their folder: no climbing out, no symlink followed", async () => {
    const copy = join(keys, "passwd");
    const climbing = await sftpBatch(adminKey, buildId, [`get /logs/../../../etc/passwd ${copy}`]);
    expect(climbing.code).not.toBe(0);
    await expect(stat(copy)).rejects.toThrow();
    // What the tenant could plant in its filestore: a link to a host file, a link to a folder.
    const outside = await mkdtemp(join(tmpdir(), "gantry-sftp-outside-"));
    await writeFile(join(outside, "secret.txt"), "secret\n");
    // Written through, a link would be written as root: the write goes at a file of the test's own.
    const hostFile = join(outside, "host-file.txt");
    await writeFile(hostFile, "host\n");
    await symlink("/etc/passwd", join(filestore, "passwd-link"));
    await symlink(hostFile, join(filestore, "host-file-link"));
    await symlink(outside, join(filestore, "folder-link"));
    try {
      const read = await sftpBatch(adminKey, buildId, [`get /filestore/passwd-link ${copy}`]);
      expect(read.code).not.toBe(0);
      await expect(stat(copy)).rejects.toThrow();
      const write = await sftpBatch(adminKey, buildId, [`put ${local} /filestore/host-file-link`]);
      expect(write.code).not.toBe(0);
      expect(await readFile(hostFile, "utf8")).toBe("host\n");
      const through = await sftpBatch(adminKey, buildId, [`put ${local} /filestore/folder-link/planted.txt`]);
      expect(through.code).not.toBe(0);
      // The link is shown as a link; nothing of the folder it points to comes through.
      const listing = await sftpBatch(adminKey, buildId, ["ls -l /filestore/folder-link/"]);
      expect(listing.out).not.toContain("secret.txt");
      const secret = await sftpBatch(adminKey, buildId, [`get /filestore/folder-link/secret.txt ${copy}`]);
      expect(secret.code).not.toBe(0);
      await expect(stat(copy)).rejects.toThrow();
      expect((await readdir(outside)).sort()).toEqual(["host-file.txt", "secret.txt"]);
      // The link itself is still a link, not replaced by a file.
      expect((await lstat(join(filestore, "host-file-link"))).isSymbolicLink()).toBe(true);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it("refuses the legacy scp protocol with a clear message", async () => {
    const copy = join(keys, "legacy.log");
    const legacy = await transfer("scp", [adminKey, "-O", `${buildId}@127.0.0.1:/logs/install.log`, copy]);
    expect(legacy.code).not.toBe(0);
    expect(legacy.err).toContain("legacy scp protocol");
    await expect(stat(copy)).rejects.toThrow();
  });

  it("refuses a role without the Shell right on the build's stage", async () => {
    const before = await prisma().shellSession.count({ where: { via: "sftp" } });
    const listed = await sftpBatch(userKey, productionId, ["ls /"]);
    expect(listed.code).toBe(255);
    expect(listed.err).toContain("Permission denied");
    expect(await prisma().shellSession.count({ where: { via: "sftp" } })).toBe(before);
  });
});
