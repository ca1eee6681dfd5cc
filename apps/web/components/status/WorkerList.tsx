import type { HealthReportBody } from "@/lib/api/endpoints/system";
import { ago } from "@/lib/format";

type Worker = HealthReportBody["workers"][number];

/** The heartbeat fields worth a glance, in words; unknown extra fields are left out. */
function facts(worker: Worker, now: number): string[] {
  const out: string[] = [];
  if (typeof worker.hostname === "string") out.push(`on ${worker.hostname}`);
  if (typeof worker.pid === "number") out.push(`pid ${worker.pid}`);
  if (Array.isArray(worker.queues)) out.push(`queues ${worker.queues.join(", ")}`);
  if (typeof worker.concurrency === "number") out.push(`concurrency ${worker.concurrency}`);
  if (typeof worker.startedAt === "string") out.push(`started ${ago(worker.startedAt, now)}`);
  return out;
}

export function WorkerList({ workers, count, now }: { workers: Worker[]; count: number; now: number }) {
  // Who the workers are (hosts, processes) is for platform administrators: others get the count.
  if (workers.length === 0 && count > 0) {
    return (
      <p className="rounded-xl border border-slate-200 bg-white px-5 py-4 text-sm text-slate-600">
        {count} worker{count === 1 ? "" : "s"} alive.
      </p>
    );
  }
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
      {workers.map((worker) => (
        <li
          key={worker.workerId}
          data-testid="worker"
          className="flex flex-wrap items-center gap-x-4 gap-y-1 px-5 py-3"
        >
          <span className="font-mono text-sm text-slate-900">{worker.workerId}</span>
          <span className="text-xs text-slate-500">{facts(worker, now).join(" · ")}</span>
          <span className="ml-auto text-xs text-slate-500">seen {ago(worker.lastSeen, now)}</span>
        </li>
      ))}
    </ul>
  );
}
