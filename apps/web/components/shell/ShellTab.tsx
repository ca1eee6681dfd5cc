"use client";

import dynamic from "next/dynamic";

// xterm touches the DOM as it loads: the terminal is loaded in the browser only.
const ShellTerminal = dynamic(() => import("./ShellTerminal").then((m) => m.ShellTerminal), {
  ssr: false,
  loading: () => <p className="text-sm text-slate-500">Loading the terminal…</p>,
});

/** As on Odoo.sh: production's terminal is framed red, staging's yellow. */
const frames: Record<string, string> = {
  PRODUCTION: "#dc2626",
  STAGING: "#facc15",
  DEVELOPMENT: "#cbd5e1",
};

/** The Shell tab: a terminal in the build's serving container, or why there is none. */
export function ShellTab(props: {
  buildId: string;
  stage: string;
  allowed: boolean;
  serving: boolean;
  sshCommand: string;
}) {
  if (!props.allowed) {
    return (
      <p data-testid="shell-refused" className="rounded-md bg-red-50 p-4 text-sm text-red-800">
        Your role does not open a shell on {props.stage.toLowerCase()} builds. On production and staging, the
        shell is for the project's Admins (and Testers on staging); ask one of them.
      </p>
    );
  }
  if (!props.serving) {
    return (
      <p data-testid="shell-unavailable" className="rounded-md bg-slate-50 p-4 text-sm text-slate-600">
        This build does not serve: there is no container to open a shell in.
      </p>
    );
  }
  return (
    <div
      data-testid="shell-frame"
      data-stage={props.stage}
      className="rounded-lg border-4 bg-slate-950 p-1"
      style={{ borderColor: frames[props.stage] ?? frames.DEVELOPMENT }}
    >
      <ShellTerminal buildId={props.buildId} />
      <p data-testid="shell-ssh" className="px-2 py-1 text-xs text-slate-400">
        The same shell over SSH, with a key registered in your account:{" "}
        <code className="text-slate-200">{props.sshCommand}</code>
      </p>
    </div>
  );
}
