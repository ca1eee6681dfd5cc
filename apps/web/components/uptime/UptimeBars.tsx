import type { BranchStatus } from "@gantry/core";

type Bar = BranchStatus["days"][number];

/** A bar's colour: green all up, amber some down, red mostly down, grey nothing counted. */
function tone(bar: Bar): string {
  if (bar.percent === null) return bar.maintenance > 0 ? "bg-sky-300" : "bg-slate-200";
  if (bar.percent >= 99.9) return "bg-emerald-500";
  if (bar.percent >= 95) return "bg-amber-400";
  return "bg-red-500";
}

function title(bar: Bar, unit: "day" | "hour"): string {
  const when = unit === "day" ? bar.from.slice(0, 10) : `${bar.from.slice(0, 13).replace("T", " ")}:00 UTC`;
  if (bar.percent === null) return `${when}: ${bar.maintenance > 0 ? "maintenance only" : "no data"}`;
  return `${when}: ${bar.percent} % (${bar.down} failed of ${bar.up + bar.down} probes)`;
}

/** The strip status pages draw: one bar per day or hour, oldest on the left. */
export function UptimeBars({ bars, unit, label }: { bars: Bar[]; unit: "day" | "hour"; label: string }) {
  return (
    <div>
      <p className="mb-1 text-xs text-slate-500">{label}</p>
      <ol aria-label={label} className="flex h-8 items-stretch gap-px" data-testid={`bars-${unit}`}>
        {bars.map((bar) => (
          <li
            key={bar.from}
            title={title(bar, unit)}
            data-percent={bar.percent ?? ""}
            className={`min-w-0 flex-1 rounded-sm ${tone(bar)}`}
          />
        ))}
      </ol>
    </div>
  );
}
