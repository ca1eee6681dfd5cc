// One attempt at one delivery: the message rendered for the channel's kind, sent (HTTP POST or
// SMTP through SMTP_URL), and the attempt kept with its HTTP code or SMTP answer and error. The
// receiver's answer body is never read into the log: a webhook URL may point anywhere, and
// what it answers is not Gantry's to show.
import { config } from "@gantry/config";
import { type NotificationChannel, prisma } from "@gantry/db";
import { redact } from "@gantry/secrets";
import { channelSecrets } from "./channels";
import { mailMessage, slackMessage, teamsMessage, webhookBody } from "./format";
import { projectAdmins } from "./mail";
import type { NoticeView } from "./notice";
import { deliveryHeader, eventHeader, signatureHeader, signBody } from "./signature";

// Loaded when a mail is sent, not with the process: about 12 MB that a worker idles without.
const nodemailer = () => import("nodemailer");

const HTTP_TIMEOUT_MS = 15_000;

export interface AttemptOutcome {
  ok: boolean;
  /** Worth another try later (network trouble, 5xx, 408, 429); false for a final refusal. */
  retryable: boolean;
  httpStatus?: number;
  smtpAnswer?: string;
  error?: string;
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<AttemptOutcome> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": "Gantry-Notifications", ...headers },
    body,
    // A redirect is the receiver's mistake, not an invitation to post elsewhere.
    redirect: "manual",
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  });
  await response.body?.cancel();
  const status = response.status;
  if (status >= 200 && status < 300) return { ok: true, retryable: false, httpStatus: status };
  const retryable = status >= 500 || status === 408 || status === 429;
  return { ok: false, retryable, httpStatus: status, error: `HTTP ${status}` };
}

async function sendMail(channel: NotificationChannel, view: NoticeView): Promise<AttemptOutcome> {
  const smtp = config().SMTP_URL;
  if (!smtp) return { ok: false, retryable: false, error: "SMTP_URL is not set" };
  const to = channel.recipients.length > 0 ? channel.recipients : await projectAdmins(channel.projectId);
  if (to.length === 0)
    return { ok: false, retryable: false, error: "no recipient (the project has no Admin)" };
  const message = mailMessage(view);
  // Bounded, so a silent SMTP server fails the attempt well inside the job's time.
  const transport = (await nodemailer()).createTransport({
    url: smtp,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
  try {
    const info = await transport.sendMail({ from: config().MAIL_FROM, to, ...message });
    return { ok: true, retryable: false, smtpAnswer: String(info.response ?? "").slice(0, 500) };
  } finally {
    transport.close();
  }
}

async function send(
  channel: NotificationChannel,
  view: NoticeView,
  deliveryId: string,
): Promise<AttemptOutcome> {
  if (channel.kind === "MAIL") return sendMail(channel, view);
  const { url, secret } = channelSecrets(channel);
  if (!url) return { ok: false, retryable: false, error: "the channel has no URL" };
  if (channel.kind === "SLACK") return post(url, JSON.stringify(slackMessage(view)), {});
  if (channel.kind === "TEAMS") return post(url, JSON.stringify(teamsMessage(view)), {});
  const body = webhookBody(view, deliveryId, new Date());
  return post(url, body, {
    [eventHeader]: view.event,
    [deliveryHeader]: deliveryId,
    ...(secret ? { [signatureHeader]: signBody(body, secret) } : {}),
  });
}

function describeFailure(error: unknown, secrets: (string | null)[]): string {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
  const text = error instanceof Error ? `${error.message}${cause}` : String(error);
  return redact(text, secrets).slice(0, 1000);
}

/**
 * Sends the delivery once and records it. `final` says no retry follows: a failure then ends
 * the delivery as FAILED; otherwise it waits as RETRYING.
 */
export async function attemptDelivery(
  deliveryId: string,
  attempt: number,
  final: boolean,
): Promise<AttemptOutcome> {
  const delivery = await prisma().notificationDelivery.findUnique({
    where: { id: deliveryId },
    include: { channel: true },
  });
  if (!delivery) return { ok: false, retryable: false, error: "the delivery is gone" };
  if (delivery.status === "DELIVERED") return { ok: true, retryable: false };
  const started = performance.now();
  let outcome: AttemptOutcome;
  try {
    outcome = await send(delivery.channel, delivery.payload as unknown as NoticeView, delivery.id);
  } catch (error) {
    const secrets = delivery.channel.kind === "MAIL" ? [] : Object.values(channelSecrets(delivery.channel));
    outcome = { ok: false, retryable: true, error: describeFailure(error, secrets) };
  }
  const ended = outcome.ok || final || !outcome.retryable;
  await prisma().$transaction([
    prisma().notificationAttempt.create({
      data: {
        deliveryId,
        attempt,
        ok: outcome.ok,
        httpStatus: outcome.httpStatus ?? null,
        smtpAnswer: outcome.smtpAnswer ?? null,
        error: outcome.error ?? null,
        durationMs: Math.round(performance.now() - started),
      },
    }),
    prisma().notificationDelivery.update({
      where: { id: deliveryId },
      data: {
        attempts: { increment: 1 },
        status: outcome.ok ? "DELIVERED" : ended ? "FAILED" : "RETRYING",
        lastError: outcome.ok ? null : (outcome.error ?? null),
        ...(ended ? { finishedAt: new Date() } : {}),
      },
    }),
  ]);
  return outcome;
}
