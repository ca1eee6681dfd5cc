import { describe, expect, it } from "vitest";
import { MARK_NEUTRALIZED, neutralizeSteps } from "./neutralize";

const command = {
  db: "staging_7",
  connection: { host: "db", port: 5432, user: "u", password: "p" },
};

describe("neutralizeSteps", () => {
  it("turns crons and mail off first, runs odoo neutralize, turns off the server it adds, then sets the flag", () => {
    const steps = neutralizeSteps(command);
    expect(steps.map((s) => s.description)).toEqual([
      "deactivate scheduled actions (except base.autovacuum_job)",
      "deactivate outgoing mail servers",
      "deactivate incoming mail servers",
      "odoo neutralize: every installed module's neutralize.sql",
      "deactivate the server odoo neutralize adds: mail goes to the catcher",
      "set database.is_neutralized",
    ]);
    const run = steps[3];
    expect(run?.kind === "command" && run.args.slice(0, 4)).toEqual([
      "odoo",
      "neutralize",
      "-d",
      "staging_7",
    ]);
  });

  it("keeps every value out of the SQL text", () => {
    for (const step of neutralizeSteps(false)) {
      if (step.kind !== "sql") throw new Error("no command expected");
      expect(step.sql).not.toMatch(/autovacuum_job|is_neutralized/);
      expect((step.sql.match(/\$\d/g) ?? []).length).toBe(new Set(step.params.map((_, i) => i)).size);
    }
    expect(MARK_NEUTRALIZED.params).toEqual(["database.is_neutralized", "True"]);
  });
});
