// Integration setup file: the Swarm a build test environment formed (build-swarm.ts) goes at
// the end of its file, after the file's own hooks have cleaned their builds through it
// (vitest runs `afterAll` hooks last-registered first).
import { afterAll } from "vitest";
import { endBuildSwarm } from "./build-swarm";

afterAll(() => endBuildSwarm(), 180_000);
