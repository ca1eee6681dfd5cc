import { describe, expect, it } from "vitest";
import { branchFeatures, branchMatrix, projectFeatures, projectMatrix, roles, stages } from "./matrix";
import { type Actor, assertCan, can } from "./policy";

const member = (role: (typeof roles)[number], tokenProjectIds: string[] | null = null): Actor => ({
  userId: "u1",
  isAdmin: false,
  memberships: { p1: role },
  tokenProjectIds,
});

describe("can", () => {
  for (const role of roles) {
    for (const stage of stages) {
      for (const feature of branchFeatures) {
        const expected = branchMatrix[feature][stage].includes(role);
        it(`${role} ${expected ? "may" : "may not"} use ${feature} on ${stage}`, () => {
          expect(can(member(role), feature, { projectId: "p1", stage })).toBe(expected);
        });
      }
    }
    for (const feature of projectFeatures) {
      it(`${role} and project feature ${feature}`, () => {
        expect(can(member(role), feature, { projectId: "p1" })).toBe(projectMatrix[feature].includes(role));
      });
    }
  }

  it("keeps the original User column of Odoo.sh", () => {
    const user = member("USER");
    for (const f of ["history", "connect", "logs", "shell", "mails", "settings", "monitoring"] as const) {
      expect(can(user, f, { projectId: "p1", stage: "DEVELOPMENT" })).toBe(true);
    }
    for (const stage of ["PRODUCTION", "STAGING"] as const) {
      expect(can(user, "history", { projectId: "p1", stage })).toBe(true);
      expect(can(user, "settings", { projectId: "p1", stage })).toBe(true);
      for (const f of ["connect", "logs", "shell", "mails", "monitoring", "backups"] as const) {
        expect(can(user, f, { projectId: "p1", stage })).toBe(false);
      }
    }
    expect(can(user, "status", { projectId: "p1" })).toBe(true);
    // Looking at production's history is not changing it: rebuild and cancel need "deploy".
    expect(can(user, "deploy", { projectId: "p1", stage: "DEVELOPMENT" })).toBe(true);
    expect(can(user, "deploy", { projectId: "p1", stage: "STAGING" })).toBe(false);
    expect(can(user, "deploy", { projectId: "p1", stage: "PRODUCTION" })).toBe(false);
    expect(can(user, "project_settings", { projectId: "p1" })).toBe(false);
  });

  it("refuses everything on a project the actor is not part of", () => {
    expect(can(member("ADMIN"), "history", { projectId: "p2", stage: "DEVELOPMENT" })).toBe(false);
    expect(can(member("ADMIN"), "status", { projectId: "p2" })).toBe(false);
  });

  it("limits a token to its projects", () => {
    expect(can(member("ADMIN", ["p2"]), "status", { projectId: "p1" })).toBe(false);
    expect(can(member("ADMIN", ["p1"]), "status", { projectId: "p1" })).toBe(true);
    expect(can(member("ADMIN", ["p1"]), "tokens.manage")).toBe(false);
  });

  it("lets only platform administrators create projects, and only when signed in", () => {
    const admin: Actor = { userId: "a", isAdmin: true, memberships: {}, tokenProjectIds: null };
    expect(can(admin, "project.create")).toBe(true);
    expect(can({ ...admin, tokenProjectIds: ["p1"] }, "project.create")).toBe(false);
    expect(can(member("ADMIN"), "project.create")).toBe(false);
    expect(can(admin, "project_settings", { projectId: "any" })).toBe(true);
  });

  it("leaves the runtime's nodes to platform administrators, signed in", () => {
    const admin: Actor = { userId: "a", isAdmin: true, memberships: {}, tokenProjectIds: null };
    expect(can(admin, "system.nodes")).toBe(true);
    expect(can({ ...admin, tokenProjectIds: ["p1"] }, "system.nodes")).toBe(false);
    expect(can(member("ADMIN", ["p1"]), "system.nodes")).toBe(false);
  });

  it("throws forbidden with the action named", () => {
    expect(() => assertCan(member("DEVELOPER"), "shell", { projectId: "p1", stage: "PRODUCTION" })).toThrow(
      /shell.*production/,
    );
  });
});
