"use client";

import { useState } from "react";
import { apiCall } from "@/lib/auth/api-call";

export function DeleteProject({ projectId, name }: { projectId: string; name: string }) {
  const [typed, setTyped] = useState("");
  const [keep, setKeep] = useState(true);
  const [error, setError] = useState<string | null>(null);
  async function remove() {
    setError(null);
    try {
      const query = new URLSearchParams({ confirmName: typed, keepLastBackup: String(keep) });
      await apiCall(`/api/v1/projects/${projectId}?${query}`, { method: "DELETE" });
      window.location.assign("/projects");
    } catch (e) {
      setError((e as Error).message);
    }
  }
  return (
    <section className="rounded-xl border border-red-200 bg-white p-5" aria-label="Delete project">
      <h2 className="font-semibold text-red-800">Delete this project</h2>
      <p className="mt-2 text-sm text-slate-700">
        Deleting stops and removes every container and database of the project&apos;s branches, its builds,
        backups and audit log. The last production backup is kept in backup storage (kept-backups) unless you
        untick the box below. This cannot be undone.
      </p>
      <label className="mt-3 block text-sm">
        Type <strong>{name}</strong> to confirm
        <input
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          aria-label="Project name to confirm"
          className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2"
        />
      </label>
      <label className="mt-3 flex items-center gap-2 text-sm">
        <input type="checkbox" checked={keep} onChange={(e) => setKeep(e.target.checked)} /> Keep the last
        production backup
      </label>
      <button
        type="button"
        disabled={typed !== name}
        onClick={remove}
        className="mt-4 rounded-md bg-red-700 px-4 py-2 text-sm font-semibold text-white disabled:opacity-40"
      >
        Delete project
      </button>
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </section>
  );
}
