"use client";

import { useState } from "react";
import { apiCall } from "@/lib/auth/api-call";

export interface Change {
  path: string;
  kind: "added" | "modified" | "deleted";
}

interface Committed {
  sha: string;
  branch: string;
  buildId: string | null;
}

const kindMark: Record<Change["kind"], string> = { added: "A", modified: "M", deleted: "D" };

/** The work tree's changes (each opens its diff) and the commit that pushes them to the branch. */
export function CommitBox(props: {
  buildId: string;
  projectId: string;
  branch: string;
  changes: readonly Change[];
  writable: boolean;
  onShowDiff: (path: string) => void;
  onCommitted: () => void;
}) {
  const [message, setMessage] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const [done, setDone] = useState<Committed | null>(null);

  const commit = async () => {
    setBusy(true);
    setError("");
    try {
      const answer = await apiCall<Committed>(`/api/v1/builds/${props.buildId}/editor/commit`, {
        method: "POST",
        body: { message },
      });
      setDone(answer);
      setMessage("");
      props.onCommitted();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-label="Changes" className="space-y-2">
      <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">
        Changes against the build's commit
      </h3>
      {props.changes.length === 0 ? (
        <p className="text-xs text-slate-500">No change.</p>
      ) : (
        <ul data-testid="editor-changes" className="space-y-0.5 font-mono text-xs">
          {props.changes.map((c) => (
            <li key={c.path}>
              <button
                type="button"
                onClick={() => props.onShowDiff(c.path)}
                className="flex w-full gap-2 truncate rounded px-1 text-left hover:bg-slate-100"
              >
                <span className="text-amber-700">{kindMark[c.kind]}</span>
                <span className="truncate">{c.path}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {props.writable ? (
        <div className="space-y-2">
          <textarea
            aria-label="Commit message"
            value={message}
            onChange={(e) => setMessage(e.target.value)}
            rows={3}
            placeholder={`Commit message (pushed to ${props.branch})`}
            className="w-full rounded-md border border-slate-300 p-2 text-sm"
          />
          <button
            type="button"
            disabled={busy || message.trim() === "" || props.changes.length === 0}
            onClick={commit}
            className="w-full rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50"
          >
            {busy ? "Pushing…" : "Commit & push"}
          </button>
        </div>
      ) : null}
      {error ? (
        <p role="alert" className="text-xs text-red-700">
          {error}
        </p>
      ) : null}
      {done ? (
        <p data-testid="editor-committed" className="text-xs text-green-800">
          Pushed <span className="font-mono">{done.sha.slice(0, 7)}</span> to {done.branch}.{" "}
          {done.buildId ? (
            <a
              className="text-indigo-700 underline"
              href={`/projects/${props.projectId}/builds/${done.buildId}`}
            >
              Its build
            </a>
          ) : (
            "The branch does not build on new commits."
          )}
        </p>
      ) : null}
    </section>
  );
}
