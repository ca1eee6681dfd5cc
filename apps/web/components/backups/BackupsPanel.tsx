"use client";

import { useCallback, useState } from "react";
import { usePolling } from "@/components/status/usePolling";
import { apiCall } from "@/lib/auth/api-call";
import { BackupsTable } from "./BackupsTable";
import { ImportForm } from "./ImportForm";
import { RestoreStatus } from "./RestoreStatus";
import { type BackupRow, isActive, type RestoreRow } from "./types";

interface Props {
  projectId: string;
  branchId: string;
  branchName: string;
  stage: "PRODUCTION" | "STAGING";
  dailyHour: number;
  serving: boolean;
  initial: { backups: BackupRow[]; restores: RestoreRow[] };
}

/**
 * The Backups tab: the list, live while a backup, verification or restore runs, the actions
 * (take a backup, download, restore after a confirmation, import) and a loud banner for any
 * backup that failed its verification.
 */
export function BackupsPanel(props: Props) {
  const [data, setData] = useState(props.initial);
  const [now, setNow] = useState(() => Date.now());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const base = `/api/v1/projects/${props.projectId}/branches/${props.branchId}`;

  const refresh = useCallback(
    async (signal?: AbortSignal) => {
      const response = await fetch(`${base}/backups`, { signal, cache: "no-store" });
      if (!response.ok) return;
      setData((await response.json()) as Props["initial"]);
      setNow(Date.now());
    },
    [base],
  );
  const working =
    data.backups.some((b) => isActive(b.status) || (b.status === "DONE" && b.verifyStatus === "PENDING")) ||
    data.restores.some((r) => isActive(r.status));
  usePolling(refresh, working ? 1500 : 10_000);

  async function takeBackup() {
    setBusy(true);
    setError(null);
    try {
      await apiCall(`${base}/backups`, { method: "POST", body: {} });
      await refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function restore(backupId: string) {
    setError(null);
    try {
      await apiCall(`${base}/backups/${backupId}/restore`, { method: "POST" });
      await refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  const failedChecks = data.backups.filter((b) => b.verifyStatus === "FAILED");
  const restoring = data.restores.some((r) => isActive(r.status));
  return (
    <div className="space-y-5">
      {failedChecks.length > 0 ? (
        <div role="alert" className="rounded-md border-2 border-red-600 bg-red-50 p-4 text-sm text-red-900">
          <p className="font-semibold">
            {failedChecks.length === 1
              ? "A backup failed its verification: it may not restore."
              : `${failedChecks.length} backups failed their verification: they may not restore.`}
          </p>
          <ul className="mt-2 list-disc space-y-1 pl-5">
            {failedChecks.slice(0, 5).map((b) => (
              <li key={b.id}>
                {new Date(b.createdAt).toISOString().replace("T", " ").slice(0, 16)} UTC: {b.verifyMessage}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <div className="flex flex-wrap items-start justify-between gap-4">
        <p className="max-w-xl text-sm text-slate-600">
          {props.stage === "PRODUCTION"
            ? `Production is backed up every day at ${String(props.dailyHour).padStart(2, "0")}:00 UTC, keeping 7 daily, 4 weekly and 3 monthly backups. `
            : "Staging branches are backed up on demand. "}
          Up to 5 manual backups a day. Each backup is restored into a scratch database to verify it.
        </p>
        <button
          type="button"
          onClick={takeBackup}
          disabled={busy || !props.serving}
          title={props.serving ? undefined : "The branch has no running build to back up"}
          className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-50"
        >
          {busy ? "Queuing…" : "Take a backup"}
        </button>
      </div>

      {error ? (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      ) : null}

      <RestoreStatus restores={data.restores} now={now} />

      <BackupsTable
        projectId={props.projectId}
        branchName={props.branchName}
        backups={data.backups}
        now={now}
        restoreDisabled={restoring || !props.serving}
        onRestore={restore}
      />

      <ImportForm
        base={base}
        stage={props.stage}
        disabled={restoring || !props.serving}
        onQueued={() => refresh()}
      />
    </div>
  );
}
