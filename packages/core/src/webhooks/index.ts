export * from "./deliveries";
export { handleWebhook, type WebhookAnswer } from "./handle";
