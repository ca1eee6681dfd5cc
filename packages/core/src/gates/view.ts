// What a build's wait looks like to the pages and the API: its DeployGate row as last looked at.
import type { Prisma } from "@gantry/db";

export const gateSelect = {
  select: {
    waitingChecks: true,
    waitingWindow: true,
    checks: true,
    checksError: true,
    windowOpensAt: true,
    evaluatedAt: true,
    releasedAt: true,
    releasedBy: true,
    releaseNote: true,
  },
} as const;

export type GateRow = Prisma.DeployGateGetPayload<typeof gateSelect>;

/** A gate row with its checks typed, as the API and pages show it. */
export function gateView(gate: GateRow | null) {
  return gate ? { ...gate, checks: gateChecksOf(gate) } : null;
}

export interface GateCheckView {
  name: string;
  kind: "check_run" | "status";
  state: "pending" | "success" | "failure";
  detail: string;
}

/** The checks of a gate row (stored as JSON), read defensively: the column is ours but untyped. */
export function gateChecksOf(gate: Pick<GateRow, "checks"> | null): GateCheckView[] {
  if (!gate || !Array.isArray(gate.checks)) return [];
  return gate.checks.flatMap((c) => {
    if (!c || typeof c !== "object" || Array.isArray(c)) return [];
    const { name, kind, state, detail } = c as Record<string, unknown>;
    if (typeof name !== "string") return [];
    return [
      {
        name,
        kind: kind === "status" ? "status" : "check_run",
        state: state === "success" || state === "failure" ? state : "pending",
        detail: typeof detail === "string" ? detail : "",
      },
    ];
  });
}
