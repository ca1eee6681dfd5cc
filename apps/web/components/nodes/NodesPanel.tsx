"use client";

import { useCallback, useEffect, useState } from "react";
import type { RuntimeNodeBody } from "@/lib/api/endpoints/nodes";
import { NodeRow } from "./NodeRow";

type Listing =
  | { kind: "loading" }
  | { kind: "loaded"; nodes: RuntimeNodeBody[]; measuredAt: string }
  | { kind: "error"; message: string };

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    cache: "no-store",
    headers: body === undefined ? undefined : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // A proxy's HTML error page has no JSON body: the HTTP status then says what went wrong.
  const answer = await response.json().catch(() => null);
  if (!response.ok) throw new Error(answer?.error?.message ?? `HTTP ${response.status}`);
  return answer as T;
}

/** The runtime's nodes as a worker sees them, with Drain and Activate. */
export function NodesPanel() {
  const [listing, setListing] = useState<Listing>({ kind: "loading" });
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const answer = await api<{ nodes: RuntimeNodeBody[]; measuredAt: string }>(
        "GET",
        "/api/v1/system/nodes",
      );
      setListing({ kind: "loaded", ...answer });
    } catch (cause) {
      setListing({ kind: "error", message: (cause as Error).message });
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const change = async (node: RuntimeNodeBody, availability: "active" | "drain") => {
    setBusy(node.id);
    setFailure(null);
    try {
      const path = `/api/v1/system/nodes/${encodeURIComponent(node.id)}/availability`;
      await api("POST", path, { availability });
      await load();
    } catch (cause) {
      setFailure(
        `${availability === "drain" ? "Drain" : "Activate"} ${node.hostname}: ${(cause as Error).message}`,
      );
    } finally {
      setBusy(null);
    }
  };

  return (
    <section
      aria-label="Nodes"
      className="space-y-4 rounded-xl border border-slate-200 bg-white p-5 shadow-sm"
    >
      <div className="flex items-center justify-between gap-3">
        <p className="text-sm text-slate-600">
          {listing.kind === "loaded"
            ? `Measured ${new Date(listing.measuredAt).toLocaleTimeString()} by a worker.`
            : "Asked of a worker, which reads the container runtime."}
        </p>
        <button
          type="button"
          onClick={() => {
            setListing({ kind: "loading" });
            void load();
          }}
          disabled={listing.kind === "loading"}
          className="rounded-md bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm ring-1 ring-slate-300 hover:bg-slate-50 disabled:opacity-60"
        >
          Refresh
        </button>
      </div>
      {failure ? (
        <p
          role="alert"
          data-testid="node-action-error"
          className="rounded-md bg-red-50 p-3 text-sm text-red-800"
        >
          {failure}
        </p>
      ) : null}
      {listing.kind === "loading" ? (
        <p className="text-sm text-slate-600">Asking a worker for the nodes…</p>
      ) : null}
      {listing.kind === "error" ? (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          The nodes could not be listed: {listing.message}
        </p>
      ) : null}
      {listing.kind === "loaded" && listing.nodes.length === 0 ? (
        <p className="text-sm text-slate-600">The runtime reports no node.</p>
      ) : null}
      {listing.kind === "loaded" && listing.nodes.length > 0 ? (
        <table aria-label="Nodes" className="w-full border-collapse text-sm">
          <thead>
            <tr className="border-b border-slate-200 text-left text-slate-600">
              <th className="py-2 pr-3">Node</th>
              <th className="py-2 pr-3">Pool</th>
              <th className="py-2 pr-3">State</th>
              <th className="py-2 pr-3">Availability</th>
              <th className="py-2 pr-3">Builds</th>
              <th className="py-2 pr-3">CPU</th>
              <th className="py-2 pr-3">Memory</th>
              <th className="py-2 text-right">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {listing.nodes.map((node) => (
              <NodeRow
                key={node.id}
                node={node}
                busy={busy !== null}
                onChange={(availability) => void change(node, availability)}
              />
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
