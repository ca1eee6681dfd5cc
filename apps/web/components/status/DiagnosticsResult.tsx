import { StatusDot } from "./StatusDot";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isRecord(value: unknown): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function scalar(value: Json): string {
  if (Array.isArray(value)) return value.map(scalar).join(", ");
  if (isRecord(value)) return JSON.stringify(value);
  return String(value);
}

/**
 * A diagnostics result, read generically: sections that carry an `ok` flag become rows with an
 * indicator, plain values a short list; the raw JSON stays one click away.
 */
export function DiagnosticsResult({ result }: { result: unknown }) {
  const entries = isRecord(result) ? Object.entries(result) : [];
  const checks = entries.filter(([, v]) => isRecord(v) && typeof v.ok === "boolean") as [
    string,
    Record<string, Json>,
  ][];
  const facts = entries.filter(([, v]) => !isRecord(v));
  return (
    <div data-testid="diagnostics-result" className="space-y-4">
      {checks.length > 0 ? (
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200">
          {checks.map(([name, check]) => (
            <li key={name} className="flex items-start gap-3 px-3 py-2">
              <span className="mt-1">
                <StatusDot ok={check.ok === true} label={`${name} ${check.ok ? "ok" : "failing"}`} />
              </span>
              <div className="min-w-0">
                <p className="text-sm font-medium capitalize text-slate-900">{name}</p>
                <p className="break-words text-xs text-slate-600">
                  {Object.entries(check)
                    .filter(([key]) => key !== "ok")
                    .map(([key, value]) => `${key} ${scalar(value)}`)
                    .join(" · ")}
                </p>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      {facts.length > 0 ? (
        <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-1 text-xs">
          {facts.map(([key, value]) => (
            <div key={key} className="contents">
              <dt className="text-slate-500">{key}</dt>
              <dd className="truncate font-mono text-slate-800" title={scalar(value)}>
                {scalar(value)}
              </dd>
            </div>
          ))}
        </dl>
      ) : null}
      <details className="text-xs">
        <summary className="cursor-pointer text-slate-600 hover:text-slate-900">Raw result</summary>
        <pre className="mt-2 max-h-80 overflow-auto rounded-lg bg-slate-900 p-3 font-mono leading-relaxed text-slate-100">
          {JSON.stringify(result ?? null, null, 2)}
        </pre>
      </details>
    </div>
  );
}
