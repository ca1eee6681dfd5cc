/** The parts of a Gantry installation whose state the health report shows. */
export const componentNames = ["database", "migrations", "redis", "docker", "worker"] as const;
export type ComponentName = (typeof componentNames)[number];

/** What one check found; a check throws (or times out) when its component is unreachable. */
export interface CheckOutcome {
  ok: boolean;
  message: string;
}

export interface HealthCheck<Name extends string = string> {
  name: Name;
  run: () => Promise<CheckOutcome>;
}

export interface ComponentHealth {
  ok: boolean;
  latencyMs: number;
  message: string;
}

export interface HealthReport<Name extends string = string> {
  status: "ok" | "fail";
  /** The names of the components that are not ok, in check order. */
  failing: Name[];
  components: Record<Name, ComponentHealth>;
  checkedAt: string;
}
