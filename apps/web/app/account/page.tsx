import { listProjects, listSshKeys, listTokens, sshCommand } from "@gantry/core";
import type { Metadata } from "next";
import { ApiTokens } from "@/components/account/ApiTokens";
import { ChangePasswordForm } from "@/components/account/ChangePasswordForm";
import { SshKeys } from "@/components/account/SshKeys";
import { PageHeader } from "@/components/PageHeader";
import { toJson } from "@/lib/api/authed";
import { requirePrincipal } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Account" };
export const dynamic = "force-dynamic";

export default async function AccountPage() {
  const actor = await requirePrincipal("/account");
  const [tokens, projects, sshKeys] = await Promise.all([
    listTokens(actor),
    listProjects(actor),
    listSshKeys(actor),
  ]);
  return (
    <>
      <PageHeader title="Account" description={`${actor.name} (${actor.email})`} />
      <div className="space-y-8">
        <ChangePasswordForm />
        <SshKeys initial={toJson(sshKeys)} sshCommand={sshCommand("BUILD")} />
        <ApiTokens initial={toJson(tokens)} projects={projects.map((p) => ({ id: p.id, name: p.name }))} />
      </div>
    </>
  );
}
