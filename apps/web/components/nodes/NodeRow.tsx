"use client";

import { useState } from "react";
import { bytes } from "@/components/backups/format";
import type { RuntimeNodeBody } from "@/lib/api/endpoints/nodes";
import { nodeUse } from "@/lib/nodes/summary";

const stateTone: Record<string, string> = {
  ready: "bg-emerald-50 text-emerald-700",
  down: "bg-red-50 text-red-700",
  disconnected: "bg-red-50 text-red-700",
  unknown: "bg-slate-100 text-slate-700",
};
const availabilityTone: Record<string, string> = {
  active: "bg-emerald-50 text-emerald-700",
  drain: "bg-amber-50 text-amber-800",
  pause: "bg-amber-50 text-amber-800",
};

function Pill({ text, tone }: { text: string; tone: string }) {
  return <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${tone}`}>{text}</span>;
}

const button =
  "rounded-md px-3 py-1.5 text-xs font-medium shadow-sm focus-visible:outline-2 focus-visible:outline-offset-2 disabled:cursor-not-allowed disabled:opacity-60";

/** One node: its figures, and Drain (confirmed first) or Activate. */
export function NodeRow(props: {
  node: RuntimeNodeBody;
  busy: boolean;
  onChange: (availability: "active" | "drain") => void;
}) {
  const { node } = props;
  const [confirming, setConfirming] = useState(false);
  const use = nodeUse(node.work);
  const cpu = use.cpuPercent === null ? "—" : `${use.cpuPercent.toFixed(0)} %`;
  return (
    <tr data-testid="node-row" data-node={node.hostname} className="border-b border-slate-100 align-top">
      <td className="py-2 pr-3">
        <div className="font-medium text-slate-900">{node.hostname}</div>
        <div className="text-xs text-slate-500">
          {node.role}
          {node.address ? ` · ${node.address}` : ""}
        </div>
      </td>
      <td className="py-2 pr-3 font-mono text-xs">{node.pool ?? "—"}</td>
      <td className="py-2 pr-3">
        <Pill text={node.state} tone={stateTone[node.state] ?? stateTone.unknown!} />
      </td>
      <td className="py-2 pr-3" data-testid="node-availability">
        <Pill text={node.availability} tone={availabilityTone[node.availability] ?? ""} />
      </td>
      <td className="py-2 pr-3 tabular-nums" data-testid="node-builds">
        {use.builds}
      </td>
      <td className="py-2 pr-3 tabular-nums">
        {cpu} <span className="text-slate-500">of {node.cpus} CPU</span>
      </td>
      <td className="py-2 pr-3 tabular-nums">
        {bytes(use.memoryBytes)} <span className="text-slate-500">of {bytes(node.memoryBytes)}</span>
      </td>
      <td className="py-2 text-right">
        {confirming ? (
          <div className="flex flex-col items-end gap-2">
            <p className="max-w-56 text-right text-xs text-slate-700">
              Drain {node.hostname}? Its builds move to the other nodes of its pool; it takes none.
            </p>
            <div className="flex gap-2">
              <button
                type="button"
                className={`${button} bg-white text-slate-700 ring-1 ring-slate-300`}
                onClick={() => setConfirming(false)}
              >
                Cancel
              </button>
              <button
                type="button"
                disabled={props.busy}
                className={`${button} bg-amber-600 text-white hover:bg-amber-500`}
                onClick={() => {
                  setConfirming(false);
                  props.onChange("drain");
                }}
              >
                Confirm drain
              </button>
            </div>
          </div>
        ) : node.availability === "active" ? (
          <button
            type="button"
            disabled={props.busy}
            className={`${button} bg-white text-amber-800 ring-1 ring-amber-300 hover:bg-amber-50`}
            onClick={() => setConfirming(true)}
          >
            Drain
          </button>
        ) : (
          <button
            type="button"
            disabled={props.busy}
            className={`${button} bg-indigo-600 text-white hover:bg-indigo-500`}
            onClick={() => props.onChange("active")}
          >
            Activate
          </button>
        )}
      </td>
    </tr>
  );
}
