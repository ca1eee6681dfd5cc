// The default engine: the target series updates every module itself (`-u all`), running each
// module's `migrations/<version>/pre-|post-|end-*.py` on the way.
import type { UpgradeEngine } from "../engine";

export const scriptsEngine: UpgradeEngine = {
  name: "scripts",
  async upgrade(context) {
    return { exitCode: await context.runOdooUpdate() };
  },
};
