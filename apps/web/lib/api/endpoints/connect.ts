import { z } from "zod";
import { defineEndpoint } from "../endpoint";

export const connectBuild = defineEndpoint({
  method: "post",
  path: "/api/v1/builds/{buildId}/connect",
  summary:
    "One-click Connect (the Connect right of the build's stage): the build's URL with a single-use " +
    "token valid two minutes that logs the browser into Odoo as the database's administrator, or " +
    "as `userId` (Connect as); no password is shown or changed. Audited. 409 when the build does not serve",
  tags: ["builds"],
  access: "signed-in",
  params: z.object({ buildId: z.string().min(1).max(100) }),
  body: z.object({ userId: z.number().int().positive().optional() }),
  output: z.object({ url: z.string().describe("Open it in the browser: it lands on /web, logged in") }),
  errors: ["forbidden", "not_found", "conflict"],
});

export const buildOdooUsers = defineEndpoint({
  method: "get",
  path: "/api/v1/builds/{buildId}/odoo-users",
  summary:
    "The build's active internal Odoo users, for Connect as (read by the build's Odoo as the build's " +
    "database role). 409 when the build does not serve or sleeps",
  tags: ["builds"],
  access: "signed-in",
  params: z.object({ buildId: z.string().min(1).max(100) }),
  output: z.object({
    users: z.array(z.object({ id: z.number().int(), login: z.string(), name: z.string() })),
  }),
  errors: ["forbidden", "not_found", "conflict", "unavailable"],
});

export const connectEndpoints = [connectBuild, buildOdooUsers] as const;
