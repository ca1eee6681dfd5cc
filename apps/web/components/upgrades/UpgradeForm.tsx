"use client";

import { useState } from "react";
import { apiCall } from "@/lib/auth/api-call";
import type { UpgradeAttemptView } from "./types";

const engines = [
  { value: "scripts", label: "Scripts in the repository" },
  { value: "openupgrade", label: "OpenUpgrade" },
  { value: "odoo-service", label: "Odoo upgrade service (Enterprise)" },
];

/**
 * Staging: "Test upgrade" now. Production: at a chosen time or with the next push. Only the
 * series newer than the branch's with an image on the server are offered.
 */
export function UpgradeForm(props: {
  projectId: string;
  branchId: string;
  stage: "PRODUCTION" | "STAGING" | "DEVELOPMENT";
  targets: string[];
  busy: boolean;
  onStarted: (attempt: UpgradeAttemptView) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [when, setWhen] = useState<"at" | "next-push">("next-push");
  const production = props.stage === "PRODUCTION";

  if (props.targets.length === 0) {
    return (
      <p className="text-sm text-slate-600" data-testid="no-targets">
        No newer Odoo series is available on this server: its image must be built first.
      </p>
    );
  }

  async function submit(form: FormData) {
    setError(null);
    setSending(true);
    const base = `/api/v1/projects/${props.projectId}/branches/${props.branchId}/upgrade`;
    const body: Record<string, unknown> = { toSeries: form.get("toSeries"), engine: form.get("engine") };
    if (production) {
      const at = String(form.get("at") ?? "");
      body.when =
        when === "at" ? { mode: "at", at: at ? new Date(at).toISOString() : "" } : { mode: "next-push" };
    }
    try {
      const attempt = await apiCall<UpgradeAttemptView>(
        `${base}/${production ? "production" : "rehearsals"}`,
        {
          method: "POST",
          body,
        },
      );
      props.onStarted(attempt);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSending(false);
    }
  }

  const field = "rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm";
  return (
    <form action={submit} className="space-y-3" aria-label="New upgrade">
      <div className="flex flex-wrap items-end gap-4">
        <label className="flex flex-col gap-1 text-sm text-slate-700">
          Target series
          <select name="toSeries" className={field} defaultValue={props.targets.at(-1)}>
            {props.targets.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm text-slate-700">
          Engine
          <select name="engine" className={field} defaultValue="scripts">
            {engines.map((e) => (
              <option key={e.value} value={e.value}>
                {e.label}
              </option>
            ))}
          </select>
        </label>
        {production ? (
          <fieldset className="flex flex-wrap items-center gap-3 text-sm text-slate-700">
            <legend className="sr-only">When</legend>
            <label className="flex items-center gap-1">
              <input
                type="radio"
                name="when"
                checked={when === "next-push"}
                onChange={() => setWhen("next-push")}
              />
              With the next push
            </label>
            <label className="flex items-center gap-1">
              <input type="radio" name="when" checked={when === "at"} onChange={() => setWhen("at")} />
              At
            </label>
            <input
              type="datetime-local"
              name="at"
              aria-label="Upgrade time"
              className={field}
              disabled={when !== "at"}
            />
          </fieldset>
        ) : null}
        <button
          type="submit"
          disabled={sending || props.busy}
          className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-50"
        >
          {production ? "Schedule production upgrade" : "Test upgrade"}
        </button>
      </div>
      {props.busy ? (
        <p className="text-xs text-slate-500">An upgrade of this branch is already on its way.</p>
      ) : null}
      {production ? (
        <p className="text-xs text-slate-500">
          Production is backed up ("upgrade"), stopped behind a maintenance page, migrated and started on the
          new series; any failure restores it as it was. A successful test upgrade on staging comes first.
        </p>
      ) : (
        <p className="text-xs text-slate-500">
          The latest verified production backup is restored here, neutralized, upgraded with this branch's
          code, and kept for 30 days: each push then starts from the upgraded copy.
        </p>
      )}
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </form>
  );
}
