export { type ChecksMode, type ChecksVerdict, checksVerdict } from "./checks";
export { deployNow } from "./deploy-now";
export { evaluateGate, evaluateWaitingBuilds, type GateOutcome, releaseBuild } from "./evaluate";
export { hasGates, holdBuild } from "./hold";
export { type GateCheckView, type GateRow, gateChecksOf, gateSelect, gateView } from "./view";
export {
  type DeployWindow,
  describeWindow,
  isTimeZone,
  isWindowOpen,
  nextOpening,
  wallClock,
  windowOf,
} from "./window";
