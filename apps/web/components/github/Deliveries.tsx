"use client";

import { useState } from "react";
import { apiCall } from "@/lib/auth/api-call";

export interface DeliveryView {
  id: string;
  deliveryId: string;
  event: string;
  action: string | null;
  ref: string | null;
  outcome: string;
  summary: string | null;
  error: string | null;
  receivedAt: string;
}

/** A failed attempt is listed under its GUID plus a suffix; GitHub knows the GUID alone. */
function guidOf(deliveryId: string): string {
  return deliveryId.split("~failed~")[0] ?? deliveryId;
}

/** Recent webhook deliveries and what Gantry did with each; redelivery goes through GitHub. */
export function Deliveries(props: { projectId: string; deliveries: DeliveryView[] }) {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  async function redeliver(d: DeliveryView) {
    setMessage(null);
    try {
      await apiCall(`/api/v1/projects/${props.projectId}/deliveries/${d.id}/redeliver`, { method: "POST" });
      setMessage({ ok: true, text: `GitHub was asked to redeliver ${guidOf(d.deliveryId)}` });
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  }
  return (
    <section aria-labelledby="deliveries-heading" className="rounded-xl border border-slate-200 bg-white p-5">
      <h2 id="deliveries-heading" className="mb-3 text-lg font-semibold">
        Recent deliveries
      </h2>
      {message ? (
        <p
          role={message.ok ? "status" : "alert"}
          className={`mb-2 text-sm ${message.ok ? "text-green-700" : "text-red-700"}`}
        >
          {message.text}
        </p>
      ) : null}
      {props.deliveries.length === 0 ? (
        <p className="text-sm text-slate-600">No delivery received yet.</p>
      ) : (
        <table aria-label="Webhook deliveries" className="w-full border-collapse text-sm">
          <thead>
            <tr className="border-b border-slate-200 text-left text-slate-600">
              <th className="py-2 pr-3">Received</th>
              <th className="py-2 pr-3">Event</th>
              <th className="py-2 pr-3">Outcome</th>
              <th className="py-2 pr-3">Details</th>
              <th className="py-2" />
            </tr>
          </thead>
          <tbody>
            {props.deliveries.map((d) => (
              <tr key={d.id} className="border-b border-slate-100">
                <td className="py-2 pr-3 whitespace-nowrap">{d.receivedAt.replace("T", " ").slice(0, 19)}</td>
                <td className="py-2 pr-3">
                  {d.event}
                  {d.action ? `.${d.action}` : ""}
                </td>
                <td className="py-2 pr-3 font-mono">{d.outcome}</td>
                <td className="py-2 pr-3">
                  {d.summary}
                  {d.error ? <span className="text-red-700">{d.error}</span> : null}
                </td>
                <td className="py-2">
                  <button
                    type="button"
                    onClick={() => redeliver(d)}
                    className="text-indigo-700 hover:underline"
                  >
                    Redeliver
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
