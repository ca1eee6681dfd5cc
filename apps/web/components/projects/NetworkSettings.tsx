"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiCall } from "@/lib/auth/api-call";

const stages = [
  { id: "PRODUCTION", label: "Production", hint: "payment providers, outgoing mail servers, APIs" },
  { id: "STAGING", label: "Staging", hint: "a neutralized copy of production: usually kept in" },
  { id: "DEVELOPMENT", label: "Development", hint: "every pushed branch: usually kept in" },
] as const;

/** Which stages' containers may open connections beyond the host. */
export function NetworkSettings({ projectId, egressStages }: { projectId: string; egressStages: string[] }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  async function submit(form: FormData) {
    setError(null);
    setSaved(false);
    try {
      await apiCall(`/api/v1/projects/${projectId}/network`, {
        method: "PUT",
        body: { egressStages: form.getAll("egress").map(String) },
      });
      setSaved(true);
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  }
  return (
    <section className="rounded-xl border border-slate-200 bg-white p-5">
      <h2 className="font-semibold">Outgoing connections</h2>
      <p className="mt-1 text-sm text-slate-600">
        Every build runs in its own network: it reaches its database and, outside production, the mail
        catcher, and nothing else on this host. Stages checked here may also connect to the outside world. A
        change applies to builds started after it.
      </p>
      <form action={submit} className="mt-3 space-y-2">
        {stages.map((stage) => (
          <label key={stage.id} className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              name="egress"
              value={stage.id}
              defaultChecked={egressStages.includes(stage.id)}
              className="h-4 w-4"
            />
            <span className="font-medium">{stage.label}</span>
            <span className="text-slate-500">({stage.hint})</span>
          </label>
        ))}
        <button
          type="submit"
          className="mt-2 rounded-md border border-slate-300 px-4 py-2 text-sm font-semibold hover:bg-slate-50"
        >
          Save
        </button>
        {saved ? (
          <span role="status" className="ml-3 text-sm text-green-700">
            Saved
          </span>
        ) : null}
      </form>
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </section>
  );
}
