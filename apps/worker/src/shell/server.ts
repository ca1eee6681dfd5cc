// The web shell's WebSocket server. It lives in the worker because a terminal needs Docker,
// which the web process never touches, and Next.js route handlers cannot hold a WebSocket.
// A socket is accepted only at /builds/<id>/shell, from the dashboard's origin, with a ticket
// the API issued for that build (single use, seconds long); anything else is refused before
// the upgrade. Frames: the browser sends JSON text ({type: "input", data} or {type: "resize",
// cols, rows}); the server sends the terminal's bytes as binary frames and JSON text notices
// ({type: "status", state, message}; the last one, state "closed", with the reason and, when
// the shell ended by itself, its exitCode).
import { createServer, type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { config } from "@gantry/config";
import { buildOfShellPath, type Logger, redeemShellTicket, type ShellGrant } from "@gantry/core";
import type { QueueContext } from "@gantry/queue";
import type { ContainerRuntime } from "@gantry/runtime";
import { type WebSocket, WebSocketServer } from "ws";
import { z } from "zod";
import { ShellSession } from "./session";

const MAX_FRAME_BYTES = 64 * 1024;

const clientFrame = z.discriminatedUnion("type", [
  z.object({ type: z.literal("input"), data: z.string().max(MAX_FRAME_BYTES) }),
  z.object({ type: z.literal("resize"), cols: z.number().int(), rows: z.number().int() }),
]);

export interface ShellServer {
  port: number;
  close(): Promise<void>;
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function sizeOf(url: URL) {
  return {
    cols: Number(url.searchParams.get("cols")) || 80,
    rows: Number(url.searchParams.get("rows")) || 24,
  };
}

export async function startShellServer(options: {
  host: string;
  port: number;
  runtime: ContainerRuntime;
  queue: QueueContext;
  logger: Logger;
  /** Default: SHELL_IDLE_MINUTES. */
  idleMs?: number;
}): Promise<ShellServer> {
  const services = {
    runtime: options.runtime,
    queue: options.queue,
    logger: options.logger,
    idleMs: options.idleMs ?? config().SHELL_IDLE_MINUTES * 60_000,
  };
  const sessions = new Set<ShellSession>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES * 2 });
  const server = createServer((_req, res) => res.writeHead(426, { "Content-Type": "text/plain" }).end());

  const attach = (ws: WebSocket, grant: ShellGrant, url: URL) => {
    const send = (frame: object) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
    };
    const session = new ShellSession(
      services,
      grant,
      {
        output: (data) => {
          if (ws.readyState === ws.OPEN) ws.send(data, { binary: true });
        },
        notice: (state, message) => send({ type: "status", state, message }),
        end: (reason, message, exitCode) => {
          sessions.delete(session);
          // The shell's exit status, when it ended by itself: the command line exits with it.
          send({
            type: "status",
            state: "closed",
            reason,
            message,
            ...(exitCode === undefined ? {} : { exitCode }),
          });
          ws.close(1000, reason);
        },
      },
      sizeOf(url),
    );
    sessions.add(session);
    ws.on("message", (data, isBinary) => {
      if (isBinary) return;
      let frame: z.infer<typeof clientFrame>;
      try {
        frame = clientFrame.parse(JSON.parse(data.toString()));
      } catch {
        return;
      }
      if (frame.type === "input") session.input(Buffer.from(frame.data, "utf8"));
      else session.resize(frame);
    });
    ws.on("close", () => void session.close("closed"));
    ws.on("error", () => void session.close("error"));
    void session.start();
  };

  const upgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? "/", "http://shell.invalid");
    const buildId = buildOfShellPath(url.pathname);
    if (!buildId) return refuse(socket, 404, "Not Found");
    // Another site's page cannot open a terminal with a ticket it got hold of.
    if (req.headers.origin !== new URL(config().PUBLIC_URL).origin) return refuse(socket, 403, "Forbidden");
    const grant = await redeemShellTicket(options.queue, url.searchParams.get("ticket") ?? "", buildId);
    if (!grant) return refuse(socket, 401, "Unauthorized");
    options.logger.info({ buildId, userId: grant.userId, role: grant.role }, "shell session opened");
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, grant, url));
  };
  server.on("upgrade", (req, socket, head) => {
    socket.on("error", () => {});
    upgrade(req, socket, head).catch((error: unknown) => {
      options.logger.error({ err: error }, "shell upgrade failed");
      refuse(socket, 500, "Internal Server Error");
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : options.port,
    async close() {
      await Promise.all([...sessions].map((session) => session.close("shutdown", "Gantry is stopping.")));
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
