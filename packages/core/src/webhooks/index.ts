export * from "./deliveries";
export { handleWebhook, readWebhookBody, type WebhookAnswer } from "./handle";
