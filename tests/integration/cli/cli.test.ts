// The gantry binary, built and run as a separate process against the real HTTP API (route
// handlers over a socket, a scratch database, a real worker building the fixture project):
// login and its settings file, --json checked against the API's own schemas, exit codes,
// rebuild, `logs --follow` until the build ends, cancel, a backup download resumed after an
// interruption, `deploy --now --wait` of a build held by its gates, and `shell` through the
// worker's real shell server (input, output, resize, the remote shell's exit code).
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readFile, stat, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listBranchBackups, listProjectBackups } from "../../../apps/web/lib/api/endpoints/backups";
import {
  cancelBuildRequest,
  getBuildDetail,
  listProjectBuilds,
  rebuildBuild,
} from "../../../apps/web/lib/api/endpoints/builds";
import { listBranches, listProjects } from "../../../apps/web/lib/api/endpoints/projects";
import { openShell } from "../../../apps/web/lib/api/endpoints/shell";
import { logFiles } from "../../../packages/cli/src/commands/logs";
import { runTerminal } from "../../../packages/cli/src/terminal";
import { type ApiServer, startApiServer } from "../../support/api-server";
import { type BuildSuite, startBuildSuite } from "../builds/suite";
import { shaOf, waitFor } from "../builds/support";
import { startCuttingProxy } from "./cutting-proxy";
import { buildCli, gantry } from "./run";

let suite: BuildSuite;
let server: ApiServer;
let prisma: typeof import("@gantry/db").prisma;
let home: string;
let token: string;
let project: { id: string; slug: string };
let mainId: string;
let firstBuildId: string;
/** The environment of a user who ran `gantry login`. */
let user: Record<string, string>;
let shellServer: import("../../../apps/worker/src/shell/server").ShellServer;
const before = { PUBLIC_URL: process.env.PUBLIC_URL, SHELL_PUBLIC_URL: process.env.SHELL_PUBLIC_URL };

beforeAll(async () => {
  await buildCli();
  suite = await startBuildSuite({ queues: ["builds"] });
  prisma = (await import("@gantry/db")).prisma;
  const core = await import("@gantry/core");
  const row = await suite.project("cli");
  project = await prisma().project.findUniqueOrThrow({
    where: { id: row.id },
    select: { id: true, slug: true },
  });
  const person = await prisma().user.create({
    data: { email: `cli-${randomBytes(4).toString("hex")}@example.com`, name: "CLI user" },
  });
  await prisma().collaborator.create({ data: { projectId: project.id, userId: person.id, role: "ADMIN" } });
  const actor = {
    userId: person.id,
    isAdmin: false,
    memberships: { [project.id]: "ADMIN" as const },
    tokenProjectIds: null,
  };
  token = (await core.createToken(actor, { name: "cli", projectIds: [project.id] })).token;
  mainId = (
    await prisma().branch.create({ data: { projectId: project.id, name: "main", stage: "DEVELOPMENT" } })
  ).id;
  firstBuildId = await suite.push({
    projectId: project.id,
    branchId: mainId,
    stage: "DEVELOPMENT",
    sha: await shaOf(join(suite.env.repos, "acme17.git"), "main"),
  });
  const first = await suite.ended(firstBuildId);
  expect(first.result).not.toBe("FAILED");
  server = await startApiServer();
  home = await mkdtemp(join(tmpdir(), "gantry-cli-home-"));
  user = { HOME: home };
  // The worker's shell server, reached at the address the API's tickets name, accepting the
  // dashboard's origin: here the API server's.
  const { startShellServer } = await import("../../../apps/worker/src/shell/server");
  shellServer = await startShellServer({
    host: "127.0.0.1",
    port: 0,
    runtime: suite.runtime,
    queue: suite.producer,
    logger: core.createLogger("test"),
  });
  process.env.PUBLIC_URL = server.url;
  process.env.SHELL_PUBLIC_URL = `ws://127.0.0.1:${shellServer.port}`;
  (await import("@gantry/config")).resetConfigForTests();
});

afterAll(async () => {
  await shellServer?.close();
  for (const [key, value] of Object.entries(before)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await server?.close();
  await suite?.close();
});

function json(outcome: { code: number; stdout: string; stderr: string }): unknown {
  expect(outcome.stderr).toBe("");
  expect(outcome.code).toBe(0);
  return JSON.parse(outcome.stdout);
}

describe("gantry", () => {
  it("signs in: a refused token is not stored, a good one is, readable by its owner only", async () => {
    const signedOut = await gantry(["projects"], user);
    expect(signedOut.code).toBe(3);
    expect(signedOut.stderr).toMatch(/gantry login/);

    const refused = await gantry(["login", "--url", server.url, "--token", "gty_wrong_token"], user);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/401 unauthorized/);
    await expect(stat(join(home, ".config/gantry/config.json"))).rejects.toThrow();

    const login = await gantry(["login", "--url", `${server.url}/`, "--token", token], user);
    expect(login.code).toBe(0);
    expect(login.stdout).toContain("Signed in");
    const file = join(home, ".config/gantry/config.json");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual({ url: server.url, token });
  });

  it("lists projects, branches and builds; --json is the API's answer, valid against its schema", async () => {
    const projects = listProjects.output.parse(json(await gantry(["projects", "--json"], user)));
    expect(projects.projects.map((p) => p.id)).toEqual([project.id]);
    const table = await gantry(["projects"], user);
    expect(table.code).toBe(0);
    expect(table.stdout.split("\n")[0]).toMatch(/^ID\s+SLUG\s+NAME/);
    expect(table.stdout).toContain(project.slug);

    const branches = listBranches.output.parse(
      json(await gantry(["--json", "branches", project.slug], user)),
    );
    expect(branches.branches.map((b) => [b.id, b.name])).toEqual([[mainId, "main"]]);

    const builds = listProjectBuilds.output.parse(
      json(await gantry(["builds", project.slug, "--branch", "main", "--json"], user)),
    );
    expect(builds.builds.map((b) => b.id)).toEqual([firstBuildId]);

    // The environment overrides the stored settings: a token from GANTRY_TOKEN is the one sent.
    const envOverride = await gantry(["projects"], { ...user, GANTRY_TOKEN: "gty_not_a_token" });
    expect(envOverride.code).toBe(3);
  });

  it("exits 2 on a wrong command line, 4 for what does not exist, 1 for an API error", async () => {
    expect((await gantry(["bogus"], user)).code).toBe(2);
    expect((await gantry(["builds"], user)).code).toBe(2);
    expect((await gantry(["logs", firstBuildId, "secrets.txt"], user)).code).toBe(2);

    const missing = await gantry(["build", "nosuchbuild"], user);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/^gantry: .*\(404 not_found\)\n$/);
    expect((await gantry(["builds", "no-such-project"], user)).code).toBe(4);

    const ended = await gantry(["cancel", firstBuildId], user);
    expect(ended.code).toBe(1);
    expect(ended.stderr).toMatch(/\(409 conflict\)/);
  });

  it("cancels a queued build", async () => {
    const queued = await prisma().build.create({
      data: { projectId: project.id, branchId: mainId, stage: "DEVELOPMENT", commitSha: "c".repeat(40) },
    });
    const answer = cancelBuildRequest.output.parse(json(await gantry(["cancel", queued.id, "--json"], user)));
    expect(answer.outcome).toBe("cancelled");
    expect((await prisma().build.findUniqueOrThrow({ where: { id: queued.id } })).status).toBe("CANCELLED");
  });

  it("opens a shell in the build: piped input runs, its output and exit code come back", async () => {
    const session = await gantry(["shell", firstBuildId], user, undefined, "echo gantry-$((6*7))\nexit 3\n");
    expect(session.stdout).toContain("gantry-42");
    expect(session.code).toBe(3);
    const missing = await gantry(["shell", "nosuchbuild"], user);
    expect(missing.code).toBe(4);
  });

  it("speaks the shell socket's protocol: the terminal's size at the start and after a resize", async () => {
    const issued = await fetch(`${server.url}/api/v1/builds/${firstBuildId}/shell`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(issued.status).toBe(201);
    const ticket = openShell.output.parse(await issued.json());
    let size = { cols: 101, rows: 31 };
    let resized = () => {};
    const input = new PassThrough();
    let out = "";
    const ended = runTerminal(
      ticket.url,
      { ticket: ticket.ticket, origin: new URL(server.url).origin },
      {
        input,
        output: (data) => {
          out += data.toString("utf8");
        },
        notice: () => {},
        size: () => size,
        onResize: (callback) => {
          resized = callback;
          return () => {};
        },
      },
    );
    const shown = (pattern: RegExp) =>
      waitFor(`${pattern}`, async () => (pattern.test(out) ? true : undefined), 120_000);
    // Typed once the prompt shows, as a person would: the terminal has its first size by then.
    await shown(/\$ $/m);
    input.write("stty size\n");
    await shown(/^31 101\r?$/m);
    size = { cols: 132, rows: 43 };
    resized();
    // Docker applies a resize on its own time, after input already sent may have run: asked
    // again until the terminal has it.
    await waitFor(
      "the new size",
      async () => {
        if (/^43 132\r?$/m.test(out)) return true;
        input.write("stty size\n");
        return undefined;
      },
      120_000,
    );
    input.write("exit 0\n");
    expect(await ended).toMatchObject({ reason: "exited", exitCode: 0 });
  });

  it("rebuilds, then follows the new build's log until the build ends", async () => {
    const rebuilt = rebuildBuild.output.parse(json(await gantry(["rebuild", firstBuildId, "--json"], user)));
    expect(rebuilt.id).not.toBe(firstBuildId);

    const followed = await gantry(["logs", rebuilt.id, "install.log", "--follow"], user);
    expect(followed.stderr).toBe("");
    expect(followed.code).toBe(0);
    // It returned because the build ended, and printed the whole log, nothing twice.
    const detail = getBuildDetail.output.parse(json(await gantry(["build", rebuilt.id, "--json"], user)));
    expect(["DONE", "CANCELLED"]).toContain(detail.status);
    const whole = await gantry(["logs", rebuilt.id, "install.log"], user);
    expect(whole.code).toBe(0);
    expect(whole.stdout.length).toBeGreaterThan(0);
    expect(followed.stdout).toBe(whole.stdout);
    expect(detail.logs.find((l) => l.file === "install.log")?.bytes).toBe(Buffer.byteLength(whole.stdout));

    // A connection dropped mid-stream: the client reconnects from the last offset it printed.
    const proxy = await startCuttingProxy(new URL(server.url));
    try {
      const resumed = await gantry(["logs", rebuilt.id, "--follow"], { ...user, GANTRY_URL: proxy.url });
      expect(resumed.code).toBe(0);
      expect(proxy.cutAfter).not.toBeNull();
      expect(proxy.resumedWith).toEqual([proxy.cutAfter]);
      expect(resumed.stdout).toBe(whole.stdout);
    } finally {
      await proxy.close();
    }
  });

  it("shows what a held build waits for, deploys it now and waits for its end", async () => {
    const held = await prisma().build.create({
      data: {
        projectId: project.id,
        branchId: mainId,
        stage: "DEVELOPMENT",
        commitSha: await shaOf(join(suite.env.repos, "acme17.git"), "main"),
        status: "WAITING",
        gate: { create: { waitingWindow: true, windowOpensAt: new Date("2099-01-05T08:00:00Z") } },
      },
    });
    const shown = await gantry(["deploy", held.id], user);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toBe("waiting for the deploy window (opens 2099-01-05T08:00:00.000Z)\n");
    const asJson = getBuildDetail.output.parse(json(await gantry(["deploy", held.id, "--json"], user)));
    expect(asJson.status).toBe("WAITING");
    expect(asJson.gate?.waitingWindow).toBe(true);

    const deployed = await gantry(["deploy", held.id, "--now", "--wait", "--json"], user);
    const ended = getBuildDetail.output.parse(JSON.parse(deployed.stdout));
    expect(ended.status).toBe("DONE");
    expect(ended.result).not.toBe("FAILED");
    expect(deployed.code).toBe(0);
    expect(ended.gate?.releaseNote).toBe("deploy now");
    expect(deployed.stderr).toContain("released: queued");

    // Released once: a second "deploy now" is refused.
    const again = await gantry(["deploy", held.id, "--now"], user);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/\(409 conflict\)/);
    // A build that ended badly: --wait says so by its exit code.
    const cancelled = await prisma().build.create({
      data: {
        projectId: project.id,
        branchId: mainId,
        stage: "DEVELOPMENT",
        commitSha: "d".repeat(40),
        status: "CANCELLED",
      },
    });
    const waited = await gantry(["deploy", cancelled.id, "--wait"], user);
    expect(waited.code).toBe(5);
    expect(waited.stdout).toBe("CANCELLED\n");
  });

  it("knows the server's log files and asks before a restore", async () => {
    const { buildLogFiles } = await import("@gantry/core");
    expect([...logFiles].sort()).toEqual([...buildLogFiles].sort());
    const unconfirmed = await gantry(["backups", "restore", project.slug, "main", "somebackup"], user);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toMatch(/--yes/);
    const missing = await gantry(["backups", "restore", project.slug, "nosuchbranch", "b", "--yes"], user);
    expect(missing.code).toBe(4);
  });

  it("downloads a backup, and resumes a partial download instead of starting over", async () => {
    const { backupStorage } = await import("@gantry/core");
    const production = await prisma().branch.create({
      data: { projectId: project.id, name: "production", stage: "PRODUCTION" },
    });
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const key = `cli-test/${randomBytes(4).toString("hex")}.zip`;
    const stored = await backupStorage().put(key, Readable.from([bytes]));
    const backup = await prisma().backup.create({
      data: {
        projectId: project.id,
        branchId: production.id,
        stage: "PRODUCTION",
        kind: "MANUAL",
        status: "DONE",
        storageKey: key,
        sizeBytes: stored.size,
        sha256: stored.sha256,
        finishedAt: new Date(),
      },
    });
    const listed = listProjectBackups.output.parse(
      json(await gantry(["backups", project.slug, "--json"], user)),
    );
    expect(listed.backups.map((b) => b.id)).toEqual([backup.id]);
    const ofBranch = listBranchBackups.output.parse(
      json(await gantry(["backups", "list", project.slug, "production", "--json"], user)),
    );
    expect(ofBranch.backups.map((b) => b.id)).toEqual([backup.id]);

    const workdir = await mkdtemp(join(tmpdir(), "gantry-cli-download-"));
    const file = join(workdir, "prod.zip");
    const sha = (data: Buffer) => createHash("sha256").update(data).digest("hex");
    const download = () =>
      gantry(["backups", "download", project.slug, backup.id, "-o", file, "--json"], user);

    const fresh = json(await download()) as { bytes: number; resumedFrom: number; sha256: string };
    expect(fresh).toMatchObject({ bytes: bytes.length, resumedFrom: 0, sha256: sha(bytes) });

    // Interrupted half-way: the second run asks only for the rest.
    const half = Math.floor(bytes.length / 2);
    await truncate(file, half);
    const resumed = json(await download()) as { bytes: number; resumedFrom: number; sha256: string };
    expect(resumed).toMatchObject({ bytes: bytes.length, resumedFrom: half, sha256: sha(bytes) });
    expect(sha(await readFile(file))).toBe(sha(bytes));

    // A partial file that is not the start of this archive is caught by the checksum.
    await writeFile(file, randomBytes(half));
    const wrong = await download();
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/checksum/);

    // Without a default in its name, the file lands in the working directory.
    const elsewhere = await gantry(["backups", "download", project.slug, backup.id], user, workdir);
    expect(elsewhere.code).toBe(0);
    expect(sha(await readFile(join(workdir, `backup-${backup.id}.zip`)))).toBe(sha(bytes));
    expect((await gantry(["backups", "download", project.slug, "nosuchbackup"], user)).code).toBe(4);
  });
});
