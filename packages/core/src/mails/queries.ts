// Reading a build's caught mails, behind the "mails" right of its stage: the list (with a text
// search), one mail parsed into headers, text, HTML and attachments, an attachment, the raw
// message. The HTML is handed out as the mail wrote it: the web serves it sandboxed.
import { prisma } from "@gantry/db";
import { type ParsedMail, simpleParser } from "mailparser";
import { type Actor, assertCan } from "../access";
import { AppError } from "../errors";

const listFields = {
  id: true,
  mailFrom: true,
  rcptTo: true,
  subject: true,
  size: true,
  receivedAt: true,
} as const;

async function buildWithMails(actor: Actor, buildId: string) {
  const build = await prisma().build.findUnique({
    where: { id: buildId },
    select: { id: true, projectId: true, stage: true },
  });
  if (!build) throw new AppError("not_found", "build not found");
  assertCan(actor, "mails", { projectId: build.projectId, stage: build.stage });
  return build;
}

/** Newest first; `search` matches sender, recipients, subject or text, ignoring case. */
export async function listBuildMails(
  actor: Actor,
  buildId: string,
  options: { search?: string; take?: number } = {},
) {
  await buildWithMails(actor, buildId);
  const search = options.search?.trim();
  const contains = search ? { contains: search, mode: "insensitive" as const } : undefined;
  return prisma().buildMail.findMany({
    where: {
      buildId,
      ...(contains
        ? {
            OR: [
              { mailFrom: contains },
              { subject: contains },
              { text: contains },
              { rcptTo: { has: search } },
            ],
          }
        : {}),
    },
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    take: Math.min(Math.max(options.take ?? 100, 1), 500),
    select: listFields,
  });
}

/** The raw message of one mail (RFC 5322 bytes) with its list fields. */
export async function getRawMail(actor: Actor, buildId: string, mailId: string) {
  await buildWithMails(actor, buildId);
  const mail = await prisma().buildMail.findFirst({
    where: { id: mailId, buildId },
    select: { ...listFields, raw: true },
  });
  if (!mail) throw new AppError("not_found", "mail not found");
  return { ...mail, raw: Buffer.from(mail.raw) };
}

function parse(raw: Buffer): Promise<ParsedMail> {
  // Inline images (cid:) become data: URIs, so the HTML shows them without any request.
  return simpleParser(raw, { skipTextToHtml: true });
}

function headerLines(parsed: ParsedMail): { name: string; value: string }[] {
  return parsed.headerLines.map((line) => {
    const colon = line.line.indexOf(":");
    return {
      name: colon > 0 ? line.line.slice(0, colon) : line.key,
      value: (colon > 0 ? line.line.slice(colon + 1) : line.line).replace(/\r?\n[ \t]+/g, " ").trim(),
    };
  });
}

/** One mail parsed: list fields, headers in order, the text and HTML parts, the attachments. */
export async function getBuildMail(actor: Actor, buildId: string, mailId: string) {
  const { raw, ...fields } = await getRawMail(actor, buildId, mailId);
  const parsed = await parse(raw);
  return {
    ...fields,
    headers: headerLines(parsed),
    text: parsed.text ?? null,
    html: parsed.html === false ? null : (parsed.html ?? null),
    attachments: parsed.attachments.map((attachment, index) => ({
      index,
      filename: attachment.filename ?? `attachment-${index + 1}`,
      contentType: attachment.contentType,
      size: attachment.size,
      inline: attachment.contentDisposition === "inline" || Boolean(attachment.related),
    })),
  };
}

/** One attachment's bytes, by its position in the mail. */
export async function getMailAttachment(actor: Actor, buildId: string, mailId: string, index: number) {
  const { raw } = await getRawMail(actor, buildId, mailId);
  const attachment = (await parse(raw)).attachments[index];
  if (!attachment) throw new AppError("not_found", "no such attachment");
  return {
    filename: attachment.filename ?? `attachment-${index + 1}`,
    contentType: attachment.contentType || "application/octet-stream",
    content: attachment.content,
  };
}
