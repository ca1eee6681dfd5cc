import { describe, expect, it } from "vitest";
import { reconnectDelay, redisConnectionOptions } from "./connection";

describe("redis connection options", () => {
  it("reconnects forever with a delay capped at two seconds", () => {
    expect(reconnectDelay(1)).toBe(100);
    expect(reconnectDelay(2)).toBe(200);
    expect(reconnectDelay(10)).toBe(2000);
    expect(reconnectDelay(10_000)).toBe(2000);
  });

  it("lets workers wait through outages while producers give up on a command", () => {
    expect(redisConnectionOptions("redis://h:1/0", "worker").maxRetriesPerRequest).toBeNull();
    expect(redisConnectionOptions("redis://h:1/0", "producer").maxRetriesPerRequest).toBe(3);
  });
});
