"use client";

import { useState } from "react";
import { age, bytes, kindLabels } from "./format";
import type { BackupRow } from "./types";

function State({ backup }: { backup: BackupRow }) {
  if (backup.status === "PENDING") return <span className="text-slate-600">queued</span>;
  if (backup.status === "RUNNING")
    return (
      <span className="inline-flex items-center gap-2">
        <progress
          max={100}
          value={backup.progress}
          aria-label={`Backup progress ${backup.progress}%`}
          className="h-2 w-24"
        />
        <span className="text-xs text-slate-600">
          {backup.progress}% {backup.message ?? ""}
        </span>
      </span>
    );
  if (backup.status === "FAILED")
    return (
      <span className="text-red-700" title={backup.error ?? undefined}>
        failed: {backup.error?.slice(0, 120)}
      </span>
    );
  if (backup.verifyStatus === "VERIFIED")
    return (
      <span className="font-medium text-green-700" title={backup.verifyMessage ?? undefined}>
        verified
      </span>
    );
  if (backup.verifyStatus === "FAILED")
    return (
      <span className="font-semibold text-red-700" title={backup.verifyMessage ?? undefined}>
        verification failed
      </span>
    );
  return <span className="text-amber-700">verifying…</span>;
}

/** The branch's backups with Download and Restore (the latter after a confirmation). */
export function BackupsTable(props: {
  projectId: string;
  branchName: string;
  backups: BackupRow[];
  now: number;
  restoreDisabled: boolean;
  onRestore(backupId: string): Promise<void>;
}) {
  const [confirming, setConfirming] = useState<string | null>(null);
  if (props.backups.length === 0)
    return (
      <p className="rounded-md border border-dashed border-slate-300 p-6 text-center text-sm text-slate-600">
        No backups of this branch yet. Take one now, or import an Odoo backup below.
      </p>
    );
  const button =
    "rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-50";
  return (
    <table aria-label="Backups" className="w-full border-collapse text-sm">
      <thead>
        <tr className="border-b border-slate-200 text-left text-slate-600">
          <th className="py-2 pr-3">Kind</th>
          <th className="py-2 pr-3">Taken</th>
          <th className="py-2 pr-3">Age</th>
          <th className="py-2 pr-3">Size</th>
          <th className="py-2 pr-3">Contents</th>
          <th className="py-2 pr-3">State</th>
          <th className="py-2">Actions</th>
        </tr>
      </thead>
      <tbody>
        {props.backups.map((b) => (
          <tr key={b.id} data-backup-id={b.id} className="border-b border-slate-100 align-top">
            <td className="py-2 pr-3">
              <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium">
                {kindLabels[b.kind] ?? b.kind}
              </span>
            </td>
            <td className="py-2 pr-3 font-mono text-xs">{b.createdAt.replace("T", " ").slice(0, 16)}</td>
            <td className="py-2 pr-3">{age(b.createdAt, props.now)}</td>
            <td className="py-2 pr-3">{bytes(b.sizeBytes)}</td>
            <td className="py-2 pr-3 text-xs text-slate-600">
              {[
                b.odooSeries ? `Odoo ${b.odooSeries}` : null,
                b.withFilestore ? "with filestore" : "no filestore",
                b.neutralized ? "neutralized" : null,
              ]
                .filter(Boolean)
                .join(" · ")}
            </td>
            <td className="py-2 pr-3">
              <State backup={b} />
            </td>
            <td className="py-2">
              {b.status === "DONE" ? (
                confirming === b.id ? (
                  <span className="inline-flex flex-wrap items-center gap-2 rounded-md border border-amber-400 bg-amber-50 p-2 text-xs">
                    <span>
                      Replace the database and files of <strong>{props.branchName}</strong> with this backup?
                      A safety backup of the current ones is taken first.
                    </span>
                    <button
                      type="button"
                      className="rounded-md bg-amber-600 px-2.5 py-1 font-medium text-white hover:bg-amber-700"
                      onClick={async () => {
                        setConfirming(null);
                        await props.onRestore(b.id);
                      }}
                    >
                      Restore now
                    </button>
                    <button type="button" className={button} onClick={() => setConfirming(null)}>
                      Keep the current database
                    </button>
                  </span>
                ) : (
                  <span className="inline-flex gap-2">
                    <a
                      className={button}
                      href={`/api/v1/projects/${props.projectId}/backups/${b.id}/download`}
                      download
                    >
                      Download
                    </a>
                    <button
                      type="button"
                      className={button}
                      disabled={props.restoreDisabled}
                      onClick={() => setConfirming(b.id)}
                    >
                      Restore
                    </button>
                  </span>
                )
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
