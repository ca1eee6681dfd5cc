import { answerOf, type DeliveryItem } from "./types";

const tone: Record<string, string> = {
  DELIVERED: "text-green-700",
  FAILED: "text-red-700",
  RETRYING: "text-amber-700",
  QUEUED: "text-slate-600",
};

/** The recent deliveries, each with its attempts' answers. */
export function DeliveryLog({ deliveries }: { deliveries: DeliveryItem[] }) {
  return (
    <div className="mt-6">
      <h3 className="font-semibold">Recent notifications</h3>
      {deliveries.length === 0 ? (
        <p className="mt-1 text-sm text-slate-600">Nothing sent yet. "Send test" on a channel shows here.</p>
      ) : (
        <table aria-label="Notification deliveries" className="mt-2 w-full border-collapse text-sm">
          <thead>
            <tr className="border-b border-slate-200 text-left text-slate-600">
              <th className="py-2 pr-3">Sent</th>
              <th className="py-2 pr-3">Channel</th>
              <th className="py-2 pr-3">Event</th>
              <th className="py-2 pr-3">Status</th>
              <th className="py-2">Attempts</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map((d) => (
              <tr key={d.id} className="border-b border-slate-100 align-top">
                <td className="py-2 pr-3 whitespace-nowrap">{d.createdAt.replace("T", " ").slice(0, 19)}</td>
                <td className="py-2 pr-3">{d.channelName}</td>
                <td className="py-2 pr-3">
                  <span className="font-mono">{d.event}</span>
                  <div className="text-slate-600">{d.title}</div>
                </td>
                <td className={`py-2 pr-3 font-mono ${tone[d.status] ?? ""}`}>{d.status}</td>
                <td className="py-2">
                  {d.attemptLog.map((a) => (
                    <div key={a.attempt} className={a.ok ? "text-green-700" : "text-red-700"}>
                      #{a.attempt} {answerOf(a)}
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
