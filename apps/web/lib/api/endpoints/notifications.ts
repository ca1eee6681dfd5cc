import { channelKinds, eventSwitches } from "@gantry/core";
import { z } from "zod";
import { defineEndpoint } from "../endpoint";

const when = z.string().describe("ISO timestamp");
const projectId = z.object({ projectId: z.string().min(1).max(100) });
const channelParams = projectId.extend({ channelId: z.string().min(1).max(100) });
const events = z
  .array(z.enum(eventSwitches))
  .max(eventSwitches.length)
  .describe("The events this channel receives (build events per stage)");
const url = z
  .string()
  .max(2000)
  .describe("The incoming webhook's URL (Slack, Teams, generic); stored encrypted, never answered");
const secret = z
  .string()
  .min(16)
  .max(200)
  .describe("Generic webhook: the HMAC-SHA256 key of X-Gantry-Signature-256; generated when not given");

const channel = z
  .object({
    id: z.string(),
    kind: z.enum(channelKinds),
    name: z.string(),
    enabled: z.boolean(),
    events: z.array(z.enum(eventSwitches)),
    recipients: z.array(z.string()).describe("Mail: the addresses; empty means the project's Admins"),
    targetHint: z.string().nullable().describe("The webhook URL's host and last characters"),
    hasSecret: z.boolean(),
    createdAt: when,
  })
  .meta({ id: "NotificationChannel" });

const delivery = z
  .object({
    id: z.string(),
    channelId: z.string(),
    channelName: z.string(),
    channelKind: z.enum(channelKinds),
    event: z.string(),
    title: z.string(),
    status: z.enum(["QUEUED", "RETRYING", "DELIVERED", "FAILED"]),
    attempts: z.number(),
    lastError: z.string().nullable(),
    createdAt: when,
    finishedAt: when.nullable(),
    attemptLog: z.array(
      z.object({
        attempt: z.number(),
        ok: z.boolean(),
        httpStatus: z.number().nullable(),
        smtpAnswer: z.string().nullable(),
        error: z.string().nullable(),
        durationMs: z.number(),
        at: when,
      }),
    ),
  })
  .meta({ id: "NotificationDelivery" });

export const listChannels = defineEndpoint({
  method: "get",
  path: "/api/v1/projects/{projectId}/notifications/channels",
  summary:
    "The project's notification channels (Admin); the first look makes the default one (mail to the Admins)",
  tags: ["notifications"],
  access: "signed-in",
  params: projectId,
  output: z.object({ channels: z.array(channel) }),
  errors: ["forbidden", "not_found"],
});

export const createChannel = defineEndpoint({
  method: "post",
  path: "/api/v1/projects/{projectId}/notifications/channels",
  summary: "Add a channel: mail, Slack or Teams incoming webhook, or a generic signed webhook (Admin)",
  tags: ["notifications"],
  access: "signed-in",
  params: projectId,
  body: z.object({
    kind: z.enum(channelKinds),
    name: z.string().max(100),
    enabled: z.boolean().optional(),
    events: events.optional(),
    recipients: z.array(z.string().max(320)).max(20).optional(),
    url: url.optional(),
    secret: secret.optional(),
  }),
  output: channel.extend({
    secret: z.string().optional().describe("A generated webhook secret, answered this once"),
  }),
  status: 201,
  errors: ["forbidden", "not_found", "conflict", "unavailable"],
});

export const updateChannel = defineEndpoint({
  method: "patch",
  path: "/api/v1/projects/{projectId}/notifications/channels/{channelId}",
  summary: "Change a channel: its name, switches, recipients, URL or secret (Admin)",
  tags: ["notifications"],
  access: "signed-in",
  params: channelParams,
  body: z.object({
    name: z.string().max(100).optional(),
    enabled: z.boolean().optional(),
    events: events.optional(),
    recipients: z.array(z.string().max(320)).max(20).optional(),
    url: url.optional(),
    secret: secret.optional(),
  }),
  output: channel,
  errors: ["forbidden", "not_found", "unavailable"],
});

export const deleteChannel = defineEndpoint({
  method: "delete",
  path: "/api/v1/projects/{projectId}/notifications/channels/{channelId}",
  summary: "Remove a channel and its delivery log (Admin)",
  tags: ["notifications"],
  access: "signed-in",
  params: channelParams,
  output: z.object({}),
  status: 204,
  errors: ["forbidden", "not_found"],
});

export const testChannel = defineEndpoint({
  method: "post",
  path: "/api/v1/projects/{projectId}/notifications/channels/{channelId}/test",
  summary: "Send a test notice to the channel now (one attempt) and answer its delivery (Admin)",
  tags: ["notifications"],
  access: "signed-in",
  params: channelParams,
  output: delivery,
  errors: ["forbidden", "not_found", "unavailable"],
});

export const listNotificationDeliveries = defineEndpoint({
  method: "get",
  path: "/api/v1/projects/{projectId}/notifications/deliveries",
  summary: "The project's recent notification deliveries with every attempt (Admin)",
  tags: ["notifications"],
  access: "signed-in",
  params: projectId,
  query: z.object({
    channelId: z.string().max(100).optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
  }),
  output: z.object({ deliveries: z.array(delivery) }),
  errors: ["forbidden"],
});

const settings = z
  .object({
    diskAlertMb: z
      .number()
      .int()
      .nullable()
      .describe(
        "A build's database and filestore over this many MB is notified once per crossing; null: off",
      ),
  })
  .meta({ id: "NotificationSettings" });

export const getNotificationSettings = defineEndpoint({
  method: "get",
  path: "/api/v1/projects/{projectId}/notifications/settings",
  summary: "The project's disk threshold (Admin)",
  tags: ["notifications"],
  access: "signed-in",
  params: projectId,
  output: settings,
  errors: ["forbidden", "not_found"],
});

export const setNotificationSettings = defineEndpoint({
  method: "put",
  path: "/api/v1/projects/{projectId}/notifications/settings",
  summary: "Set the project's disk threshold (Admin)",
  tags: ["notifications"],
  access: "signed-in",
  params: projectId,
  body: z.object({ diskAlertMb: z.number().int().min(1).max(10_000_000).nullable() }),
  output: settings,
  errors: ["forbidden", "not_found"],
});

export const notificationEndpoints = [
  listChannels,
  createChannel,
  updateChannel,
  deleteChannel,
  testChannel,
  listNotificationDeliveries,
  getNotificationSettings,
  setNotificationSettings,
] as const;
