// The mail catcher: plain SMTP on loopback where staging and development builds send their
// mail. Each build logs in with its own credentials (AUTH is required; there is no TLS on
// loopback, so AUTH is allowed without it), and each mail is stored with the build that logged
// in, never delivered. A mail over MAIL_MAX_BYTES is refused with 552 and nothing is stored.
import { config } from "@gantry/config";
import { type Logger, mailLoginBuild, storeMail } from "@gantry/core";
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from "smtp-server";

export interface MailCatcher {
  port: number;
  close(): Promise<void>;
}

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

/** The message's bytes, kept only up to the limit (the server flags what went past it). */
async function readMessage(stream: SMTPServerDataStream, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  return stream.sizeExceeded || size > limit ? null : Buffer.concat(chunks);
}

async function keep(session: SMTPServerSession, raw: Buffer): Promise<string> {
  const buildId = String(session.user);
  const envelope = session.envelope;
  return storeMail({
    buildId,
    from: envelope.mailFrom ? envelope.mailFrom.address : "",
    to: envelope.rcptTo.map((rcpt) => rcpt.address),
    raw,
  });
}

export async function startMailCatcher(options: {
  host: string;
  port: number;
  logger: Logger;
  maxBytes?: number;
}): Promise<MailCatcher> {
  const maxBytes = options.maxBytes ?? config().MAIL_MAX_BYTES;
  const server = new SMTPServer({
    name: "gantry-mail-catcher",
    banner: "Gantry mail catcher: mail is kept for the build's Mails tab, never delivered",
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    authMethods: ["PLAIN", "LOGIN"],
    size: maxBytes,
    logger: false,
    onAuth(auth, _session, callback) {
      mailLoginBuild(auth.username ?? "", auth.password ?? "").then(
        (buildId) =>
          buildId ? callback(null, { user: buildId }) : callback(smtpError("Invalid credentials", 535)),
        (error: unknown) => callback(error as Error),
      );
    },
    onData(stream, session, callback) {
      readMessage(stream, maxBytes)
        .then(async (raw) => {
          if (!raw) return callback(smtpError(`Message exceeds the limit of ${maxBytes} bytes`, 552));
          const id = await keep(session, raw);
          options.logger.info({ buildId: session.user, mailId: id, size: raw.length }, "mail caught");
          callback(null, `kept as ${id}`);
        })
        .catch((error: unknown) => {
          options.logger.error({ err: error, buildId: session.user }, "a caught mail could not be stored");
          callback(smtpError("The mail could not be stored", 451));
        });
    },
  });
  server.on("error", (error) => options.logger.warn({ err: error }, "mail catcher connection error"));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.server.address();
  return {
    port: typeof address === "object" && address ? address.port : options.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
