"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiCall } from "@/lib/auth/api-call";

interface Connection {
  repository: string;
  connected: boolean;
  authKind: "token" | "app" | null;
  installationId: number | null;
  connectedAt: string | null;
  webhook: { url: string; hookId: number | null };
  deployKey: { publicKey: string | null; keyId: number | null };
  stagingLimit: number;
}

interface Check {
  ok: boolean;
  problems: Array<{ code: string; message: string }>;
}
interface Report {
  repository: Check;
  webhook: Check & { lastDelivery: { event: string; statusCode: number; deliveredAt: string } | null };
  deployKey: Check;
}

function CheckLine({ label, check }: { label: string; check: Check }) {
  return (
    <li data-testid={`check-${label.toLowerCase().replace(/\s+/g, "-")}`} className="py-1">
      <span className={check.ok ? "text-green-700" : "text-red-700"}>{check.ok ? "✓" : "✗"}</span>{" "}
      <span className="font-medium">{label}</span>
      {check.problems.length > 0 ? (
        <ul className="ml-5 list-disc text-slate-700">
          {check.problems.map((p) => (
            <li key={p.code + p.message}>{p.message}</li>
          ))}
        </ul>
      ) : (
        <span className="text-slate-600">: working</span>
      )}
    </li>
  );
}

/** Repository connection, webhook and deploy key state, with connect, verify and sync. */
export function GithubSettings(props: { projectId: string; initial: Connection }) {
  const router = useRouter();
  const [connection, setConnection] = useState(props.initial);
  const [kind, setKind] = useState<"token" | "app">(props.initial.authKind ?? "token");
  const [report, setReport] = useState<Report | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const base = `/api/v1/projects/${props.projectId}`;

  async function run(what: string, body: () => Promise<string>) {
    setBusy(what);
    setMessage(null);
    try {
      setMessage({ ok: true, text: await body() });
      router.refresh();
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    } finally {
      setBusy(null);
    }
  }

  const connect = (form: FormData) =>
    run("connect", async () => {
      const body =
        kind === "token"
          ? { kind: "token", token: String(form.get("token") ?? "") }
          : { kind: "app", installationId: Number(form.get("installationId")) };
      setConnection(await apiCall<Connection>(`${base}/github`, { method: "PUT", body }));
      return "Repository connected: webhook and deploy key are in place";
    });
  const verify = () =>
    run("verify", async () => {
      const r = await apiCall<Report>(`${base}/github/verify`, { method: "POST" });
      setReport(r);
      return r.repository.ok && r.webhook.ok && r.deployKey.ok ? "Everything works" : "Some checks failed";
    });
  const sync = () =>
    run("sync", async () => {
      const r = await apiCall<{ added: string[]; updated: string[]; removed: string[] }>(
        `${base}/github/sync`,
        {
          method: "POST",
        },
      );
      return `Branches synced: ${r.added.length} added, ${r.updated.length} updated, ${r.removed.length} removed`;
    });
  const saveLimit = (form: FormData) =>
    run("limit", async () => {
      setConnection(
        await apiCall<Connection>(`${base}/github`, {
          method: "PATCH",
          body: { stagingLimit: Number(form.get("stagingLimit")) },
        }),
      );
      return "Staging limit saved";
    });

  const field = "rounded-md border border-slate-300 px-3 py-1.5 text-sm";
  const button =
    "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-semibold hover:bg-slate-50 disabled:opacity-50";
  return (
    <section aria-labelledby="github-heading" className="rounded-xl border border-slate-200 bg-white p-5">
      <h2 id="github-heading" className="mb-1 text-lg font-semibold">
        GitHub
      </h2>
      <dl className="mb-4 grid grid-cols-[10rem_1fr] gap-y-1 text-sm">
        <dt className="text-slate-600">Repository</dt>
        <dd className="font-mono">{connection.repository}</dd>
        <dt className="text-slate-600">Connection</dt>
        <dd data-testid="github-state">
          {connection.connected
            ? `connected with ${connection.authKind === "app" ? `App installation ${connection.installationId}` : "a token"}`
            : "not connected"}
        </dd>
        <dt className="text-slate-600">Webhook</dt>
        <dd>
          {connection.webhook.hookId ? `hook ${connection.webhook.hookId} → ` : "none → "}
          <span className="font-mono">{connection.webhook.url}</span>
        </dd>
        <dt className="text-slate-600">Deploy key</dt>
        <dd className="break-all font-mono text-xs">
          {connection.deployKey.publicKey ? `${connection.deployKey.publicKey} (read-only)` : "none"}
        </dd>
      </dl>

      <form
        action={connect}
        aria-label="Connect repository"
        className="mb-4 flex flex-wrap items-end gap-3 text-sm"
      >
        <label className="grid gap-1">
          <span>Credentials</span>
          <select
            aria-label="Credentials"
            value={kind}
            onChange={(e) => setKind(e.target.value as "token" | "app")}
            className={field}
          >
            <option value="token">Personal or fine-grained token</option>
            <option value="app">GitHub App installation</option>
          </select>
        </label>
        {kind === "token" ? (
          <label className="grid gap-1">
            <span>Token</span>
            <input
              name="token"
              type="password"
              required
              autoComplete="off"
              aria-label="GitHub token"
              className={field}
            />
          </label>
        ) : (
          <label className="grid gap-1">
            <span>Installation id</span>
            <input
              name="installationId"
              type="number"
              required
              aria-label="Installation id"
              className={field}
            />
          </label>
        )}
        <button type="submit" disabled={busy !== null} className={button}>
          {connection.connected ? "Reconnect" : "Connect repository"}
        </button>
      </form>

      <div className="mb-4 flex flex-wrap gap-3">
        <button
          type="button"
          onClick={verify}
          disabled={busy !== null || !connection.connected}
          className={button}
        >
          Verify
        </button>
        <button
          type="button"
          onClick={sync}
          disabled={busy !== null || !connection.connected}
          className={button}
        >
          Sync branches
        </button>
        <form action={saveLimit} className="flex items-center gap-2 text-sm">
          <label className="flex items-center gap-2">
            Staging limit
            <input
              name="stagingLimit"
              type="number"
              min={0}
              max={50}
              defaultValue={connection.stagingLimit}
              aria-label="Staging limit"
              className={`${field} w-20`}
            />
          </label>
          <button type="submit" disabled={busy !== null} className={button}>
            Save
          </button>
        </form>
      </div>
      {message ? (
        <p
          role={message.ok ? "status" : "alert"}
          className={`mb-3 text-sm ${message.ok ? "text-green-700" : "text-red-700"}`}
        >
          {message.text}
        </p>
      ) : null}
      {report ? (
        <ul aria-label="Verification" className="text-sm">
          <CheckLine label="Repository access" check={report.repository} />
          <CheckLine label="Webhook" check={report.webhook} />
          <CheckLine label="Deploy key" check={report.deployKey} />
        </ul>
      ) : null}
    </section>
  );
}
