export { type GithubStandin, type RecordedRequest, startGithubStandin } from "./server";
export type { RepoSeed, StandinDelivery, StandinHook, StandinRepo, StandinState } from "./state";
export {
  pullRequestPayload,
  pushPayload,
  signWebhook,
  type WebhookDelivery,
  webhookExample,
  webhookExamples,
  webhookRequest,
} from "./webhooks";
