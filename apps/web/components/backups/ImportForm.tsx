"use client";

import { useState } from "react";

/** Upload of an Odoo backup zip, streamed as the request body to the import endpoint. */
export function ImportForm(props: {
  base: string;
  stage: "PRODUCTION" | "STAGING";
  disabled: boolean;
  onQueued(): Promise<void>;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [neutralize, setNeutralize] = useState(true);
  const [state, setState] = useState<{ busy: boolean; error: string | null; done: boolean }>({
    busy: false,
    error: null,
    done: false,
  });

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!file) return;
    setState({ busy: true, error: null, done: false });
    const query = new URLSearchParams({ filename: file.name, neutralize: String(neutralize) });
    try {
      const response = await fetch(`${props.base}/import?${query}`, {
        method: "POST",
        headers: {
          "content-type": file.name.toLowerCase().endsWith(".zip")
            ? "application/zip"
            : "application/octet-stream",
        },
        body: file,
      });
      if (!response.ok) {
        const data = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
        throw new Error(data.error?.message ?? `Import refused (${response.status})`);
      }
      setState({ busy: false, error: null, done: true });
      setFile(null);
      await props.onQueued();
    } catch (e) {
      setState({ busy: false, error: (e as Error).message, done: false });
    }
  }

  return (
    <form
      onSubmit={submit}
      aria-label="Import a database"
      className="space-y-2 rounded-md border border-slate-200 p-4"
    >
      <h3 className="text-sm font-semibold">Import a database</h3>
      <p className="text-xs text-slate-600">
        An Odoo backup zip (dump.sql, manifest.json, filestore/), or a pg_dump file (.sql, or .dump made with
        -Fc) without filestore. It replaces this branch's database after a safety backup; known demo passwords
        are reset
        {props.stage === "STAGING" ? " and the copy is neutralized" : ""}.
      </p>
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <label className="inline-flex items-center gap-2">
          <span className="sr-only">Archive</span>
          <input
            type="file"
            accept=".zip,.sql,.dump,application/zip"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            disabled={props.disabled || state.busy}
          />
        </label>
        {props.stage === "PRODUCTION" ? (
          <label className="inline-flex items-center gap-1.5">
            <input type="checkbox" checked={neutralize} onChange={(e) => setNeutralize(e.target.checked)} />
            Turn scheduled actions and outgoing mail off
          </label>
        ) : null}
        <button
          type="submit"
          disabled={!file || props.disabled || state.busy}
          className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm font-medium hover:bg-slate-50 disabled:opacity-50"
        >
          {state.busy ? "Uploading…" : "Import"}
        </button>
      </div>
      {state.error ? (
        <p role="alert" className="text-sm text-red-700">
          {state.error}
        </p>
      ) : null}
      {state.done ? <p className="text-sm text-green-800">Archive accepted: the import is queued.</p> : null}
    </form>
  );
}
