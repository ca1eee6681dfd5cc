import { z } from "zod";
import { defineEndpoint } from "../endpoint";

const when = z.string().describe("ISO timestamp");
const buildParams = z.object({ buildId: z.string().min(1).max(100) });
const mailParams = buildParams.extend({ mailId: z.string().min(1).max(100) });

export const mailSummary = z
  .object({
    id: z.string(),
    mailFrom: z.string().describe("The envelope sender (MAIL FROM)"),
    rcptTo: z.array(z.string()).describe("The envelope recipients (RCPT TO)"),
    subject: z.string(),
    size: z.number().int().describe("Bytes of the raw message"),
    receivedAt: when,
  })
  .meta({ id: "BuildMail" });

export const mailDetail = mailSummary
  .extend({
    headers: z.array(z.object({ name: z.string(), value: z.string() })).describe("In the message's order"),
    text: z.string().nullable().describe("The plain-text part"),
    hasHtml: z.boolean().describe("Whether an HTML part exists (served sandboxed at .../html)"),
    attachments: z.array(
      z.object({
        index: z.number().int(),
        filename: z.string(),
        contentType: z.string(),
        size: z.number().int(),
        inline: z.boolean(),
      }),
    ),
  })
  .meta({ id: "BuildMailDetail" });

export const listMails = defineEndpoint({
  method: "get",
  path: "/api/v1/builds/{buildId}/mails",
  summary: "The mails a staging or development build sent, caught and never delivered; newest first",
  tags: ["mails"],
  access: "signed-in",
  params: buildParams,
  query: z.object({
    search: z.string().max(200).optional().describe("Words of the sender, recipients, subject or text"),
    take: z.coerce.number().int().min(1).max(500).optional(),
  }),
  output: z.object({ mails: z.array(mailSummary) }),
  errors: ["forbidden", "not_found"],
});

export const getMail = defineEndpoint({
  method: "get",
  path: "/api/v1/builds/{buildId}/mails/{mailId}",
  summary: "One caught mail: headers, text part, attachments",
  tags: ["mails"],
  access: "signed-in",
  params: mailParams,
  output: mailDetail,
  errors: ["forbidden", "not_found"],
});

export const getMailHtml = defineEndpoint({
  method: "get",
  path: "/api/v1/builds/{buildId}/mails/{mailId}/html",
  summary:
    "The HTML part, served under a Content-Security-Policy that forbids scripts and remote loads " +
    "(inline images are data: URIs); meant for a sandboxed frame",
  tags: ["mails"],
  access: "signed-in",
  params: mailParams,
  output: z.string().describe("text/html"),
  errors: ["forbidden", "not_found"],
});

export const downloadMailAttachment = defineEndpoint({
  method: "get",
  path: "/api/v1/builds/{buildId}/mails/{mailId}/attachments/{index}",
  summary: "Download one attachment of a caught mail",
  tags: ["mails"],
  access: "signed-in",
  params: mailParams.extend({ index: z.coerce.number().int().min(0).max(10_000) }),
  output: z.string().describe("The attachment's bytes"),
  errors: ["forbidden", "not_found"],
});

export const downloadRawMail = defineEndpoint({
  method: "get",
  path: "/api/v1/builds/{buildId}/mails/{mailId}/raw",
  summary: "Download a caught mail as it was sent (message/rfc822, .eml)",
  tags: ["mails"],
  access: "signed-in",
  params: mailParams,
  output: z.string().describe("message/rfc822"),
  errors: ["forbidden", "not_found"],
});

export const mailEndpoints = [
  listMails,
  getMail,
  getMailHtml,
  downloadMailAttachment,
  downloadRawMail,
] as const;
