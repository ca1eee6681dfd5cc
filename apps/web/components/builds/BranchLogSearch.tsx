"use client";

import Link from "next/link";
import { type FormEvent, useRef, useState } from "react";

interface Match {
  build: string;
  commit: string;
  file: string;
  line: number;
  text: string;
}

/** A search over the logs of every build of the branch (cleaned ones too), streamed as found. */
export function BranchLogSearch({ projectId, branchId }: { projectId: string; branchId: string }) {
  const [query, setQuery] = useState("");
  const [matches, setMatches] = useState<Match[]>([]);
  const [status, setStatus] = useState<string | null>(null);
  const running = useRef<AbortController | null>(null);

  const search = async (event: FormEvent) => {
    event.preventDefault();
    running.current?.abort();
    const controller = new AbortController();
    running.current = controller;
    setMatches([]);
    setStatus("searching…");
    const url = `/api/v1/projects/${projectId}/branches/${branchId}/logs/search?q=${encodeURIComponent(query)}`;
    try {
      const response = await fetch(url, { signal: controller.signal, cache: "no-store" });
      if (!response.ok || !response.body) {
        setStatus(`search failed (${response.status})`);
        return;
      }
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let rest = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const lines = (rest + value).split("\n");
        rest = lines.pop() ?? "";
        const found: Match[] = [];
        for (const line of lines) {
          if (!line) continue;
          const record = JSON.parse(line) as Match | { done: true; matches: number; truncated: boolean };
          if ("done" in record) {
            setStatus(
              `${record.matches} line${record.matches === 1 ? "" : "s"}${record.truncated ? " (stopped at the limit)" : ""}`,
            );
          } else found.push(record);
        }
        if (found.length > 0) setMatches((previous) => [...previous, ...found]);
      }
    } catch (error) {
      if (!controller.signal.aborted) setStatus(`search failed: ${(error as Error).message}`);
    }
  };

  return (
    <div className="space-y-2" data-testid="branch-log-search">
      <form onSubmit={search} className="flex flex-wrap items-center gap-2">
        <input
          type="search"
          aria-label="Search the branch's logs"
          placeholder="Search every build of this branch…"
          value={query}
          minLength={2}
          maxLength={200}
          onChange={(event) => setQuery(event.target.value)}
          className="w-72 rounded-md border border-slate-300 px-2.5 py-1 text-xs"
        />
        <button
          type="submit"
          disabled={query.trim().length < 2}
          className="rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-50"
        >
          Search
        </button>
        {status ? <span className="text-xs text-slate-500">{status}</span> : null}
      </form>
      {matches.length > 0 ? (
        <ol className="max-h-80 overflow-auto rounded-md bg-slate-900 p-2 font-mono text-xs text-slate-100">
          {matches.map((m) => (
            <li key={`${m.build}-${m.file}-${m.line}`} className="whitespace-pre-wrap break-all">
              <Link
                href={`/projects/${projectId}/builds/${m.build}`}
                className="text-sky-300 hover:underline"
              >
                {m.commit.slice(0, 7)}
              </Link>{" "}
              <span className="text-slate-400">
                {m.file}:{m.line}
              </span>{" "}
              {m.text}
            </li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}
