import type { HealthReportBody } from "@/lib/api/endpoints/system";

const columns = ["waiting", "active", "delayed", "failed"] as const;

/** Jobs per queue, as Redis counts them now. */
export function QueueList({ queues }: { queues: HealthReportBody["queues"] }) {
  if (queues.length === 0) {
    return (
      <p className="rounded-xl border border-dashed border-slate-300 bg-white px-5 py-6 text-sm text-slate-600">
        Queue depths are unknown: Redis did not answer.
      </p>
    );
  }
  return (
    <table
      aria-label="Queues"
      className="w-full rounded-xl border border-slate-200 bg-white text-sm shadow-sm"
    >
      <thead className="text-left text-slate-600">
        <tr>
          <th className="px-5 py-2 font-medium">Queue</th>
          {columns.map((c) => (
            <th key={c} className="px-3 py-2 text-right font-medium capitalize">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {queues.map((queue) => (
          <tr key={queue.name} data-testid={`queue-${queue.name}`} className="border-t border-slate-100">
            <td className="px-5 py-2 font-mono">{queue.name}</td>
            {columns.map((c) => (
              <td
                key={c}
                data-column={c}
                className={`px-3 py-2 text-right tabular-nums ${c === "failed" && queue.failed > 0 ? "text-red-700" : ""}`}
              >
                {queue[c]}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
