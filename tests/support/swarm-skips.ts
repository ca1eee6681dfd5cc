// The build integration tests that do not run when the suites run on the test Swarm
// (RUNTIME=swarm, skip-list.ts): what checks the machine's own Docker Engine, and what the
// Swarm runtime does not do yet (packages/runtime/src/swarm/README.md, "Not done yet").
import type { SkipList } from "./skip-list";

export const SWARM_SKIPS: SkipList = {
  active: () => process.env.RUNTIME === "swarm",
  files: {},
  tests: {
    "tests/integration/builds/development.test.ts > development builds > the served container's command line names the config file and carries no secret":
      "inspects the container through the machine's Docker Engine; on the Swarm the build is a service on a node",
  },
};
