"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import { atLeast, classify, type LogLevel, type LogLine, logLevels, matching } from "@/lib/logs/levels";

/** Lines kept in the page; older ones go (the download has the whole file). */
const keepLines = 20_000;
/** Lines drawn after filtering, so a huge log stays responsive. */
const drawLines = 5_000;

type StreamState = "connecting" | "live" | "reconnecting" | "ended" | "failed";

const levelClass: Record<LogLevel, string> = {
  DEBUG: "text-slate-400",
  INFO: "text-slate-100",
  WARNING: "text-amber-300",
  ERROR: "text-red-400",
  CRITICAL: "text-red-300 font-semibold",
};

/** A line with its 1-based number in the file (the stream starts at the file's start). */
type NumberedLine = LogLine & { number: number };

/** Follows one log file over server-sent events; the server resumes at Last-Event-ID. */
function useLogStream(url: string, paused: boolean) {
  const [lines, setLines] = useState<NumberedLine[]>([]);
  const [state, setState] = useState<StreamState>("connecting");
  const [waiting, setWaiting] = useState(0);
  const buffer = useRef<NumberedLine[]>([]);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;

  useEffect(() => {
    setLines([]);
    setState("connecting");
    buffer.current = [];
    let last: LogLevel | null = null;
    let count = 0;
    const source = new EventSource(url);
    source.onopen = () => setState("live");
    source.onmessage = (event: MessageEvent<string>) => {
      const chunk = classify(event.data.split("\n"), last);
      last = chunk.at(-1)?.level ?? last;
      for (const line of chunk) {
        count += 1;
        buffer.current.push({ ...line, number: count });
      }
    };
    source.addEventListener("reset", () => {
      buffer.current = [];
      last = null;
      count = 0;
      setLines([]);
    });
    source.addEventListener("end", () => {
      source.close();
      setState("ended");
    });
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? "failed" : "reconnecting");
    // Lines are drawn in batches: a fast writer must not re-render the page for every event.
    const flush = setInterval(() => {
      if (buffer.current.length === 0) return;
      if (pausedRef.current) {
        setWaiting(buffer.current.length);
        return;
      }
      const batch = buffer.current;
      buffer.current = [];
      setWaiting(0);
      setLines((previous) => [...previous, ...batch].slice(-keepLines));
    }, 200);
    return () => {
      clearInterval(flush);
      source.close();
    };
  }, [url]);

  return { lines, state, waiting };
}

const stateText: Record<StreamState, string> = {
  connecting: "connecting…",
  live: "live",
  reconnecting: "reconnecting…",
  ended: "complete",
  failed: "cannot read this log",
};

/**
 * A build's log file by default; any other log served the same way (an upgrade's upgrade.log)
 * passes its own stream and download URLs.
 */
export function LogViewer({
  buildId,
  file,
  streamUrl,
  downloadUrl,
  focusLine,
}: {
  buildId?: string;
  file: string;
  streamUrl?: string;
  downloadUrl?: string;
  /** A line to show and mark (a link from an error group), instead of following the end. */
  focusLine?: number;
}) {
  const [paused, setPaused] = useState(false);
  const [level, setLevel] = useState<LogLevel>("DEBUG");
  const [query, setQuery] = useState("");
  const { lines, state, waiting } = useLogStream(
    streamUrl ?? `/api/v1/builds/${buildId}/logs/${file}/stream`,
    paused,
  );
  const shown = useMemo(() => atLeast(matching(lines, query), level), [lines, query, level]);
  // Around the focused line, or the end of the log.
  const drawn = focusLine
    ? shown.filter((l) => l.number > focusLine - drawLines / 2 && l.number <= focusLine + drawLines / 2)
    : shown.slice(-drawLines);
  const box = useRef<HTMLDivElement>(null);
  const focused = useRef(false);
  const hasFocusLine = focusLine !== undefined && drawn.some((l) => l.number === focusLine);

  // Follow the end of the log while playing; with a focused line, show it once it arrived.
  useEffect(() => {
    if (focusLine !== undefined) {
      if (hasFocusLine && !focused.current) {
        focused.current = true;
        box.current?.querySelector('[data-focus="true"]')?.scrollIntoView({ block: "center" });
      }
      return;
    }
    if (!paused && box.current && drawn.length > 0) box.current.scrollTop = box.current.scrollHeight;
  }, [drawn.length, paused, focusLine, hasFocusLine]);

  const control =
    "rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700";
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <button
          type="button"
          className={`${control} hover:bg-slate-50`}
          onClick={() => setPaused((p) => !p)}
          aria-pressed={paused}
        >
          {paused ? "Play" : "Pause"}
        </button>
        <label className="flex items-center gap-1 text-xs text-slate-600">
          Level
          <select
            aria-label="Minimum level"
            className={control}
            value={level}
            onChange={(e) => setLevel(e.target.value as LogLevel)}
          >
            {logLevels.map((l) => (
              <option key={l} value={l}>
                {l === "DEBUG" ? "all" : `${l} and above`}
              </option>
            ))}
          </select>
        </label>
        <input
          type="search"
          aria-label="Search the log"
          placeholder="Search"
          className={`${control} w-48 font-normal`}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <a
          className={`${control} hover:bg-slate-50`}
          href={downloadUrl ?? `/api/v1/builds/${buildId}/logs/${file}`}
          download
        >
          Download
        </a>
        <span data-testid="log-state" className="ml-auto text-xs text-slate-500">
          {stateText[state]} · {lines.length} lines{paused && waiting > 0 ? ` · ${waiting} new (paused)` : ""}
        </span>
      </div>
      <div
        ref={box}
        data-testid="log-lines"
        className="h-96 overflow-auto rounded-lg bg-slate-950 p-3 font-mono text-xs leading-5"
      >
        {drawn.length === 0 ? (
          <p className="text-slate-400">
            {state === "ended" || state === "failed"
              ? lines.length === 0
                ? "This log is empty."
                : "No line matches."
              : "Waiting for lines…"}
          </p>
        ) : (
          drawn.map((line) => (
            <div
              key={line.number}
              data-line={line.number}
              data-focus={line.number === focusLine ? "true" : undefined}
              className={`whitespace-pre-wrap break-all ${line.level ? levelClass[line.level] : "text-slate-300"} ${
                line.number === focusLine ? "bg-red-900/60 outline outline-1 outline-red-400" : ""
              }`}
            >
              {line.text || " "}
            </div>
          ))
        )}
      </div>
    </div>
  );
}
