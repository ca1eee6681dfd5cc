export interface ChannelItem {
  id: string;
  kind: "MAIL" | "SLACK" | "TEAMS" | "WEBHOOK";
  name: string;
  enabled: boolean;
  events: string[];
  recipients: string[];
  targetHint: string | null;
  hasSecret: boolean;
}

export interface DeliveryItem {
  id: string;
  channelName: string;
  channelKind: string;
  event: string;
  title: string;
  status: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  attemptLog: {
    attempt: number;
    ok: boolean;
    httpStatus: number | null;
    smtpAnswer: string | null;
    error: string | null;
  }[];
}

export const kindLabels: Record<ChannelItem["kind"], string> = {
  MAIL: "Mail",
  SLACK: "Slack",
  TEAMS: "Microsoft Teams",
  WEBHOOK: "Webhook (signed)",
};

/** What an attempt's receiver answered, in a few characters. */
export function answerOf(a: DeliveryItem["attemptLog"][number]): string {
  if (a.httpStatus !== null) return `HTTP ${a.httpStatus}`;
  if (a.smtpAnswer) return a.smtpAnswer;
  return a.error ?? "";
}
