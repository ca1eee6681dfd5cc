// Keeping a caught mail: the envelope, subject and text for the list and search, the raw bytes
// for the rest. A build keeps at most MAIL_MAX_PER_BUILD mails: a new mail is always kept and
// the oldest ones beyond the limit are dropped in the same transaction.
import { config } from "@gantry/config";
import { prisma } from "@gantry/db";
import { simpleParser } from "mailparser";

/** How much of the text part is kept for search. */
const SEARCH_TEXT_CHARS = 100_000;

export interface CaughtMail {
  buildId: string;
  from: string;
  to: string[];
  raw: Buffer;
}

export async function storeMail(mail: CaughtMail): Promise<string> {
  const parsed = await simpleParser(mail.raw, { skipHtmlToText: true, skipImageLinks: true });
  const keep = config().MAIL_MAX_PER_BUILD;
  return prisma().$transaction(async (tx) => {
    const row = await tx.buildMail.create({
      data: {
        buildId: mail.buildId,
        mailFrom: mail.from,
        rcptTo: mail.to,
        subject: (parsed.subject ?? "").slice(0, 1000),
        text: (parsed.text ?? "").slice(0, SEARCH_TEXT_CHARS),
        size: mail.raw.length,
        raw: new Uint8Array(mail.raw),
      },
      select: { id: true },
    });
    // The new mail is never among those dropped, even when others share its timestamp.
    const beyond = await tx.buildMail.findMany({
      where: { buildId: mail.buildId, id: { not: row.id } },
      orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
      skip: keep - 1,
      select: { id: true },
    });
    if (beyond.length > 0) await tx.buildMail.deleteMany({ where: { id: { in: beyond.map((m) => m.id) } } });
    return row.id;
  });
}

/** Every mail a build caught goes with the build's cleanup; returns how many. */
export async function removeBuildMails(buildId: string): Promise<number> {
  const { count } = await prisma().buildMail.deleteMany({ where: { buildId } });
  return count;
}
