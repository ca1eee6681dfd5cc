"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiCall } from "@/lib/auth/api-call";
import { type ChannelItem, kindLabels } from "./types";

/** Adds a channel; a generated webhook secret is shown once, to set up the receiver. */
export function AddChannel({ projectId }: { projectId: string }) {
  const router = useRouter();
  const [kind, setKind] = useState<ChannelItem["kind"]>("WEBHOOK");
  const [error, setError] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  async function submit(form: FormData) {
    setError(null);
    setSecret(null);
    const recipients = String(form.get("recipients") ?? "")
      .split(/[\s,]+/)
      .filter(Boolean);
    try {
      const created = await apiCall<{ secret?: string }>(
        `/api/v1/projects/${projectId}/notifications/channels`,
        {
          method: "POST",
          body: {
            kind,
            name: String(form.get("name") ?? ""),
            ...(kind === "MAIL" ? { recipients } : { url: String(form.get("url") ?? "") }),
            ...(kind === "WEBHOOK" && form.get("secret") ? { secret: String(form.get("secret")) } : {}),
          },
        },
      );
      if (created.secret) setSecret(created.secret);
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  }
  return (
    <form
      action={submit}
      aria-label="Add a channel"
      className="mt-4 space-y-2 rounded-lg border border-dashed border-slate-300 p-4"
    >
      <h3 className="font-semibold">Add a channel</h3>
      <div className="flex flex-wrap gap-2">
        <label className="text-sm">
          Kind{" "}
          <select
            name="kind"
            value={kind}
            onChange={(e) => setKind(e.target.value as ChannelItem["kind"])}
            className="rounded border border-slate-300 px-2 py-1"
          >
            {Object.entries(kindLabels).map(([id, label]) => (
              <option key={id} value={id}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          Name{" "}
          <input name="name" required maxLength={100} className="rounded border border-slate-300 px-2 py-1" />
        </label>
      </div>
      {kind === "MAIL" ? (
        <label className="block text-sm">
          Recipients (empty: the project's Admins){" "}
          <input name="recipients" className="w-full rounded border border-slate-300 px-2 py-1" />
        </label>
      ) : (
        <label className="block text-sm">
          Webhook URL{" "}
          <input
            name="url"
            type="url"
            required
            className="w-full rounded border border-slate-300 px-2 py-1"
          />
        </label>
      )}
      {kind === "WEBHOOK" ? (
        <label className="block text-sm">
          Secret (empty: generated){" "}
          <input
            name="secret"
            type="password"
            minLength={16}
            className="w-full rounded border border-slate-300 px-2 py-1"
          />
        </label>
      ) : null}
      <button
        type="submit"
        className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700"
      >
        Add channel
      </button>
      {secret ? (
        <p role="status" className="text-sm text-green-700">
          Channel added. Its signing secret, shown this once: <code className="font-mono">{secret}</code>
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </form>
  );
}
