import { AppError, type Principal, readBodyCapped } from "@gantry/core";
import type { z } from "zod";
import { authorize } from "./access";
import { refuseCrossSite, requireJsonBody } from "./csrf";
import type { Endpoint } from "./endpoint";
import { errorResponse, toErrorResponse } from "./errors";
import { Reply } from "./reply";
import type { InputIssue } from "./schemas";

const defaultMaxBodyBytes = 1024 * 1024;

type Out<S> = [S] extends [z.ZodType] ? z.output<S> : undefined;

export type HandlerContext<E extends Endpoint> =
  E extends Endpoint<infer P, infer Q, infer B>
    ? {
        params: Out<P>;
        query: Out<Q>;
        body: Out<B>;
        request: Request;
        /** Who is calling: null on public endpoints, always set on "signed-in" ones. */
        actor: Principal | null;
      }
    : never;

type Answer<E extends Endpoint> = z.input<E["output"]> | Reply<z.input<E["output"]>>;
export type Handler<E extends Endpoint> = (context: HandlerContext<E>) => Promise<Answer<E>>;

/** What Next passes to a route handler as its second argument. */
export interface RouteContext {
  params?: Promise<Record<string, string | string[] | undefined>>;
}

function invalid(where: string, error: z.ZodError): AppError {
  const issues: InputIssue[] = error.issues.map((issue) => ({
    path: [where, ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))],
    message: issue.message,
  }));
  const first = issues[0]!;
  return new AppError("invalid_input", `Invalid request: ${first.path.join(".")}: ${first.message}`, {
    details: { issues },
  });
}

function parsePart(where: string, schema: z.ZodType | undefined, value: unknown): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (!result.success) throw invalid(where, result.error);
  return result.data;
}

/** Reads a JSON body if there is one: an empty body is `undefined`, a malformed one an error. */
async function readJson(request: Request, maxBytes: number, actor: Principal | null): Promise<unknown> {
  const text = (await readBodyCapped(request, maxBytes)).toString("utf8");
  if (text.trim() === "") return undefined;
  requireJsonBody(request, actor);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError("invalid_json", `Request body is not valid JSON: ${(error as Error).message}`);
  }
}

const bodyless = new Set(["GET", "HEAD", "DELETE", "OPTIONS"]);

/**
 * Wraps a handler in the API's conventions: access check, zod validation of params, query and
 * JSON body, validation of the answer against the output schema, and every failure answered as
 * `{ error: { code, message, details? } }` with the status its code maps to.
 */
export function route<E extends Endpoint>(endpoint: E, handler: Handler<E>) {
  return async (request: Request, context?: RouteContext): Promise<Response> => {
    const where = { method: endpoint.method.toUpperCase(), path: endpoint.path };
    try {
      const actor = await authorize(endpoint.access, request);
      refuseCrossSite(request, actor);
      const params = parsePart("params", endpoint.params, (await context?.params) ?? {});
      const url = new URL(request.url);
      const query = parsePart("query", endpoint.query, Object.fromEntries(url.searchParams));
      const raw = bodyless.has(request.method)
        ? undefined
        : await readJson(request, endpoint.maxBodyBytes ?? defaultMaxBodyBytes, actor);
      const body = parsePart("body", endpoint.body, raw);
      const answer = await handler({ params, query, body, request, actor } as HandlerContext<E>);
      const [status, value] =
        answer instanceof Reply ? [answer.status, answer.body] : [endpoint.status, answer];
      const output = endpoint.output.safeParse(value);
      if (!output.success) {
        // The handler broke its own contract: a bug, not the caller's fault.
        throw new Error(`answer does not match the output schema: ${output.error.message}`);
      }
      if (status === 204) return new Response(null, { status });
      return Response.json(output.data, { status });
    } catch (error) {
      return toErrorResponse(error, where);
    }
  };
}

export { errorResponse };
