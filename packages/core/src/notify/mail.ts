// Gantry's own notices by mail (not Odoo's: those go to the builds' mail catcher). Sent to the
// project's Admins, or the platform's administrators when a project has none, through
// SMTP_URL. Without SMTP_URL nothing is sent and the dashboard stays the only place a notice
// shows; a failing SMTP server is reported to the caller, never thrown at the work it reports.
import { config } from "@gantry/config";
import { prisma } from "@gantry/db";

// Loaded when a mail is sent, not with the process: about 12 MB that a worker idles without.
const nodemailer = () => import("nodemailer");

export interface Notice {
  subject: string;
  text: string;
}

export interface NoticeResult {
  to: string[];
  sent: boolean;
  reason?: string;
}

/** The project's Admins' addresses, or the platform administrators' for a project without one. */
export async function projectAdmins(projectId: string): Promise<string[]> {
  const admins = await prisma().collaborator.findMany({
    where: { projectId, role: "ADMIN" },
    select: { user: { select: { email: true } } },
  });
  if (admins.length > 0) return admins.map((a) => a.user.email);
  const platform = await prisma().user.findMany({ where: { isAdmin: true }, select: { email: true } });
  return platform.map((u) => u.email);
}

export async function notifyProjectAdmins(projectId: string, notice: Notice): Promise<NoticeResult> {
  const to = await projectAdmins(projectId);
  const smtp = config().SMTP_URL;
  if (!smtp) return { to, sent: false, reason: "SMTP_URL is not set" };
  if (to.length === 0) return { to, sent: false, reason: "no Admin to tell" };
  try {
    const transport = (await nodemailer()).createTransport(smtp);
    await transport.sendMail({ from: config().MAIL_FROM, to, subject: notice.subject, text: notice.text });
    transport.close();
    return { to, sent: true };
  } catch (error) {
    return { to, sent: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
