import type { ErrorCode } from "@gantry/core";
import type { z } from "zod";
import type { Access } from "./access";

export type Method = "get" | "post" | "put" | "patch" | "delete";

type AnyObject = z.ZodObject<z.ZodRawShape>;

/**
 * One endpoint's contract: its place, who may call it, and the zod schemas of what goes in and
 * comes out. The route wrapper validates against it and the OpenAPI document is generated from
 * it, so the two cannot disagree.
 */
export interface Endpoint<
  P extends AnyObject | undefined = AnyObject | undefined,
  Q extends AnyObject | undefined = AnyObject | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  O extends z.ZodType = z.ZodType,
> {
  method: Method;
  /** The full OpenAPI path, e.g. "/api/v1/system/diagnostics/{jobId}". */
  path: string;
  summary: string;
  tags: readonly string[];
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  output: O;
  /** The status of a successful answer. */
  status: number;
  /** Other statuses that answer with the output schema (e.g. 503 for a failing health report). */
  alsoStatuses?: Record<number, string>;
  /** Error codes the handler itself may raise, for the document; input errors are added. */
  errors?: ErrorCode[];
  /** A body is read only when the endpoint has one; this bounds its size in bytes. */
  maxBodyBytes?: number;
}

type Defaults = "access" | "status" | "tags";
export type EndpointInit<
  P extends AnyObject | undefined,
  Q extends AnyObject | undefined,
  B extends z.ZodType | undefined,
  O extends z.ZodType,
> = Omit<Endpoint<P, Q, B, O>, Defaults> & Partial<Pick<Endpoint<P, Q, B, O>, Defaults>>;

export function defineEndpoint<
  O extends z.ZodType,
  P extends AnyObject | undefined = undefined,
  Q extends AnyObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(init: EndpointInit<P, Q, B, O>): Endpoint<P, Q, B, O> {
  return { access: "public", status: 200, tags: [], ...init };
}
