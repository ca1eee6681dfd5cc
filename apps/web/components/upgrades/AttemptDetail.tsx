"use client";

import { useState } from "react";
import { LogViewer } from "@/components/builds/LogViewer";
import { apiCall } from "@/lib/auth/api-call";
import { isActive, statusTone, stepLabels, type UpgradeAttemptView } from "./types";
import { UpgradeReportView } from "./UpgradeReportView";

const stepMark: Record<string, { icon: string; className: string }> = {
  running: { icon: "◐", className: "text-sky-600 animate-pulse" },
  done: { icon: "●", className: "text-green-600" },
  failed: { icon: "✕", className: "text-red-600" },
  skipped: { icon: "–", className: "text-slate-400" },
};

/** One attempt: its steps as they progress, its outcome, its report and upgrade.log streamed live. */
export function AttemptDetail(props: { attempt: UpgradeAttemptView; onChanged: () => void }) {
  const { attempt } = props;
  const [error, setError] = useState<string | null>(null);
  const active = isActive(attempt.status);

  async function act(action: "cancel" | "acknowledge") {
    setError(null);
    try {
      await apiCall(`/api/v1/upgrades/${attempt.id}/${action}`, { method: "POST" });
      props.onChanged();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  const button =
    "rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50";
  return (
    <section
      aria-label="Upgrade attempt"
      data-testid="attempt-detail"
      data-status={attempt.status}
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
    >
      <div className="flex flex-wrap items-center gap-3">
        <span
          className={`rounded-full px-2.5 py-0.5 text-xs font-semibold ${statusTone[attempt.status] ?? ""}`}
        >
          {attempt.status.toLowerCase()}
        </span>
        <span className="text-sm font-medium">
          {attempt.kind === "REHEARSAL" ? "Test upgrade" : "Production upgrade"} {attempt.fromSeries} →{" "}
          {attempt.toSeries}
        </span>
        <span className="text-xs text-slate-500">engine: {attempt.engine}</span>
        {attempt.status === "SCHEDULED" ? (
          <span className="text-xs text-slate-600">
            {attempt.onNextPush
              ? "waits for the next push"
              : `at ${attempt.scheduledFor ? new Date(attempt.scheduledFor).toLocaleString() : "—"}`}
          </span>
        ) : null}
        <span className="ml-auto flex gap-2">
          {active ? (
            <button type="button" className={button} onClick={() => act("cancel")}>
              Cancel
            </button>
          ) : null}
          {attempt.status === "FAILED" && !attempt.acknowledgedAt ? (
            <button type="button" className={button} onClick={() => act("acknowledge")}>
              Acknowledge
            </button>
          ) : null}
        </span>
      </div>
      {attempt.steps.length > 0 ? (
        <ol className="flex flex-wrap gap-2" aria-label="Steps">
          {attempt.steps.map((s, i) => {
            const mark = stepMark[s.status] ?? stepMark.running!;
            return (
              <li
                // biome-ignore lint/suspicious/noArrayIndexKey: a step may run twice; its position is its identity
                key={`${s.name}-${i}`}
                data-testid={`step-${s.name}`}
                data-status={s.status}
                title={s.message ?? undefined}
                className="flex items-center gap-1.5 rounded-md border border-slate-200 px-2.5 py-1 text-xs"
              >
                <span aria-hidden className={mark.className}>
                  {mark.icon}
                </span>
                {stepLabels[s.name] ?? s.name}
              </li>
            );
          })}
        </ol>
      ) : (
        <p className="text-sm text-slate-600">
          {attempt.status === "QUEUED"
            ? "Queued: waiting for a worker."
            : attempt.status === "SCHEDULED"
              ? "Scheduled: nothing has run yet."
              : "No step was recorded."}
        </p>
      )}
      {attempt.error ? (
        <pre
          data-testid="attempt-error"
          className="max-h-48 overflow-auto whitespace-pre-wrap rounded-md bg-red-50 p-3 text-xs text-red-800"
        >
          {attempt.failedStep ? `Failed at ${stepLabels[attempt.failedStep] ?? attempt.failedStep}: ` : ""}
          {attempt.error}
          {attempt.kind === "PRODUCTION" && attempt.status === "FAILED"
            ? attempt.reverted
              ? "\nProduction was put back as it was before the attempt."
              : "\nProduction could NOT be put back automatically: check it now."
            : ""}
        </pre>
      ) : null}
      {attempt.testModeUntil && attempt.status === "SUCCEEDED" ? (
        new Date(attempt.testModeUntil).getTime() > Date.now() ? (
          <p className="text-sm text-green-800">
            Upgrade-test mode until {new Date(attempt.testModeUntil).toLocaleDateString()}: each push restores
            the upgraded copy and updates this branch's modules on {attempt.toSeries}.
          </p>
        ) : (
          <p className="text-sm text-slate-500">
            Upgrade-test mode ended on {new Date(attempt.testModeUntil).toLocaleDateString()}: the upgraded
            copy was dropped, and pushes build from production again.
          </p>
        )
      ) : null}
      {attempt.report ? <UpgradeReportView report={attempt.report} /> : null}
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
      {attempt.status !== "SCHEDULED" ? (
        <div className="space-y-2">
          <h3 className="text-sm font-semibold">upgrade.log</h3>
          <LogViewer
            key={attempt.id}
            file="upgrade.log"
            streamUrl={`/api/v1/upgrades/${attempt.id}/log/stream`}
            downloadUrl={`/api/v1/upgrades/${attempt.id}/log`}
          />
        </div>
      ) : null}
    </section>
  );
}
