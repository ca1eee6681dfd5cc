import { describe, expect, it } from "vitest";
import { assertContainerName, InvalidNameError, isValidContainerName } from "./names";

describe("container names", () => {
  it.each(["gantry-build-42", "a1", "Project.main_3", "0abc"])("accepts %s", (name) => {
    expect(isValidContainerName(name)).toBe(true);
    expect(assertContainerName(name)).toBe(name);
  });

  it.each([
    "",
    "a",
    "-leading-dash",
    ".hidden",
    "has space",
    "semi;colon",
    "slash/name",
    "feature/login",
    "$(reboot)",
    "new\nline",
    "x".repeat(129),
  ])("rejects %j", (name) => {
    expect(isValidContainerName(name)).toBe(false);
    expect(() => assertContainerName(name)).toThrow(InvalidNameError);
  });
});
