// Writing what a scan found: occurrences into their project's groups (made on first sight),
// each (build, file, line) once, the group's count, first and last seen and stages kept with
// them; the notification hook when a group first reaches production.
import { type Prisma, prisma } from "@gantry/db";
import type { ErrorOccurrenceFound } from "@gantry/odoo";
import { tracebackException } from "@gantry/odoo";
import { type ErrorGroupBuild, onNewErrorGroup } from "./on-new-group";

export interface ScannedBuild extends ErrorGroupBuild {
  projectId: string;
}

const TITLE_CHARS = 300;

function titleOf(found: ErrorOccurrenceFound): string {
  const head = found.logger ? `${found.logger}: ${found.message}` : found.message;
  return head.split("\n")[0]?.slice(0, TITLE_CHARS) ?? "";
}

function exceptionOf(found: ErrorOccurrenceFound): string | null {
  // The raw exception line (not normalised), so the page shows what was written.
  const lines = found.text.split("\n");
  if (tracebackException(lines) === null) return null;
  for (let i = lines.length - 1; i > 0; i -= 1) {
    const line = lines[i] as string;
    if (line.trim() !== "" && !/^\s/.test(line)) return line.slice(0, TITLE_CHARS);
  }
  return null;
}

interface UpsertedGroup {
  id: string;
  title: string;
  oldStages: string[] | null;
}

/** Records the occurrences found in one log file of a build; returns how many were new. */
export async function recordErrorOccurrences(
  build: ScannedBuild,
  file: string,
  found: readonly ErrorOccurrenceFound[],
  scannedAt = new Date(),
): Promise<number> {
  const byFingerprint = new Map<string, ErrorOccurrenceFound[]>();
  for (const occurrence of found) {
    const list = byFingerprint.get(occurrence.fingerprint) ?? [];
    list.push(occurrence);
    byFingerprint.set(occurrence.fingerprint, list);
  }
  let inserted = 0;
  for (const [fingerprint, list] of byFingerprint) {
    const first = list[0] as ErrorOccurrenceFound;
    const times = list.map((o) => (o.at ?? scannedAt).getTime());
    const firstAt = new Date(Math.min(...times));
    const lastAt = new Date(Math.max(...times));
    // One statement, so two scans of the same project never race to create the same group.
    const [group] = await prisma().$queryRaw<UpsertedGroup[]>`
      WITH old AS (
        SELECT stages FROM "ErrorGroup" WHERE "projectId" = ${build.projectId} AND fingerprint = ${fingerprint}
      )
      INSERT INTO "ErrorGroup" (id, "projectId", fingerprint, title, logger, exception,
                                "firstSeenAt", "lastSeenAt", count, stages)
      VALUES (${`eg${crypto.randomUUID().replace(/-/g, "")}`}, ${build.projectId}, ${fingerprint},
              ${titleOf(first)}, ${first.logger}, ${exceptionOf(first)}, ${firstAt}, ${lastAt}, 0,
              ARRAY[${build.stage}]::"Stage"[])
      ON CONFLICT ("projectId", fingerprint) DO UPDATE SET
        stages = CASE WHEN ${build.stage}::"Stage" = ANY("ErrorGroup".stages) THEN "ErrorGroup".stages
                      ELSE array_append("ErrorGroup".stages, ${build.stage}::"Stage") END
      RETURNING id, title, (SELECT stages::text[] FROM old) AS "oldStages"`;
    if (!group) continue;
    const rows: Prisma.ErrorOccurrenceCreateManyInput[] = list.map((o) => ({
      groupId: group.id,
      buildId: build.id,
      branchId: build.branchId,
      stage: build.stage,
      file,
      line: o.line,
      at: o.at ?? scannedAt,
      level: o.level,
      logger: o.logger,
      message: o.message,
      text: o.text,
    }));
    const { count } = await prisma().errorOccurrence.createMany({ data: rows, skipDuplicates: true });
    if (count > 0) {
      // Times of records already counted are among these too: LEAST/GREATEST keep it exact.
      await prisma().$executeRaw`
        UPDATE "ErrorGroup" SET count = count + ${count},
          "firstSeenAt" = LEAST("firstSeenAt", ${firstAt}), "lastSeenAt" = GREATEST("lastSeenAt", ${lastAt})
        WHERE id = ${group.id}`;
    }
    inserted += count;
    const wasOnProduction = group.oldStages?.includes("PRODUCTION") ?? false;
    if (build.stage === "PRODUCTION" && !wasOnProduction && count > 0) {
      await onNewErrorGroup(
        { id: group.id, projectId: build.projectId, title: group.title, fingerprint },
        build,
      );
    }
  }
  return inserted;
}
