"use client";

import { useState } from "react";
import { usePolling } from "@/components/status/usePolling";
import { AttemptDetail } from "./AttemptDetail";
import { isActive, statusTone, type UpgradeOverviewView } from "./types";
import { UpgradeForm } from "./UpgradeForm";

/** The Upgrade tab: series, a new attempt, the history; refreshed every 1.5 s while one is on its way. */
export function UpgradeTab(props: { projectId: string; branchId: string; initial: UpgradeOverviewView }) {
  const [overview, setOverview] = useState(props.initial);
  const [chosen, setChosen] = useState<string | null>(null);
  const busy = overview.attempts.some((a) => isActive(a.status));
  const url = `/api/v1/projects/${props.projectId}/branches/${props.branchId}/upgrade`;

  const refresh = async (signal?: AbortSignal) => {
    const response = await fetch(url, { signal, cache: "no-store" });
    if (response.ok) setOverview((await response.json()) as UpgradeOverviewView);
  };
  usePolling(refresh, 1500, busy);

  const selected = overview.attempts.find((a) => a.id === chosen) ?? overview.attempts[0];
  const stage = overview.branch.stage;
  return (
    <div className="space-y-6">
      <section
        aria-label="Series"
        className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
      >
        <p className="text-sm text-slate-700">
          This branch runs Odoo <strong data-testid="current-series">{overview.currentSeries}</strong>.
          {overview.testMode ? (
            <span className="ml-2 rounded bg-green-50 px-2 py-0.5 text-green-800">
              upgrade-test mode ({overview.testMode.toSeries}) until{" "}
              {new Date(overview.testMode.until).toLocaleDateString()}
            </span>
          ) : null}
        </p>
        {stage === "DEVELOPMENT" ? (
          <p className="text-sm text-slate-600">
            Upgrades are tested on staging branches and run on production.
          </p>
        ) : (
          <UpgradeForm
            projectId={props.projectId}
            branchId={props.branchId}
            stage={stage}
            targets={overview.targets}
            busy={busy}
            onStarted={(attempt) => {
              setChosen(attempt.id);
              void refresh();
            }}
          />
        )}
      </section>

      <section aria-labelledby="attempts-heading" className="space-y-3">
        <h2 id="attempts-heading" className="text-lg font-semibold">
          Attempts
        </h2>
        {overview.attempts.length === 0 ? (
          <p className="text-sm text-slate-600">
            No upgrade yet.{" "}
            {stage === "STAGING"
              ? "Test one here first: production's latest verified backup is upgraded on this branch."
              : "Test the upgrade on a staging branch first, then schedule it here."}
          </p>
        ) : (
          <table aria-label="Upgrade attempts" className="w-full border-collapse text-sm">
            <thead>
              <tr className="border-b border-slate-200 text-left text-slate-600">
                <th className="py-2 pr-3">Kind</th>
                <th className="py-2 pr-3">Series</th>
                <th className="py-2 pr-3">Engine</th>
                <th className="py-2 pr-3">Outcome</th>
                <th className="py-2">Asked</th>
              </tr>
            </thead>
            <tbody>
              {overview.attempts.map((a) => (
                <tr
                  key={a.id}
                  aria-selected={a.id === selected?.id}
                  className={`cursor-pointer border-b border-slate-100 hover:bg-slate-50 ${a.id === selected?.id ? "bg-indigo-50" : ""}`}
                  onClick={() => setChosen(a.id)}
                >
                  <td className="py-2 pr-3">
                    <button
                      type="button"
                      className="text-indigo-700 hover:underline"
                      onClick={() => setChosen(a.id)}
                    >
                      {a.kind === "REHEARSAL" ? "Test upgrade" : "Production"}
                    </button>
                  </td>
                  <td className="py-2 pr-3">
                    {a.fromSeries} → {a.toSeries}
                  </td>
                  <td className="py-2 pr-3">{a.engine}</td>
                  <td className="py-2 pr-3">
                    <span
                      className={`rounded-full px-2 py-0.5 text-xs font-semibold ${statusTone[a.status] ?? ""}`}
                    >
                      {a.status.toLowerCase()}
                    </span>
                    {a.status === "FAILED" && a.kind === "PRODUCTION" ? (
                      <span className="ml-2 text-xs text-slate-600">
                        {a.reverted ? "reverted" : "NOT reverted"}
                      </span>
                    ) : null}
                  </td>
                  <td className="py-2 tabular-nums">{a.createdAt.replace("T", " ").slice(0, 16)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {selected ? <AttemptDetail attempt={selected} onChanged={() => void refresh()} /> : null}
      </section>
    </div>
  );
}
