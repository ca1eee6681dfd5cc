import Link from "next/link";
import { BuildBadge } from "@/components/builds/BuildBadge";

export interface PreviewItem {
  id: string;
  number: number;
  /** The pull request on GitHub; empty when GitHub sent no web address. */
  url: string;
  title: string;
  fork: boolean;
  headRepository: string | null;
  branch: { id: string; name: string };
  build: { id: string; status: string; result: string | null; url: string | null; sleeping: boolean } | null;
}

/** "awake" as the limit counts it: a finished build serving and not asleep. */
function awake(p: PreviewItem): boolean {
  return p.build?.status === "DONE" && p.build.url !== null && !p.build.sleeping;
}

/** The open pull requests' previews under the branch board: the PR, its branch, its build. */
export function PreviewList(props: {
  projectId: string;
  previews: PreviewItem[];
  settings: { mode: string; forks: boolean; limit: number };
  admin: boolean;
}) {
  const { projectId, previews, settings } = props;
  const off = settings.mode === "OFF";
  return (
    <section
      aria-label="Pull-request previews"
      className="mt-6 rounded-xl border border-slate-200 bg-white p-4"
    >
      <h2 className="mb-3 flex items-baseline justify-between text-sm font-semibold uppercase tracking-wide text-slate-600">
        <span>pull-request previews</span>
        <span className="text-xs font-normal normal-case text-slate-500">
          {off
            ? "off"
            : `${settings.mode === "STAGING_COPY" ? "on a copy of production · " : ""}${previews.filter(awake).length} of ${settings.limit} awake`}
          {props.admin ? (
            <>
              {" · "}
              <Link href={`/projects/${projectId}/settings`} className="text-indigo-700 hover:underline">
                settings
              </Link>
            </>
          ) : null}
        </span>
      </h2>
      {previews.length === 0 ? (
        <p className="text-sm text-slate-500">
          {off
            ? "Previews are off: pull requests are only labelled on their branch."
            : "No open pull request. Opening one builds a preview of its head commit here."}
        </p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {previews.map((p) => (
            <li
              key={p.id}
              data-testid={`preview-${p.number}`}
              className="flex flex-wrap items-center gap-3 py-2"
            >
              {p.url ? (
                <a
                  href={p.url}
                  target="_blank"
                  rel="noopener noreferrer"
                  className="font-mono text-sm text-indigo-700 hover:underline"
                >
                  #{p.number}
                </a>
              ) : (
                <span className="font-mono text-sm">#{p.number}</span>
              )}
              <span className="min-w-0 flex-1 truncate text-sm">{p.title || "(no title)"}</span>
              {p.fork ? (
                <span
                  title={`From ${p.headRepository ?? "a deleted repository"}: built without the deploy key, secrets or outgoing connections.`}
                  className="rounded bg-orange-100 px-1.5 py-0.5 text-xs text-orange-900"
                >
                  fork
                </span>
              ) : null}
              <Link
                href={`/projects/${projectId}/branches/${p.branch.id}`}
                className="font-mono text-xs text-slate-600 hover:underline"
              >
                {p.branch.name}
              </Link>
              {p.build ? (
                <Link
                  href={`/projects/${projectId}/builds/${p.build.id}`}
                  aria-label={`Build of #${p.number}`}
                >
                  <BuildBadge build={{ ...p.build, sleepingSince: p.build.sleeping ? "sleeping" : null }} />
                </Link>
              ) : (
                <span className="text-xs text-slate-500">no build yet</span>
              )}
              {p.build?.url && p.build.status === "DONE" ? (
                <a
                  href={p.build.url}
                  target="_blank"
                  rel="noopener noreferrer"
                  className="rounded-md border border-slate-300 px-2 py-0.5 text-xs font-semibold hover:bg-slate-50"
                >
                  Open preview
                </a>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
