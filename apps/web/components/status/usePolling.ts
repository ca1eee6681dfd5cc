"use client";

import { useEffect, useRef } from "react";

/**
 * Calls `tick` now and then every `intervalMs` after the previous call finished, so slow
 * answers never pile up; stops when the component unmounts.
 */
export function usePolling(tick: (signal: AbortSignal) => Promise<void>, intervalMs: number, enabled = true) {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      await latest.current(controller.signal).catch(() => {});
      if (!controller.signal.aborted) timer = setTimeout(run, intervalMs);
    };
    void run();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [intervalMs, enabled]);
}
