// The scheduler's job: every serving build's odoo.log read on from its last scan. A build
// whose log cannot be read is logged and skipped; the others go on.
import { bestEffort } from "@gantry/config";
import { servingFilter } from "@gantry/core";
import { prisma } from "@gantry/db";
import type { JobHandler } from "../handler";
import { scanBuildErrors } from "./scan";

export const scanErrorLogsJob: JobHandler<"maintenance.scan-error-logs"> = async (_payload, context) => {
  const builds = await prisma().build.findMany({
    where: { ...servingFilter, status: "DONE" },
    select: { id: true },
  });
  const total = { builds: builds.length, lines: 0, occurrences: 0 };
  for (const build of builds) {
    const result = await bestEffort(
      "scanning a server log for errors",
      scanBuildErrors(build.id, { files: ["odoo.log"] }),
      {
        logger: context.logger,
        fields: { buildId: build.id },
      },
    );
    total.lines += result?.lines ?? 0;
    total.occurrences += result?.occurrences ?? 0;
  }
  return total;
};
