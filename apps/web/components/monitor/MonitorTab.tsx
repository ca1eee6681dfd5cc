"use client";

import { useEffect, useMemo, useState } from "react";
import type { z } from "zod";
import { bytes } from "@/components/backups/format";
import { usePolling } from "@/components/status/usePolling";
import type { buildMetricsOutput } from "@/lib/api/endpoints/metrics";
import { type ChartAnnotation, type ChartLine, MetricChart } from "./MetricChart";

type Metrics = z.output<typeof buildMetricsOutput>;
type Range = Metrics["range"];

const ranges: Range[] = ["hour", "day", "week", "month"];
/** As often as the collector samples. */
const refreshMs = 15_000;

const percent = (v: number) => `${v.toFixed(v < 1 ? 2 : v < 10 ? 1 : 0)} %`;
const count = (v: number) => `${Math.round(v * 10) / 10}`;
const seconds = (v: number) => (v < 60 ? `${v.toFixed(1)} s` : `${Math.round(v / 60)} min`);
const size = (v: number) => bytes(Math.round(v));
const millis = (v: number) =>
  v < 10 ? `${v.toFixed(1)} ms` : v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(1)} s`;

/** A build's CPU, memory, database and filestore over a chosen range, with what happened meanwhile. */
export function MonitorTab({ buildId }: { buildId: string }) {
  const [range, setRange] = useState<Range>("hour");
  const [metrics, setMetrics] = useState<Metrics | null>(null);
  const load = async (signal?: AbortSignal) => {
    const response = await fetch(`/api/v1/builds/${buildId}/metrics?range=${range}`, {
      signal,
      cache: "no-store",
    });
    if (response.ok) setMetrics((await response.json()) as Metrics);
  };
  usePolling(load, refreshMs);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new range asks at once; load reads it
  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal).catch(() => {});
    return () => controller.abort();
  }, [range]);

  const annotations = useMemo<ChartAnnotation[]>(
    () => (metrics?.annotations ?? []).map((a) => ({ ...a, at: Date.parse(a.at) })),
    [metrics],
  );
  const charts = useMemo(() => {
    if (!metrics) return [];
    const s = metrics.series;
    const line = (label: string, values: (number | null)[], color: string, dash?: number[]): ChartLine => ({
      label,
      values,
      color,
      dash,
    });
    return [
      { title: "CPU (percent of one CPU)", lines: [line("CPU", s.cpuPercent, "#4f46e5")], format: percent },
      {
        title: "Memory",
        lines: [line("used", s.memoryBytes, "#0891b2"), line("limit", s.memoryLimitBytes, "#dc2626", [6, 4])],
        format: size,
      },
      { title: "Database size", lines: [line("database", s.dbSizeBytes, "#7c3aed")], format: size },
      {
        title: "Database connections",
        lines: [line("connections", s.dbConnections, "#059669")],
        format: count,
      },
      {
        title: "Longest running query",
        lines: [line("longest", s.longestQuerySeconds, "#d97706")],
        format: seconds,
      },
      { title: "Filestore size", lines: [line("filestore", s.filestoreBytes, "#64748b")], format: size },
      {
        title: "Requests",
        lines: [
          line("requests", s.httpRequests, "#2563eb"),
          line("4xx", s.http4xx, "#d97706"),
          line("5xx", s.http5xx, "#dc2626"),
          line("in flight (peak)", s.httpConcurrentMax, "#059669", [4, 3]),
        ],
        format: count,
      },
      {
        title: "Response time",
        lines: [line("p50", s.httpP50Ms, "#0891b2"), line("p95", s.httpP95Ms, "#7c3aed")],
        format: millis,
      },
      {
        title: "Odoo workers",
        lines: [
          line("recycled", s.odooWorkerRecycles, "#db2777"),
          line("cron timeouts", s.odooCronTimeouts, "#92400e"),
        ],
        format: count,
      },
    ];
  }, [metrics]);

  const shown = metrics && metrics.range === range ? metrics : null;
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <fieldset aria-label="Range" className="flex gap-1">
          {ranges.map((r) => (
            <button
              key={r}
              type="button"
              aria-pressed={r === range}
              onClick={() => setRange(r)}
              className={`rounded-md px-2.5 py-1 text-xs capitalize ${
                r === range ? "bg-indigo-600 text-white" : "bg-slate-100 text-slate-700 hover:bg-slate-200"
              }`}
            >
              {r}
            </button>
          ))}
        </fieldset>
        {shown ? (
          <span className="text-xs text-slate-500">
            {shown.stepSeconds < 60
              ? `every ${shown.stepSeconds} s`
              : `${shown.stepSeconds / 60} min averages`}{" "}
            · refreshed every 15 s
          </span>
        ) : null}
      </div>
      {shown?.state === "asleep" ? (
        <p data-testid="monitor-asleep" className="rounded-md bg-amber-50 p-3 text-sm text-amber-800">
          This build is asleep: nobody requested it for a while, so its container is stopped and nothing is
          measured. Its next request wakes it, and the charts go on from there.
        </p>
      ) : shown?.state === "stopped" ? (
        <p className="rounded-md bg-slate-50 p-3 text-sm text-slate-600">
          This build does not serve any more: the figures below are from when it did.
        </p>
      ) : null}
      {shown === null ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : shown.series.at.length === 0 ? (
        shown.state === "asleep" ? null : (
          <p data-testid="monitor-empty" className="rounded-md bg-slate-50 p-4 text-sm text-slate-600">
            No samples yet: metrics appear within 15 s of serving.
          </p>
        )
      ) : (
        <>
          {annotations.length > 0 ? (
            <ul aria-label="Events" className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
              {annotations.map((a) => (
                <li key={`${a.kind}-${a.at}`} data-kind={a.kind}>
                  <time dateTime={new Date(a.at).toISOString()}>{new Date(a.at).toLocaleString()}</time> ·{" "}
                  {a.label}
                </li>
              ))}
            </ul>
          ) : null}
          <div className="grid gap-3 lg:grid-cols-2">
            {charts.map((chart) => (
              <MetricChart
                key={`${shown.range}-${chart.title}`}
                title={chart.title}
                at={shown.series.at}
                lines={chart.lines}
                annotations={annotations}
                format={chart.format}
                from={Date.parse(shown.from)}
                to={Date.parse(shown.to)}
              />
            ))}
          </div>
        </>
      )}
    </div>
  );
}
