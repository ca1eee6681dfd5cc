"use client";

import "@xterm/xterm/css/xterm.css";
import type { FitAddon } from "@xterm/addon-fit";
import type { Terminal } from "@xterm/xterm";
import { useCallback, useEffect, useRef, useState } from "react";
import { apiCall } from "@/lib/auth/api-call";

type Status = "connecting" | "waking" | "ready" | "restarting" | "closed" | "error";

const statusText: Record<Status, string> = {
  connecting: "Connecting…",
  waking: "Waking the build…",
  ready: "Connected",
  restarting: "Restarting Odoo…",
  closed: "Disconnected",
  error: "Could not connect",
};

/**
 * The terminal itself: asks the API for a ticket, opens the worker's shell socket with it, and
 * relays keys, output and size. Ctrl+Shift+C copies the selection, Ctrl+Shift+V pastes (the
 * browser's own paste works too); Reconnect opens a new session.
 */
export function ShellTerminal({ buildId }: { buildId: string }) {
  const host = useRef<HTMLDivElement>(null);
  const term = useRef<{ terminal: Terminal; fit: FitAddon } | null>(null);
  const socket = useRef<WebSocket | null>(null);
  const [status, setStatus] = useState<Status>("connecting");
  const [message, setMessage] = useState("");

  const send = useCallback((frame: object) => {
    if (socket.current?.readyState === WebSocket.OPEN) socket.current.send(JSON.stringify(frame));
  }, []);

  const connect = useCallback(async () => {
    const current = term.current;
    if (!current) return;
    socket.current?.close();
    setStatus("connecting");
    setMessage("");
    try {
      const { ticket, url } = await apiCall<{ ticket: string; url: string }>(
        `/api/v1/builds/${buildId}/shell`,
        {
          method: "POST",
          body: {},
        },
      );
      const { cols, rows } = current.terminal;
      const ws = new WebSocket(`${url}?ticket=${encodeURIComponent(ticket)}&cols=${cols}&rows=${rows}`);
      ws.binaryType = "arraybuffer";
      socket.current = ws;
      ws.onmessage = (event) => {
        if (typeof event.data !== "string") {
          current.terminal.write(new Uint8Array(event.data as ArrayBuffer));
          return;
        }
        const frame = JSON.parse(event.data) as { state: Status; message?: string };
        setStatus(frame.state);
        setMessage(frame.message ?? "");
        if (frame.state === "ready") current.terminal.focus();
      };
      ws.onclose = () => {
        if (socket.current === ws) setStatus((s) => (s === "connecting" ? "error" : "closed"));
      };
    } catch (error) {
      setStatus("error");
      setMessage((error as Error).message);
    }
  }, [buildId]);

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | null = null;
    void (async () => {
      const [{ Terminal }, { FitAddon }] = await Promise.all([
        import("@xterm/xterm"),
        import("@xterm/addon-fit"),
      ]);
      if (disposed || !host.current) return;
      const terminal = new Terminal({ cursorBlink: true, fontSize: 14, scrollback: 5000, convertEol: false });
      const fit = new FitAddon();
      terminal.loadAddon(fit);
      terminal.open(host.current);
      fit.fit();
      term.current = { terminal, fit };
      terminal.onData((data) => send({ type: "input", data }));
      terminal.onResize(({ cols, rows }) => send({ type: "resize", cols, rows }));
      terminal.attachCustomKeyEventHandler((event) => {
        if (event.type !== "keydown" || !event.ctrlKey || !event.shiftKey) return true;
        if (event.code === "KeyC") {
          void navigator.clipboard?.writeText(terminal.getSelection());
          return false;
        }
        if (event.code === "KeyV") {
          void navigator.clipboard?.readText().then((text) => terminal.paste(text));
          return false;
        }
        return true;
      });
      observer = new ResizeObserver(() => fit.fit());
      observer.observe(host.current);
      await connect();
    })();
    return () => {
      disposed = true;
      observer?.disconnect();
      socket.current?.close();
      socket.current = null;
      term.current?.terminal.dispose();
      term.current = null;
    };
  }, [connect, send]);

  const live =
    status === "ready" || status === "waking" || status === "restarting" || status === "connecting";
  return (
    <div className="space-y-1">
      <div ref={host} data-testid="shell-terminal" className="h-[28rem] w-full" />
      <div className="flex items-center gap-3 px-2 pb-1 text-xs text-slate-300">
        <span role="status" data-testid="shell-status" data-state={status}>
          {statusText[status]}
          {message ? ` · ${message}` : ""}
        </span>
        <span className="text-slate-500">Ctrl+Shift+C copies, Ctrl+Shift+V pastes</span>
        <button
          type="button"
          onClick={() => void connect()}
          disabled={live && status !== "ready"}
          className="ml-auto rounded border border-slate-600 px-2 py-0.5 text-slate-100 hover:bg-slate-800 disabled:opacity-50"
        >
          Reconnect
        </button>
      </div>
    </div>
  );
}
