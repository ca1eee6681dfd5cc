"use client";

import { useState } from "react";
import type { z } from "zod";
import { EditorTab } from "@/components/editor/EditorTab";
import { MailsTab } from "@/components/mails/MailsTab";
import { MonitorTab } from "@/components/monitor/MonitorTab";
import { ShellTab } from "@/components/shell/ShellTab";
import { usePolling } from "@/components/status/usePolling";
import type { buildDetail } from "@/lib/api/endpoints/builds";
import { BranchLogSearch } from "./BranchLogSearch";
import { BuildActions } from "./BuildActions";
import { BuildBadge } from "./BuildBadge";
import { BuildNode } from "./BuildNode";
import { LogViewer } from "./LogViewer";
import { duration, isEnded, overallProgress, toneOf } from "./tone";

export type BuildDetail = z.output<typeof buildDetail>;

/**
 * The logs a running phase writes, so the viewer follows the build by default. On staging
 * and production the database phase (copy, neutralization, backup) and the module update
 * write update.log; a first production install writes install.log.
 */
function phaseLogs(phase: string, stage: string): string[] {
  if (phase === "image") return ["pip.log"];
  if (phase === "tests") return ["tests.log"];
  if (phase === "serve") return ["odoo.log"];
  return stage === "DEVELOPMENT" ? ["install.log"] : ["update.log", "install.log"];
}
const preferred = ["install.log", "update.log", "tests.log", "odoo.log", "pip.log"];

const phaseMark: Record<string, { icon: string; className: string }> = {
  PENDING: { icon: "○", className: "text-slate-400" },
  RUNNING: { icon: "◐", className: "text-sky-600 animate-pulse" },
  DONE: { icon: "●", className: "text-green-600" },
  FAILED: { icon: "✕", className: "text-red-600" },
  SKIPPED: { icon: "–", className: "text-slate-400" },
};

/** A build's phases, result and logs, refreshed every 1.5 s until it ends. */
export function BuildLive(props: {
  initial: BuildDetail;
  canConnect: boolean;
  canRebuild: boolean;
  canLogs: boolean;
  /** The Mails tab: staging and development builds, for those with the mails right. */
  canMails: boolean;
  /**
   * The Shell and Editor tabs are shown to everyone: without the shell right (which the editor
   * shares) they say so, and open nothing.
   */
  canShell: boolean;
  /** The Monitor tab: builds that served, for those with the monitoring right. */
  canMonitor: boolean;
  /** The ssh command that opens the same shell, shown under the terminal. */
  sshCommand: string;
  /** A log line to open the logs at (a link from an error group). */
  focus?: { file: string; line: number };
  /** Builds run on a cluster of nodes (production then stays on its node). */
  clustered: boolean;
}) {
  const [build, setBuild] = useState(props.initial);
  const [now, setNow] = useState(() => Date.now());
  const [chosen, setChosen] = useState<string | null>(props.focus?.file ?? null);
  const tabs = [
    ...(props.canLogs ? (["logs"] as const) : []),
    ...(props.canMails ? (["mails"] as const) : []),
    ...(props.canMonitor ? (["monitor"] as const) : []),
    "shell" as const,
    "editor" as const,
  ];
  const [view, setView] = useState<(typeof tabs)[number]>(tabs[0] ?? "shell");
  const ended = isEnded(build.status);

  usePolling(
    async (signal) => {
      const response = await fetch(`/api/v1/builds/${build.id}`, { signal, cache: "no-store" });
      if (response.ok) setBuild((await response.json()) as BuildDetail);
      setNow(Date.now());
    },
    1500,
    !ended,
  );

  const tone = toneOf(build);
  const progress = ended ? 100 : overallProgress(build.phases);
  const files = build.logs.map((l) => l.file as string);
  const running = build.phases.find((p) => p.status === "RUNNING");
  const following = running ? phaseLogs(running.name, build.stage).find((f) => files.includes(f)) : undefined;
  const auto = following ?? preferred.find((f) => files.includes(f));
  const file = chosen && files.includes(chosen) ? chosen : auto;

  return (
    <div className="space-y-6">
      <section
        aria-label="Build summary"
        className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
      >
        <div className="flex flex-wrap items-center gap-3">
          <BuildBadge build={build} />
          <span className="text-sm text-slate-600 tabular-nums">
            {duration(build.startedAt, build.finishedAt, now)}
          </span>
          <span className="min-w-0 flex-1 truncate text-sm text-slate-700">
            <span className="font-mono">{build.commitSha.slice(0, 7)}</span>{" "}
            {build.commitMessage.split("\n")[0]}
            {build.commitAuthor ? <span className="text-slate-500"> · {build.commitAuthor}</span> : null}
          </span>
          <BuildActions build={build} canConnect={props.canConnect} canRebuild={props.canRebuild} />
        </div>
        <div
          role="progressbar"
          aria-label="Build progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={progress}
          data-state={tone.label}
          className="h-2.5 w-full overflow-hidden rounded-full bg-slate-100"
        >
          <div
            className={`h-full ${tone.bar} transition-all duration-700`}
            style={{ width: `${progress}%` }}
          />
        </div>
        <ol className="grid gap-2 sm:grid-cols-3 lg:grid-cols-6">
          {build.phases.map((p) => {
            const mark = phaseMark[p.status] ?? phaseMark.PENDING!;
            return (
              <li
                key={p.name}
                data-testid={`phase-${p.name}`}
                data-status={p.status}
                className="rounded-md border border-slate-200 px-3 py-2 text-sm"
              >
                <div className="flex items-center gap-2">
                  <span aria-hidden className={mark.className}>
                    {mark.icon}
                  </span>
                  <span className="font-medium capitalize">{p.name}</span>
                  <span className="ml-auto text-xs text-slate-500 tabular-nums">
                    {p.status === "RUNNING" ? `${p.progress}%` : p.status.toLowerCase()}
                  </span>
                </div>
                {p.startedAt ? (
                  <div className="mt-1 text-xs text-slate-500 tabular-nums">
                    {duration(p.startedAt, p.finishedAt, now)}
                  </div>
                ) : null}
                {p.message ? (
                  <div className="mt-1 truncate text-xs text-slate-600" title={p.message}>
                    {p.message}
                  </div>
                ) : null}
              </li>
            );
          })}
        </ol>
        <BuildNode build={build} clustered={props.clustered} />
        {build.phases.length === 0 && !ended ? (
          <p className="text-sm text-slate-600">Queued: waiting for a worker to pick the build up.</p>
        ) : null}
        {build.errorSummary && build.status !== "CANCELLED" ? (
          <pre
            data-testid="build-error"
            className="max-h-60 overflow-auto whitespace-pre-wrap rounded-md bg-red-50 p-3 text-xs text-red-800"
          >
            {build.errorSummary}
          </pre>
        ) : null}
      </section>

      <div role="tablist" aria-label="Build tabs" className="flex gap-4 border-b border-slate-200">
        {tabs.map((v) => (
          <button
            key={v}
            type="button"
            role="tab"
            aria-selected={v === view}
            onClick={() => setView(v)}
            className={`-mb-px border-b-2 px-1 pb-2 text-sm font-medium capitalize ${
              v === view ? "border-indigo-600 text-indigo-700" : "border-transparent text-slate-600"
            }`}
          >
            {v}
          </button>
        ))}
      </div>

      {view === "shell" ? (
        <section aria-label="Shell" className="space-y-3">
          <ShellTab
            buildId={build.id}
            stage={build.stage}
            allowed={props.canShell}
            serving={Boolean(build.servingAt) && !build.cleanedAt}
            sshCommand={props.sshCommand}
          />
        </section>
      ) : null}

      {view === "editor" ? (
        <section aria-label="Editor" className="space-y-3">
          <EditorTab
            buildId={build.id}
            projectId={build.projectId}
            branch={build.branch.name}
            stage={build.stage}
            allowed={props.canShell}
            ready={ended && !build.cleanedAt}
            serving={Boolean(build.servingAt) && !build.cleanedAt}
            sshCommand={props.sshCommand}
          />
        </section>
      ) : null}

      {props.canMails && view === "mails" ? (
        <section aria-label="Mails" className="space-y-3">
          <MailsTab buildId={build.id} />
        </section>
      ) : null}

      {props.canMonitor && view === "monitor" ? (
        <section aria-label="Monitor" className="space-y-3">
          <MonitorTab buildId={build.id} />
        </section>
      ) : null}

      {props.canLogs && view === "logs" ? (
        <section aria-labelledby="logs-heading" className="space-y-3">
          <div className="flex flex-wrap items-center gap-4">
            <h2 id="logs-heading" className="text-lg font-semibold">
              Logs
            </h2>
            <div role="tablist" aria-label="Log files" className="flex gap-1">
              {files.map((f) => (
                <button
                  key={f}
                  type="button"
                  role="tab"
                  aria-selected={f === file}
                  onClick={() => setChosen(f)}
                  className={`rounded-md px-2.5 py-1 font-mono text-xs ${
                    f === file ? "bg-indigo-600 text-white" : "bg-slate-100 text-slate-700 hover:bg-slate-200"
                  }`}
                >
                  {f}
                </button>
              ))}
            </div>
          </div>
          <BranchLogSearch projectId={build.projectId} branchId={build.branchId} />
          {file ? (
            <LogViewer
              key={file}
              buildId={build.id}
              file={file}
              focusLine={file === props.focus?.file ? props.focus.line : undefined}
            />
          ) : (
            <p className="text-sm text-slate-600">
              {ended ? "This build wrote no logs." : "No logs yet: they appear as the phases start."}
            </p>
          )}
        </section>
      ) : null}
    </div>
  );
}
