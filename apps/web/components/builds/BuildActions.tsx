"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiCall } from "@/lib/auth/api-call";
import { ConnectActions } from "./ConnectActions";
import { isEnded } from "./tone";

/** Connect, Rebuild and Cancel, each given only when the caller's role allows it. */
export function BuildActions(props: {
  build: {
    id: string;
    projectId: string;
    status: string;
    url: string | null;
    servingAt: string | null;
    cleanedAt: string | null;
    sleepingSince?: string | null;
  };
  canConnect: boolean;
  canRebuild: boolean;
  compact?: boolean;
}) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { build } = props;
  const ended = isEnded(build.status);
  const serving = build.url && build.servingAt && !build.cleanedAt;

  async function act(action: "rebuild" | "cancel") {
    setBusy(true);
    setError(null);
    try {
      const answer = await apiCall<{ id?: string }>(`/api/v1/builds/${build.id}/${action}`, {
        method: "POST",
      });
      if (action === "rebuild" && answer.id && !props.compact) {
        router.push(`/projects/${build.projectId}/builds/${answer.id}`);
      } else {
        router.refresh();
      }
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const button =
    "rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-50";
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      {props.canConnect && serving ? (
        <ConnectActions
          buildId={build.id}
          sleeping={Boolean(build.sleepingSince)}
          buttonClass={button}
          {...(props.compact ? { compact: true } : {})}
        />
      ) : null}
      {props.canRebuild && ended ? (
        <button type="button" className={button} disabled={busy} onClick={() => act("rebuild")}>
          Rebuild
        </button>
      ) : null}
      {props.canRebuild && !ended ? (
        <button type="button" className={button} disabled={busy} onClick={() => act("cancel")}>
          Cancel
        </button>
      ) : null}
      {error ? (
        <span role="alert" className="text-xs text-red-700">
          {error}
        </span>
      ) : null}
    </span>
  );
}
