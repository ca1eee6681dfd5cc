// The route wrapper for answers that are not JSON (a log file download, an event stream): the
// same access check, params validation and error answers as `route`, but the handler builds
// the Response itself.
import { AppError, type Principal } from "@gantry/core";
import { authorize } from "@/lib/api/access";
import { refuseCrossSite } from "@/lib/api/csrf";
import type { Endpoint } from "@/lib/api/endpoint";
import { toErrorResponse } from "@/lib/api/errors";
import type { RouteContext } from "@/lib/api/route";

type Params<E extends Endpoint> =
  NonNullable<E["params"]> extends { _zod: { output: infer O } } ? O : undefined;

export function rawRoute<E extends Endpoint>(
  endpoint: E,
  handler: (context: { params: Params<E>; request: Request; actor: Principal }) => Promise<Response>,
) {
  if (endpoint.access === "public") throw new Error(`${endpoint.path} is public: a raw route needs a caller`);
  return async (request: Request, context?: RouteContext): Promise<Response> => {
    const where = { method: endpoint.method.toUpperCase(), path: endpoint.path };
    try {
      const actor = (await authorize(endpoint.access, request)) as Principal;
      refuseCrossSite(request, actor);
      const parsed = endpoint.params?.safeParse((await context?.params) ?? {});
      if (parsed && !parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new AppError(
          "invalid_input",
          `Invalid request: params.${issue.path.join(".")}: ${issue.message}`,
        );
      }
      return await handler({ params: parsed?.data as Params<E>, request, actor });
    } catch (error) {
      return toErrorResponse(error, where);
    }
  };
}
