"use client";

import { useState } from "react";
import type { JobViewBody } from "@/lib/api/endpoints/system";
import { DiagnosticsResult } from "./DiagnosticsResult";
import { usePolling } from "./usePolling";

type Phase =
  | { kind: "idle" }
  | { kind: "enqueueing" }
  | { kind: "tracking"; jobId: string; job: JobViewBody | null }
  | { kind: "error"; message: string };

const finished = new Set(["completed", "failed"]);

async function api<T>(method: string, path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, { method, cache: "no-store", signal });
  // A proxy's HTML error page has no JSON body: the HTTP status then says what went wrong.
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error(body?.error?.message ?? `HTTP ${response.status}`);
  return body as T;
}

function progressPercent(progress: unknown): number | null {
  if (typeof progress === "number") return Math.max(0, Math.min(100, progress));
  if (
    progress &&
    typeof progress === "object" &&
    "percent" in progress &&
    typeof progress.percent === "number"
  ) {
    return Math.max(0, Math.min(100, progress.percent));
  }
  return null;
}

const stateText: Record<string, string> = {
  queued: "Queued…",
  waiting: "Waiting for a worker…",
  delayed: "Waiting to retry…",
  active: "Running on a worker…",
};

function JobState({ job }: { job: JobViewBody | null }) {
  const state = job?.state ?? "queued";
  // BullMQ starts every job at progress 0: show motion, not an empty bar, until it moves.
  const reported = progressPercent(job?.progress);
  const percent = reported ? reported : null;
  const done = finished.has(state);
  const failed = state === "failed";
  return (
    <div data-testid="diagnostics-job" data-state={state} className="mt-4 space-y-3">
      <div className="flex items-center gap-3 text-sm">
        <span
          className={`rounded-full px-2.5 py-0.5 text-xs font-medium ${
            failed
              ? "bg-red-50 text-red-700"
              : done
                ? "bg-emerald-50 text-emerald-700"
                : "bg-indigo-50 text-indigo-700"
          }`}
        >
          {state}
        </span>
        {stateText[state] ? <span className="text-slate-600">{stateText[state]}</span> : null}
        {job ? (
          <span className="ml-auto max-w-40 truncate font-mono text-xs text-slate-500" title={job.id}>
            {job.id}
          </span>
        ) : null}
      </div>
      {done ? null : (
        <div
          role="progressbar"
          aria-label="Diagnostics progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent ?? undefined}
          className="h-2 overflow-hidden rounded-full bg-slate-100"
        >
          <div
            className={`h-full rounded-full bg-indigo-500 transition-all ${percent === null ? "w-2/5 animate-pulse" : ""}`}
            style={percent === null ? undefined : { width: `${percent}%` }}
          />
        </div>
      )}
      {failed ? (
        <p role="alert" className="text-sm text-red-700">
          {job?.failedReason ?? "The job failed"}
        </p>
      ) : null}
      {state === "completed" ? <DiagnosticsResult result={job?.result} /> : null}
    </div>
  );
}

export function DiagnosticsPanel() {
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const tracking = phase.kind === "tracking" && !finished.has(phase.job?.state ?? "");

  usePolling(
    async (signal) => {
      if (phase.kind !== "tracking") return;
      try {
        const job = await api<JobViewBody>("GET", `/api/v1/system/diagnostics/${phase.jobId}`, signal);
        setPhase({ kind: "tracking", jobId: phase.jobId, job });
      } catch (cause) {
        if (!signal.aborted) setPhase({ kind: "error", message: (cause as Error).message });
      }
    },
    1000,
    tracking,
  );

  const run = async () => {
    setPhase({ kind: "enqueueing" });
    try {
      const { jobId } = await api<{ jobId: string }>("POST", "/api/v1/system/diagnostics");
      setPhase({ kind: "tracking", jobId, job: null });
    } catch (cause) {
      setPhase({ kind: "error", message: (cause as Error).message });
    }
  };

  const busy = phase.kind === "enqueueing" || tracking;
  return (
    <section
      aria-labelledby="diagnostics-title"
      className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm"
    >
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 id="diagnostics-title" className="text-base font-semibold text-slate-900">
            Diagnostics
          </h2>
          <p className="text-sm text-slate-600">Runs a job on a worker: checks the queue path end to end.</p>
        </div>
        <button
          type="button"
          onClick={run}
          disabled={busy}
          className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:opacity-60"
        >
          {busy ? "Running…" : "Run diagnostics"}
        </button>
      </div>
      {phase.kind === "tracking" ? <JobState job={phase.job} /> : null}
      {phase.kind === "error" ? (
        <p role="alert" className="mt-4 text-sm text-red-700">
          Diagnostics could not run: {phase.message}
        </p>
      ) : null}
    </section>
  );
}
