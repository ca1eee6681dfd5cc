import { z } from "zod";
import { defineEndpoint } from "../endpoint";

export const openShell = defineEndpoint({
  method: "post",
  path: "/api/v1/builds/{buildId}/shell",
  summary:
    "A ticket for one terminal session in the build's serving container (the Shell right of its " +
    "stage): open a WebSocket at `url?ticket=…&cols=…&rows=…` from the dashboard's origin within " +
    "the ticket's seconds; it works once. 409 when the build does not serve",
  tags: ["builds"],
  access: "signed-in",
  params: z.object({ buildId: z.string().min(1).max(100) }),
  output: z.object({
    ticket: z.string(),
    url: z.string().describe("The WebSocket URL of the build's shell"),
    expiresAt: z.string().describe("ISO timestamp"),
  }),
  status: 201,
  errors: ["forbidden", "not_found", "conflict"],
});

export const shellEndpoints = [openShell] as const;
