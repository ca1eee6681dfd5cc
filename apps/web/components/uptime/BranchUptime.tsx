import type { BranchStatus } from "@gantry/core";
import { IncidentTable } from "./IncidentTable";
import { UptimeBars } from "./UptimeBars";

const states: Record<BranchStatus["state"], { label: string; className: string }> = {
  up: { label: "Up", className: "bg-emerald-50 text-emerald-700" },
  down: { label: "Down", className: "bg-red-50 text-red-700" },
  maintenance: { label: "Deploying", className: "bg-sky-50 text-sky-700" },
  unknown: { label: "Not probed", className: "bg-slate-100 text-slate-600" },
};

const percent = (value: number | null) =>
  value === null ? "—" : `${value.toFixed(value === 100 ? 0 : 2)} %`;

export function BranchUptime({ branch }: { branch: BranchStatus }) {
  const state = states[branch.state];
  const figures = [
    ["24 hours", branch.uptime.day, "uptime-day"],
    ["7 days", branch.uptime.week, "uptime-week"],
    ["30 days", branch.uptime.month, "uptime-month"],
  ] as const;
  return (
    <section
      aria-label={`Production branch ${branch.name}`}
      data-testid="branch-status"
      data-state={branch.state}
      className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm"
    >
      <header className="mb-4 flex flex-wrap items-center gap-3">
        <h2 className="font-mono text-lg font-semibold">{branch.name}</h2>
        <span className={`rounded-full px-2.5 py-0.5 text-xs font-medium ${state.className}`}>
          {state.label}
        </span>
        {branch.lastProbe ? (
          <span className="text-xs text-slate-500">
            last probe {branch.lastProbe.at.slice(11, 16)} UTC
            {branch.lastProbe.latencyMs !== null ? ` · ${branch.lastProbe.latencyMs} ms` : ""}
          </span>
        ) : null}
      </header>
      <dl className="mb-5 grid grid-cols-3 gap-4">
        {figures.map(([label, value, id]) => (
          <div key={id}>
            <dt className="text-xs uppercase tracking-wide text-slate-500">Uptime, {label}</dt>
            <dd className="text-2xl font-semibold tabular-nums" data-testid={id}>
              {percent(value)}
            </dd>
          </div>
        ))}
      </dl>
      <div className="mb-5 space-y-3">
        <UptimeBars bars={branch.days} unit="day" label="Last 90 days" />
        <UptimeBars bars={branch.hours} unit="hour" label="Last 24 hours" />
      </div>
      <h3 className="mb-2 text-sm font-semibold uppercase tracking-wide text-slate-500">Incidents</h3>
      <IncidentTable incidents={branch.incidents} />
    </section>
  );
}
