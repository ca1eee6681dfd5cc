// Follows a build until it ends, by asking for it again every few seconds: a build waiting for
// its deploy gates writes no log to follow, and the build's row says everything a script needs.
// What it waits for is told on stderr each time it changes, so stdout stays the answer's.
import type { z } from "zod";
import type { ApiClient } from "./client.js";
import { buildPath } from "./resolve.js";
import { buildDetail } from "./schemas.js";

export type BuildDetail = z.output<typeof buildDetail>;

const pollMs = 2000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** "waiting for checks (ci/test pending) and the deploy window (opens 2026-12-07 08:00)", or the status. */
export function waitingFor(build: BuildDetail): string {
  if (build.status !== "WAITING") return build.status.toLowerCase();
  const gate = build.gate;
  const parts: string[] = [];
  if (gate?.waitingChecks) {
    const open = gate.checks.filter((check) => check.state !== "success");
    const named = open.map((check) => `${check.name} ${check.state}`).join(", ");
    parts.push(`checks${named ? ` (${named})` : ""}${gate.checksError ? ` [${gate.checksError}]` : ""}`);
  }
  if (gate?.waitingWindow)
    parts.push(`the deploy window${gate.windowOpensAt ? ` (opens ${gate.windowOpensAt})` : ""}`);
  return parts.length > 0 ? `waiting for ${parts.join(" and ")}` : "waiting";
}

/** The build once DONE or CANCELLED, with the API's raw answer for --json. */
export async function waitForBuild(
  client: ApiClient,
  id: string,
  report: (line: string) => void,
): Promise<{ raw: unknown; data: BuildDetail }> {
  let said = "";
  for (;;) {
    const answer = await client.json(buildDetail, buildPath(id));
    const { data } = answer;
    if (data.status === "DONE" || data.status === "CANCELLED") return answer;
    const now = waitingFor(data);
    if (now !== said) report(now);
    said = now;
    await sleep(pollMs);
  }
}
