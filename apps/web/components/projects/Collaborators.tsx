"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiCall } from "@/lib/auth/api-call";

type Role = "ADMIN" | "USER" | "TESTER" | "DEVELOPER";
const roleOptions: { value: Role; label: string; help: string }[] = [
  { value: "ADMIN", label: "Admin", help: "everything, including project settings" },
  { value: "USER", label: "User", help: "development tools; production and staging: history and settings" },
  {
    value: "TESTER",
    label: "Tester",
    help: "development and staging tools; production: history and settings",
  },
  {
    value: "DEVELOPER",
    label: "Developer",
    help: "development tools only; production and staging: history and settings",
  },
];

interface People {
  collaborators: {
    id: string;
    role: Role;
    user: { id: string; email: string; name: string; githubLogin: string | null };
  }[];
  invitations: { id: string; email: string | null; githubLogin: string | null; role: Role }[];
}

export function Collaborators({
  projectId,
  selfId,
  initial,
}: {
  projectId: string;
  selfId: string;
  initial: People;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  // The link exists only in the invite answer (the database keeps its hash): shown once.
  const [link, setLink] = useState<{ email: string; url: string } | null>(null);
  const base = `/api/v1/projects/${projectId}`;

  async function run(call: () => Promise<unknown>) {
    setError(null);
    try {
      await call();
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  }
  async function invite(form: FormData) {
    const who = String(form.get("who") ?? "").trim();
    const body = who.includes("@")
      ? { email: who, role: form.get("role") }
      : { githubLogin: who, role: form.get("role") };
    setLink(null);
    await run(async () => {
      const answer = await apiCall<{ inviteUrl?: string }>(`${base}/collaborators`, { method: "POST", body });
      if (answer.inviteUrl) setLink({ email: who, url: answer.inviteUrl });
    });
  }

  return (
    <section className="rounded-xl border border-slate-200 bg-white p-5" aria-label="Collaborators">
      <h2 className="font-semibold">Collaborators</h2>
      <ul className="mt-2 text-xs text-slate-600">
        {roleOptions.map((r) => (
          <li key={r.value}>
            <strong>{r.label}</strong>: {r.help}
          </li>
        ))}
      </ul>
      <table className="mt-4 w-full text-sm">
        <tbody>
          {initial.collaborators.map((c) => (
            <tr key={c.id} className="border-t border-slate-100" data-testid={`collaborator-${c.user.email}`}>
              <td className="py-2">
                {c.user.name} <span className="text-slate-500">{c.user.email}</span>
                {c.user.id === selfId ? <span className="text-slate-500"> (you)</span> : null}
              </td>
              <td>
                <select
                  aria-label={`Role of ${c.user.email}`}
                  value={c.role}
                  onChange={(e) =>
                    run(() =>
                      apiCall(`${base}/collaborators/${c.id}`, {
                        method: "PATCH",
                        body: { role: e.target.value },
                      }),
                    )
                  }
                  className="rounded border border-slate-300 px-2 py-1"
                >
                  {roleOptions.map((r) => (
                    <option key={r.value} value={r.value}>
                      {r.label}
                    </option>
                  ))}
                </select>
              </td>
              <td className="text-right">
                <button
                  type="button"
                  onClick={() => run(() => apiCall(`${base}/collaborators/${c.id}`, { method: "DELETE" }))}
                  className="text-red-700 hover:underline"
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
          {initial.invitations.map((i) => (
            <tr key={i.id} className="border-t border-slate-100 text-slate-600">
              <td className="py-2">
                {i.email ?? `@${i.githubLogin}`} <em>(invited)</em>
              </td>
              <td>{roleOptions.find((r) => r.value === i.role)?.label}</td>
              <td className="text-right">
                <button
                  type="button"
                  onClick={() => run(() => apiCall(`${base}/invitations/${i.id}`, { method: "DELETE" }))}
                  className="hover:underline"
                >
                  Withdraw
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form action={invite} aria-label="Invite a collaborator" className="mt-4 flex flex-wrap gap-3">
        <input
          name="who"
          required
          placeholder="email or GitHub login"
          aria-label="Email or GitHub login"
          className="flex-1 rounded-md border border-slate-300 px-3 py-2 text-sm"
        />
        <select
          name="role"
          defaultValue="DEVELOPER"
          aria-label="Role"
          className="rounded-md border border-slate-300 px-3 py-2 text-sm"
        >
          {roleOptions.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </select>
        <button
          type="submit"
          className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700"
        >
          Invite
        </button>
      </form>
      {link ? (
        <div
          role="status"
          aria-label="Invitation link"
          className="mt-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm"
        >
          <p>
            <strong>{link.email}</strong> has no account yet. Gantry does not send email yet: send this link
            to the person yourself. It works once, expires in 7 days and is not shown again (withdraw the
            invitation to cancel it).
          </p>
          <div className="mt-2 flex gap-2">
            <input
              readOnly
              value={link.url}
              aria-label="Invitation link URL"
              data-testid="invite-link"
              onFocus={(e) => e.currentTarget.select()}
              className="flex-1 rounded border border-slate-300 bg-white px-2 py-1 font-mono text-xs"
            />
            <button
              type="button"
              onClick={() => navigator.clipboard?.writeText(link.url)}
              className="rounded border border-slate-300 bg-white px-3 py-1 font-medium hover:bg-slate-50"
            >
              Copy
            </button>
          </div>
        </div>
      ) : null}
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </section>
  );
}
