"use client";

import { useEffect, useState } from "react";
import type { z } from "zod";
import { bytes as formatBytes } from "@/components/backups/format";
import type { mailDetail } from "@/lib/api/endpoints/mails";

type MailDetail = z.output<typeof mailDetail>;
type Part = "html" | "text" | "headers";

/**
 * One caught mail. The HTML part is shown in a frame with every sandbox restriction (no
 * scripts, no forms, its own opaque origin), loaded from an endpoint whose
 * Content-Security-Policy also forbids any remote load: opening a mail tells nobody.
 */
export function MailView({ buildId, mailId }: { buildId: string; mailId: string }) {
  const [mail, setMail] = useState<MailDetail | null>(null);
  const [failed, setFailed] = useState(false);
  const [part, setPart] = useState<Part>("html");
  const base = `/api/v1/builds/${buildId}/mails/${mailId}`;

  useEffect(() => {
    const controller = new AbortController();
    setMail(null);
    setFailed(false);
    fetch(base, { signal: controller.signal, cache: "no-store" })
      .then(async (response) => {
        if (!response.ok) throw new Error(String(response.status));
        const detail = (await response.json()) as MailDetail;
        setMail(detail);
        setPart(detail.hasHtml ? "html" : "text");
      })
      .catch(() => {
        if (!controller.signal.aborted) setFailed(true);
      });
    return () => controller.abort();
  }, [base]);

  if (failed) return <p className="text-sm text-red-700">This mail could not be read.</p>;
  if (!mail) return <p className="text-sm text-slate-500">Loading…</p>;
  const parts: { id: Part; label: string }[] = [
    ...(mail.hasHtml ? [{ id: "html" as const, label: "HTML" }] : []),
    { id: "text", label: "Text" },
    { id: "headers", label: "Headers" },
  ];

  return (
    <article aria-label="Selected mail" className="min-w-0 space-y-3">
      <header className="space-y-1">
        <h3 className="break-words text-base font-semibold" data-testid="mail-subject">
          {mail.subject || "(no subject)"}
        </h3>
        <p className="text-sm text-slate-600">
          From <span className="font-mono">{mail.mailFrom || "(empty)"}</span> to{" "}
          <span className="font-mono">{mail.rcptTo.join(", ")}</span>
        </p>
        <p className="text-xs text-slate-500">
          {new Date(mail.receivedAt).toLocaleString()} · {formatBytes(mail.size)} ·{" "}
          <a className="text-indigo-700 hover:underline" href={`${base}/raw`}>
            Download .eml
          </a>
        </p>
      </header>
      {mail.attachments.length > 0 ? (
        <ul aria-label="Attachments" className="flex flex-wrap gap-2">
          {mail.attachments.map((a) => (
            <li key={a.index}>
              <a
                href={`${base}/attachments/${a.index}`}
                className="inline-flex items-center gap-1 rounded-md border border-slate-200 px-2 py-1 text-xs hover:bg-slate-50"
              >
                {a.filename} <span className="text-slate-500">({formatBytes(a.size)})</span>
              </a>
            </li>
          ))}
        </ul>
      ) : null}
      <div role="tablist" aria-label="Mail parts" className="flex gap-1">
        {parts.map((p) => (
          <button
            key={p.id}
            type="button"
            role="tab"
            aria-selected={p.id === part}
            onClick={() => setPart(p.id)}
            className={`rounded-md px-2.5 py-1 text-xs ${
              p.id === part ? "bg-indigo-600 text-white" : "bg-slate-100 text-slate-700 hover:bg-slate-200"
            }`}
          >
            {p.label}
          </button>
        ))}
      </div>
      {part === "html" ? (
        <iframe
          title="HTML part of the mail"
          src={`${base}/html`}
          sandbox=""
          referrerPolicy="no-referrer"
          className="h-[32rem] w-full rounded-md border border-slate-200 bg-white"
        />
      ) : part === "text" ? (
        <pre className="max-h-[32rem] overflow-auto whitespace-pre-wrap rounded-md bg-slate-50 p-3 text-sm">
          {mail.text ?? "This mail has no text part."}
        </pre>
      ) : (
        <dl className="max-h-[32rem] overflow-auto rounded-md bg-slate-50 p-3 font-mono text-xs">
          {mail.headers.map((h, i) => (
            // Headers repeat (Received, To): their position is their identity.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <div key={i} className="break-all">
              <dt className="inline font-semibold">{h.name}:</dt> <dd className="inline">{h.value}</dd>
            </div>
          ))}
        </dl>
      )}
    </article>
  );
}
