// A local stand-in for Odoo's database upgrade service (upgrade.odoo.com), answering its
// public "Upgrade API" the way its documentation shows: POST /database/v1/create (form fields
// contract, email, target, aim, filename) -> { failures, request: { id, key, state, ... } };
// POST /database/v1/upload?key&request with the dump as the body; POST /database/v1/process;
// POST /database/v1/status -> the request, whose state moves pending -> progress -> done over
// successive calls; the archive at request.upgraded_dump_url. It does not upgrade anything:
// the "upgraded" archive is the uploaded one (the platform's own `-u all` does the work on the
// stand-in image). It records every call, and can be told to fail a request.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";

export interface StandinCall {
  method: string;
  path: string;
  fields: Record<string, string>;
  bytes: number;
}

interface StoredRequest {
  id: number;
  key: string;
  target: string;
  aim: string;
  filename: string;
  email: string;
  state: string;
  dump: Buffer | null;
  statusCalls: number;
  failure: string | null;
}

export interface UpgradeServiceStandin {
  url: string;
  calls: StandinCall[];
  contract: string;
  /** The next processed request ends as "failed" with this message. */
  failNext(message: string): void;
  close(): Promise<void>;
}

async function body(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startUpgradeServiceStandin(): Promise<UpgradeServiceStandin> {
  const contract = `M${randomBytes(6).toString("hex")}`;
  const requests = new Map<number, StoredRequest>();
  const calls: StandinCall[] = [];
  let nextId = 10534;
  let failure: string | null = null;
  let base = "";

  const view = (r: StoredRequest) => ({
    id: r.id,
    key: r.key,
    email: r.email,
    target: r.target,
    aim: r.aim,
    filename: r.filename,
    state: r.state,
    status_url: `${base}/database/eu1/${r.id}/${encodeURIComponent(r.key)}/status`,
    upgraded_dump_url:
      r.state === "done"
        ? `${base}/database/eu1/${r.id}/${encodeURIComponent(r.key)}/upgraded/archive`
        : null,
    customer_message: r.state === "failed" ? r.failure : null,
    filestore: true,
  });

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", base);
    const raw = await body(req);
    const form =
      req.headers["content-type"]?.startsWith("application/x-www-form-urlencoded") === true
        ? Object.fromEntries(new URLSearchParams(raw.toString()))
        : {};
    const fields = { ...Object.fromEntries(url.searchParams), ...form };
    calls.push({ method: req.method ?? "", path: url.pathname, fields, bytes: raw.length });
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(value));
    };
    const fail = (message: string, reason = "INVALID") =>
      json(400, { failures: [{ reason, message }], request: null });
    const find = () => {
      const r = requests.get(Number(fields.request));
      return r && r.key === fields.key ? r : undefined;
    };

    if (url.pathname === "/database/v1/create" && req.method === "POST") {
      for (const field of ["contract", "email", "target", "aim", "filename"]) {
        if (!fields[field]) return fail(`Missing parameter "${field}"`, "MISSING");
      }
      if (fields.contract !== contract) return fail(`Invalid contract "${fields.contract}"`, "CONTRACT");
      if (!["test", "production"].includes(fields.aim!)) return fail(`Invalid value "${fields.aim}"`);
      const r: StoredRequest = {
        id: nextId++,
        key: randomBytes(16).toString("base64"),
        target: fields.target!,
        aim: fields.aim!,
        filename: fields.filename!,
        email: fields.email!,
        state: "draft",
        dump: null,
        statusCalls: 0,
        failure: null,
      };
      requests.set(r.id, r);
      return json(200, { failures: [], request: view(r) });
    }
    if (url.pathname === "/database/v1/upload" && req.method === "POST") {
      const r = find();
      if (!r) return fail("Unknown request or wrong key", "ACCESS");
      if (req.headers["content-type"] !== "application/octet-stream")
        return fail("The dump must be sent as application/octet-stream");
      if (raw.length === 0) return fail("Empty dump");
      r.dump = raw;
      return json(200, { failures: [], request: view(r) });
    }
    if (url.pathname === "/database/v1/process" && req.method === "POST") {
      const r = find();
      if (!r) return fail("Unknown request or wrong key", "ACCESS");
      if (!r.dump) return fail("No dump uploaded", "STATE");
      r.state = "pending";
      r.failure = failure;
      failure = null;
      return json(200, { failures: [], request: view(r) });
    }
    if (url.pathname === "/database/v1/status" && req.method === "POST") {
      const r = find();
      if (!r) return fail("Unknown request or wrong key", "ACCESS");
      r.statusCalls += 1;
      if (r.state === "pending") r.state = "progress";
      else if (r.state === "progress") {
        r.state = r.failure ? "failed" : "done";
      }
      return json(200, { failures: [], request: view(r) });
    }
    const download = /^\/database\/eu1\/(\d+)\/([^/]+)\/upgraded\/archive$/.exec(url.pathname);
    if (download && req.method === "GET") {
      const r = requests.get(Number(download[1]));
      if (!r || r.key !== decodeURIComponent(download[2]!) || r.state !== "done" || !r.dump) {
        res.writeHead(404);
        return res.end();
      }
      res.writeHead(200, { "content-type": "application/zip", "content-length": String(r.dump.length) });
      return res.end(r.dump);
    }
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ failures: [{ reason: "NOT_FOUND", message: "no such method" }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return {
    url: base,
    calls,
    contract,
    failNext(message) {
      failure = message;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
