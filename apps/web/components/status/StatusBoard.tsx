"use client";

import { useState } from "react";
import type { HealthReportBody } from "@/lib/api/endpoints/system";
import { componentLabel, timeOfDay } from "@/lib/format";
import { ComponentList } from "./ComponentList";
import { QueueList } from "./QueueList";
import { usePolling } from "./usePolling";
import { WorkerList } from "./WorkerList";

const refreshMs = 5000;

/** Reads /api/health, which answers the report with 200 (all ok) or 503 (something failing). */
async function fetchHealth(signal: AbortSignal): Promise<HealthReportBody> {
  const response = await fetch("/api/health", { cache: "no-store", signal });
  if (response.status !== 200 && response.status !== 503) throw new Error(`HTTP ${response.status}`);
  return (await response.json()) as HealthReportBody;
}

function Summary({ report }: { report: HealthReportBody }) {
  const ok = report.status === "ok";
  return (
    <div
      data-testid="health-summary"
      data-status={report.status}
      className={`mb-6 rounded-xl border px-5 py-4 ${ok ? "border-emerald-200 bg-emerald-50" : "border-red-200 bg-red-50"}`}
    >
      <p className={`font-medium ${ok ? "text-emerald-800" : "text-red-800"}`}>
        {ok
          ? "All systems operational"
          : `${report.failing.length} of ${Object.keys(report.components).length} components failing: ${report.failing
              .map(componentLabel)
              .join(", ")}`}
      </p>
    </div>
  );
}

export function StatusBoard() {
  const [report, setReport] = useState<HealthReportBody | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [refreshedAt, setRefreshedAt] = useState<Date | null>(null);

  usePolling(async (signal) => {
    try {
      const next = await fetchHealth(signal);
      setReport(next);
      setError(null);
    } catch (cause) {
      if (signal.aborted) return;
      setError(cause instanceof Error ? cause.message : String(cause));
    }
    setRefreshedAt(new Date());
  }, refreshMs);

  return (
    <div>
      <p aria-live="polite" className="mb-4 text-xs text-slate-500" data-testid="last-refresh">
        {refreshedAt ? `Last refresh ${timeOfDay(refreshedAt)} · every ${refreshMs / 1000} s` : "Checking…"}
      </p>
      {error ? (
        <div
          role="alert"
          className="mb-6 rounded-xl border border-amber-300 bg-amber-50 px-5 py-4 text-sm text-amber-900"
        >
          <p className="font-medium">Cannot reach the Gantry API</p>
          <p className="mt-1">
            {error}. {report ? "Showing the last known state; " : ""}retrying every {refreshMs / 1000} s.
          </p>
        </div>
      ) : null}
      {report ? (
        <div className={error ? "opacity-60" : undefined}>
          <Summary report={report} />
          <h2 className="mb-3 text-sm font-semibold uppercase tracking-wide text-slate-500">Components</h2>
          <ComponentList components={report.components} />
          <h2 className="mb-3 mt-8 text-sm font-semibold uppercase tracking-wide text-slate-500">Queues</h2>
          <QueueList queues={report.queues} />
          <h2
            className="mb-3 mt-8 text-sm font-semibold uppercase tracking-wide text-slate-500"
            data-testid="worker-count"
          >
            Live workers ({report.workerCount})
          </h2>
          <WorkerList
            workers={report.workers}
            count={report.workerCount}
            now={refreshedAt?.getTime() ?? Date.parse(report.checkedAt)}
          />
        </div>
      ) : error ? null : (
        <div className="h-64 animate-pulse rounded-xl border border-slate-200 bg-white" aria-hidden="true" />
      )}
    </div>
  );
}
