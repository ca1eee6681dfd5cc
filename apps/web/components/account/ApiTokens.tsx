"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiCall } from "@/lib/auth/api-call";

interface Token {
  id: string;
  name: string;
  prefix: string;
  projectIds: string[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const expiryOptions = [
  { days: 7, label: "7 days" },
  { days: 30, label: "30 days" },
  { days: 90, label: "90 days" },
  { days: 365, label: "1 year" },
  { days: 0, label: "Never" },
];

function day(iso: string | null): string {
  return iso ? new Date(iso).toISOString().slice(0, 10) : "—";
}

function state(token: Token): string {
  if (token.revokedAt) return `revoked ${day(token.revokedAt)}`;
  if (token.expiresAt && Date.parse(token.expiresAt) <= Date.now()) return "expired";
  return "active";
}

/** The caller's API tokens: a new token is shown once, right after it is created. */
export function ApiTokens({
  initial,
  projects,
}: {
  initial: Token[];
  projects: { id: string; name: string }[];
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const names = new Map(projects.map((p) => [p.id, p.name]));

  async function create(form: FormData) {
    setError(null);
    setCreated(null);
    setCopied(false);
    const days = Number(form.get("expiresInDays"));
    try {
      const answer = await apiCall<{ token: string; details: Token }>("/api/v1/tokens", {
        method: "POST",
        body: {
          name: String(form.get("name") ?? ""),
          projectIds: form.getAll("projectIds").map(String),
          ...(days > 0 ? { expiresInDays: days } : {}),
        },
      });
      setCreated({ name: answer.details.name, token: answer.token });
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  async function revoke(id: string) {
    setError(null);
    try {
      await apiCall(`/api/v1/tokens/${id}`, { method: "DELETE" });
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  async function copy(token: string) {
    // Refused (no permission, or a page not served over HTTPS): say so rather than "Copied".
    try {
      if (!navigator.clipboard) throw new Error("the browser offers no clipboard on this page");
      await navigator.clipboard.writeText(token);
      setCopied(true);
    } catch (e) {
      setError(`Copying failed (${(e as Error).message}): select the token and copy it by hand.`);
    }
  }

  return (
    <section className="rounded-xl border border-slate-200 bg-white p-5" aria-label="API tokens">
      <h2 className="font-semibold">API tokens</h2>
      <p className="mt-1 text-xs text-slate-600">
        Send a token as <code>Authorization: Bearer &lt;token&gt;</code>. It acts as you, on the chosen
        projects only, and cannot create or revoke tokens.
      </p>
      {initial.length === 0 ? (
        <p className="mt-3 text-sm text-slate-500">No tokens yet.</p>
      ) : (
        <table className="mt-3 w-full text-sm">
          <thead className="text-left text-xs text-slate-500">
            <tr>
              <th className="py-1 font-medium">Name</th>
              <th className="font-medium">Projects</th>
              <th className="font-medium">Created</th>
              <th className="font-medium">Last used</th>
              <th className="font-medium">Expires</th>
              <th className="font-medium">State</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {initial.map((t) => (
              <tr key={t.id} className="border-t border-slate-100" data-testid={`token-${t.name}`}>
                <td className="py-2">
                  {t.name} <span className="font-mono text-xs text-slate-500">gty_{t.prefix}_…</span>
                </td>
                <td>{t.projectIds.map((id) => names.get(id) ?? id).join(", ")}</td>
                <td>{day(t.createdAt)}</td>
                <td>{day(t.lastUsedAt)}</td>
                <td>{t.expiresAt ? day(t.expiresAt) : "never"}</td>
                <td>{state(t)}</td>
                <td className="text-right">
                  {t.revokedAt ? null : (
                    <button
                      type="button"
                      onClick={() => revoke(t.id)}
                      aria-label={`Revoke ${t.name}`}
                      className="text-red-700 hover:underline"
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {created ? (
        <div
          role="status"
          aria-label="New token"
          className="mt-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm"
        >
          <p>
            Token <strong>{created.name}</strong> created. Copy it now: it is not shown again.
          </p>
          <div className="mt-2 flex gap-2">
            <input
              readOnly
              value={created.token}
              aria-label="New token value"
              data-testid="new-token"
              onFocus={(e) => e.currentTarget.select()}
              className="flex-1 rounded border border-slate-300 bg-white px-2 py-1 font-mono text-xs"
            />
            <button
              type="button"
              onClick={() => copy(created.token)}
              className="rounded border border-slate-300 bg-white px-3 py-1 font-medium hover:bg-slate-50"
            >
              {copied ? "Copied" : "Copy"}
            </button>
          </div>
        </div>
      ) : null}
      {projects.length === 0 ? (
        <p className="mt-4 text-sm text-slate-500">A token is limited to projects: you are on none yet.</p>
      ) : (
        <form action={create} aria-label="Create a token" className="mt-4 grid max-w-xl gap-3">
          <label className="block text-sm font-medium">
            Name
            <input
              name="name"
              required
              maxLength={100}
              placeholder="e.g. CI deploy"
              className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 font-normal"
            />
          </label>
          <fieldset className="text-sm">
            <legend className="font-medium">Projects</legend>
            <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
              {projects.map((p) => (
                <label key={p.id} className="flex items-center gap-2">
                  <input type="checkbox" name="projectIds" value={p.id} />
                  {p.name}
                </label>
              ))}
            </div>
          </fieldset>
          <label className="block text-sm font-medium">
            Expires after
            <select
              name="expiresInDays"
              defaultValue="90"
              className="mt-1 block rounded-md border border-slate-300 px-3 py-2 font-normal"
            >
              {expiryOptions.map((o) => (
                <option key={o.days} value={o.days}>
                  {o.label}
                </option>
              ))}
            </select>
          </label>
          <button
            type="submit"
            className="justify-self-start rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700"
          >
            Create token
          </button>
        </form>
      )}
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </section>
  );
}
