"use client";

import { useState } from "react";
import type { DbServerBody } from "@/lib/api/endpoints/db-servers";
import { apiCall } from "@/lib/auth/api-call";

const stageName = (stage: string) => stage.charAt(0) + stage.slice(1).toLowerCase();

/** Each server with its pool: a name a cluster's nodes carry as their pool label, or each stage's own. */
export function DbServerPools({ initial }: { initial: DbServerBody[] }) {
  const [servers, setServers] = useState(initial);
  return (
    <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <thead className="bg-slate-50 text-xs uppercase text-slate-500">
          <tr>
            <th className="px-4 py-2">Server</th>
            <th className="px-4 py-2">Serves by default</th>
            <th className="px-4 py-2">Pool</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {servers.map((server) => (
            <tr key={server.id} data-testid="db-server" data-name={server.name}>
              <td className="px-4 py-3 align-top">
                <div className="font-medium text-slate-900">{server.name}</div>
                <div className="font-mono text-xs text-slate-500">
                  {server.adminUser}@{server.host}:{server.port}
                </div>
                <div className="text-xs text-slate-500">
                  {server.projectCount} project{server.projectCount === 1 ? "" : "s"} mapped to it
                </div>
              </td>
              <td className="px-4 py-3 align-top text-slate-700">
                {server.stagePools.length === 0
                  ? "—"
                  : server.stagePools.map(({ stage, pool }) => (
                      <div key={stage}>
                        {stageName(stage)} <span className="text-slate-400">on</span>{" "}
                        <span className="font-mono">{pool}</span>
                      </div>
                    ))}
              </td>
              <td className="px-4 py-3 align-top">
                <PoolForm
                  server={server}
                  onSaved={(saved) => setServers((all) => all.map((s) => (s.id === saved.id ? saved : s)))}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PoolForm({ server, onSaved }: { server: DbServerBody; onSaved: (saved: DbServerBody) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  async function save(form: FormData) {
    setError(null);
    setSaved(false);
    const value = String(form.get("pool") ?? "").trim();
    try {
      onSaved(
        await apiCall<DbServerBody>(`/api/v1/system/db-servers/${server.id}`, {
          method: "PATCH",
          body: { pool: value === "" ? null : value },
        }),
      );
      setSaved(true);
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : String(cause));
    }
  }

  return (
    <form action={save} className="space-y-1">
      <div className="flex gap-2">
        <input
          name="pool"
          aria-label={`Pool of ${server.name}`}
          defaultValue={server.pool ?? ""}
          placeholder="each stage's own"
          pattern="[a-z0-9][a-z0-9_\-]{0,62}"
          className="w-44 rounded-md border border-slate-300 px-2 py-1 font-mono text-sm"
        />
        <button
          type="submit"
          className="rounded-md bg-indigo-600 px-3 py-1 text-sm font-medium text-white hover:bg-indigo-500"
        >
          Save
        </button>
      </div>
      <p className="text-xs text-slate-500">
        Empty: builds run on the pool named after their stage. On a cluster, nodes carry the pool as their{" "}
        <span className="font-mono">gantry.pool</span> label; from the next build on.
      </p>
      {saved ? <p className="text-xs text-emerald-700">Saved.</p> : null}
      {error ? (
        <p role="alert" className="text-xs text-red-700">
          {error}
        </p>
      ) : null}
    </form>
  );
}
