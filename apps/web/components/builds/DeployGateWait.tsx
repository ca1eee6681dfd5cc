// A build held by its branch's deploy gates, as the branch page shows it: what it waits for
// (each check with its state, the window's opening), and "Deploy now" for those who may.
import type { GateCheckView } from "@gantry/core";
import { DeployNowButton } from "./DeployNowButton";

export interface WaitingBuild {
  id: string;
  commitSha: string;
  gate: {
    waitingChecks: boolean;
    waitingWindow: boolean;
    checks: GateCheckView[];
    checksError: string | null;
    windowOpensAt: Date | null;
    evaluatedAt: Date | null;
  } | null;
}

const STATE_CLASS: Record<GateCheckView["state"], string> = {
  pending: "bg-slate-100 text-slate-700",
  success: "bg-green-100 text-green-800",
  failure: "bg-red-100 text-red-800",
};

function opensAt(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(at);
}

export function DeployGateWait(props: { build: WaitingBuild; timeZone: string; canDeployNow: boolean }) {
  const { build } = props;
  const gate = build.gate;
  return (
    <section
      aria-label={`Build ${build.commitSha.slice(0, 7)} waiting`}
      className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-4 text-sm"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="font-medium text-amber-900">
          <span className="font-mono">{build.commitSha.slice(0, 7)}</span> waits for its deploy gates
        </p>
        {props.canDeployNow ? <DeployNowButton buildId={build.id} /> : null}
      </div>
      {!gate?.evaluatedAt ? <p className="text-amber-900">Looking at the gates…</p> : null}
      {gate?.waitingChecks ? (
        <div>
          <p className="text-amber-900">Waiting for checks</p>
          {gate.checksError ? (
            <p role="alert" className="text-red-700">
              {gate.checksError}
            </p>
          ) : null}
          {gate.checks.length === 0 && !gate.checksError ? (
            <p className="text-slate-600">No checks reported yet.</p>
          ) : (
            <ul aria-label="Checks" className="mt-1 flex flex-wrap gap-2">
              {gate.checks.map((check) => (
                <li
                  key={`${check.kind}:${check.name}`}
                  className={`rounded px-2 py-0.5 text-xs ${STATE_CLASS[check.state]}`}
                >
                  {check.name}: {check.state}
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : null}
      {gate?.waitingWindow ? (
        <p className="text-amber-900">
          Waiting for the deploy window
          {gate.windowOpensAt ? ` (opens ${opensAt(gate.windowOpensAt, props.timeZone)})` : ""}
        </p>
      ) : null}
    </section>
  );
}
