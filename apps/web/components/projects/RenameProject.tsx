"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiCall } from "@/lib/auth/api-call";

export function RenameProject({ projectId, name }: { projectId: string; name: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  async function submit(form: FormData) {
    setError(null);
    try {
      await apiCall(`/api/v1/projects/${projectId}`, { method: "PATCH", body: { name: form.get("name") } });
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  }
  return (
    <section className="rounded-xl border border-slate-200 bg-white p-5">
      <h2 className="font-semibold">Project name</h2>
      <form action={submit} className="mt-3 flex gap-3">
        <input
          name="name"
          defaultValue={name}
          required
          aria-label="New project name"
          className="flex-1 rounded-md border border-slate-300 px-3 py-2 text-sm"
        />
        <button
          type="submit"
          className="rounded-md border border-slate-300 px-4 py-2 text-sm font-semibold hover:bg-slate-50"
        >
          Rename
        </button>
      </form>
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </section>
  );
}
