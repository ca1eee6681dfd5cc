"use client";

import { useEffect, useState } from "react";
import { apiCall } from "@/lib/auth/api-call";

interface UpdateStatus {
  jobId: string;
  state: "waiting" | "running" | "updated" | "failed";
  output: string | null;
  error: string | null;
}

/** "Update <module>": -u on the serving build, then its Odoo restarted; followed until it ends. */
export function UpdateModuleButton(props: { buildId: string; module: string; disabled: boolean }) {
  const [status, setStatus] = useState<UpdateStatus | null>(null);
  const [error, setError] = useState("");
  const running = status !== null && (status.state === "waiting" || status.state === "running");

  useEffect(() => {
    if (!status || !running) return;
    const timer = setTimeout(async () => {
      try {
        setStatus(
          await apiCall<UpdateStatus>(
            `/api/v1/builds/${props.buildId}/editor/update-module/${status.jobId}`,
            {
              method: "GET",
            },
          ),
        );
      } catch (e) {
        setError((e as Error).message);
      }
    }, 1500);
    return () => clearTimeout(timer);
  }, [status, running, props.buildId]);

  const start = async () => {
    setError("");
    try {
      const { jobId } = await apiCall<{ jobId: string }>(
        `/api/v1/builds/${props.buildId}/editor/update-module`,
        {
          method: "POST",
          body: { module: props.module },
        },
      );
      setStatus({ jobId, state: "waiting", output: null, error: null });
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <span className="flex items-center gap-2">
      <button
        type="button"
        disabled={props.disabled || running}
        onClick={start}
        className="rounded-md border border-slate-300 px-2.5 py-1 text-xs font-medium hover:bg-slate-50 disabled:opacity-50"
      >
        {running ? `Updating ${props.module}…` : `Update ${props.module}`}
      </button>
      {status && !running ? (
        <span
          data-testid="editor-update-result"
          data-state={status.state}
          title={status.output ?? status.error ?? ""}
          className={`text-xs ${status.state === "updated" ? "text-green-700" : "text-red-700"}`}
        >
          {status.state === "updated"
            ? `${props.module} updated, Odoo restarted`
            : `Update failed: ${status.error ?? "see update.log"}`}
        </span>
      ) : null}
      {error ? <span className="text-xs text-red-700">{error}</span> : null}
    </span>
  );
}
