"use client";

import { useState } from "react";
import { apiCall } from "@/lib/auth/api-call";
import { NewPasswordFields } from "./NewPasswordFields";

/** Creates the invited account; the answer carries the session cookie, so the project opens signed in. */
export function AcceptInvitationForm({
  token,
  email,
  projectId,
}: {
  token: string;
  email: string;
  projectId: string;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(form: FormData) {
    setError(null);
    const password = String(form.get("password") ?? "");
    if (password !== String(form.get("confirm") ?? "")) {
      setError("The two passwords differ.");
      return;
    }
    setBusy(true);
    try {
      await apiCall(`/api/v1/invitations/${encodeURIComponent(token)}/accept`, {
        method: "POST",
        body: { name: String(form.get("name") ?? ""), password },
      });
      window.location.assign(`/projects/${projectId}`);
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  }

  return (
    <form
      action={submit}
      aria-label="Create your account"
      className="mt-6 space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm"
    >
      <label className="block text-sm font-medium">
        Email
        <input
          value={email}
          readOnly
          autoComplete="username"
          className="mt-1 w-full rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-slate-600"
        />
      </label>
      <label className="block text-sm font-medium">
        Your name
        <input
          name="name"
          required
          maxLength={100}
          autoComplete="name"
          className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2"
        />
      </label>
      <NewPasswordFields
        name="password"
        label="Password"
        helpId="password-help"
        helpClassName="-mt-3 text-xs text-slate-500"
      />
      {error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={busy}
        className="w-full rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700 disabled:opacity-60"
      >
        {busy ? "Creating your account…" : "Create account and join"}
      </button>
    </form>
  );
}
