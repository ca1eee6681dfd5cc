// The editor's changes: what differs from the build's commit, one file on both sides for the
// diff view, and a commit of everything pushed to the build's branch under the signed-in
// person's name. The push is then taken as GitHub's push delivery would be (same use-case,
// same idempotence), so the branch builds at once; the delivery that follows finds it known.
import { prisma } from "@gantry/db";
import {
  commitAll,
  GitError,
  pushHead,
  readFileAt,
  runGit,
  type WorktreeChange,
  worktreeChanges,
} from "@gantry/git";
import { z } from "zod";
import type { Actor } from "../access";
import { recordAudit } from "../audit";
import { AppError, parseInput } from "../errors";
import { reportBuildStatus } from "../github/feedback";
import { createLogger } from "../logger";
import { onPush } from "../webhooks/events";
import { pathSegments } from "./checkout-path";
import { MAX_EDITOR_FILE_BYTES, readEditorFile } from "./files";
import { pushTarget } from "./push-target";
import { editorBuild } from "./target";

export async function editorChanges(
  actor: Actor,
  buildId: string,
): Promise<{ commitSha: string; changes: WorktreeChange[] }> {
  const build = await editorBuild(actor, buildId, "read");
  return { commitSha: build.commitSha, changes: await worktreeChanges(build.checkout, build.commitSha) };
}

/** One file as the build's commit has it and as the work tree has it (null where it is absent). */
export async function editorFileDiff(
  actor: Actor,
  buildId: string,
  path: string,
): Promise<{ path: string; original: string | null; current: string | null; binary: boolean }> {
  pathSegments(path);
  const build = await editorBuild(actor, buildId, "read");
  const current = await readEditorFile(actor, buildId, path).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "not_found") return null;
    throw error;
  });
  const original = await readFileAt(build.checkout, build.commitSha, path);
  if ((original?.length ?? 0) > MAX_EDITOR_FILE_BYTES) {
    throw new AppError(
      "too_large",
      `${path} is larger than ${MAX_EDITOR_FILE_BYTES} bytes at the build's commit`,
    );
  }
  // Read as UTF-8: a binary blob shows NUL bytes or replacement characters.
  const binary = current?.binary === true || /[\0\uFFFD]/.test(original ?? "");
  return {
    path,
    original: binary ? null : original,
    current: binary ? null : (current?.content ?? null),
    binary,
  };
}

export const commitInput = z.object({
  message: z
    .string()
    .trim()
    .min(1, "a commit needs a message")
    .max(5000)
    .refine((m) => !m.includes("\0"), "no NUL bytes"),
});

export interface EditorCommit {
  sha: string;
  branch: string;
  /** The build the push queued (or held by the branch's gates), if the branch builds on push. */
  buildId: string | null;
}

export async function commitAndPush(
  actor: Actor,
  buildId: string,
  input: z.input<typeof commitInput>,
): Promise<EditorCommit> {
  const { message } = parseInput(commitInput, input);
  const build = await editorBuild(actor, buildId, "write");
  const user = await prisma().user.findUnique({
    where: { id: actor.userId },
    select: { name: true, email: true },
  });
  if (!user) throw new AppError("unauthorized", "no such user");
  const author = { name: user.name.trim() || user.email, email: user.email };
  const commit = await commitAll(build.checkout, message, author);
  if (!commit) throw new AppError("conflict", "nothing to commit: the work tree has no change");
  const target = await pushTarget(build.projectId);
  try {
    await pushHead(build.checkout, {
      url: target.url,
      branch: build.branchName,
      env: target.env,
      secrets: target.secrets,
      allowFileProtocol: target.allowFileProtocol,
    });
  } catch (error) {
    // The commit stays in the work tree: pushed again once the cause is fixed.
    await undoCommit(build.checkout);
    if (error instanceof GitError && /non-fast-forward|fetch first|rejected/.test(error.stderr)) {
      throw new AppError(
        "conflict",
        `${build.branchName} moved on since this build: build its newest commit and edit there`,
      );
    }
    throw new AppError("unavailable", `the push was refused: ${(error as Error).message}`);
  }
  await recordAudit({
    action: "build.editor_commit",
    projectId: build.projectId,
    userId: actor.userId,
    target: build.id,
    data: { sha: commit.sha, branch: build.branchName },
  });
  const outcome = await onPush(build.projectId, {
    kind: "push",
    repository: "",
    ref: `refs/heads/${build.branchName}`,
    branch: build.branchName,
    before: build.commitSha,
    after: commit.sha,
    created: false,
    deleted: false,
    forced: false,
    commits: [],
    headCommit: {
      sha: commit.sha,
      message,
      timestamp: new Date().toISOString(),
      author: { name: author.name, email: author.email },
    },
    pusher: { name: author.name, email: author.email },
  });
  for (const queued of outcome.builds) {
    void reportBuildStatus(queued.id).catch((err: unknown) =>
      createLogger("editor").warn({ err, buildId: queued.id }, "pending status not sent"),
    );
  }
  return { sha: commit.sha, branch: build.branchName, buildId: outcome.builds[0]?.id ?? null };
}

/** A commit that could not be pushed goes back to being changes of the work tree. */
async function undoCommit(dir: string): Promise<void> {
  await runGit(["reset", "--quiet", "--soft", "HEAD~1"], { cwd: dir }).catch(() => undefined);
}
