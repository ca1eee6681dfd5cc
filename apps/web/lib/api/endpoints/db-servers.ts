import { poolName, stages } from "@gantry/core";
import { z } from "zod";
import { defineEndpoint } from "../endpoint";

const dbServer = z
  .object({
    id: z.string(),
    name: z.string(),
    host: z.string(),
    port: z.number().int(),
    adminUser: z.string(),
    defaultStages: z
      .array(z.enum(stages))
      .describe("The stages it serves for projects without their own mapping"),
    pool: z
      .string()
      .nullable()
      .describe(
        "The pool of nodes its stages' builds run on; null: each stage's own (production, staging, development)",
      ),
    stagePools: z
      .array(z.object({ stage: z.enum(stages), pool: z.string() }))
      .describe("Where the builds of each of its default stages run"),
    projectCount: z.number().int().describe("Projects that map one of their stages to it"),
  })
  .meta({ id: "DbServer" });

export type DbServerBody = z.infer<typeof dbServer>;

export const listDbServers = defineEndpoint({
  method: "get",
  path: "/api/v1/system/db-servers",
  summary:
    "The database servers builds run on, with the pool each one's stages build on (platform administrators)",
  tags: ["system"],
  access: "signed-in",
  output: z.object({ servers: z.array(dbServer) }),
  errors: ["forbidden"],
});

export const updateDbServer = defineEndpoint({
  method: "patch",
  path: "/api/v1/system/db-servers/{serverId}",
  summary:
    "Name the pool a database server's stages build on, from their next build (platform administrators)",
  tags: ["system"],
  access: "signed-in",
  params: z.object({ serverId: z.string().min(1).max(100) }),
  body: z.object({
    pool: poolName.nullable().describe("A node label value; null: each stage's own pool"),
  }),
  output: dbServer,
  errors: ["forbidden", "not_found", "invalid_input"],
});

export const dbServerEndpoints = [listDbServers, updateDbServer];
