import { describe, expect, it } from "vitest";
import { runChecks } from "./aggregate";
import type { HealthCheck } from "./types";

const ok = (name: string, message = "fine"): HealthCheck => ({
  name,
  run: async () => ({ ok: true, message }),
});

describe("runChecks", () => {
  it("reports ok when every check is ok", async () => {
    const report = await runChecks([ok("a"), ok("b", "all good")]);
    expect(report.status).toBe("ok");
    expect(report.failing).toEqual([]);
    expect(report.components.b).toMatchObject({ ok: true, message: "all good" });
    expect(Number.isNaN(Date.parse(report.checkedAt))).toBe(false);
  });

  it("names the failing components in check order", async () => {
    const report = await runChecks([
      { name: "c", run: async () => ({ ok: false, message: "pending: 2024_init" }) },
      ok("a"),
      { name: "b", run: () => Promise.reject(new Error("connection refused")) },
    ]);
    expect(report.status).toBe("fail");
    expect(report.failing).toEqual(["c", "b"]);
    expect(report.components.b).toMatchObject({ ok: false, message: "connection refused" });
    expect(report.components.c?.message).toBe("pending: 2024_init");
    expect(report.components.a?.ok).toBe(true);
  });

  it("treats a synchronous throw as a failure of that check only", async () => {
    const report = await runChecks([
      {
        name: "boom",
        run: () => {
          throw new Error("thrown early");
        },
      },
      ok("other"),
    ]);
    expect(report.failing).toEqual(["boom"]);
    expect(report.components.boom?.message).toBe("thrown early");
  });

  it("fails a check that does not answer within the timeout", async () => {
    const never: HealthCheck = { name: "slow", run: () => new Promise(() => {}) };
    const report = await runChecks([never, ok("fast")], { timeoutMs: 20 });
    expect(report.failing).toEqual(["slow"]);
    expect(report.components.slow?.message).toBe("no answer within 20 ms");
    expect(report.components.fast?.ok).toBe(true);
  });

  it("measures latency with the given clock", async () => {
    let t = 100;
    const report = await runChecks(
      [
        {
          name: "timed",
          run: async () => {
            t += 42.4;
            return { ok: true, message: "" };
          },
        },
      ],
      { now: () => t },
    );
    expect(report.components.timed?.latencyMs).toBe(42);
  });

  it("keeps a non-Error rejection readable", async () => {
    const report = await runChecks([{ name: "odd", run: () => Promise.reject("plain string") }]);
    expect(report.components.odd?.message).toBe("plain string");
  });
});
