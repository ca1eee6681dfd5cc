// Webhook deliveries exactly as GitHub sends them: compact JSON body, HMAC-SHA256 of the raw
// bytes in X-Hub-Signature-256, and GitHub's delivery headers. Payloads come from
// @octokit/webhooks-examples (real payloads recorded from GitHub).
import { createHmac, randomUUID } from "node:crypto";
import { createRequire } from "node:module";

// Loaded through require: the package is a bare JSON file, which ESM loaders differ on.
const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as unknown;

export function signWebhook(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export interface WebhookDelivery {
  body: Buffer;
  headers: Record<string, string>;
}

export function webhookRequest(
  event: string,
  payload: unknown,
  secret: string,
  deliveryId: string = randomUUID(),
  hookId = 1,
): WebhookDelivery {
  const body = Buffer.from(JSON.stringify(payload), "utf8");
  return {
    body,
    headers: {
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/5f2a3b1",
      "x-github-event": event,
      "x-github-delivery": deliveryId,
      "x-github-hook-id": String(hookId),
      "x-github-hook-installation-target-type": "repository",
      "x-github-hook-installation-target-id": "1",
      "x-hub-signature": `sha1=${createHmac("sha1", secret).update(body).digest("hex")}`,
      "x-hub-signature-256": signWebhook(body, secret),
      "content-length": String(body.length),
    },
  };
}

type Example = { name: string; examples: Array<Record<string, unknown>> };

/** All recorded example payloads of one event (deep copies, safe to modify). */
export function webhookExamples(event: string): Array<Record<string, unknown>> {
  const entry = (examples as unknown as Example[]).find((e) => e.name === event);
  if (!entry) throw new Error(`no webhook examples for ${event}`);
  return entry.examples.map((e) => structuredClone(e));
}

/** The first example of `event` that satisfies `predicate`. */
export function webhookExample(
  event: string,
  predicate: (payload: Record<string, unknown>) => boolean = () => true,
): Record<string, unknown> {
  const found = webhookExamples(event).find(predicate);
  if (!found) throw new Error(`no ${event} example matches`);
  return found;
}

/**
 * A push event of `repository` ("owner/name"): `branch` moved from `before` to `after`, a new
 * branch when `before` is all zeros, built on a recorded payload.
 */
export function pushPayload(
  repository: string,
  branch: string,
  before: string,
  after: string,
  message = "Add a feature",
): Record<string, unknown> {
  const base = webhookExample("push", (p) => (p.head_commit as unknown) !== null);
  return {
    ...base,
    ref: `refs/heads/${branch}`,
    before,
    after,
    created: /^0+$/.test(before),
    deleted: false,
    forced: false,
    repository: { ...(base.repository as object), full_name: repository },
    head_commit: { ...(base.head_commit as object), id: after, message },
    commits: [],
  };
}

/**
 * A pull_request event of `repository` ("owner/name"), number `number`, whose head is `head`
 * (a fork's when `head.repository` is another repository), built on a recorded payload.
 */
export function pullRequestPayload(
  repository: string,
  action: string,
  number: number,
  head: { ref: string; sha: string; repository?: string },
  options: { merged?: boolean; title?: string } = {},
): Record<string, unknown> {
  const base = webhookExample("pull_request");
  const pr = base.pull_request as Record<string, unknown>;
  return {
    ...base,
    action,
    number,
    pull_request: {
      ...pr,
      number,
      title: options.title ?? `Change ${number}`,
      html_url: `https://github.com/${repository}/pull/${number}`,
      state: action === "closed" ? "closed" : "open",
      merged: options.merged ?? false,
      head: { ref: head.ref, sha: head.sha, repo: { full_name: head.repository ?? repository } },
      base: { ref: "main", sha: "0".repeat(40), repo: { full_name: repository } },
    },
    repository: { ...(base.repository as object), full_name: repository },
  };
}
