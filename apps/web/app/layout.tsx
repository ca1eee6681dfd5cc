import { can } from "@gantry/core";
import type { Metadata } from "next";
import type { ReactNode } from "react";
import { SideNav } from "@/components/SideNav";
import { TopBar } from "@/components/TopBar";
import { currentPrincipal } from "@/lib/auth/session";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Gantry", template: "%s · Gantry" },
  description: "Self-hosted Odoo hosting: every branch a live build.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page has this menu, the Status page too: a database that does not answer hides the
  // platform links rather than the page saying so.
  const principal = await currentPrincipal().catch(() => null);
  const platform = principal
    ? { nodes: can(principal, "system.nodes"), servers: can(principal, "servers.manage") }
    : undefined;
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-3 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:shadow"
        >
          Skip to content
        </a>
        <TopBar />
        <div className="mx-auto flex max-w-7xl">
          <SideNav platform={platform} />
          <main id="main" className="min-w-0 flex-1 px-6 py-8 sm:px-10">
            {children}
          </main>
        </div>
      </body>
    </html>
  );
}
