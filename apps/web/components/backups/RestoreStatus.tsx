"use client";

import { age } from "./format";
import { isActive, type RestoreRow } from "./types";

/** The running restore or import with its progress, else the outcome of the latest one. */
export function RestoreStatus({ restores, now }: { restores: RestoreRow[]; now: number }) {
  const latest = restores[0];
  if (!latest) return null;
  if (isActive(latest.status))
    return (
      <section
        aria-label="Restore in progress"
        className="rounded-md border border-indigo-300 bg-indigo-50 p-3 text-sm"
      >
        <p className="font-medium text-indigo-900">
          {latest.backupId ? "Restore" : "Import"} in progress: {latest.message ?? "queued"}
        </p>
        <progress
          max={100}
          value={latest.progress}
          aria-label="Restore progress"
          className="mt-2 h-2 w-full"
        />
      </section>
    );
  if (now - Date.parse(latest.finishedAt ?? latest.createdAt) > 24 * 60 * 60 * 1000) return null;
  return latest.status === "DONE" ? (
    <p
      role="status"
      className="rounded-md border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-900"
    >
      Restore finished {age(latest.finishedAt ?? latest.createdAt, now)} ago: {latest.message}
    </p>
  ) : (
    <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
      The last restore failed {age(latest.finishedAt ?? latest.createdAt, now)} ago; the previous database was
      kept: {latest.error}
    </p>
  );
}
