// The Redis the scripts run requires REDIS_URL's password: a container that reaches the host's
// Redis port without it can neither read nor inject jobs. The password reaches ioredis and
// BullMQ through the URL, and never shows in what a failure says.
import { randomBytes } from "node:crypto";
import { config } from "@gantry/config";
import { createQueueContext, type QueueContext } from "@gantry/queue";
import { afterEach, describe, expect, it } from "vitest";
import { randomPrefix } from "./support";

const opened: QueueContext[] = [];

function contextFor(redisUrl: string): QueueContext {
  // "producer": a refused command fails after a few attempts instead of waiting forever.
  const context = createQueueContext({ redisUrl, prefix: randomPrefix(), role: "producer" });
  opened.push(context);
  return context;
}

function withPassword(password: string | undefined): string {
  const url = new URL(config().REDIS_URL);
  url.password = password ?? "";
  if (password === undefined) url.username = "";
  return url.toString();
}

async function failureOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return String((error as Error).message);
  }
  throw new Error("the command succeeded");
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((context) => context.close()));
});

describe("Redis's password", () => {
  const password = decodeURIComponent(new URL(config().REDIS_URL).password);

  it("is part of REDIS_URL", () => {
    expect(password, "REDIS_URL carries no password: the scripts' Redis always has one").not.toBe("");
  });

  it("lets Gantry's own connections in: plain client and BullMQ queues", async () => {
    const context = contextFor(config().REDIS_URL);
    expect(await context.redis().ping()).toBe("PONG");
    const queue = context.queue("maintenance");
    const job = await queue.add("password-check", {});
    expect((await queue.getJob(job.id as string))?.name).toBe("password-check");
    await queue.obliterate({ force: true });
  });

  it("refuses a connection without it, and one with another", async () => {
    const none = await failureOf(contextFor(withPassword(undefined)).redis().ping());
    expect(none).toMatch(/NOAUTH/);
    const wrong = `not-${randomBytes(8).toString("hex")}`;
    const other = await failureOf(contextFor(withPassword(wrong)).redis().ping());
    expect(other).toMatch(/WRONGPASS|invalid password/i);
    expect(other).not.toContain(wrong);
    expect(none).not.toContain(password);
  });
});
