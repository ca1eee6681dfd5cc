import type { Principal } from "@gantry/core";
import type { Endpoint } from "./endpoint";
import { type HandlerContext, type RouteContext, route } from "./route";

type Answer<E extends Endpoint> = Awaited<ReturnType<Parameters<typeof route<E>>[1]>>;

/** `route` for "signed-in" endpoints: the handler gets the caller as a non-null actor. */
export function authedRoute<E extends Endpoint>(
  endpoint: E,
  handler: (context: HandlerContext<E> & { actor: Principal }) => Promise<Answer<E>>,
): (request: Request, context?: RouteContext) => Promise<Response> {
  if (endpoint.access === "public") throw new Error(`${endpoint.path} is public: use route()`);
  return route(endpoint, (context) => handler(context as HandlerContext<E> & { actor: Principal }));
}

export type Jsonified<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Jsonified<U>[]
    : T extends object
      ? { [K in keyof T]: Jsonified<T[K]> }
      : T;

/** Rows with Dates become what the JSON answer holds (ISO strings). */
export function toJson<T>(value: T): Jsonified<T> {
  return JSON.parse(JSON.stringify(value)) as Jsonified<T>;
}
