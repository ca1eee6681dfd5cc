// The stage handler of a build: development, staging or production.
import type { Stage } from "@gantry/core";
import { development } from "./development";
import { production } from "./production";
import { staging } from "./staging";
import type { StageHandler } from "./types";

const handlers: Record<Stage, StageHandler> = {
  DEVELOPMENT: development,
  STAGING: staging,
  PRODUCTION: production,
};

export function stageHandler(stage: Stage): StageHandler {
  return handlers[stage];
}
