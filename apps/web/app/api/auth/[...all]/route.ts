import { handleAuthRequest } from "@gantry/core";

export const dynamic = "force-dynamic";

// better-auth's endpoints (sign-in, sign-out, session, GitHub callback) with the lock-out.
export const GET = (request: Request) => handleAuthRequest(request);
export const POST = (request: Request) => handleAuthRequest(request);
