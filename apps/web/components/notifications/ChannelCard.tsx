"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiCall } from "@/lib/auth/api-call";
import { answerOf, type ChannelItem, type DeliveryItem, kindLabels } from "./types";

/** One channel: what it is, its event switches, send test with the answer, remove. */
export function ChannelCard(props: {
  projectId: string;
  channel: ChannelItem;
  switches: { id: string; label: string }[];
}) {
  const { channel } = props;
  const router = useRouter();
  const base = `/api/v1/projects/${props.projectId}/notifications/channels/${channel.id}`;
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  async function run(work: () => Promise<string>) {
    setBusy(true);
    setMessage(null);
    try {
      setMessage({ ok: true, text: await work() });
      router.refresh();
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    } finally {
      setBusy(false);
    }
  }
  const save = (form: FormData) =>
    run(async () => {
      await apiCall(base, {
        method: "PATCH",
        body: { events: form.getAll("event").map(String), enabled: form.get("enabled") === "on" },
      });
      return "Saved";
    });
  const test = () =>
    run(async () => {
      const d = await apiCall<DeliveryItem>(`${base}/test`, { method: "POST" });
      const last = d.attemptLog.at(-1);
      if (d.status !== "DELIVERED")
        throw new Error(`Test not delivered: ${last ? answerOf(last) : d.lastError}`);
      return `Test delivered${last ? ` (${answerOf(last)})` : ""}`;
    });
  const remove = () =>
    run(async () => {
      await apiCall(base, { method: "DELETE" });
      return "Removed";
    });
  const target =
    channel.kind === "MAIL"
      ? channel.recipients.length > 0
        ? channel.recipients.join(", ")
        : "the project's Admins"
      : `${channel.targetHint ?? ""}${channel.hasSecret ? " · signed" : ""}`;
  return (
    <li aria-label={`Channel ${channel.name}`} className="rounded-lg border border-slate-200 p-4">
      <div className="flex flex-wrap items-baseline gap-2">
        <span className="font-semibold">{channel.name}</span>
        <span className="text-sm text-slate-600">
          {kindLabels[channel.kind]} → {target}
        </span>
      </div>
      <form action={save} className="mt-3">
        <label className="flex items-center gap-2 text-sm font-medium">
          <input type="checkbox" name="enabled" defaultChecked={channel.enabled} className="h-4 w-4" />
          Enabled
        </label>
        <fieldset className="mt-2 grid gap-1 sm:grid-cols-2">
          <legend className="sr-only">Events</legend>
          {props.switches.map((s) => (
            <label key={s.id} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                name="event"
                value={s.id}
                defaultChecked={channel.events.includes(s.id)}
                className="h-4 w-4"
              />
              {s.label}
            </label>
          ))}
        </fieldset>
        <div className="mt-3 flex flex-wrap gap-2">
          <button
            type="submit"
            disabled={busy}
            className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-semibold hover:bg-slate-50"
          >
            Save
          </button>
          <button
            type="button"
            disabled={busy}
            onClick={test}
            className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-semibold hover:bg-slate-50"
          >
            Send test
          </button>
          <button
            type="button"
            disabled={busy}
            onClick={remove}
            className="rounded-md px-3 py-1.5 text-sm text-red-700 hover:underline"
          >
            Remove
          </button>
        </div>
      </form>
      {message ? (
        <p
          role={message.ok ? "status" : "alert"}
          className={`mt-2 text-sm ${message.ok ? "text-green-700" : "text-red-700"}`}
        >
          {message.text}
        </p>
      ) : null}
    </li>
  );
}
