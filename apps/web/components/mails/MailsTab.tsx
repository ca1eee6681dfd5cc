"use client";

import { useEffect, useState } from "react";
import type { z } from "zod";
import { bytes as formatBytes } from "@/components/backups/format";
import { usePolling } from "@/components/status/usePolling";
import type { mailSummary } from "@/lib/api/endpoints/mails";
import { MailView } from "./MailView";

type MailSummary = z.output<typeof mailSummary>;

/** New mails appear by polling; a search asks the server at once. */
const refreshMs = 3000;

/** The mails a build sent, caught and never delivered: a searchable list and the chosen one. */
export function MailsTab({ buildId }: { buildId: string }) {
  const [mails, setMails] = useState<MailSummary[] | null>(null);
  const [search, setSearch] = useState("");
  const [selected, setSelected] = useState<string | null>(null);

  const load = async (signal?: AbortSignal) => {
    const query = search.trim() ? `?search=${encodeURIComponent(search.trim())}` : "";
    const response = await fetch(`/api/v1/builds/${buildId}/mails${query}`, { signal, cache: "no-store" });
    if (response.ok) setMails(((await response.json()) as { mails: MailSummary[] }).mails);
  };
  usePolling(load, refreshMs);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new search reloads; load reads it
  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => void load(controller.signal).catch(() => {}), 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [search]);

  const shown = selected ?? mails?.[0]?.id ?? null;
  return (
    <div className="space-y-3">
      <input
        type="search"
        aria-label="Search mails"
        placeholder="Search sender, recipient, subject or text"
        value={search}
        onChange={(event) => setSearch(event.target.value)}
        className="w-full max-w-md rounded-md border border-slate-300 px-3 py-1.5 text-sm"
      />
      {mails === null ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : mails.length === 0 ? (
        <p data-testid="mails-empty" className="rounded-md bg-slate-50 p-4 text-sm text-slate-600">
          {search.trim()
            ? "No mail matches this search."
            : "No mail yet. The mail this build sends (invitations, quotations, password resets…) is " +
              "caught here and never delivered to anyone; it appears as soon as it is sent."}
        </p>
      ) : (
        <div className="grid gap-4 lg:grid-cols-[22rem_1fr]">
          <ul
            aria-label="Mails"
            className="max-h-[40rem] divide-y divide-slate-100 overflow-auto rounded-md border border-slate-200"
          >
            {mails.map((m) => (
              <li key={m.id}>
                <button
                  type="button"
                  aria-current={m.id === shown}
                  onClick={() => setSelected(m.id)}
                  className={`w-full px-3 py-2 text-left text-sm ${m.id === shown ? "bg-indigo-50" : "hover:bg-slate-50"}`}
                >
                  <div className="truncate font-medium">{m.subject || "(no subject)"}</div>
                  <div className="truncate text-xs text-slate-600">
                    {m.mailFrom} → {m.rcptTo.join(", ")}
                  </div>
                  <div className="text-xs text-slate-500 tabular-nums">
                    {new Date(m.receivedAt).toLocaleString()} · {formatBytes(m.size)}
                  </div>
                </button>
              </li>
            ))}
          </ul>
          {shown ? <MailView key={shown} buildId={buildId} mailId={shown} /> : null}
        </div>
      )}
    </div>
  );
}
