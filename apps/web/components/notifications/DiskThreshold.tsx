"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiCall } from "@/lib/auth/api-call";

/** The disk threshold of the project's builds (database and filestore), told once per crossing. */
export function DiskThreshold({ projectId, diskAlertMb }: { projectId: string; diskAlertMb: number | null }) {
  const router = useRouter();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  async function submit(form: FormData) {
    const raw = String(form.get("mb") ?? "").trim();
    try {
      await apiCall(`/api/v1/projects/${projectId}/notifications/settings`, {
        method: "PUT",
        body: { diskAlertMb: raw ? Number(raw) : null },
      });
      setMessage({ ok: true, text: "Saved" });
      router.refresh();
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  }
  return (
    <form action={submit} className="mt-4 flex flex-wrap items-center gap-2 text-sm">
      <label>
        Tell when a build's database and filestore pass{" "}
        <input
          name="mb"
          type="number"
          min={1}
          defaultValue={diskAlertMb ?? ""}
          className="w-28 rounded border border-slate-300 px-2 py-1"
        />{" "}
        MB (empty: never)
      </label>
      <button
        type="submit"
        className="rounded-md border border-slate-300 px-3 py-1 font-semibold hover:bg-slate-50"
      >
        Save
      </button>
      {message ? (
        <span
          role={message.ok ? "status" : "alert"}
          className={message.ok ? "text-green-700" : "text-red-700"}
        >
          {message.text}
        </span>
      ) : null}
    </form>
  );
}
