import { withTimeout } from "./timeout";
import type { ComponentHealth, HealthCheck, HealthReport } from "./types";

export interface RunChecksOptions {
  /** Upper bound for each check, so one dead service cannot hang the whole report. */
  timeoutMs?: number;
  now?: () => number;
}

export const defaultCheckTimeoutMs = 2000;

function describe(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

async function runOne(check: HealthCheck, timeoutMs: number, now: () => number): Promise<ComponentHealth> {
  const started = now();
  try {
    // The check is started inside the try: a check that throws synchronously is a failure too.
    const outcome = await withTimeout(Promise.resolve().then(check.run), timeoutMs);
    return { ok: outcome.ok, latencyMs: now() - started, message: outcome.message };
  } catch (error) {
    return { ok: false, latencyMs: now() - started, message: describe(error) };
  }
}

/** Runs every check concurrently, each bounded by the timeout, and folds them into one report. */
export async function runChecks<Name extends string>(
  checks: readonly HealthCheck<Name>[],
  options: RunChecksOptions = {},
): Promise<HealthReport<Name>> {
  const timeoutMs = options.timeoutMs ?? defaultCheckTimeoutMs;
  const now = options.now ?? (() => performance.now());
  const results = await Promise.all(checks.map((check) => runOne(check, timeoutMs, now)));
  const components = {} as Record<Name, ComponentHealth>;
  const failing: Name[] = [];
  checks.forEach((check, index) => {
    const result = results[index]!;
    components[check.name] = { ...result, latencyMs: Math.round(result.latencyMs) };
    if (!result.ok) failing.push(check.name);
  });
  return {
    status: failing.length === 0 ? "ok" : "fail",
    failing,
    components,
    checkedAt: new Date().toISOString(),
  };
}
