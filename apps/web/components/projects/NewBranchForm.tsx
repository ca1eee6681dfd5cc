"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiCall } from "@/lib/auth/api-call";

export function NewBranchForm({ projectId }: { projectId: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  async function submit(form: FormData) {
    setError(null);
    try {
      await apiCall(`/api/v1/projects/${projectId}/branches`, {
        method: "POST",
        body: { name: form.get("name"), stage: form.get("stage") },
      });
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  }
  return (
    <form action={submit} aria-label="New branch" className="mb-6 flex flex-wrap gap-3">
      <input
        name="name"
        required
        placeholder="branch name"
        aria-label="Branch name"
        className="rounded-md border border-slate-300 px-3 py-2 text-sm"
      />
      <select
        name="stage"
        aria-label="Stage"
        defaultValue="DEVELOPMENT"
        className="rounded-md border border-slate-300 px-3 py-2 text-sm"
      >
        <option value="PRODUCTION">production</option>
        <option value="STAGING">staging</option>
        <option value="DEVELOPMENT">development</option>
      </select>
      <button
        type="submit"
        className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-semibold hover:bg-slate-50"
      >
        Add branch
      </button>
      {error ? (
        <p role="alert" className="w-full text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </form>
  );
}
