import { errorResponse } from "@/lib/api/errors";

// Anything under /api/v1 that no route matches answers in the API's error shape, not HTML.
function notFound(request: Request): Response {
  return errorResponse("not_found", `No endpoint ${request.method} ${new URL(request.url).pathname}`);
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
