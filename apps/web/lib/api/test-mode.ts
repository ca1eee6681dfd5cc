import { config } from "@gantry/config";
import { noEndpoint } from "./errors";
import type { RouteContext } from "./route";

type Handler = (request: Request, context?: RouteContext) => Promise<Response>;

/**
 * A route that exists only with GANTRY_TEST_MODE=true. Outside it the answer is the same 404
 * as a path that was never there, given before the request is looked at (no validation error
 * or timing tells it apart).
 */
export function testModeOnly(handler: Handler): Handler {
  return async (request, context) => {
    return config().GANTRY_TEST_MODE ? handler(request, context) : noEndpoint(request);
  };
}
