// A gated production push through a real worker: the push waits while the commit's required
// check runs on the GitHub stand-in; the check passes and a check_run delivery arrives; the
// worker's maintenance job releases the build and the builds queue deploys it.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type GithubStandin,
  pushPayload,
  type StandinRepo,
  startGithubStandin,
  webhookExample,
  webhookRequest,
} from "../../support/github-standin";
import { type BuildSuite, startBuildSuite } from "./suite";
import { shaOf, waitFor } from "./support";

let gh: GithubStandin;
let suite: BuildSuite;
let prisma: typeof import("@gantry/db").prisma;
let core: typeof import("@gantry/core");
let repo: StandinRepo;
let repository: string;
let projectId: string;
let branchId: string;
const SECRET = "deploy-gates-webhook-secret";

async function deliver(event: string, payload: Record<string, unknown>) {
  const delivery = webhookRequest(event, payload, SECRET);
  return core.handleWebhook(delivery.body, delivery.headers);
}

beforeAll(async () => {
  gh = await startGithubStandin();
  suite = await startBuildSuite({
    queues: ["builds", "maintenance"],
    environment: () => ({ GITHUB_API_URL: gh.url }),
  });
  prisma = (await import("@gantry/db")).prisma;
  core = await import("@gantry/core");
  await prisma().dbServer.deleteMany();
  const { encrypt } = await import("@gantry/secrets");
  const key = (await import("@gantry/config")).config().GANTRY_SECRET!;
  const project = await suite.project("gates", {
    name: "Gated production",
    githubAuthKind: "TOKEN",
    githubTokenEnc: encrypt(gh.token, key),
    webhookSecretEnc: encrypt(SECRET, key),
  });
  projectId = project.id;
  const row = await prisma().project.findUniqueOrThrow({ where: { id: projectId } });
  repo = gh.addRepo({ owner: row.githubOwner, name: row.githubRepo, branches: [] });
  repository = `${row.githubOwner}/${row.githubRepo}`;
  branchId = (
    await prisma().branch.create({
      data: {
        projectId,
        name: "main",
        stage: "PRODUCTION",
        onNewCommit: "UPDATE_PREVIOUS",
        gateChecks: "NAMED",
        gateCheckNames: ["ci/tests"],
      },
    })
  ).id;
}, 180_000);

afterAll(async () => {
  await suite?.close();
  await gh?.close();
}, 180_000);

describe("a production push held by its checks", () => {
  it("waits while the check runs, then deploys once it passes", async () => {
    const sha = await shaOf(join(suite.env.repos, "acme17.git"), "main");
    gh.addCheckRun(repo, { sha, name: "ci/tests", status: "in_progress" });
    const pushed = await deliver("push", pushPayload(repository, "main", "0".repeat(40), sha));
    expect(pushed.body.outcome).toBe("build_waiting");
    const buildId = pushed.builds[0]!.id;

    // The worker's first look reads the check on the stand-in and keeps the build waiting.
    const looked = await waitFor(
      "the first look at the gate",
      async () => {
        const row = await prisma().build.findUniqueOrThrow({
          where: { id: buildId },
          include: { gate: true },
        });
        return row.gate?.evaluatedAt ? row : undefined;
      },
      60_000,
    );
    expect(looked.status).toBe("WAITING");
    expect(looked.gate).toMatchObject({
      waitingChecks: true,
      checks: [{ name: "ci/tests", state: "pending" }],
    });
    expect(gh.requests.some((r) => r.path.includes(`/commits/${sha}/check-runs`))).toBe(true);

    gh.addCheckRun(repo, { sha, name: "ci/tests", conclusion: "success" });
    const base = webhookExample("check_run");
    const event = await deliver("check_run", {
      ...base,
      action: "completed",
      check_run: { ...(base.check_run as object), head_sha: sha, name: "ci/tests" },
      repository: { ...(base.repository as object), full_name: repository },
    });
    expect(event.body.outcome).toBe("gate_look_queued");

    const ended = await suite.ended(buildId);
    expect(ended).toMatchObject({ status: "DONE", result: "SUCCESS", branchId });
    expect(ended.servingAt).not.toBeNull();
    const gate = await prisma().deployGate.findUniqueOrThrow({ where: { buildId } });
    expect(gate).toMatchObject({ releaseNote: "the checks passed", releasedBy: null });
    expect(gate.releasedAt!.getTime()).toBeLessThanOrEqual(ended.startedAt!.getTime());
    // The build's end is told to GitHub just after the row changes.
    await waitFor(
      "the success status on GitHub",
      async () => {
        const own = repo.statuses.filter((s) => s.sha === sha && s.context === "gantry/main");
        return own.at(-1)?.state === "success" ? true : undefined;
      },
      60_000,
    );
  }, 600_000);
});
