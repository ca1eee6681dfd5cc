import { createToken as create, listTokens as list } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { createToken, listTokens } from "@/lib/api/endpoints/tokens";

export const dynamic = "force-dynamic";

export const GET = authedRoute(listTokens, async ({ actor }) => ({ tokens: toJson(await list(actor)) }));

export const POST = authedRoute(createToken, async ({ actor, body }) => {
  const { token, summary } = await create(actor, body);
  return { token, details: toJson(summary) };
});
