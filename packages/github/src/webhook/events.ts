// The webhook events Gantry acts on, as zod schemas over GitHub's payloads (extra fields are
// ignored), and the typed events they become.
import { z } from "zod";
import { BRANCH_REF_PREFIX, isValidBranchName } from "../refs";

const sha = z.string().regex(/^[0-9a-f]{40}$/);
const repository = z.object({ id: z.number().int(), full_name: z.string().min(3).max(300) });
const person = z.object({ name: z.string(), email: z.string().nullable().optional() });

const commit = z.object({
  id: sha,
  message: z.string(),
  timestamp: z.string(),
  url: z.string().optional(),
  author: person.extend({ username: z.string().optional() }),
  added: z.array(z.string()).optional(),
  removed: z.array(z.string()).optional(),
  modified: z.array(z.string()).optional(),
});

export const pushPayload = z.object({
  ref: z.string().min(1).max(1024),
  before: sha,
  after: sha,
  created: z.boolean(),
  deleted: z.boolean(),
  forced: z.boolean(),
  commits: z.array(commit),
  head_commit: commit.nullable(),
  repository,
  pusher: person,
});

export const deletePayload = z.object({
  ref: z.string().min(1).max(1024),
  ref_type: z.enum(["branch", "tag"]),
  repository,
});

const prRef = z.object({
  ref: z.string().min(1).max(1024),
  sha,
  repo: z.object({ full_name: z.string() }).nullable(),
});

export const pullRequestPayload = z.object({
  action: z.string(),
  number: z.number().int().positive(),
  pull_request: z.object({
    number: z.number().int().positive(),
    title: z.string(),
    html_url: z.string(),
    state: z.enum(["open", "closed"]),
    merged: z.boolean().nullable().optional(),
    head: prRef,
    base: prRef,
  }),
  repository,
});

export const pingPayload = z.object({
  zen: z.string(),
  hook_id: z.number().int(),
  hook: z
    .object({ events: z.array(z.string()).optional() })
    .passthrough()
    .optional(),
  repository: repository.optional(),
});

// CI telling of a commit: only its sha matters (the checks are read afresh from the API).
export const checkRunPayload = z.object({
  action: z.string(),
  check_run: z.object({ head_sha: sha, name: z.string() }),
  repository,
});

export const checkSuitePayload = z.object({
  action: z.string(),
  check_suite: z.object({ head_sha: sha }),
  repository,
});

export const statusPayload = z.object({ sha, context: z.string(), state: z.string(), repository });

export type CommitSummary = {
  sha: string;
  message: string;
  timestamp: string;
  author: { name: string; email: string | null };
};

export type PushEvent = {
  kind: "push";
  repository: string;
  ref: string;
  /** Branch name for refs/heads/*, null for tags and other refs. */
  branch: string | null;
  before: string;
  after: string;
  created: boolean;
  deleted: boolean;
  forced: boolean;
  commits: CommitSummary[];
  headCommit: CommitSummary | null;
  pusher: { name: string; email: string | null };
};

export type DeleteEvent = {
  kind: "delete";
  repository: string;
  refType: "branch" | "tag";
  /** Short name, as GitHub sends it for this event (no refs/heads/ prefix). */
  ref: string;
};

export const PULL_REQUEST_ACTIONS = ["opened", "synchronize", "closed", "reopened"] as const;

export type PullRequestEvent = {
  kind: "pull_request";
  repository: string;
  action: (typeof PULL_REQUEST_ACTIONS)[number];
  number: number;
  title: string;
  url: string;
  head: { ref: string; sha: string; repository: string | null };
  base: { ref: string; sha: string };
  merged: boolean;
};

/** A check run, check suite or commit status changed on a commit. */
export type ChecksEvent = {
  kind: "checks";
  event: "check_run" | "check_suite" | "status";
  repository: string;
  sha: string;
};

export type PingEvent = { kind: "ping"; zen: string; hookId: number; repository: string | null };

export type IgnoredEvent = { kind: "ignored"; event: string; action?: string };

export type WebhookEvent =
  | PushEvent
  | DeleteEvent
  | PullRequestEvent
  | ChecksEvent
  | PingEvent
  | IgnoredEvent;

export class PayloadError extends Error {
  override name = "PayloadError";
}

function commitSummary(c: z.infer<typeof commit>): CommitSummary {
  return {
    sha: c.id,
    message: c.message,
    timestamp: c.timestamp,
    author: { name: c.author.name, email: c.author.email ?? null },
  };
}

function requireBranch(name: string): string {
  if (!isValidBranchName(name))
    throw new PayloadError(`invalid branch name ${JSON.stringify(name.slice(0, 100))}`);
  return name;
}

function parse<T extends z.ZodType>(schema: T, payload: unknown, event: string): z.infer<T> {
  const result = schema.safeParse(payload);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new PayloadError(
      `${event} payload: ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`,
    );
  }
  return result.data;
}

/** Turns a verified payload into a typed event; throws PayloadError when it does not fit. */
export function toEvent(event: string, payload: unknown): WebhookEvent {
  switch (event) {
    case "push": {
      const p = parse(pushPayload, payload, event);
      const branch = p.ref.startsWith(BRANCH_REF_PREFIX)
        ? requireBranch(p.ref.slice(BRANCH_REF_PREFIX.length))
        : null;
      return {
        kind: "push",
        repository: p.repository.full_name,
        ref: p.ref,
        branch,
        before: p.before,
        after: p.after,
        created: p.created,
        deleted: p.deleted,
        forced: p.forced,
        commits: p.commits.map(commitSummary),
        headCommit: p.head_commit ? commitSummary(p.head_commit) : null,
        pusher: { name: p.pusher.name, email: p.pusher.email ?? null },
      };
    }
    case "delete": {
      const p = parse(deletePayload, payload, event);
      if (p.ref_type === "branch") requireBranch(p.ref);
      return { kind: "delete", repository: p.repository.full_name, refType: p.ref_type, ref: p.ref };
    }
    case "pull_request": {
      const p = parse(pullRequestPayload, payload, event);
      const action = PULL_REQUEST_ACTIONS.find((a) => a === p.action);
      if (!action) return { kind: "ignored", event, action: p.action };
      const pr = p.pull_request;
      return {
        kind: "pull_request",
        repository: p.repository.full_name,
        action,
        number: p.number,
        title: pr.title,
        url: pr.html_url,
        head: {
          ref: requireBranch(pr.head.ref),
          sha: pr.head.sha,
          repository: pr.head.repo?.full_name ?? null,
        },
        base: { ref: requireBranch(pr.base.ref), sha: pr.base.sha },
        merged: pr.merged === true,
      };
    }
    case "check_run": {
      const p = parse(checkRunPayload, payload, event);
      return { kind: "checks", event, repository: p.repository.full_name, sha: p.check_run.head_sha };
    }
    case "check_suite": {
      const p = parse(checkSuitePayload, payload, event);
      return { kind: "checks", event, repository: p.repository.full_name, sha: p.check_suite.head_sha };
    }
    case "status": {
      const p = parse(statusPayload, payload, event);
      return { kind: "checks", event, repository: p.repository.full_name, sha: p.sha };
    }
    case "ping": {
      const p = parse(pingPayload, payload, event);
      return { kind: "ping", zen: p.zen, hookId: p.hook_id, repository: p.repository?.full_name ?? null };
    }
    default:
      return { kind: "ignored", event };
  }
}
