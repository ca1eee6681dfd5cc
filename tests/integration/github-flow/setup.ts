// Shared set-up of the GitHub flow suites: a scratch database, a private Redis prefix, the
// GitHub stand-in (as GITHUB_API_URL) and the fixture repositories as bare git remotes.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { resetConfigForTests } from "@gantry/config";
import { cloneTestDatabase, type ScratchDatabase } from "../../support/databases";
import { type GithubStandin, startGithubStandin } from "../../support/github-standin";
import { makeFixtureRepos } from "./fixture-repos";

const run = promisify(execFile);
export interface FlowEnv {
  db: ScratchDatabase;
  gh: GithubStandin;
  reposDir: string;
  redisPrefix: string;
  close(): Promise<void>;
}

export async function startFlowEnv(name: string): Promise<FlowEnv> {
  const db = await cloneTestDatabase(name);
  const gh = await startGithubStandin();
  const reposDir = await mkdtemp(join(tmpdir(), "gantry-repos-"));
  await makeFixtureRepos(reposDir);
  const redisPrefix = `t-${name}-${randomBytes(3).toString("hex")}`;
  process.env.DATABASE_URL = db.url;
  process.env.GITHUB_API_URL = gh.url;
  process.env.REDIS_PREFIX = redisPrefix;
  process.env.PUBLIC_URL = "http://127.0.0.1:3999";
  process.env.GANTRY_SECRET = "test-secret-for-github-flow-0123456789";
  // Each refused fuzz delivery logs a warning; the suite reads outcomes, not logs.
  process.env.LOG_LEVEL = "error";
  resetConfigForTests();
  return {
    db,
    gh,
    reposDir,
    redisPrefix,
    async close() {
      await gh.close();
      await rm(reposDir, { recursive: true, force: true });
      await db.drop();
    },
  };
}

/** An actor as the web layer builds it, from the user's rows. */
export async function actorOf(userId: string) {
  const { prisma } = await import("@gantry/db");
  const user = await prisma().user.findUniqueOrThrow({
    where: { id: userId },
    include: { collaborators: true },
  });
  return {
    userId,
    isAdmin: user.isAdmin,
    memberships: Object.fromEntries(user.collaborators.map((c) => [c.projectId, c.role])),
    tokenProjectIds: null,
  };
}

export async function git(dir: string, ...args: string[]): Promise<string> {
  const { stdout } = await run("git", ["-C", dir, ...args]);
  return stdout.trim();
}

/** The webhook route handler served over real HTTP, the way Next hands it a Request. */
export async function serveWebhookRoute(): Promise<{ server: Server; url: string }> {
  const { POST } = await import("../../../apps/web/app/api/github/webhook/route");
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (typeof v === "string") {
        try {
          headers.set(k, v);
        } catch {
          // Node accepts header values that fetch's Headers refuses; Next drops them too.
        }
      }
    }
    const response = await POST(
      new Request(`http://127.0.0.1${req.url}`, { method: "POST", headers, body: Buffer.concat(chunks) }),
    );
    res.writeHead(response.status, { "content-type": "application/json" });
    res.end(await response.text());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhook` };
}
