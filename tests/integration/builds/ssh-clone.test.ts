// Clones over SSH with the project's read-only deploy key, against a private sshd on 127.0.0.1
// serving the fixture repository and its submodule (reached through a relative URL, so it too
// comes over SSH with the key). Host keys go to the known_hosts Gantry keeps: recorded on first
// contact, a changed one refused. A key the server does not know fails the build in words.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PrivateSshd, startSshd } from "../../support/sshd";
import { freePort } from "../worker/private-redis";
import { type BuildTestEnv, shaOf, useBuildTestEnv, waitFor } from "./support";

const run = promisify(execFile);
let env: BuildTestEnv;
let sshd: PrivateSshd;
let prisma: typeof import("@gantry/db").prisma;
let core: typeof import("@gantry/core");
let keys: typeof import("@gantry/github");
let deployKey: import("@gantry/github").DeployKeyPair;

async function fingerprintOf(publicKey: string): Promise<string> {
  const { stdout } = await run("bash", ["-c", 'ssh-keygen -lf - <<<"$0"', publicKey]);
  return stdout.split(/\s+/)[1]!;
}

async function projectWithKey(name: string, privateKey: string) {
  return prisma().project.create({
    data: {
      slug: `${name}-${env.prefix}`,
      name,
      githubOwner: "acme",
      githubRepo: `${name}-${env.prefix}`,
      odooSeries: "17.0",
      gitUrl: sshd.urlOf(join(env.repos, "acme17.git")),
      deployKeyPrivateEnc: (await import("@gantry/secrets")).encrypt(privateKey, process.env.GANTRY_SECRET!),
    },
  });
}

beforeAll(async () => {
  env = await useBuildTestEnv();
  prisma = (await import("@gantry/db")).prisma;
  core = await import("@gantry/core");
  keys = await import("@gantry/github");
  deployKey = keys.generateDeployKeyPair("gantry-test");
  sshd = await startSshd({ port: await freePort(), authorizedKeys: [deployKey.publicKey] });
}, 120_000);

afterAll(async () => {
  await sshd?.close();
  await prisma?.().$disconnect();
  await env?.db.drop();
});

describe("clones over SSH with the deploy key", () => {
  it("fetches the commit and its private submodule with the key, recording the host key", async () => {
    const { fetchCode } = await import("../../../apps/worker/src/shared/code");
    const project = await projectWithKey("ssh", deployKey.privateKey);
    const sha = await shaOf(join(env.repos, "acme17.git"), "main");
    const src = join(env.dataDir, "ssh-clone-src");
    const code = await fetchCode({ src, commitSha: sha, project, setting: { mode: "mine" } });
    expect(code.sha).toBe(sha);
    expect(code.submoduleModules.length).toBeGreaterThan(0);
    expect(code.repositoryModules.length).toBeGreaterThan(0);

    // Both the repository and the submodule came over SSH, each time with the deploy key.
    const fingerprint = await fingerprintOf(deployKey.publicKey);
    const logins = sshd
      .log()
      .match(
        new RegExp(`Accepted publickey for ${sshd.user} .*${fingerprint.replace(/[+/]/g, "\\$&")}`, "g"),
      );
    expect(logins?.length ?? 0).toBeGreaterThanOrEqual(2);

    // The host was recorded in Gantry's own known_hosts, beside github.com's published keys.
    const knownHosts = await readFile(core.knownHostsFile(), "utf8");
    expect(knownHosts.split("\n")).toContain(await sshd.hostKeyLine());
    expect(knownHosts).toContain("github.com ssh-ed25519 ");
    // A second clone trusts the recorded key without adding it again.
    await fetchCode({ src: `${src}-2`, commitSha: sha, project, setting: { mode: "mine" } });
    const again = await readFile(core.knownHostsFile(), "utf8");
    expect(again.split("\n").filter((l) => l.startsWith(`[127.0.0.1]:${sshd.port} `))).toHaveLength(1);
  });

  it("refuses a host whose key changed since the first contact", async () => {
    const { fetchCode } = await import("../../../apps/worker/src/shared/code");
    const project = await prisma().project.findFirstOrThrow({ where: { name: "ssh" } });
    const recorded = await readFile(core.knownHostsFile(), "utf8");
    await sshd.restart({ newHostKey: true });
    try {
      const sha = await shaOf(join(env.repos, "acme17.git"), "main");
      await expect(
        fetchCode({
          src: join(env.dataDir, "ssh-clone-changed"),
          commitSha: sha,
          project,
          setting: { mode: "mine" },
        }),
      ).rejects.toThrow(/SSH host key of .* changed since Gantry first connected/);
      // Nothing was rewritten: the old key stays the one trusted.
      expect(await readFile(core.knownHostsFile(), "utf8")).toBe(recorded);
    } finally {
      // Back to a host Gantry knows: forget the old key, as the error message says to.
      const kept = recorded
        .split("\n")
        .filter((l) => !l.startsWith(`[127.0.0.1]:${sshd.port} `))
        .join("\n");
      const { writeFile } = await import("node:fs/promises");
      await writeFile(core.knownHostsFile(), kept);
    }
  });

  it("a key the server does not know fails the build at the code phase, in words", async () => {
    const { startWorker } = await import("../../../apps/worker/src/start-worker");
    const queue = await import("@gantry/queue");
    const producer = queue.createQueueContext({
      redisUrl: (await import("@gantry/config")).config().REDIS_URL,
      prefix: env.prefix,
    });
    const worker = await startWorker({
      prefix: env.prefix,
      queues: ["builds"],
      concurrency: 1,
      shutdownTimeoutMs: 5000,
    });
    try {
      const stranger = keys.generateDeployKeyPair("not-added");
      const project = await projectWithKey("wrongkey", stranger.privateKey);
      const branch = await prisma().branch.create({ data: { projectId: project.id, name: "main" } });
      const build = await prisma().build.create({
        data: {
          projectId: project.id,
          branchId: branch.id,
          stage: "DEVELOPMENT",
          commitSha: await shaOf(join(env.repos, "acme17.git"), "main"),
        },
      });
      await queue.enqueue(
        "builds.run",
        { buildId: build.id },
        { jobId: queue.buildJobId(build.id) },
        producer,
      );
      const done = await waitFor(
        "the build to fail",
        async () => {
          const row = await prisma().build.findUniqueOrThrow({
            where: { id: build.id },
            include: { phases: true },
          });
          return row.status === "DONE" ? row : undefined;
        },
        120_000,
      );
      expect(done.result).toBe("FAILED");
      expect(done.errorSummary).toMatch(
        /refused the project's deploy key: add it \(read-only\) to the repository/,
      );
      expect(done.errorSummary).not.toContain("PRIVATE KEY");
      expect(done.phases.find((p) => p.name === "code")?.status).toBe("FAILED");
      expect(sshd.log()).toMatch(/Failed publickey|Connection closed by authenticating user/);
    } finally {
      await worker.stop();
      await producer.close();
    }
  }, 180_000);
});
