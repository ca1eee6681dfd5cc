import { type InvitationState, roleLabels, viewInvitation } from "@gantry/core";
import type { Metadata } from "next";
import Link from "next/link";
import { AcceptInvitationForm } from "@/components/account/AcceptInvitationForm";

export const metadata: Metadata = { title: "Invitation" };
export const dynamic = "force-dynamic";

const dead: Record<Exclude<InvitationState, "pending">, { title: string; text: string }> = {
  unknown: {
    title: "This invitation link is not valid",
    text: "It was withdrawn by the project's Admin, or the link is incomplete. Ask the Admin for a new invitation.",
  },
  expired: {
    title: "This invitation has expired",
    text: "Invitation links work for 7 days. Ask the project's Admin to invite you again.",
  },
  used: {
    title: "This invitation has already been used",
    text: "The account it created can sign in with its email and password.",
  },
};

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const view = await viewInvitation(token);
  if (view.state !== "pending" || !view.invitation) {
    const message = dead[view.state === "pending" ? "unknown" : view.state];
    return (
      <div className="mx-auto max-w-md" data-testid="invitation-error">
        <h1 className="text-2xl font-semibold tracking-tight">{message.title}</h1>
        <p className="mt-2 text-sm text-slate-600">{message.text}</p>
        <Link href="/login" className="mt-4 inline-block text-sm font-medium text-indigo-700 hover:underline">
          Go to sign-in
        </Link>
      </div>
    );
  }
  const { invitation } = view;
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-2xl font-semibold tracking-tight">Join {invitation.projectName}</h1>
      <p className="mt-1 text-sm text-slate-600">
        You are invited as <strong data-testid="invited-role">{roleLabels[invitation.role]}</strong>
        {invitation.email ? (
          <>
            {" "}
            with the email <strong>{invitation.email}</strong>
          </>
        ) : null}
        . Choose your name and a password to create your account.
      </p>
      {invitation.email ? (
        <AcceptInvitationForm token={token} email={invitation.email} projectId={invitation.projectId} />
      ) : (
        <p className="mt-4 text-sm">
          This invitation is for a GitHub login: sign in with GitHub to accept it.
        </p>
      )}
    </div>
  );
}
