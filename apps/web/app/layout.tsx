import type { Metadata } from "next";
import type { ReactNode } from "react";
import { SideNav } from "@/components/SideNav";
import { TopBar } from "@/components/TopBar";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Gantry", template: "%s · Gantry" },
  description: "Self-hosted Odoo hosting: every branch a live build.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
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
          <SideNav />
          <main id="main" className="min-w-0 flex-1 px-6 py-8 sm:px-10">
            {children}
          </main>
        </div>
      </body>
    </html>
  );
}
