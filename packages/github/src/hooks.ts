// Gantry's repository webhook: created or updated in place (idempotent by URL), and checked.
import type { Octokit } from "@octokit/rest";
import { z } from "zod";
import { call, GithubError } from "./errors";
import { parseOrThrow } from "./repos";

const hookSchema = z.object({
  id: z.number().int(),
  active: z.boolean(),
  events: z.array(z.string()),
  config: z.object({ url: z.string().optional(), content_type: z.string().optional() }),
});

const deliverySchema = z.object({
  id: z.number(),
  guid: z.string(),
  delivered_at: z.string(),
  status: z.string(),
  status_code: z.number().int(),
  event: z.string(),
  redelivery: z.boolean().optional(),
});

export interface WebhookSettings {
  url: string;
  secret: string;
  events: string[];
}

// check_suite, check_run and status move builds held by a deploy gate.
export const DEFAULT_WEBHOOK_EVENTS = [
  "push",
  "delete",
  "pull_request",
  "check_suite",
  "check_run",
  "status",
];

async function findHook(octokit: Octokit, owner: string, repo: string, url: string) {
  const what = `list webhooks of ${owner}/${repo}`;
  const hooks = await call(what, () =>
    octokit.paginate(octokit.rest.repos.listWebhooks, { owner, repo, per_page: 100 }),
  );
  return parseOrThrow(z.array(hookSchema), hooks, what).find((h) => h.config.url === url) ?? null;
}

export async function ensureWebhook(
  octokit: Octokit,
  owner: string,
  repo: string,
  settings: WebhookSettings,
): Promise<{ id: number; created: boolean }> {
  const existing = await findHook(octokit, owner, repo, settings.url);
  const config = {
    url: settings.url,
    content_type: "json" as const,
    secret: settings.secret,
    insecure_ssl: "0" as const,
  };
  if (existing) {
    // GitHub never returns the secret, so the hook is always rewritten to a known state.
    const what = `update webhook ${existing.id} of ${owner}/${repo}`;
    await call(what, () =>
      octokit.rest.repos.updateWebhook({
        owner,
        repo,
        hook_id: existing.id,
        config,
        events: settings.events,
        active: true,
      }),
    );
    return { id: existing.id, created: false };
  }
  const what = `create webhook on ${owner}/${repo}`;
  const { data } = await call(what, () =>
    octokit.rest.repos.createWebhook({
      owner,
      repo,
      name: "web",
      config,
      events: settings.events,
      active: true,
    }),
  );
  return { id: parseOrThrow(hookSchema, data, what).id, created: true };
}

export type WebhookProblem =
  | { code: "no_permission"; message: string }
  | { code: "no_hook"; message: string }
  | { code: "inactive"; message: string }
  | { code: "missing_events"; message: string; events: string[] }
  | { code: "last_delivery_failed"; message: string; statusCode: number; status: string };

export interface WebhookCheck {
  ok: boolean;
  problems: WebhookProblem[];
  hook: { id: number; active: boolean; events: string[] } | null;
  lastDelivery: {
    guid: string;
    event: string;
    deliveredAt: string;
    statusCode: number;
    status: string;
  } | null;
}

/** Reports what keeps Gantry's webhook from working: permission, absence, state, last delivery. */
export async function verifyWebhook(
  octokit: Octokit,
  owner: string,
  repo: string,
  expected: { url: string; events?: string[] },
): Promise<WebhookCheck> {
  const result: WebhookCheck = { ok: false, problems: [], hook: null, lastDelivery: null };
  let hook: z.infer<typeof hookSchema> | null;
  try {
    hook = await findHook(octokit, owner, repo, expected.url);
  } catch (error) {
    // GitHub answers 404 instead of 403 to hide private repositories from weak credentials.
    if (error instanceof GithubError && (error.code === "forbidden" || error.code === "not_found")) {
      result.problems.push({
        code: "no_permission",
        message: `the credentials cannot read webhooks of ${owner}/${repo} (admin access needed): ${error.message}`,
      });
      return result;
    }
    throw error;
  }
  if (!hook) {
    result.problems.push({ code: "no_hook", message: `no webhook for ${expected.url} on ${owner}/${repo}` });
    return result;
  }
  result.hook = { id: hook.id, active: hook.active, events: hook.events };
  if (!hook.active) result.problems.push({ code: "inactive", message: `webhook ${hook.id} is disabled` });
  const missing = (expected.events ?? []).filter(
    (e) => !hook.events.includes(e) && !hook.events.includes("*"),
  );
  if (missing.length > 0) {
    result.problems.push({
      code: "missing_events",
      message: `webhook does not send ${missing.join(", ")}`,
      events: missing,
    });
  }

  const what = `list deliveries of webhook ${hook.id}`;
  const { data } = await call(what, () =>
    octokit.rest.repos.listWebhookDeliveries({ owner, repo, hook_id: hook.id, per_page: 1 }),
  );
  const last = parseOrThrow(z.array(deliverySchema), data, what)[0];
  if (last) {
    result.lastDelivery = {
      guid: last.guid,
      event: last.event,
      deliveredAt: last.delivered_at,
      statusCode: last.status_code,
      status: last.status,
    };
    if (last.status_code < 200 || last.status_code >= 300) {
      result.problems.push({
        code: "last_delivery_failed",
        message: `last delivery ${last.guid} (${last.event}) got ${last.status_code || "no answer"}: ${last.status}`,
        statusCode: last.status_code,
        status: last.status,
      });
    }
  }
  result.ok = result.problems.length === 0;
  return result;
}
