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
      await latest.current(controller.signal).catch((error: unknown) => {
        // The next call tries again, so a network blip does not stop the polling; it is still
        // said in the console instead of vanishing. An abort is the component going away.
        if (!controller.signal.aborted) console.warn("polling failed; trying again", error);
      });
      if (!controller.signal.aborted) timer = setTimeout(run, intervalMs);
    };
    void run();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [intervalMs, enabled]);
}
