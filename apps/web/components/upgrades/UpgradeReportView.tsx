import type { UpgradeAttemptView } from "./types";

type Report = NonNullable<UpgradeAttemptView["report"]>;

function seconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}

const logTone: Record<Report["logStatus"], string> = {
  success: "text-green-700",
  warning: "text-yellow-700",
  failed: "text-red-700",
};

/** Duration, modules updated, log findings and row counts before and after. */
export function UpgradeReportView({ report }: { report: Report }) {
  const changed = report.modules.filter((m) => m.before !== m.after);
  return (
    <section aria-label="Upgrade report" className="space-y-4" data-testid="upgrade-report">
      <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
        <div>
          <dt className="text-slate-500">Duration</dt>
          <dd className="font-medium tabular-nums" data-testid="report-duration">
            {seconds(report.durationMs)}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Series</dt>
          <dd className="font-medium">
            {report.fromSeries} → {report.toSeries}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Modules updated</dt>
          <dd className="font-medium tabular-nums" data-testid="report-modules">
            {changed.length}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Log</dt>
          <dd className={`font-medium ${logTone[report.logStatus]}`} data-testid="report-log-status">
            {report.logStatus} · {report.errors.length} error(s), {report.warnings.length} warning(s)
          </dd>
        </div>
      </dl>
      {report.reasons.length > 0 ? (
        <ul className="list-disc pl-5 text-sm text-slate-700">
          {report.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      ) : null}
      {report.errors.length > 0 ? (
        <div>
          <h4 className="mb-1 text-sm font-semibold text-red-800">Errors</h4>
          {report.errors.map((e, i) => (
            <pre
              // biome-ignore lint/suspicious/noArrayIndexKey: findings are a fixed list in log order
              key={i}
              className="mb-2 max-h-48 overflow-auto whitespace-pre-wrap rounded-md bg-red-50 p-2 text-xs text-red-800"
            >
              {e.text}
            </pre>
          ))}
        </div>
      ) : null}
      {report.warnings.length > 0 ? (
        <div>
          <h4 className="mb-1 text-sm font-semibold text-yellow-800">Warnings</h4>
          <ul className="space-y-1 text-xs text-yellow-900">
            {report.warnings.map((w, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: findings are a fixed list in log order
              <li key={i} className="rounded bg-yellow-50 px-2 py-1 font-mono">
                {w.logger ? `${w.logger}: ` : ""}
                {w.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="grid items-start gap-6 lg:grid-cols-2">
        <table aria-label="Modules" className="w-full border-collapse text-sm">
          <thead>
            <tr className="border-b border-slate-200 text-left text-slate-600">
              <th className="py-1.5 pr-3">Module</th>
              <th className="py-1.5 pr-3">Before</th>
              <th className="py-1.5 pr-3">After</th>
            </tr>
          </thead>
          <tbody>
            {report.modules.map((m) => (
              <tr key={m.name} className="border-b border-slate-100">
                <td className="py-1 pr-3 font-mono">{m.name}</td>
                <td className="py-1 pr-3 font-mono text-slate-600">{m.before ?? "—"}</td>
                <td className="py-1 pr-3 font-mono">{m.after ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table aria-label="Row counts" className="w-full border-collapse text-sm">
          <thead>
            <tr className="border-b border-slate-200 text-left text-slate-600">
              <th className="py-1.5 pr-3">Table</th>
              <th className="py-1.5 pr-3 text-right">Rows before</th>
              <th className="py-1.5 pr-3 text-right">Rows after</th>
            </tr>
          </thead>
          <tbody>
            {report.rows.map((r) => (
              <tr
                key={r.table}
                className={`border-b border-slate-100 ${r.after !== null && r.before !== r.after ? "bg-amber-50" : ""}`}
              >
                <td className="py-1 pr-3 font-mono">{r.table}</td>
                <td className="py-1 pr-3 text-right tabular-nums">{r.before ?? "—"}</td>
                <td className="py-1 pr-3 text-right tabular-nums">{r.after ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
