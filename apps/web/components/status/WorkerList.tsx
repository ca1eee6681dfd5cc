import type { HealthReportBody } from "@/lib/api/endpoints/system";
import { ago } from "@/lib/format";

const shown = ["workerId", "lastSeen"];

export function WorkerList({ workers, now }: { workers: HealthReportBody["workers"]; now: number }) {
  if (workers.length === 0) {
    return (
      <p className="rounded-xl border border-dashed border-slate-300 bg-white px-5 py-6 text-sm text-slate-600">
        No live workers. Start one with{" "}
        <code className="font-mono text-slate-800">pnpm --filter @gantry/worker start</code>.
      </p>
    );
  }
  return (
    <ul className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white shadow-sm">
      {workers.map((worker) => {
        const extra = Object.entries(worker).filter(
          ([key, value]) => !shown.includes(key) && (typeof value === "string" || typeof value === "number"),
        );
        return (
          <li
            key={worker.workerId}
            data-testid="worker"
            className="flex flex-wrap items-center gap-x-4 gap-y-1 px-5 py-3"
          >
            <span className="font-mono text-sm text-slate-900">{worker.workerId}</span>
            {extra.map(([key, value]) => (
              <span key={key} className="text-xs text-slate-500">
                {key} <span className="font-mono text-slate-700">{String(value)}</span>
              </span>
            ))}
            <span className="ml-auto text-xs text-slate-500">seen {ago(worker.lastSeen, now)}</span>
          </li>
        );
      })}
    </ul>
  );
}
