// Which series a branch may be upgraded to: the major series newer than the one it runs, for
// which the Odoo image exists on the Docker Engine (asked through packages/runtime).

import { compareSeries, parseSeries } from "@gantry/backup";
import { config } from "@gantry/config";
import { DockerRuntime } from "@gantry/runtime";

/** The series Gantry offers as targets, oldest first (Odoo.sh offers the major ones). */
export const upgradeSeries = ["16.0", "17.0", "18.0", "19.0"] as const;

let runtime: DockerRuntime | undefined;

export function imageOf(series: string): string {
  return `${config().ODOO_IMAGE}:${series}`;
}

/** The newer series with an image, oldest first. */
export async function availableTargets(current: string): Promise<string[]> {
  if (!parseSeries(current)) return [];
  runtime ??= new DockerRuntime({ host: config().DOCKER_HOST });
  const newer = upgradeSeries.filter((series) => compareSeries(series, current) > 0);
  const present = await Promise.all(newer.map((series) => runtime!.imageExists(imageOf(series))));
  return newer.filter((_, i) => present[i]);
}
