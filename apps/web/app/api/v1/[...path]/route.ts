import { noEndpoint } from "@/lib/api/errors";

// Anything under /api/v1 that no route matches answers in the API's error shape, not HTML.
const notFound = noEndpoint;

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
