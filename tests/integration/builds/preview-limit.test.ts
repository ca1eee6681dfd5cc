// The preview limit through a real worker: with a limit of two, two previews serve side by side;
// a third starting to serve puts the least recently used awake one to sleep (the one nobody
// visited since, not the oldest), its container stopped and its host sent to the wake page. A
// visit wakes it, and the limit then sends the next least recently used to sleep.
import { join } from "node:path";
import type { PullRequestEvent } from "@gantry/github";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BuildSuite, startBuildSuite } from "./suite";
import { shaOf, waitFor } from "./support";

let suite: BuildSuite;
let prisma: typeof import("@gantry/db").prisma;
let core: typeof import("@gantry/core");
let queue: typeof import("@gantry/queue");
let projectId: string;
let repository: string;

/** Opens pull request `number` on `ref` as the webhook would; the id of the preview's build. */
async function openPullRequest(number: number, ref: string): Promise<string> {
  const sha = await shaOf(join(suite.env.repos, "acme17.git"), ref);
  const event: PullRequestEvent = {
    kind: "pull_request",
    repository,
    action: "opened",
    number,
    title: `Change ${number}`,
    url: `https://github.com/${repository}/pull/${number}`,
    head: { ref, sha, repository },
    base: { ref: "main", sha: "0".repeat(40) },
    merged: false,
  };
  const outcome = await core.openPreview(projectId, event);
  expect(outcome.outcome).toBe("preview_queued");
  const build = await suite.ended(outcome.builds[0]!.id);
  expect(build).toMatchObject({ status: "DONE", result: "SUCCESS" });
  return build.id;
}

/** Whether each build is marked asleep and whether its container runs. */
async function power(ids: string[]) {
  return Promise.all(
    ids.map(async (id) => {
      const build = await prisma().build.findUniqueOrThrow({ where: { id } });
      const running = (await suite.runtime.inspect(build.containerName!)).running;
      return { asleep: build.sleepingSince !== null, running };
    }),
  );
}

const awake = { asleep: false, running: true };
const asleep = { asleep: true, running: false };

/**
 * Waits until the worker has put `buildId` to sleep: the limit is enforced after the job that
 * served or woke a preview, and the row is marked before the container is stopped.
 */
async function sleptBy(buildId: string) {
  await waitFor(
    `build ${buildId} put to sleep`,
    async () => {
      const [state] = await power([buildId]);
      return state!.asleep && !state!.running ? true : undefined;
    },
    120_000,
  );
}

beforeAll(async () => {
  suite = await startBuildSuite({ queues: ["builds", "maintenance"] });
  prisma = (await import("@gantry/db")).prisma;
  core = await import("@gantry/core");
  queue = await import("@gantry/queue");
  const project = await suite.project("preview-limit", { name: "Preview limit", previewLimit: 2 });
  projectId = project.id;
  const row = await prisma().project.findUniqueOrThrow({ where: { id: projectId } });
  repository = `${row.githubOwner}/${row.githubRepo}`;
}, 180_000);

afterAll(async () => {
  await suite?.close();
  await queue?.closeDefaultQueueContext();
}, 180_000);

describe("the preview limit", () => {
  it("puts the least recently used awake preview to sleep; a visit wakes it and another sleeps", async () => {
    const first = await openPullRequest(1, "main");
    const second = await openPullRequest(2, "nobump");
    // Within the limit: nothing sleeps.
    expect(await power([first, second])).toEqual([awake, awake]);

    // The first (oldest) preview was visited just now: the second is the least recently used.
    await prisma().build.update({ where: { id: first }, data: { lastRequestAt: new Date() } });
    const third = await openPullRequest(3, "bump");
    await sleptBy(second);
    expect(await power([first, second, third])).toEqual([awake, asleep, awake]);
    // Asleep, its host leads to the wake page; the others keep their route to Odoo.
    expect(JSON.stringify(await core.buildRoute(second))).toContain(`/wake/${second}`);
    expect(JSON.stringify(await core.buildRoute(third))).not.toContain("/wake/");

    // A visit to the second wakes it: it is now the most recent, and the first (visited before
    // the third started serving) is the least recently used.
    const { url } = await prisma().build.findUniqueOrThrow({ where: { id: second } });
    const wake = await core.requestWake(second, new URL(url!).host);
    expect(wake.state).toBe("starting");
    await sleptBy(first);
    expect(await power([first, second, third])).toEqual([asleep, awake, awake]);
  }, 900_000);
});
