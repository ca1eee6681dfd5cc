// A client of Odoo's database upgrade service (upgrade.odoo.com, Enterprise subscriptions), as
// its public "Upgrade API" documents it: `create` a request (contract, email, target, aim,
// filename) which answers an id and a private key, `upload` the dump as the body of a POST,
// `process` it, poll `status` until the request's state settles, then download the archive
// at `upgraded_dump_url`. Every answer is `{ failures: [...], request: {...} }`; a non-empty
// failures list is an error, reported with the service's own messages.
import { createReadStream, createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { z } from "zod";

const failure = z.object({ reason: z.string().optional(), message: z.string().optional() }).passthrough();

const requestSchema = z
  .object({
    id: z.union([z.number(), z.string()]).transform(String),
    key: z.string().min(1),
    state: z.string().optional(),
    upgraded_dump_url: z.string().nullable().optional(),
    customer_message: z.string().nullable().optional(),
    status_url: z.string().nullable().optional(),
  })
  .passthrough();

const answerSchema = z.object({
  failures: z.array(failure).default([]),
  request: requestSchema.nullable().optional(),
});

export type ServiceRequest = z.infer<typeof requestSchema>;

export class UpgradeServiceError extends Error {
  override readonly name = "UpgradeServiceError";
}

/** States after which nothing more will happen to the request. */
const FINISHED = new Set(["done", "delivered"]);
const FAILED = new Set(["failed", "cancelled", "canceled"]);

export interface UpgradeServiceOptions {
  /** e.g. https://upgrade.odoo.com */
  baseUrl: string;
  contract: string;
  email: string;
  /** How long to wait between two status requests. */
  pollMs?: number;
  fetch?: typeof fetch;
}

export class UpgradeServiceClient {
  private readonly fetch: typeof fetch;

  constructor(private readonly options: UpgradeServiceOptions) {
    this.fetch = options.fetch ?? fetch;
  }

  private url(path: string, query?: Record<string, string>): string {
    const url = new URL(
      path,
      this.options.baseUrl.endsWith("/") ? this.options.baseUrl : `${this.options.baseUrl}/`,
    );
    for (const [key, value] of Object.entries(query ?? {})) url.searchParams.set(key, value);
    return url.toString();
  }

  private async answer(response: Response, what: string): Promise<ServiceRequest> {
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new UpgradeServiceError(
        `${what}: the upgrade service answered HTTP ${response.status} without JSON`,
      );
    }
    const parsed = answerSchema.safeParse(body);
    if (!parsed.success) throw new UpgradeServiceError(`${what}: unexpected answer from the upgrade service`);
    if (parsed.data.failures.length > 0) {
      const messages = parsed.data.failures.map((f) => f.message ?? f.reason ?? "unknown failure");
      throw new UpgradeServiceError(`${what}: ${messages.join("; ")}`);
    }
    if (!response.ok) throw new UpgradeServiceError(`${what}: HTTP ${response.status}`);
    if (!parsed.data.request) throw new UpgradeServiceError(`${what}: the answer holds no request`);
    return parsed.data.request;
  }

  private async form(path: string, fields: Record<string, string>, what: string, signal?: AbortSignal) {
    const response = await this.fetch(this.url(path), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
      signal,
    });
    return this.answer(response, what);
  }

  create(input: { target: string; aim: "test" | "production"; filename: string }, signal?: AbortSignal) {
    return this.form(
      "database/v1/create",
      {
        contract: this.options.contract,
        email: this.options.email,
        target: input.target,
        aim: input.aim,
        filename: input.filename,
      },
      "create",
      signal,
    );
  }

  async upload(request: ServiceRequest, dumpPath: string, signal?: AbortSignal): Promise<ServiceRequest> {
    const size = (await stat(dumpPath)).size;
    const response = await this.fetch(
      this.url("database/v1/upload", { key: request.key, request: request.id }),
      {
        method: "POST",
        headers: { "content-type": "application/octet-stream", "content-length": String(size) },
        body: Readable.toWeb(createReadStream(dumpPath)) as ReadableStream,
        // Node's fetch needs this to stream a request body.
        duplex: "half",
        signal,
      } as RequestInit,
    );
    return this.answer(response, "upload");
  }

  process(request: ServiceRequest, signal?: AbortSignal) {
    return this.form("database/v1/process", { key: request.key, request: request.id }, "process", signal);
  }

  status(request: ServiceRequest, signal?: AbortSignal) {
    return this.form("database/v1/status", { key: request.key, request: request.id }, "status", signal);
  }

  /** Polls until the request is done (resolves) or failed/cancelled (throws); `onState` sees each new state. */
  async waitDone(request: ServiceRequest, signal: AbortSignal, onState?: (state: string) => Promise<void>) {
    let last = "";
    for (;;) {
      signal.throwIfAborted();
      const current = await this.status(request, signal);
      const state = (current.state ?? "").toLowerCase();
      if (state !== last) {
        last = state;
        await onState?.(state);
      }
      if (FINISHED.has(state)) return current;
      if (FAILED.has(state)) {
        throw new UpgradeServiceError(
          `the upgrade service ended the request as ${state}${current.customer_message ? `: ${current.customer_message}` : ""}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, this.options.pollMs ?? 30_000));
    }
  }

  /** Downloads the upgraded archive to `path`. */
  async download(request: ServiceRequest, path: string, signal?: AbortSignal): Promise<void> {
    if (!request.upgraded_dump_url)
      throw new UpgradeServiceError("the finished request has no upgraded_dump_url");
    const response = await this.fetch(request.upgraded_dump_url, { signal });
    if (!response.ok || !response.body) {
      throw new UpgradeServiceError(`download: HTTP ${response.status} for the upgraded archive`);
    }
    await pipeline(Readable.fromWeb(response.body as never), createWriteStream(path));
  }
}
