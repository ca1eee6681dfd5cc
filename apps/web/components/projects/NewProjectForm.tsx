"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiCall } from "@/lib/auth/api-call";

export function NewProjectForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  async function submit(form: FormData) {
    setError(null);
    try {
      const project = await apiCall<{ id: string }>("/api/v1/projects", {
        method: "POST",
        body: {
          name: form.get("name"),
          repository: form.get("repository"),
          odooSeries: form.get("odooSeries"),
        },
      });
      router.push(`/projects/${project.id}`);
    } catch (e) {
      setError((e as Error).message);
    }
  }
  return (
    <form
      action={submit}
      aria-label="New project"
      className="mb-8 grid gap-3 rounded-xl border border-slate-200 bg-white p-5 sm:grid-cols-4"
    >
      <input
        name="name"
        required
        placeholder="Project name"
        aria-label="Project name"
        className="rounded-md border border-slate-300 px-3 py-2 text-sm"
      />
      <input
        name="repository"
        required
        placeholder="owner/repository"
        aria-label="GitHub repository"
        className="rounded-md border border-slate-300 px-3 py-2 text-sm"
      />
      <select
        name="odooSeries"
        defaultValue="17.0"
        aria-label="Odoo series"
        className="rounded-md border border-slate-300 px-3 py-2 text-sm"
      >
        {["16.0", "17.0", "18.0"].map((s) => (
          <option key={s}>{s}</option>
        ))}
      </select>
      <button
        type="submit"
        className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700"
      >
        Create project
      </button>
      {error ? (
        <p role="alert" className="text-sm text-red-700 sm:col-span-4">
          {error}
        </p>
      ) : null}
    </form>
  );
}
