// HTTP to Gantry's API: the token on every request, and every failure turned into a CliError
// whose exit code says what kind of failure it was.
import type { z } from "zod";
import { CliError, exitCodeOfStatus, exitCodes } from "./exit.js";
import { apiErrorBody } from "./schemas.js";
import type { Settings } from "./settings.js";

export interface RequestOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** The API's error answer as one line: its message, then status and code. */
export async function errorOf(response: Response): Promise<CliError> {
  const text = await response.text().catch(() => "");
  let message = `${response.status} ${response.statusText}`.trim();
  try {
    const body = apiErrorBody.safeParse(JSON.parse(text));
    if (body.success) message = `${body.data.error.message} (${response.status} ${body.data.error.code})`;
  } catch {
    // Not the API's JSON (a proxy's page): the status line says enough.
  }
  return new CliError(exitCodeOfStatus(response.status), message);
}

export class ApiClient {
  constructor(readonly settings: Settings) {}

  /** The raw answer, whatever its status; only a network failure throws. */
  async send(path: string, options: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.settings.token}`,
      accept: "application/json",
      ...options.headers,
    };
    let body: string | undefined;
    if (options.body !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.body);
    }
    try {
      return await fetch(`${this.settings.url}${path}`, {
        method: options.method ?? "GET",
        headers,
        body,
        signal: options.signal,
        redirect: "error",
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const cause = (error as { cause?: { message?: string } }).cause?.message;
      throw new CliError(
        exitCodes.api,
        `cannot reach ${this.settings.url}: ${cause ?? (error as Error).message}`,
      );
    }
  }

  /** A successful answer, or the API's error as a CliError. */
  async ok(path: string, options: RequestOptions = {}): Promise<Response> {
    const response = await this.send(path, options);
    if (!response.ok) throw await errorOf(response);
    return response;
  }

  /**
   * The answer's JSON twice: `raw` exactly as the API sent it (what --json prints) and `data`
   * checked against the client's schema (what the tables read).
   */
  async json<S extends z.ZodType>(
    schema: S,
    path: string,
    options: RequestOptions = {},
  ): Promise<{ raw: unknown; data: z.output<S> }> {
    const response = await this.ok(path, options);
    const text = await response.text();
    let raw: unknown;
    try {
      raw = text === "" ? {} : JSON.parse(text);
    } catch {
      throw new CliError(exitCodes.api, `${path} did not answer JSON`);
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new CliError(
        exitCodes.api,
        `unexpected answer from ${path}: ${issue?.path.join(".") ?? ""} ${issue?.message ?? ""}`.trim(),
      );
    }
    return { raw, data: parsed.data };
  }
}
