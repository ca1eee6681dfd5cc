"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiCall } from "@/lib/auth/api-call";

/** The project's IANA time zone: its branches' deploy windows are read in it. */
export function ProjectTimeZone({ projectId, timeZone }: { projectId: string; timeZone: string }) {
  const router = useRouter();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  async function submit(form: FormData) {
    setMessage(null);
    try {
      await apiCall(`/api/v1/projects/${projectId}`, {
        method: "PATCH",
        body: { timeZone: String(form.get("timeZone") ?? "").trim() },
      });
      setMessage({ ok: true, text: "Time zone saved" });
      router.refresh();
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  }
  return (
    <section className="rounded-xl border border-slate-200 bg-white p-5">
      <h2 className="font-semibold">Time zone</h2>
      <p className="mt-1 text-sm text-slate-600">Deploy windows of production and staging are read in it.</p>
      <form action={submit} className="mt-3 flex gap-3">
        <input
          name="timeZone"
          defaultValue={timeZone}
          required
          placeholder="Europe/Brussels"
          aria-label="Project time zone"
          className="flex-1 rounded-md border border-slate-300 px-3 py-2 text-sm"
        />
        <button
          type="submit"
          className="rounded-md border border-slate-300 px-4 py-2 text-sm font-semibold hover:bg-slate-50"
        >
          Save
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
