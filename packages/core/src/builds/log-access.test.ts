import { describe, expect, it } from "vitest";
import type { Actor, Role } from "../access";
import { canReadBuildLog } from "./queries";

const actorWith = (role: Role): Actor => ({
  userId: "u1",
  isAdmin: false,
  memberships: { p1: role },
  tokenProjectIds: null,
});

describe("who reads which build log", () => {
  it("gives webshell.log (what people typed) to the project's Admins only", () => {
    const development = { projectId: "p1", stage: "DEVELOPMENT" as const };
    expect(canReadBuildLog(actorWith("USER"), development, "odoo.log")).toBe(true);
    expect(canReadBuildLog(actorWith("USER"), development, "webshell.log")).toBe(false);
    expect(canReadBuildLog(actorWith("TESTER"), { projectId: "p1", stage: "STAGING" }, "webshell.log")).toBe(
      false,
    );
    expect(canReadBuildLog(actorWith("ADMIN"), development, "webshell.log")).toBe(true);
    expect(
      canReadBuildLog(actorWith("ADMIN"), { projectId: "p1", stage: "PRODUCTION" }, "webshell.log"),
    ).toBe(true);
  });
});
