"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiCall } from "@/lib/auth/api-call";

export interface PreviewSettingsValue {
  mode: "OFF" | "DEVELOPMENT" | "STAGING_COPY";
  forks: boolean;
  limit: number;
}

/** The project's pull-request preview settings (Admin): mode, forks, how many stay awake. */
export function PreviewSettingsForm({
  projectId,
  initial,
}: {
  projectId: string;
  initial: PreviewSettingsValue;
}) {
  const router = useRouter();
  const [forks, setForks] = useState(initial.forks);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  async function submit(form: FormData) {
    setMessage(null);
    try {
      await apiCall(`/api/v1/projects/${projectId}/previews`, {
        method: "PATCH",
        body: {
          mode: String(form.get("mode")),
          forks: form.get("forks") === "on",
          limit: Number(form.get("limit")),
        },
      });
      setMessage({ ok: true, text: "Preview settings saved" });
      router.refresh();
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  }
  return (
    <section className="rounded-xl border border-slate-200 bg-white p-5">
      <h2 className="font-semibold">Pull-request previews</h2>
      <p className="mt-1 text-sm text-slate-600">
        Each open pull request is built as a development build of its head commit; its address is posted on
        the pull request, and the builds go when it is closed or merged. On a copy of production, the
        repository's own pull requests start from production's latest verified backup, neutralized (a fork's
        always get a development build).
      </p>
      {/* Submitted by hand: a form action would reset the fields to the values first rendered. */}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit(new FormData(e.currentTarget));
        }}
        aria-label="Pull-request previews"
        className="mt-3 space-y-3"
      >
        <label className="flex items-center gap-2 text-sm">
          <span className="w-40 font-medium">Previews</span>
          <select
            name="mode"
            defaultValue={initial.mode}
            aria-label="Preview mode"
            className="rounded-md border border-slate-300 px-2 py-1.5 text-sm"
          >
            <option value="OFF">Off</option>
            <option value="DEVELOPMENT">Development build</option>
            <option value="STAGING_COPY">Copy of production (latest verified backup)</option>
          </select>
        </label>
        <label className="flex items-center gap-2 text-sm">
          <span className="w-40 font-medium">Awake at once</span>
          <input
            type="number"
            name="limit"
            min={1}
            max={50}
            required
            defaultValue={initial.limit}
            aria-label="Preview limit"
            className="w-24 rounded-md border border-slate-300 px-2 py-1.5 text-sm"
          />
          <span className="text-slate-500">beyond it, the least recently used previews sleep</span>
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            name="forks"
            checked={forks}
            onChange={(e) => setForks(e.target.checked)}
            className="h-4 w-4"
          />
          <span className="font-medium">Preview pull requests from forks</span>
        </label>
        {forks ? (
          <p role="note" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
            A fork's code is a stranger's: anyone who opens a pull request gets it built and run here. Gantry
            builds it without the deploy key, without secrets and without outgoing connections, but it still
            runs on this host.
          </p>
        ) : null}
        <button
          type="submit"
          className="rounded-md border border-slate-300 px-4 py-2 text-sm font-semibold hover:bg-slate-50"
        >
          Save preview settings
        </button>
      </form>
      {message ? (
        <p
          role={message.ok ? "status" : "alert"}
          className={`mt-2 text-sm ${message.ok ? "text-green-700" : "text-red-700"}`}
        >
          {message.text}
        </p>
      ) : null}
    </section>
  );
}
