import { describe, expect, it } from "vitest";
import { assertJobId, InvalidJobIdError } from "./job-id";

describe("assertJobId", () => {
  it.each(["build-42", "backup-c1x2", "diagnostics-2f0c.a_b"])("accepts %s", (id) => {
    expect(assertJobId(id)).toBe(id);
  });

  it.each(["", "42", "build:42", "-x", "a b", "x".repeat(201)])("rejects %j", (id) => {
    expect(() => assertJobId(id)).toThrow(InvalidJobIdError);
  });
});
