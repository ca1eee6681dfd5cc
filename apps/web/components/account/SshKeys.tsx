"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiCall } from "@/lib/auth/api-call";

interface SshKey {
  id: string;
  title: string;
  type: string;
  fingerprint: string;
  source: string;
  createdAt: string;
  lastUsedAt: string | null;
}

function day(iso: string | null): string {
  return iso ? new Date(iso).toISOString().slice(0, 10) : "—";
}

const inputClass = "mt-1 w-full rounded-md border border-slate-300 px-3 py-2 font-normal";
const buttonClass =
  "justify-self-start rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700";

/** The caller's SSH keys: pasted, or imported from a GitHub account's public keys. */
export function SshKeys({ initial, sshCommand }: { initial: SshKey[]; sshCommand: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function run(body: () => Promise<string | null>) {
    setError(null);
    setNotice(null);
    try {
      setNotice(await body());
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  const add = (form: FormData) =>
    run(async () => {
      await apiCall("/api/v1/me/ssh-keys", {
        method: "POST",
        body: { title: String(form.get("title") ?? ""), publicKey: String(form.get("publicKey") ?? "") },
      });
      return null;
    });

  const importKeys = (form: FormData) =>
    run(async () => {
      const username = String(form.get("username") ?? "").trim();
      const answer = await apiCall<{ imported: SshKey[]; skipped: { reason: string }[] }>(
        "/api/v1/me/ssh-keys/github",
        { method: "POST", body: username ? { username } : {} },
      );
      const skipped = answer.skipped.map((s) => s.reason).join("; ");
      return `${answer.imported.length} key(s) imported${skipped ? `; skipped: ${skipped}` : ""}.`;
    });

  const remove = (id: string) =>
    run(async () => {
      await apiCall(`/api/v1/me/ssh-keys/${id}`, { method: "DELETE" });
      return null;
    });

  return (
    <section className="rounded-xl border border-slate-200 bg-white p-5" aria-label="SSH keys">
      <h2 className="font-semibold">SSH keys</h2>
      <p className="mt-1 text-xs text-slate-600">
        With a registered key, <code>{sshCommand}</code> opens a build&apos;s shell (the build&apos;s id or
        the first part of its URL as the user), where your role allows the Shell; add a command to run just
        that.
      </p>
      {initial.length === 0 ? (
        <p className="mt-3 text-sm text-slate-500">No SSH keys yet.</p>
      ) : (
        <table className="mt-3 w-full text-sm">
          <thead className="text-left text-xs text-slate-500">
            <tr>
              <th className="py-1 font-medium">Title</th>
              <th className="font-medium">Fingerprint</th>
              <th className="font-medium">Added</th>
              <th className="font-medium">Last used</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {initial.map((k) => (
              <tr key={k.id} className="border-t border-slate-100" data-testid={`ssh-key-${k.fingerprint}`}>
                <td className="py-2">
                  {k.title} <span className="text-xs text-slate-500">{k.type}</span>
                </td>
                <td className="font-mono text-xs">{k.fingerprint}</td>
                <td>
                  {day(k.createdAt)}
                  {k.source === "github" ? " (GitHub)" : ""}
                </td>
                <td>{day(k.lastUsedAt)}</td>
                <td className="text-right">
                  <button
                    type="button"
                    onClick={() => remove(k.id)}
                    aria-label={`Remove ${k.title}`}
                    className="text-red-700 hover:underline"
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form action={add} aria-label="Add an SSH key" className="mt-4 grid max-w-xl gap-3">
        <label className="block text-sm font-medium">
          Title
          <input name="title" maxLength={100} placeholder="e.g. laptop" className={inputClass} />
        </label>
        <label className="block text-sm font-medium">
          Public key
          <textarea
            name="publicKey"
            required
            rows={3}
            placeholder="ssh-ed25519 AAAA… you@host"
            className={`${inputClass} font-mono text-xs`}
          />
        </label>
        <button type="submit" className={buttonClass}>
          Add key
        </button>
      </form>
      <form
        action={importKeys}
        aria-label="Import keys from GitHub"
        className="mt-4 flex max-w-xl items-end gap-3"
      >
        <label className="block flex-1 text-sm font-medium">
          GitHub account
          <input name="username" maxLength={39} placeholder="your linked account" className={inputClass} />
        </label>
        <button type="submit" className={buttonClass}>
          Import from GitHub
        </button>
      </form>
      {notice ? (
        <p role="status" className="mt-2 text-sm text-slate-700">
          {notice}
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </section>
  );
}
