// The build integration tests that do not run when the suites run on the test Swarm
// (RUNTIME=swarm, the integration-swarm project; skip-list.ts): what checks the machine's own
// Docker Engine, what runs no build on the runtime at all, and what the run leaves out to stay
// within CI's time (each stage's build, serving, sleep and wake, rebuild and deletion stay in).
// The README lists the same.
import type { SkipList } from "./skip-list";

const ENGINE = "checks through the machine's own Docker Engine";
const NO_RUNTIME = "runs no build on the runtime";
const TIME =
  "left out of the Swarm run for CI time: its builds are the ones the files kept run, what it adds is the worker's logic";

export const SWARM_SKIPS: SkipList = {
  active: () => process.env.RUNTIME === "swarm",
  files: {
    "tests/integration/builds/previews.test.ts": `${ENGINE} (docker inspect of the serving container's environment and networks)`,
    "tests/integration/builds/production-crash.test.ts": `${ENGINE} (docker pause of the updating container, a DockerRuntime of its own)`,
    "tests/integration/builds/worker-crash.test.ts": `${ENGINE} (what is left, through a DockerRuntime of its own)`,
    "tests/integration/builds/api.test.ts": `${NO_RUNTIME} (the builds API's use-cases and the log tail)`,
    "tests/integration/builds/database-copy.test.ts": `${NO_RUNTIME} (the live copy on PostgreSQL)`,
    "tests/integration/builds/error-scan.test.ts": `${NO_RUNTIME} (the error scan of a log file the test writes)`,
    "tests/integration/builds/ssh-clone.test.ts": `${NO_RUNTIME} (the clone, on the worker's machine)`,
    "tests/integration/builds/submodule-token.test.ts": `${NO_RUNTIME} (the clone, on the worker's machine)`,
    "tests/integration/builds/changed-modules.test.ts": TIME,
    "tests/integration/builds/deploy-gates.test.ts": TIME,
    "tests/integration/builds/dev-settings.test.ts": TIME,
    "tests/integration/builds/errors.test.ts": TIME,
    "tests/integration/builds/notify.test.ts": TIME,
    "tests/integration/builds/odoo-revisions.test.ts": TIME,
    "tests/integration/builds/pg-traps.test.ts": TIME,
    "tests/integration/builds/preview-copy.test.ts": TIME,
  },
  tests: {
    "tests/integration/builds/development.test.ts > development builds > the served container's command line names the config file and carries no secret": `${ENGINE} (docker inspect of the serving container's command line)`,
  },
};
