"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiCall } from "@/lib/auth/api-call";
import { DeployGateFields, type DeployGateValue, gateBody } from "./DeployGateFields";

export interface BranchSettingsValue extends DeployGateValue {
  onNewCommit: "NEW_BUILD" | "UPDATE_PREVIOUS" | "DO_NOTHING";
  moduleInstall: "MINE" | "FULL" | "LIST";
  moduleList: string[];
  testTags: string | null;
  updateChangedModules: boolean;
  odooRevision: string | null;
  pin: { kind: "latest" | "pinned" | "expiring" | "expired"; expiresAt?: string; daysLeft?: number };
  series: string;
  revisions: { revision: string; seenAt: string; supersededAt: string | null; current: boolean }[];
  servingRevision: string | null;
  updateHour: number;
}

/** Which revision serves, and when a branch on "Latest" moves to a newer one. */
function RevisionStatus(props: { value: BranchSettingsValue; stage: string }) {
  const { value } = props;
  const latest = value.revisions[0]?.revision;
  if (!value.servingRevision) return null;
  const behind = !value.odooRevision && latest && latest !== value.servingRevision;
  return (
    <p className={behind ? "text-amber-700" : "text-slate-500"}>
      Serving revision <span className="font-mono">{value.servingRevision}</span>
      {behind
        ? props.stage === "PRODUCTION"
          ? `; the latest is ${latest}: production moves to it at ${String(value.updateHour).padStart(2, "0")}:00 UTC, with an update backup first.`
          : `; the latest is ${latest}: the next build runs it (Gantry queues one when a revision appears).`
        : "."}
    </p>
  );
}

/** Behaviour upon new commits, module installation, test tags and the Odoo revision. */
export function BranchSettingsForm(props: {
  projectId: string;
  branchId: string;
  stage: string;
  initial: BranchSettingsValue;
}) {
  const router = useRouter();
  const [value, setValue] = useState(props.initial);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const gated = props.stage === "PRODUCTION" || props.stage === "STAGING";
  async function save(form: FormData) {
    setMessage(null);
    const moduleInstall = form.get("moduleInstall") as BranchSettingsValue["moduleInstall"];
    const revision = String(form.get("odooRevision") ?? "").trim();
    try {
      const saved = await apiCall<BranchSettingsValue>(
        `/api/v1/projects/${props.projectId}/branches/${props.branchId}/settings`,
        {
          method: "PATCH",
          body: {
            onNewCommit: form.get("onNewCommit"),
            moduleInstall,
            moduleList:
              moduleInstall === "LIST"
                ? String(form.get("moduleList") ?? "")
                    .split(/[\s,]+/)
                    .filter(Boolean)
                : [],
            testTags: String(form.get("testTags") ?? "").trim() || null,
            ...(props.stage === "PRODUCTION"
              ? { updateChangedModules: form.get("updateChangedModules") === "on" }
              : {}),
            odooRevision: form.get("series") === "pinned" ? revision || null : null,
            ...(gated ? gateBody(form) : {}),
          },
        },
      );
      setValue(saved);
      setMessage({ ok: true, text: "Settings saved" });
      router.refresh();
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  }
  const field = "rounded-md border border-slate-300 px-3 py-1.5 text-sm";
  return (
    <form action={save} aria-label="Branch settings" className="grid max-w-xl gap-4 text-sm">
      <label className="grid gap-1">
        <span className="font-medium">Behaviour upon new commits</span>
        <select name="onNewCommit" defaultValue={value.onNewCommit} className={field}>
          <option value="NEW_BUILD">New build</option>
          <option value="UPDATE_PREVIOUS">Update previous build</option>
          <option value="DO_NOTHING">Do nothing</option>
        </select>
        <span className="text-slate-500">
          Update previous build: a new commit takes over the previous build&apos;s database and updates the
          branch&apos;s modules in it (-u), instead of starting from a fresh one.
        </span>
      </label>
      <label className="grid gap-1">
        <span className="font-medium">Module installation</span>
        <select name="moduleInstall" defaultValue={value.moduleInstall} className={field}>
          <option value="MINE">Only my modules</option>
          <option value="FULL">Full installation (no tests)</option>
          <option value="LIST">These modules</option>
        </select>
        <span className="text-slate-500">
          Full installation installs every module of the Odoo image and of the repository, without tests;
          these modules installs the listed ones with their dependencies and runs their tests.
        </span>
      </label>
      <label className="grid gap-1">
        <span className="font-medium">Modules to install (with “These modules”)</span>
        <input name="moduleList" defaultValue={value.moduleList.join(", ")} className={field} />
      </label>
      <label className="grid gap-1">
        <span className="font-medium">Test tags</span>
        <input
          name="testTags"
          defaultValue={value.testTags ?? ""}
          placeholder="/my_module,:TestClass"
          className={field}
        />
        <span className="text-slate-500">
          Odoo&apos;s --test-tags: [-][tag][/module][:class][.method], comma-separated. Empty: the standard
          tests of the modules the build installs.
        </span>
      </label>
      {props.stage === "PRODUCTION" ? (
        <label className="flex items-start gap-2">
          <input
            type="checkbox"
            name="updateChangedModules"
            defaultChecked={value.updateChangedModules}
            className="mt-1"
          />
          <span>
            <span className="font-medium">Update modules whose files changed</span>
            <span className="block text-slate-500">
              Besides the modules whose version went up, update those whose files differ from what the
              database was last updated from, even without a version bump. The update backup and the rollback
              stay as they are.
            </span>
          </span>
        </label>
      ) : null}
      {gated ? <DeployGateFields value={value} field={field} /> : null}
      <fieldset className="grid gap-1">
        <legend className="font-medium">Odoo {value.series} revision</legend>
        <RevisionStatus value={value} stage={props.stage} />
        <label className="flex items-center gap-2">
          <input type="radio" name="series" value="latest" defaultChecked={!value.odooRevision} /> Latest
        </label>
        {value.revisions.length === 0 ? (
          <p className="text-slate-500">
            No revision of Odoo {value.series} recorded yet: Gantry records each image revision when it looks
            at the images (every few minutes), and a branch can then be pinned to one.
          </p>
        ) : (
          <label className="flex items-center gap-2">
            <input type="radio" name="series" value="pinned" defaultChecked={!!value.odooRevision} /> Pinned
            to
            <select
              name="odooRevision"
              aria-label="Pinned Odoo revision"
              defaultValue={value.odooRevision ?? value.revisions[0]?.revision}
              className={`${field} font-mono`}
            >
              {value.revisions.map((r) => (
                <option key={r.revision} value={r.revision}>
                  {r.revision} · seen {r.seenAt.slice(0, 10)}
                  {r.current ? " · latest" : ""}
                </option>
              ))}
            </select>
          </label>
        )}
        {value.pin.kind === "expiring" ? (
          <p role="alert" className="text-amber-700">
            The pinned revision expires in {value.pin.daysLeft} days; the branch then follows the latest
            revision.
          </p>
        ) : null}
        {value.pin.kind === "expired" ? (
          <p role="alert" className="text-amber-700">
            The pin expired: the branch follows the latest revision.
          </p>
        ) : null}
        {value.pin.kind === "pinned" && value.pin.expiresAt ? (
          <p className="text-slate-500">
            Pinned until {value.pin.expiresAt.slice(0, 10)} (pins last three months).
          </p>
        ) : null}
      </fieldset>
      <div>
        <button
          type="submit"
          className="rounded-md bg-indigo-600 px-4 py-2 font-semibold text-white hover:bg-indigo-700"
        >
          Save branch settings
        </button>
      </div>
      {message ? (
        <p role={message.ok ? "status" : "alert"} className={message.ok ? "text-green-700" : "text-red-700"}>
          {message.text}
        </p>
      ) : null}
    </form>
  );
}
