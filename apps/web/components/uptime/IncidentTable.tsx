import type { BranchStatus } from "@gantry/core";

const causes: Record<string, string> = {
  container_exited: "container exited",
  oom_killed: "killed: out of memory",
  container_missing: "container missing",
  http_5xx: "server error (5xx)",
  http_error: "unexpected HTTP answer",
  timeout: "no answer in time",
  unreachable: "connection refused",
  unknown: "unknown",
};

function lasted(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, "0")} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

const stamp = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

export function IncidentTable({ incidents }: { incidents: BranchStatus["incidents"] }) {
  if (incidents.length === 0) {
    return <p className="text-sm text-slate-600">No incident in the last 90 days.</p>;
  }
  return (
    <table aria-label="Incidents" className="w-full text-sm">
      <thead className="text-left text-slate-600">
        <tr>
          <th className="py-2 font-medium">Started</th>
          <th className="font-medium">Ended</th>
          <th className="font-medium">Duration</th>
          <th className="font-medium">Cause</th>
        </tr>
      </thead>
      <tbody>
        {incidents.map((incident) => (
          <tr key={incident.id} data-testid="incident" className="border-t border-slate-100">
            <td className="py-2 whitespace-nowrap">{stamp(incident.startedAt)}</td>
            <td className="whitespace-nowrap">
              {incident.endedAt ? (
                stamp(incident.endedAt)
              ) : (
                <span className="font-medium text-red-700">ongoing</span>
              )}
            </td>
            <td>{lasted(incident.durationMs)}</td>
            <td>
              {causes[incident.cause] ?? incident.cause}
              {incident.detail ? <span className="text-slate-500"> · {incident.detail}</span> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
