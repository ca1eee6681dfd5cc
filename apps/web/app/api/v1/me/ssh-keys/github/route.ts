import { importGithubSshKeys as importKeys } from "@gantry/core";
import { authedRoute, toJson } from "@/lib/api/authed";
import { importGithubSshKeys } from "@/lib/api/endpoints/ssh-keys";

export const dynamic = "force-dynamic";

export const POST = authedRoute(importGithubSshKeys, async ({ actor, body }) =>
  toJson(await importKeys(actor, body)),
);
