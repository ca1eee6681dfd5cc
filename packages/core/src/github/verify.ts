// "Verify": what keeps the connection from working, in words: missing permission, webhook not
// delivered, key refused.
import { prisma } from "@gantry/db";
import { DEFAULT_WEBHOOK_EVENTS, GithubError } from "@gantry/github";
import { type Actor, assertCan } from "../access";
import { AppError } from "../errors";
import { projectClient, webhookUrl } from "./client";

export interface CheckResult {
  ok: boolean;
  problems: Array<{ code: string; message: string }>;
}

export interface ConnectionReport {
  repository: CheckResult & { private: boolean | null; defaultBranch: string | null };
  webhook: CheckResult & {
    lastDelivery: { guid: string; event: string; statusCode: number; deliveredAt: string } | null;
  };
  deployKey: CheckResult;
}

function failed(error: unknown): Array<{ code: string; message: string }> {
  if (error instanceof GithubError) return [{ code: error.code, message: error.message }];
  if (error instanceof AppError) return [{ code: error.code, message: error.message }];
  return [{ code: "unavailable", message: (error as Error)?.message ?? String(error) }];
}

export async function verifyGithub(actor: Actor, projectId: string): Promise<ConnectionReport> {
  assertCan(actor, "project_settings", { projectId });
  const project = await prisma().project.findUnique({ where: { id: projectId } });
  if (!project) throw new AppError("not_found", "No such project");
  const github = projectClient(project);
  const { githubOwner: owner, githubRepo: repo } = project;

  const report: ConnectionReport = {
    repository: { ok: false, problems: [], private: null, defaultBranch: null },
    webhook: { ok: false, problems: [], lastDelivery: null },
    deployKey: { ok: false, problems: [] },
  };
  try {
    const r = await github.getRepository(owner, repo);
    report.repository.private = r.private;
    report.repository.defaultBranch = r.defaultBranch;
    if (r.permissions && !r.permissions.admin) {
      report.repository.problems.push({
        code: "no_permission",
        message: "the credentials lack admin access (webhook and deploy key cannot be managed)",
      });
    }
    if (r.archived)
      report.repository.problems.push({ code: "archived", message: "the repository is archived" });
  } catch (error) {
    report.repository.problems.push(...failed(error));
  }
  report.repository.ok = report.repository.problems.length === 0;

  try {
    const check = await github.verifyWebhook(owner, repo, {
      url: webhookUrl(),
      events: DEFAULT_WEBHOOK_EVENTS,
    });
    report.webhook.problems.push(...check.problems);
    if (check.lastDelivery) {
      report.webhook.lastDelivery = {
        guid: check.lastDelivery.guid,
        event: check.lastDelivery.event,
        statusCode: check.lastDelivery.statusCode,
        deliveredAt: check.lastDelivery.deliveredAt,
      };
    } else if (check.hook) {
      report.webhook.problems.push({
        code: "never_delivered",
        message: "GitHub has not delivered any event yet",
      });
    }
  } catch (error) {
    report.webhook.problems.push(...failed(error));
  }
  // A hook without deliveries may simply be new: that alone is a warning, not a failure.
  report.webhook.ok = report.webhook.problems.every((p) => p.code === "never_delivered");

  if (!project.deployKeyPublic) {
    report.deployKey.problems.push({
      code: "no_key",
      message: "no deploy key was generated yet: connect first",
    });
  } else {
    try {
      const check = await github.verifyDeployKey(owner, repo, project.deployKeyPublic);
      report.deployKey.problems.push(...check.problems);
    } catch (error) {
      report.deployKey.problems.push(...failed(error));
    }
  }
  report.deployKey.ok = report.deployKey.problems.length === 0;
  return report;
}
