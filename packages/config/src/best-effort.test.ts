import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { bestEffort } from "./best-effort";
import { createLogger } from "./logger";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, logger: createLogger("test", { level: "debug", destination }) };
}

describe("bestEffort", () => {
  it("returns the work's value when it succeeds, and logs nothing", async () => {
    const { lines, logger } = capture();
    expect(await bestEffort("reading", async () => 42, { logger })).toBe(42);
    expect(await bestEffort("reading", Promise.resolve("text"), { logger })).toBe("text");
    expect(lines).toEqual([]);
  });

  it("logs a rejected promise at warn level with what was cleaned, and does not throw", async () => {
    const { lines, logger } = capture();
    const result = await bestEffort("removing container c1", Promise.reject(new Error("no such container")), {
      logger,
      fields: { buildId: "b1" },
    });
    expect(result).toBeUndefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 40,
      cleanup: "removing container c1",
      buildId: "b1",
      msg: "removing container c1 failed; carrying on",
      err: { message: "no such container" },
    });
  });

  it("catches a function that throws before returning a promise", async () => {
    const { lines, logger } = capture();
    const work = (): Promise<void> => {
      throw new Error("synchronous");
    };
    await expect(bestEffort("dropping role", work, { logger })).resolves.toBeUndefined();
    expect(lines[0]).toMatchObject({ cleanup: "dropping role", err: { message: "synchronous" } });
  });

  it("falls back to its own logger when none is given", async () => {
    await expect(bestEffort("closing", Promise.reject(new Error("closed")))).resolves.toBeUndefined();
  });
});
