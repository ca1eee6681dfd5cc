"use client";

import { useState } from "react";
import { NewPasswordFields } from "./NewPasswordFields";

/** Posts to better-auth's change-password endpoint, which checks the current password itself. */
export function ChangePasswordForm() {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(form: FormData) {
    setMessage(null);
    const newPassword = String(form.get("newPassword") ?? "");
    if (newPassword !== String(form.get("confirm") ?? "")) {
      setMessage({ ok: false, text: "The two new passwords differ." });
      return;
    }
    setBusy(true);
    const response = await fetch("/api/auth/change-password", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        currentPassword: form.get("currentPassword"),
        newPassword,
        revokeOtherSessions: form.get("revokeOtherSessions") === "on",
      }),
    });
    setBusy(false);
    if (response.ok) {
      setMessage({ ok: true, text: "Password changed." });
      return;
    }
    const data = (await response.json().catch(() => ({}))) as { code?: string; message?: string };
    setMessage({
      ok: false,
      text:
        data.code === "INVALID_PASSWORD"
          ? "The current password is wrong."
          : (data.message ?? `The password could not be changed (${response.status}).`),
    });
  }

  return (
    <section className="rounded-xl border border-slate-200 bg-white p-5" aria-label="Password">
      <h2 className="font-semibold">Password</h2>
      <form action={submit} aria-label="Change password" className="mt-3 grid max-w-md gap-3">
        <label className="block text-sm font-medium">
          Current password
          <input
            name="currentPassword"
            type="password"
            required
            autoComplete="current-password"
            className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2"
          />
        </label>
        <NewPasswordFields
          name="newPassword"
          label="New password"
          helpId="new-password-help"
          helpClassName="-mt-2 text-xs text-slate-500"
        />
        <label className="flex items-center gap-2 text-sm">
          <input name="revokeOtherSessions" type="checkbox" defaultChecked />
          Sign out my other sessions (other browsers and devices)
        </label>
        {message ? (
          <p
            role={message.ok ? "status" : "alert"}
            className={`rounded-md px-3 py-2 text-sm ${message.ok ? "bg-green-50 text-green-800" : "bg-red-50 text-red-800"}`}
          >
            {message.text}
          </p>
        ) : null}
        <button
          type="submit"
          disabled={busy}
          className="justify-self-start rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700 disabled:opacity-60"
        >
          {busy ? "Changing…" : "Change password"}
        </button>
      </form>
    </section>
  );
}
