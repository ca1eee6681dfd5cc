// A build's end told through the project's channels: a red development build sends "build
// failed", the branch's next green build "build fixed", both received by a local webhook
// receiver from the worker's notifications queue.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HttpReceiver, startHttpReceiver } from "../../support/http-receiver";
import { type BuildSuite, startBuildSuite } from "./suite";
import { shaOf, waitFor } from "./support";

let suite: BuildSuite;
let receiver: HttpReceiver;
let prisma: typeof import("@gantry/db").prisma;
let projectId: string;
let branchId: string;

beforeAll(async () => {
  suite = await startBuildSuite({ queues: ["builds", "notifications"] });
  receiver = await startHttpReceiver();
  prisma = (await import("@gantry/db")).prisma;
  const { encrypt } = await import("@gantry/secrets");
  const { config } = await import("@gantry/config");
  projectId = (await suite.project("notify", { name: "Notify", notificationsSetUpAt: new Date() })).id;
  await prisma().notificationChannel.create({
    data: {
      projectId,
      kind: "WEBHOOK",
      name: "hook",
      events: ["build.failed.development", "build.fixed.development"],
      targetEnc: encrypt(receiver.url("/builds"), config().GANTRY_SECRET as string),
      secretEnc: encrypt("a-build-hook-secret-0123", config().GANTRY_SECRET as string),
    },
  });
  branchId = (await prisma().branch.create({ data: { projectId, name: "notify-me", stage: "DEVELOPMENT" } }))
    .id;
}, 180_000);

afterAll(async () => {
  await suite?.close();
  await receiver?.close();
}, 120_000);

async function build(ref: string): Promise<string> {
  const sha = await shaOf(join(suite.env.repos, "acme17.git"), ref);
  return suite.push({ projectId, branchId, stage: "DEVELOPMENT", sha });
}

function received(event: string, buildId: string) {
  return waitFor(
    `a ${event} notice of ${buildId}`,
    async () =>
      receiver.requests
        .map((r) => JSON.parse(r.body.toString("utf8")))
        .find((body) => body.event === event && body.data.buildId === buildId),
    60_000,
  );
}

describe("build notifications", () => {
  it("a failed build is told as failed, the branch's next green build as fixed", async () => {
    const red = await build("fail-at-install");
    expect((await suite.ended(red, 300_000)).result).toBe("FAILED");
    const failed = await received("build.failed", red);
    expect(failed).toMatchObject({
      title: "Build failed: Notify / notify-me (development)",
      data: { projectId, branch: "notify-me", stage: "development" },
    });
    expect(failed.url).toContain(`/projects/${projectId}/builds/${red}`);

    const green = await build("main");
    expect((await suite.ended(green, 300_000)).result).toBe("SUCCESS");
    const fixed = await received("build.fixed", green);
    expect(fixed.title).toBe("Build fixed: Notify / notify-me (development)");
    // One notice each: a green build after a green one says nothing.
    expect(receiver.requests).toHaveLength(2);
  }, 700_000);
});
