// The checks gate's verdict on what GitHub reports of a commit. Gantry's own statuses
// ("gantry/<branch>") are left out: the waiting build's own "pending" must not hold it.
import type { CommitCheck } from "@gantry/github";

export type ChecksMode = "NONE" | "ALL" | "NAMED";

export type ChecksVerdict =
  | { kind: "passed"; checks: CommitCheck[] }
  | { kind: "pending"; checks: CommitCheck[]; reason: string }
  | { kind: "failed"; checks: CommitCheck[]; failed: string[] };

const OWN_CONTEXT = /^gantry\//;

export function checksVerdict(mode: ChecksMode, names: string[], reported: CommitCheck[]): ChecksVerdict {
  const others = reported.filter((c) => !(c.kind === "status" && OWN_CONTEXT.test(c.name)));
  if (mode === "NONE") return { kind: "passed", checks: others };
  const required =
    mode === "ALL"
      ? others
      : names.map(
          (name): CommitCheck =>
            // A name may be a check run and a status at once: the worse of the two counts.
            others.filter((c) => c.name === name).sort((a, b) => rank(b.state) - rank(a.state))[0] ?? {
              name,
              kind: "check_run",
              state: "pending",
              detail: "not reported yet",
            },
        );
  const failed = required.filter((c) => c.state === "failure").map((c) => c.name);
  if (failed.length > 0) return { kind: "failed", checks: required, failed: [...new Set(failed)] };
  // "All" with nothing reported yet: CI has not started, which is no reason to deploy.
  if (required.length === 0) return { kind: "pending", checks: required, reason: "no checks reported yet" };
  const pending = required.filter((c) => c.state === "pending");
  if (pending.length > 0)
    return {
      kind: "pending",
      checks: required,
      reason: `${pending.length} of ${required.length} checks pending`,
    };
  return { kind: "passed", checks: required };
}

function rank(state: CommitCheck["state"]): number {
  return state === "failure" ? 2 : state === "pending" ? 1 : 0;
}
