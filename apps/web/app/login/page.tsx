import { config } from "@gantry/config";
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/projects/LoginForm";
import { currentPrincipal } from "@/lib/auth/session";
import { safeNext } from "@/lib/safe-next";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const next = safeNext((await searchParams).next);
  if (await currentPrincipal()) redirect(next);
  const github = Boolean(config().GITHUB_CLIENT_ID && config().GITHUB_CLIENT_SECRET);
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="text-2xl font-semibold tracking-tight">Sign in to Gantry</h1>
      <p className="mt-1 text-sm text-slate-600">
        Accounts are created by an administrator or by invitation.
      </p>
      <LoginForm next={next} github={github} />
    </div>
  );
}
