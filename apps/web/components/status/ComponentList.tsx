import type { HealthReportBody } from "@/lib/api/endpoints/system";
import { componentLabel } from "@/lib/format";
import { StatusDot } from "./StatusDot";

export function ComponentList({ components }: { components: HealthReportBody["components"] }) {
  return (
    <ul className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white shadow-sm">
      {Object.entries(components).map(([name, health]) => (
        <li
          key={name}
          data-testid={`component-${name}`}
          data-ok={health.ok}
          className="flex items-center gap-4 px-5 py-4"
        >
          <StatusDot ok={health.ok} label={`${componentLabel(name)} ${health.ok ? "ok" : "failing"}`} />
          <div className="min-w-0 flex-1">
            <p className="text-sm font-medium text-slate-900">{componentLabel(name)}</p>
            <p
              className={`truncate text-sm ${health.ok ? "text-slate-600" : "text-red-700"}`}
              title={health.message}
            >
              {health.message}
            </p>
          </div>
          <span
            className={`rounded-full px-2.5 py-0.5 text-xs font-medium ${
              health.ok ? "bg-emerald-50 text-emerald-700" : "bg-red-50 text-red-700"
            }`}
          >
            {health.ok ? "Operational" : "Failing"}
          </span>
          <span className="w-16 text-right font-mono text-xs tabular-nums text-slate-500">
            {health.latencyMs} ms
          </span>
        </li>
      ))}
    </ul>
  );
}
