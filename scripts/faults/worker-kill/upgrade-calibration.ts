// The window a kill is drawn in is how long the kind takes whole here. An upgrade kind not yet
// measured in this run is run once whole first, on a project of its own (then deleted), so
// that kills spread over the whole attempt rather than its first seconds.
import type { UpgradeKind } from "./jobs";
import { type FaultPlatform, runToEnd } from "./platform";
import { productionOnSeries, upgradeChecksums } from "./upgrade-production";
import { createUpgradeProject, deleteUpgradeProject, startUpgrade, TO_SERIES } from "./upgrade-project";

export async function upgradeWindow(platform: FaultPlatform, kind: UpgradeKind): Promise<number> {
  const known = platform.durations.get(kind);
  if (known !== undefined) return known;
  const subject = await createUpgradeProject(platform, kind);
  const before = await upgradeChecksums(subject);
  const state = await runToEnd(platform, await startUpgrade(platform, subject, kind));
  if (!state.outcome.startsWith("SUCCEEDED"))
    throw new Error(`the ${kind} run whole to measure it did not succeed: ${state.outcome}`);
  if (kind === "production upgrade") {
    // What the trials accept as "upgraded whole" is what an upgrade nobody killed leaves.
    const after = await upgradeChecksums(subject);
    const series = await productionOnSeries(subject, TO_SERIES);
    if (after.now !== before.upgraded || series.length > 0)
      throw new Error(
        `the upgrade run whole left production other than the checks expect: ${before.upgraded} expected, ${after.now} found; ${series.join("; ")}`,
      );
  }
  process.stderr.write(`${kind}: ${platform.durations.get(kind)} ms whole\n`);
  await deleteUpgradeProject(platform, subject);
  return platform.durations.get(kind)!;
}
