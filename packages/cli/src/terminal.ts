// One terminal session over the worker's shell socket, the protocol of the dashboard's Shell
// tab: JSON text frames from us ({type: "input", data} and {type: "resize", cols, rows}), the
// terminal's bytes as binary frames and JSON notices ({type: "status", state, ...}) back. The
// last notice, state "closed", carries why the session ended and the shell's exit status.
import { StringDecoder } from "node:string_decoder";
import WebSocket from "ws";
import { z } from "zod";

// The server refuses text frames of more than 64 KiB of input; keystrokes and pastes are cut smaller.
const MAX_INPUT_CHARS = 16 * 1024;

const notice = z.object({
  type: z.literal("status"),
  state: z.string(),
  reason: z.string().optional(),
  message: z.string().optional(),
  exitCode: z.number().int().optional(),
});

export interface TerminalIo {
  input: NodeJS.ReadableStream;
  output(data: Buffer): void;
  /** Notices for the person ("waking the build…"), never mixed into the terminal's output. */
  notice(text: string): void;
  size(): { cols: number; rows: number };
  /** Calls back on every change of the local terminal's size; returns how to stop. */
  onResize(callback: () => void): () => void;
}

export interface SessionEnd {
  /** closed, idle, exited, error, shutdown (the server's), or "lost" when the socket just dropped. */
  reason: string;
  message: string;
  exitCode: number | null;
}

export function runTerminal(
  url: string,
  options: { ticket: string; origin: string },
  io: TerminalIo,
): Promise<SessionEnd> {
  const { cols, rows } = io.size();
  const address = new URL(url);
  address.searchParams.set("ticket", options.ticket);
  address.searchParams.set("cols", String(cols));
  address.searchParams.set("rows", String(rows));
  // The server accepts sockets from the dashboard's origin only: the API's address is that origin.
  const ws = new WebSocket(address, { headers: { origin: options.origin } });
  let end: SessionEnd = { reason: "lost", message: "the connection was lost", exitCode: null };
  const decoder = new StringDecoder("utf8");
  const send = (frame: object) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
  };
  const type = (chunk: Buffer | string) => {
    const text = typeof chunk === "string" ? chunk : decoder.write(chunk);
    for (let at = 0; at < text.length; at += MAX_INPUT_CHARS)
      send({ type: "input", data: text.slice(at, at + MAX_INPUT_CHARS) });
  };

  return new Promise((resolve, reject) => {
    let stopResize = () => {};
    ws.once("unexpected-response", (_request, response) => {
      reject(new Error(`the shell refused the connection (${response.statusCode})`));
      ws.terminate();
    });
    let opened = false;
    // Before the socket opens an error is a refusal; after, the session was cut: "lost" at close.
    ws.on("error", (error) => {
      if (!opened) reject(error);
    });
    ws.once("open", () => {
      opened = true;
      io.input.on("data", type);
      stopResize = io.onResize(() => send({ type: "resize", ...io.size() }));
    });
    ws.on("message", (data, binary) => {
      if (binary) return io.output(data as Buffer);
      const parsed = notice.safeParse(safeJson(data.toString()));
      if (!parsed.success) return;
      const frame = parsed.data;
      if (frame.state === "closed") {
        end = {
          reason: frame.reason ?? "closed",
          message: frame.message ?? "",
          exitCode: frame.exitCode ?? null,
        };
      } else if (frame.message) io.notice(frame.message);
    });
    ws.once("close", () => {
      io.input.off("data", type);
      stopResize();
      resolve(end);
    });
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
