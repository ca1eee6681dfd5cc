// One message per channel kind from a NoticeView. Titles and facts may hold tenant text
// (branch names, commit messages, error lines): Slack's mrkdwn and Teams' markdown get it
// escaped, so it can neither mention people, nor link elsewhere, nor change the layout.
import type { NoticeView } from "./notice";

const MAX_LINE = 300;

function clip(text: string, max = MAX_LINE): string {
  const oneLine = text.replace(/[\r\n\t]+/g, " ").trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/** Slack's three control characters; with `<` gone no <!channel>, <@user> or <url|label>. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Markdown and HTML-ish characters Teams would interpret, backslash-escaped or spelled out. */
export function escapeTeams(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_{}[\]()#+\-.!|~])/g, "\\$1");
}

export function slackMessage(view: NoticeView): Record<string, unknown> {
  const title = clip(view.title, 150);
  const body = view.lines.map((line) => escapeSlack(clip(line))).join("\n");
  const link = view.link ? `\n<${view.link.replace(/[|>]/g, "")}|Open in Gantry>` : "";
  return {
    text: escapeSlack(title),
    blocks: [
      { type: "header", text: { type: "plain_text", text: title, emoji: false } },
      ...(body || link ? [{ type: "section", text: { type: "mrkdwn", text: `${body}${link}`.trim() } }] : []),
    ],
  };
}

export function teamsMessage(view: NoticeView): Record<string, unknown> {
  const blocks: Record<string, unknown>[] = [
    {
      type: "TextBlock",
      text: escapeTeams(clip(view.title, 150)),
      weight: "Bolder",
      size: "Medium",
      wrap: true,
    },
    ...view.lines.map((line) => ({
      type: "TextBlock",
      text: escapeTeams(clip(line)),
      wrap: true,
      spacing: "None",
    })),
  ];
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          body: blocks,
          ...(view.link
            ? { actions: [{ type: "Action.OpenUrl", title: "Open in Gantry", url: view.link }] }
            : {}),
        },
      },
    ],
  };
}

/** The generic webhook's JSON body: stable field names receivers can rely on. */
export function webhookBody(view: NoticeView, deliveryId: string, at: Date): string {
  return JSON.stringify({
    delivery: deliveryId,
    event: view.event,
    at: at.toISOString(),
    title: view.title,
    lines: view.lines,
    url: view.link,
    data: view.data,
  });
}

/** Mail is plain text; a caller's own full text (an upgrade's report) replaces the short one. */
export function mailMessage(view: NoticeView): { subject: string; text: string } {
  const text =
    view.details ?? [view.title, "", ...view.lines, ...(view.link ? ["", view.link] : [])].join("\n");
  return { subject: `[Gantry] ${clip(view.title, 200)}`, text };
}
