import { describe, expect, it } from "vitest";
import { countServerEvents, serverEventOf } from "./server-events";

const at = "2026-12-07 00:15:54,123 41 INFO ? odoo.service.server: ";

describe("Odoo's prefork server events", () => {
  it("recognises workers replaced for their limits", () => {
    for (const message of [
      "Worker (43) max request (8192) reached.",
      "Worker (43) virtual memory limit (2147483648) reached.",
      "Worker (43) CPU time limit (60) reached.",
      "Worker (43) virtual real time limit (120) reached.",
    ]) {
      expect(serverEventOf(at + message)).toBe("worker-recycled");
    }
    expect(
      serverEventOf(
        "2026-12-07 00:15:54,123 41 ERROR ? odoo.service.server: WorkerHTTP (43) timeout after 120s",
      ),
    ).toBe("worker-recycled");
  });

  it("tells a cron killed for its time apart", () => {
    expect(
      serverEventOf(
        "2026-12-07 00:15:54,123 41 ERROR ? odoo.service.server: WorkerCron (44) timeout after 120s",
      ),
    ).toBe("cron-timeout");
  });

  it("ignores other loggers and other lines", () => {
    expect(
      serverEventOf("2026-12-07 00:15:54,123 41 INFO db odoo.addons.x: Worker (43) max request (1) reached."),
    ).toBeNull();
    expect(serverEventOf(`${at}HTTP service (werkzeug) running on 0.0.0.0:8069`)).toBeNull();
    expect(serverEventOf("Worker (43) max request (1) reached.")).toBeNull();
  });

  it("counts them over lines", () => {
    expect(
      countServerEvents([
        `${at}Worker (43) max request (8192) reached.`,
        "2026-12-07 00:15:55,000 41 ERROR ? odoo.service.server: WorkerCron (44) timeout after 120s",
        `${at}Worker (45) virtual memory limit (1) reached.`,
        "unrelated",
      ]),
    ).toEqual({ workerRecycles: 2, cronTimeouts: 1 });
  });
});
