"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiCall } from "@/lib/auth/api-call";

export interface DomainValue {
  id: string;
  name: string;
  displayName: string;
  url: string;
  primary: boolean;
  apex: boolean;
  verification: "PENDING" | "VERIFIED" | "FAILED";
  verificationReason: string | null;
  dnsAnswer: string | null;
  checkedAt: string | null;
  records: { type: string; name: string; value: string }[];
  note: string | null;
  certificate: {
    issuer: string | null;
    expiresAt: string | null;
    error: string | null;
    checkedAt: string | null;
  };
}

const stateText = { PENDING: "not checked yet", VERIFIED: "verified", FAILED: "not verified" } as const;
const stateColour = {
  PENDING: "text-slate-600",
  VERIFIED: "text-emerald-700",
  FAILED: "text-amber-700",
} as const;
const button = "rounded-md border border-slate-300 px-2 py-1 text-xs hover:bg-slate-50";

/** What Caddy serves for the domain (issuer, expiry) and the last error, as last read back. */
function Certificate({ value }: { value: DomainValue["certificate"] }) {
  if (!value.issuer && !value.error) return null;
  const checked = value.checkedAt ? ` (checked ${value.checkedAt.slice(0, 16).replace("T", " ")} UTC)` : "";
  return (
    <div>
      {value.issuer ? (
        <p className="text-slate-600">
          Certificate from {value.issuer}
          {value.expiresAt ? `, valid until ${value.expiresAt.slice(0, 10)}` : ""}
          {checked}
        </p>
      ) : null}
      {value.error ? <p className="text-red-700">Certificate problem: {value.error}</p> : null}
    </div>
  );
}

function DomainRow(props: {
  domain: DomainValue;
  act: (path: string, method: string, body?: unknown) => void;
}) {
  const d = props.domain;
  return (
    <li className="grid gap-1 border-b border-slate-100 py-3" aria-label={d.name}>
      <div className="flex flex-wrap items-center gap-2">
        <a href={d.url} className="font-mono font-medium text-indigo-700 hover:underline">
          {d.displayName}
        </a>
        {d.displayName !== d.name ? <span className="font-mono text-slate-500">({d.name})</span> : null}
        {d.primary ? (
          <span className="rounded bg-indigo-50 px-1.5 text-xs text-indigo-700">primary</span>
        ) : null}
        <span className={stateColour[d.verification]}>{stateText[d.verification]}</span>
        <span className="ml-auto flex gap-2">
          <button type="button" className={button} onClick={() => props.act(`/${d.id}/verify`, "POST")}>
            Check DNS
          </button>
          {d.primary ? null : (
            <button
              type="button"
              className={button}
              onClick={() => props.act(`/${d.id}`, "PATCH", { primary: true })}
            >
              Make primary
            </button>
          )}
          <button type="button" className={button} onClick={() => props.act(`/${d.id}`, "DELETE")}>
            Remove
          </button>
        </span>
      </div>
      {d.verificationReason ? <p className="text-amber-700">{d.verificationReason}</p> : null}
      <p className="text-slate-600">
        Current DNS answer: <span className="font-mono">{d.dnsAnswer ?? "not looked up yet"}</span>
      </p>
      {d.verification !== "VERIFIED" ? (
        <div className="text-slate-600">
          <p>Create {d.records.length > 1 ? "one of these records" : "this record"} at your DNS provider:</p>
          <table className="mt-1 font-mono text-xs" aria-label={`DNS records for ${d.name}`}>
            <thead>
              <tr className="text-left text-slate-500">
                {["Name", "Type", "Value"].map((h) => (
                  <th key={h} className="pr-3 font-normal">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {d.records.map((r) => (
                <tr key={`${r.type}-${r.value}`}>
                  <td className="pr-3">{r.name}</td>
                  <td className="pr-3">{r.type}</td>
                  <td>{r.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {d.note ? <p className="text-slate-500">{d.note}</p> : null}
      <Certificate value={d.certificate} />
    </li>
  );
}

/** The branch's custom domains: the records to create, their DNS answer, add/check/remove. */
export function DomainsPanel(props: { projectId: string; branchId: string; initial: DomainValue[] }) {
  const router = useRouter();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const base = `/api/v1/projects/${props.projectId}/branches/${props.branchId}/domains`;
  async function call(path: string, method: string, body?: unknown, done?: string) {
    setMessage(null);
    try {
      await apiCall(`${base}${path}`, { method, body });
      if (done) setMessage({ ok: true, text: done });
      router.refresh();
    } catch (error) {
      setMessage({ ok: false, text: (error as Error).message });
    }
  }
  return (
    <div className="grid max-w-3xl gap-3 text-sm">
      {props.initial.length === 0 ? (
        <p className="text-slate-600">No custom domain: the branch answers at its build's address only.</p>
      ) : (
        <ul aria-label="Custom domains">
          {props.initial.map((d) => (
            <DomainRow key={d.id} domain={d} act={(path, method, body) => void call(path, method, body)} />
          ))}
        </ul>
      )}
      <form
        aria-label="Add a domain"
        className="flex gap-2"
        action={(form) => call("", "POST", { name: String(form.get("name") ?? "") }, "Domain added")}
      >
        <input
          name="name"
          required
          placeholder="www.example.com"
          aria-label="Domain name"
          className="w-72 rounded-md border border-slate-300 px-3 py-1.5 text-sm"
        />
        <button
          type="submit"
          className="rounded-md bg-indigo-600 px-4 py-1.5 font-semibold text-white hover:bg-indigo-700"
        >
          Add domain
        </button>
      </form>
      {message ? (
        <p
          role={message.ok ? "status" : "alert"}
          className={message.ok ? "text-emerald-700" : "text-red-700"}
        >
          {message.text}
        </p>
      ) : null}
    </div>
  );
}
