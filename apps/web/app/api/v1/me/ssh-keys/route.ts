import { addSshKey as add, listSshKeys as list } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { addSshKey, listSshKeys } from "@/lib/api/endpoints/ssh-keys";

export const dynamic = "force-dynamic";

export const GET = authedRoute(listSshKeys, async ({ actor }) => ({ keys: toJson(await list(actor)) }));

export const POST = authedRoute(addSshKey, async ({ actor, body }) => toJson(await add(actor, body)));
