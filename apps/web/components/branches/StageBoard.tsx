"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { type DragEvent, useState } from "react";
import { apiCall } from "@/lib/auth/api-call";

type Stage = "PRODUCTION" | "STAGING" | "DEVELOPMENT";

export interface BoardCard {
  id: string;
  name: string;
  stage: Stage;
  tools: string[];
  lastBuild: { status: string; result: string | null; commitSha: string } | null;
  pullRequestNumber: number | null;
  /** Production whose branch was deleted on GitHub: kept serving, flagged until pushed again. */
  deletedOnGithub?: boolean;
}

const STAGES: Stage[] = ["PRODUCTION", "STAGING", "DEVELOPMENT"];

/** The moves ODOO.md allows from each stage; production only while there is none. */
function targets(from: Stage, hasProduction: boolean): Stage[] {
  if (from === "PRODUCTION") return ["DEVELOPMENT"];
  const out: Stage[] = from === "DEVELOPMENT" ? ["STAGING"] : ["DEVELOPMENT"];
  if (!hasProduction) out.unshift("PRODUCTION");
  return out;
}

function buildBadge(build: BoardCard["lastBuild"]): { text: string; className: string } | null {
  if (!build) return null;
  if (build.status === "WAITING") return { text: "waiting", className: "bg-amber-100 text-amber-800" };
  if (build.status === "QUEUED") return { text: "queued", className: "bg-slate-100 text-slate-700" };
  if (build.status === "RUNNING") return { text: "building", className: "bg-sky-100 text-sky-800" };
  if (build.status === "CANCELLED") return { text: "cancelled", className: "bg-slate-100 text-slate-500" };
  if (build.result === "SUCCESS") return { text: "success", className: "bg-green-100 text-green-800" };
  if (build.result === "WARNING") return { text: "warning", className: "bg-yellow-100 text-yellow-800" };
  return { text: "failed", className: "bg-red-100 text-red-800" };
}

/**
 * The three stages as columns. Admins drag a branch onto another column to move it, or onto
 * another branch to merge it; the "Move to" and "Merge into" menus do the same by keyboard.
 */
export function StageBoard(props: {
  projectId: string;
  branches: BoardCard[];
  canMove: boolean;
  stagingLimit: number;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [over, setOver] = useState<string | null>(null);
  const hasProduction = props.branches.some((b) => b.stage === "PRODUCTION");
  const byId = new Map(props.branches.map((b) => [b.id, b]));

  async function act(run: () => Promise<string>) {
    setError(null);
    setNotice(null);
    try {
      setNotice(await run());
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  }
  const move = (branch: BoardCard, stage: Stage) =>
    act(async () => {
      await apiCall(`/api/v1/projects/${props.projectId}/branches/${branch.id}/move`, {
        method: "POST",
        body: { stage },
      });
      return `${branch.name} moved to ${stage.toLowerCase()}`;
    });
  const merge = (source: BoardCard, target: BoardCard) => {
    if (!window.confirm(`Merge ${source.name} into ${target.name} on GitHub?`)) return;
    return act(async () => {
      const result = await apiCall<{ result: string }>(
        `/api/v1/projects/${props.projectId}/branches/${source.id}/merge`,
        { method: "POST", body: { into: target.id } },
      );
      return result.result === "merged"
        ? `${source.name} merged into ${target.name}`
        : `${target.name} already contains ${source.name}`;
    });
  };

  function dropOnStage(event: DragEvent, stage: Stage) {
    event.preventDefault();
    setOver(null);
    const branch = byId.get(event.dataTransfer.getData("text/x-gantry-branch"));
    if (branch && branch.stage !== stage) void move(branch, stage);
  }
  function dropOnBranch(event: DragEvent, target: BoardCard) {
    event.preventDefault();
    event.stopPropagation();
    setOver(null);
    const source = byId.get(event.dataTransfer.getData("text/x-gantry-branch"));
    if (source && source.id !== target.id) void merge(source, target);
  }

  return (
    <div>
      {error ? (
        <p role="alert" className="mb-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      {notice ? (
        <p role="status" className="mb-3 rounded-md bg-green-50 px-3 py-2 text-sm text-green-800">
          {notice}
        </p>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-3">
        {STAGES.map((stage) => {
          const cards = props.branches.filter((b) => b.stage === stage);
          return (
            <section
              key={stage}
              aria-label={`${stage.toLowerCase()} branches`}
              data-stage={stage}
              onDragOver={(e) => {
                if (!props.canMove) return;
                e.preventDefault();
                setOver(stage);
              }}
              onDragLeave={() => setOver((o) => (o === stage ? null : o))}
              onDrop={(e) => dropOnStage(e, stage)}
              className={`min-h-40 rounded-xl border bg-white p-4 ${over === stage ? "border-indigo-400 ring-2 ring-indigo-200" : "border-slate-200"}`}
            >
              <h2 className="mb-3 flex items-baseline justify-between text-sm font-semibold uppercase tracking-wide text-slate-600">
                <span>{stage.toLowerCase()}</span>
                {stage === "STAGING" ? (
                  <span className="text-xs font-normal normal-case text-slate-500">
                    {cards.length} of {props.stagingLimit}
                  </span>
                ) : null}
              </h2>
              <ul className="space-y-3">
                {cards.map((b) => {
                  const badge = buildBadge(b.lastBuild);
                  return (
                    <li
                      key={b.id}
                      data-testid={`branch-${b.name}`}
                      draggable={props.canMove}
                      onDragStart={(e) => {
                        e.dataTransfer.setData("text/x-gantry-branch", b.id);
                        e.dataTransfer.effectAllowed = "move";
                      }}
                      onDragOver={(e) => {
                        if (!props.canMove) return;
                        e.preventDefault();
                        setOver(b.id);
                      }}
                      onDrop={(e) => dropOnBranch(e, b)}
                      className={`rounded-md border p-3 ${props.canMove ? "cursor-grab" : ""} ${over === b.id ? "border-indigo-500 bg-indigo-50" : "border-slate-200"}`}
                    >
                      <div className="flex items-center justify-between gap-2">
                        <Link
                          href={`/projects/${props.projectId}/branches/${b.id}`}
                          className="truncate font-mono text-sm text-indigo-700 hover:underline"
                        >
                          {b.name}
                        </Link>
                        <span className="flex shrink-0 gap-1">
                          {b.deletedOnGithub ? (
                            <span
                              title="Deleted on GitHub. The production build and its database are kept; push the branch again to resume updates."
                              className="rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-900"
                            >
                              deleted on GitHub
                            </span>
                          ) : null}
                          {b.pullRequestNumber ? (
                            <span className="rounded bg-violet-100 px-1.5 py-0.5 text-xs text-violet-800">
                              PR #{b.pullRequestNumber}
                            </span>
                          ) : null}
                          {badge ? (
                            <span
                              data-testid={`build-state-${b.name}`}
                              className={`rounded px-1.5 py-0.5 text-xs ${badge.className}`}
                            >
                              {badge.text}
                            </span>
                          ) : null}
                        </span>
                      </div>
                      {b.lastBuild ? (
                        <p className="mt-1 font-mono text-xs text-slate-500">
                          {b.lastBuild.commitSha.slice(0, 7)}
                        </p>
                      ) : null}
                      <ul className="mt-2 flex flex-wrap gap-1" aria-label={`tools of ${b.name}`}>
                        {b.tools.map((t) => (
                          <li key={t} className="rounded bg-indigo-50 px-2 py-0.5 text-xs text-indigo-800">
                            {t}
                          </li>
                        ))}
                      </ul>
                      {props.canMove ? (
                        <div className="mt-2 flex flex-wrap gap-2">
                          <select
                            aria-label={`Move ${b.name} to`}
                            value=""
                            onChange={(e) => e.target.value && void move(b, e.target.value as Stage)}
                            className="rounded border border-slate-300 px-1 py-0.5 text-xs"
                          >
                            <option value="">Move to…</option>
                            {targets(b.stage, hasProduction).map((s) => (
                              <option key={s} value={s}>
                                {s.toLowerCase()}
                              </option>
                            ))}
                          </select>
                          <select
                            aria-label={`Merge ${b.name} into`}
                            value=""
                            onChange={(e) => {
                              const target = byId.get(e.target.value);
                              if (target) void merge(b, target);
                            }}
                            className="rounded border border-slate-300 px-1 py-0.5 text-xs"
                          >
                            <option value="">Merge into…</option>
                            {props.branches
                              .filter((t) => t.id !== b.id)
                              .map((t) => (
                                <option key={t.id} value={t.id}>
                                  {t.name}
                                </option>
                              ))}
                          </select>
                        </div>
                      ) : null}
                    </li>
                  );
                })}
              </ul>
            </section>
          );
        })}
      </div>
    </div>
  );
}
