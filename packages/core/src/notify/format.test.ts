import { describe, expect, it } from "vitest";
import { escapeSlack, escapeTeams, mailMessage, slackMessage, teamsMessage, webhookBody } from "./format";
import type { NoticeView } from "./notice";

const hostile: NoticeView = {
  event: "build.failed",
  title: "Build failed: ACME / <!channel> *boom*",
  lines: ["Branch: <https://evil.example|click> (production)", "Error: line one\nline two & more"],
  link: "https://gantry.example.com/projects/p1/builds/b1",
  data: { projectId: "p1", buildId: "b1" },
};

describe("notification messages", () => {
  it("escapes Slack's control characters, so tenant text mentions nobody and links nowhere", () => {
    expect(escapeSlack("<!here> & <@U1>")).toBe("&lt;!here&gt; &amp; &lt;@U1&gt;");
    const message = slackMessage(hostile) as {
      text: string;
      blocks: { type: string; text: { type: string; text: string } }[];
    };
    // The header is plain_text (Slack formats nothing there); the rest is mrkdwn, escaped.
    expect(message.blocks[0]?.text).toEqual({ type: "plain_text", text: hostile.title, emoji: false });
    const text = `${message.text}\n${message.blocks[1]?.text.text}`;
    expect(message.blocks[1]?.text.type).toBe("mrkdwn");
    expect(text).not.toContain("<!channel>");
    expect(text).not.toContain("<https://evil.example|click>");
    expect(message.text).toBe("Build failed: ACME / &lt;!channel&gt; *boom*");
    // The one link is Gantry's own page.
    expect(text).toContain("<https://gantry.example.com/projects/p1/builds/b1|Open in Gantry>");
    // Multi-line tenant text stays on its line.
    expect(text).toContain("Error: line one line two &amp; more");
  });

  it("escapes Teams markdown and keeps the link as the card's action", () => {
    expect(escapeTeams("[x](http://e) *b* <i>")).toBe("\\[x\\]\\(http://e\\) \\*b\\* &lt;i&gt;");
    const text = JSON.stringify(teamsMessage(hostile));
    expect(text).not.toContain("[click]");
    expect(text).not.toContain("<https://evil");
    expect(text).toContain('"type":"Action.OpenUrl"');
    expect(text).toContain('"url":"https://gantry.example.com/projects/p1/builds/b1"');
  });

  it("gives the generic webhook stable JSON with the delivery and event", () => {
    const body = JSON.parse(webhookBody(hostile, "d1", new Date("2026-01-02T03:04:05Z")));
    expect(body).toEqual({
      delivery: "d1",
      event: "build.failed",
      at: "2026-01-02T03:04:05.000Z",
      title: hostile.title,
      lines: hostile.lines,
      url: hostile.link,
      data: { projectId: "p1", buildId: "b1" },
    });
  });

  it("mails a short text with the link, or the caller's whole text when given", () => {
    const mail = mailMessage(hostile);
    expect(mail.subject).toBe("[Gantry] Build failed: ACME / <!channel> *boom*");
    expect(mail.text).toContain("https://gantry.example.com/projects/p1/builds/b1");
    expect(mailMessage({ ...hostile, details: "the report" }).text).toBe("the report");
  });
});
