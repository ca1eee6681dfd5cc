import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger";

function capture(): { lines: string[]; destination: Writable } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, destination };
}

describe("the logger", () => {
  it("never writes the password of a Redis command an error carries", () => {
    // What ioredis throws when Redis refuses the password: the command rides on the error.
    const refused = Object.assign(new Error("WRONGPASS invalid username-password pair"), {
      command: { name: "hello", args: ["3", "AUTH", "default", "s3cret-redis-pw"] },
    });
    const { lines, destination } = capture();
    const logger = createLogger("test", { level: "info", destination });
    logger.error({ err: refused }, "reconciliation failed");
    logger.warn({ err: new Error("wrapped", { cause: refused }) }, "queue connection error");
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).not.toContain("s3cret-redis-pw");
    expect(lines[0]).toContain("WRONGPASS");
  });
});
