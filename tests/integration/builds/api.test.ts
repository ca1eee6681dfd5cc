// The builds API's use-cases against a real database and queue (list, one build with phases,
// rebuild, cancel, log paths behind the policy), and the log tail read as server-sent events
// while a real file is being appended.
import { randomBytes } from "node:crypto";
import { appendFile, mkdir, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { resetConfigForTests } from "@gantry/config";
import type { Actor } from "@gantry/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ParsedEvent, parseSse } from "../../../apps/web/lib/logs/sse";
import { dropDefaultQueue } from "../../support/default-queue";
import { type BuildTestEnv, useBuildTestEnv, waitFor } from "./support";

let env: BuildTestEnv;
let prisma: typeof import("@gantry/db").prisma;
let core: typeof import("@gantry/core");
let tail: typeof import("../../../apps/web/lib/logs/tail");
let shared: typeof import("../../../apps/web/lib/logs/shared-tail");
let projectId: string;
let mainId: string;
let featureId: string;
let admin: Actor;
let developer: Actor;
let stranger: Actor;

beforeAll(async () => {
  env = await useBuildTestEnv();
  // Rebuilds enqueue on the process's default queue context: give it this file's prefix.
  process.env.REDIS_PREFIX = env.prefix;
  resetConfigForTests();
  prisma = (await import("@gantry/db")).prisma;
  core = await import("@gantry/core");
  tail = await import("../../../apps/web/lib/logs/tail");
  shared = await import("../../../apps/web/lib/logs/shared-tail");
  const project = await prisma().project.create({
    data: {
      slug: `api-${env.prefix}`,
      name: "API",
      githubOwner: "acme",
      githubRepo: env.prefix,
      odooSeries: "17.0",
    },
  });
  projectId = project.id;
  mainId = (await prisma().branch.create({ data: { projectId, name: "main", stage: "PRODUCTION" } })).id;
  featureId = (await prisma().branch.create({ data: { projectId, name: "feature", stage: "DEVELOPMENT" } }))
    .id;
  const actor = (memberships: Actor["memberships"]): Actor => ({
    userId: randomBytes(6).toString("hex"),
    isAdmin: false,
    memberships,
    tokenProjectIds: null,
  });
  admin = actor({ [projectId]: "ADMIN" });
  developer = actor({ [projectId]: "DEVELOPER" });
  stranger = actor({});
});

afterAll(async () => {
  await dropDefaultQueue("builds");
  await prisma?.().$disconnect();
  await env?.db.drop();
});

async function build(branchId: string, stage: "PRODUCTION" | "DEVELOPMENT", sha: string) {
  return prisma().build.create({
    data: { projectId, branchId, stage, commitSha: sha.repeat(40), commitMessage: `commit ${sha}` },
  });
}

function code(error: unknown): string | undefined {
  return core.isAppError(error) ? error.code : undefined;
}

describe("builds use-cases", () => {
  it("lists newest first, filters by branch, and refuses strangers", async () => {
    const older = await build(mainId, "PRODUCTION", "a");
    const newer = await build(featureId, "DEVELOPMENT", "b");
    const all = await core.listBuilds(admin, projectId);
    expect(all.map((b) => b.id).slice(0, 2)).toEqual([newer.id, older.id]);
    expect(all[0]!.branch.name).toBe("feature");
    const ofMain = await core.listBuilds(developer, projectId, { branchId: mainId });
    expect(ofMain.map((b) => b.id)).toContain(older.id);
    expect(ofMain.every((b) => b.branchId === mainId)).toBe(true);
    await expect(core.listBuilds(stranger, projectId)).rejects.toSatisfy((e) => code(e) === "forbidden");
  });

  it("gives one build with its phases in order; unknown ids are not found", async () => {
    const row = await build(featureId, "DEVELOPMENT", "c");
    expect(await core.claimBuild(row.id, "test-worker")).toBe(true);
    await core.startPhase(row.id, "code");
    const one = await core.getBuild(developer, row.id);
    expect(one.status).toBe("RUNNING");
    expect(one.phases.map((p) => p.name)).toEqual([...core.buildPhases]);
    expect(one.phases[0]!.status).toBe("RUNNING");
    await expect(core.getBuild(admin, "nosuchbuild")).rejects.toSatisfy((e) => code(e) === "not_found");
    await expect(core.getBuild(stranger, row.id)).rejects.toSatisfy((e) => code(e) === "forbidden");
  });

  it("refuses a rebuild while building, queues one after, and cancels by state", async () => {
    const row = await build(featureId, "DEVELOPMENT", "d");
    await expect(core.rebuild(admin, row.id)).rejects.toSatisfy((e) => code(e) === "conflict");
    expect(await core.cancelBuild(admin, row.id)).toEqual({ outcome: "cancelled" });
    await expect(core.cancelBuild(admin, row.id)).rejects.toSatisfy((e) => code(e) === "conflict");

    const again = await core.rebuild(developer, row.id);
    expect(again.id).not.toBe(row.id);
    expect(again.commitSha).toBe(row.commitSha);
    const queued = await prisma().build.findUniqueOrThrow({ where: { id: again.id } });
    expect(queued).toMatchObject({ status: "QUEUED", trigger: "rebuild", branchId: featureId });

    expect(await core.claimBuild(again.id, "test-worker")).toBe(true);
    expect(await core.cancelBuild(admin, again.id)).toEqual({ outcome: "requested" });
    const requested = await prisma().build.findUniqueOrThrow({ where: { id: again.id } });
    expect(requested.cancelRequestedAt).not.toBeNull();
  });

  it("answers log paths only from the allow list, under the logs permission", async () => {
    const dev = await build(featureId, "DEVELOPMENT", "e");
    const prod = await build(mainId, "PRODUCTION", "f");
    const path = await core.buildLogPath(developer, dev.id, "install.log");
    expect(path).toBe(`${env.dataDir}/builds/${dev.id}/logs/install.log`);
    for (const bad of ["../../etc/passwd", "install.log/../../x", "other.log", ""]) {
      await expect(core.buildLogPath(admin, dev.id, bad)).rejects.toSatisfy((e) => code(e) === "not_found");
    }
    // Production logs are for Admins only.
    await expect(core.buildLogPath(developer, prod.id, "odoo.log")).rejects.toSatisfy(
      (e) => code(e) === "forbidden",
    );
    expect(await core.buildLogPath(admin, prod.id, "odoo.log")).toContain(prod.id);
  });
});

/** Reads a tail stream's events as they come. */
function reader(stream: ReadableStream<Uint8Array>) {
  const source = stream.getReader();
  const decoder = new TextDecoder();
  const events: ParsedEvent[] = [];
  const chunks: Uint8Array[] = [];
  let text = "";
  let closed = false;
  const pump = (async () => {
    for (;;) {
      const { value, done } = await source.read();
      if (done) break;
      chunks.push(value);
      text += decoder.decode(value, { stream: true });
      const parsed = parseSse(text);
      events.push(...parsed.events);
      text = parsed.rest;
    }
    closed = true;
  })();
  const lines = () => events.filter((e) => e.event === "message").flatMap((e) => e.data.split("\n"));
  return { events, chunks, lines, isClosed: () => closed, cancel: () => source.cancel(), pump };
}

describe("log tail as server-sent events", () => {
  it("sends what is there, then appended lines, with byte offsets as ids; resumes from one", async () => {
    const row = await build(featureId, "DEVELOPMENT", "1");
    const path = await core.buildLogPath(admin, row.id, "install.log");
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, "2024-05-01 12:00:00,000 1 INFO db odoo: first\nsecond\n");
    let done = false;
    const live = reader(
      tail.tailStream({ path, from: 0, pollMs: 50, heartbeatMs: 200, finished: async () => done }),
    );
    await waitFor("the existing lines", async () => (live.lines().length >= 2 ? true : undefined), 10_000);
    expect(live.lines()).toEqual(["2024-05-01 12:00:00,000 1 INFO db odoo: first", "second"]);

    // A line written in two parts is sent once it is complete.
    await appendFile(path, "thi");
    await appendFile(path, "rd\nfourth\n");
    await waitFor("the appended lines", async () => (live.lines().length >= 4 ? true : undefined), 10_000);
    expect(live.lines()).toEqual([
      "2024-05-01 12:00:00,000 1 INFO db odoo: first",
      "second",
      "third",
      "fourth",
    ]);
    const messages = () => live.events.filter((e) => e.event === "message");
    expect(Number(messages()[0]!.id)).toBe(
      Buffer.byteLength("2024-05-01 12:00:00,000 1 INFO db odoo: first\nsecond\n"),
    );
    expect(Number(messages().at(-1)!.id)).toBe((await stat(path)).size);
    // Heartbeats are comments: nothing but line events so far.
    expect(live.events.every((e) => e.event === "message")).toBe(true);

    // A client reconnecting with the first event's id gets only what came after it.
    const resumed = reader(
      tail.tailStream({ path, from: Number(messages()[0]!.id), pollMs: 50, finished: async () => done }),
    );
    await waitFor("the resumed lines", async () => (resumed.lines().length >= 2 ? true : undefined), 10_000);
    expect(resumed.lines()).toEqual(["third", "fourth"]);

    // Once the writer is finished, the unterminated last line is sent, then `end`, and both close.
    await appendFile(path, "2024-05-01 12:00:09,000 1 ERROR db odoo: last words");
    done = true;
    await waitFor(
      "both streams to end",
      async () => (live.isClosed() && resumed.isClosed() ? true : undefined),
      10_000,
    );
    for (const stream of [live, resumed]) {
      expect(stream.lines().at(-1)).toBe("2024-05-01 12:00:09,000 1 ERROR db odoo: last words");
      const end = stream.events.at(-1)!;
      expect(end.event).toBe("end");
      expect(Number(end.id)).toBe((await stat(path)).size);
    }
  });

  it("waits for a file not written yet, and stops polling when the reader goes away", async () => {
    const row = await build(featureId, "DEVELOPMENT", "2");
    const path = await core.buildLogPath(admin, row.id, "tests.log");
    const live = reader(tail.tailStream({ path, from: 0, pollMs: 50, heartbeatMs: 100 }));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, "Starting TestSale.test_total\n");
    await waitFor("the new file's line", async () => (live.lines().length >= 1 ? true : undefined), 10_000);
    expect(live.lines()).toEqual(["Starting TestSale.test_total"]);
    await live.cancel();
    await live.pump;
    expect(live.isClosed()).toBe(true);
  });

  it("many followers of one file share its reader; one far behind reads the file up to memory", async () => {
    const row = await build(featureId, "DEVELOPMENT", "4");
    const path = await core.buildLogPath(admin, row.id, "odoo.log");
    await mkdir(dirname(path), { recursive: true });
    // 1.5 MiB already written: more than the shared reader keeps in memory.
    const old = Array.from(
      { length: 15_000 },
      (_, n) => `old ${String(n).padStart(5, "0")} ${"x".repeat(90)}`,
    );
    await writeFile(path, `${old.join("\n")}\n`);
    const size = (await stat(path)).size;
    const followers = Array.from({ length: 50 }, () =>
      reader(tail.tailStream({ path, from: size, pollMs: 50 })),
    );
    const added = Array.from({ length: 300 }, (_, n) => `new ${n}`);
    for (let i = 0; i < added.length; i += 30)
      await appendFile(path, `${added.slice(i, i + 30).join("\n")}\n`);
    await waitFor(
      "every follower to get every new line",
      async () => (followers.every((f) => f.lines().length >= added.length) ? true : undefined),
      20_000,
    );
    for (const follower of followers) expect(follower.lines()).toEqual(added);
    expect(shared.tailsOf(path)).toEqual([50]);
    // A follower from the start, after the reader has moved past what memory holds.
    const late = reader(tail.tailStream({ path, from: 0, pollMs: 50 }));
    await waitFor(
      "the whole file",
      async () => (late.lines().length >= old.length + added.length ? true : undefined),
      20_000,
    );
    expect(late.lines()).toEqual([...old, ...added]);
    for (const follower of [...followers, late]) await follower.cancel();
  });

  it("followers behind, at any kept event, send the shared reader's encoded events; a resume point between them catches up to one", async () => {
    const row = await build(featureId, "DEVELOPMENT", "5");
    const path = await core.buildLogPath(admin, row.id, "install.log");
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, "");
    const live = reader(tail.tailStream({ path, from: 0, pollMs: 50 }));
    // Not read until the end: it falls behind by every batch below.
    const behind = tail.tailStream({ path, from: 0, pollMs: 50 });
    const batches = Array.from({ length: 5 }, (_, b) =>
      Array.from({ length: 3 }, (_, n) => `line ${b}.${n}`),
    );
    for (const [b, batch] of batches.entries()) {
      await appendFile(path, `${batch.join("\n")}\n`);
      // One poll per batch: each becomes an event of its own.
      await waitFor("the batch", async () => (live.lines().length >= 3 * (b + 1) ? true : undefined), 10_000);
    }
    const late = reader(behind);
    // From the end of the first line of the second batch: between two kept events.
    const between = Buffer.byteLength(`${batches[0]!.join("\n")}\n${batches[1]![0]}\n`);
    const resumed = reader(tail.tailStream({ path, from: between, pollMs: 50 }));
    const all = batches.flat();
    await waitFor(
      "every follower to have every line",
      async () =>
        late.lines().length >= all.length && resumed.lines().length >= all.length - 4 ? true : undefined,
      10_000,
    );
    expect(late.lines()).toEqual(all);
    expect(resumed.lines()).toEqual(all.slice(4));
    const ids = (events: ParsedEvent[]) => events.filter((e) => e.event === "message").map((e) => e.id);
    expect(ids(late.events)).toEqual(ids(live.events));
    // The rest of the second batch as its own event, then the kept events from its end on.
    expect(ids(resumed.events)).toEqual(ids(live.events).slice(1));
    // Not copies: the very buffers the shared reader encoded once.
    const sent = new Set(live.chunks);
    expect(late.chunks.filter((c) => sent.has(c))).toHaveLength(batches.length);
    expect(resumed.chunks.filter((c) => sent.has(c))).toHaveLength(batches.length - 2);
    for (const follower of [live, late, resumed]) await follower.cancel();
  });

  it("a resume point inside a line longer than a chunk goes on from where the shared reader cut it", async () => {
    const row = await build(featureId, "DEVELOPMENT", "6");
    const path = await core.buildLogPath(admin, row.id, "install.log");
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, "");
    const live = reader(tail.tailStream({ path, from: 0, pollMs: 50, maxChunkBytes: 64 }));
    const long = "y".repeat(150);
    await appendFile(path, `${long}\nafter\n`);
    await waitFor("the lines", async () => (live.lines().at(-1) === "after" ? true : undefined), 10_000);
    // Cut at 64 and 128 bytes: each piece is sent as a line of its own.
    expect(live.lines()).toEqual(["y".repeat(64), "y".repeat(64), "y".repeat(22), "after"]);
    const resumed = reader(tail.tailStream({ path, from: 10, pollMs: 50, maxChunkBytes: 64 }));
    await waitFor("the rest", async () => (resumed.lines().at(-1) === "after" ? true : undefined), 10_000);
    expect(resumed.lines()).toEqual(["y".repeat(54), "y".repeat(64), "y".repeat(22), "after"]);
    for (const follower of [live, resumed]) await follower.cancel();
  });

  it("every follower of a quiet file gets heartbeats from the shared reader's beat, lines intact", async () => {
    const row = await build(featureId, "DEVELOPMENT", "7");
    const path = await core.buildLogPath(admin, row.id, "install.log");
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, "before\n");
    const followers = Array.from({ length: 20 }, () =>
      reader(tail.tailStream({ path, from: 0, pollMs: 50, heartbeatMs: 100 })),
    );
    const text = (f: ReturnType<typeof reader>) => Buffer.concat(f.chunks).toString("utf8");
    const beats = (f: ReturnType<typeof reader>) => text(f).split(": heartbeat\n\n").length - 1;
    await waitFor(
      "two heartbeats each",
      async () => (followers.every((f) => beats(f) >= 2) ? true : undefined),
      10_000,
    );
    expect(shared.tailsOf(path)).toEqual([20]);
    // Followers of one reader with another heartbeat interval get a reader of their own.
    const slower = reader(tail.tailStream({ path, from: 0, pollMs: 50, heartbeatMs: 60_000 }));
    await waitFor(
      "the slower follower's line",
      async () => (slower.lines().length >= 1 ? true : undefined),
      10_000,
    );
    expect(shared.tailsOf(path).sort()).toEqual([1, 20]);
    await appendFile(path, "after\n");
    await waitFor(
      "the new line",
      async () => (followers.every((f) => f.lines().length >= 2) ? true : undefined),
      10_000,
    );
    for (const follower of followers) {
      // Heartbeats are comments between events: the lines are whole and in order.
      expect(follower.lines()).toEqual(["before", "after"]);
      expect(follower.events.every((e) => e.event === "message")).toBe(true);
    }
    expect(beats(slower)).toBe(0);
    for (const follower of [...followers, slower]) await follower.cancel();
  });

  it("starts over when the file is truncated", async () => {
    const row = await build(featureId, "DEVELOPMENT", "3");
    const path = await core.buildLogPath(admin, row.id, "odoo.log");
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, "old line one\nold line two\n");
    const live = reader(tail.tailStream({ path, from: 0, pollMs: 50 }));
    await waitFor("the old lines", async () => (live.lines().length >= 2 ? true : undefined), 10_000);
    await writeFile(path, "new\n");
    await waitFor("the reset", async () => (live.lines().at(-1) === "new" ? true : undefined), 10_000);
    expect(live.events.some((e) => e.event === "reset")).toBe(true);
    await live.cancel();
  });
});
