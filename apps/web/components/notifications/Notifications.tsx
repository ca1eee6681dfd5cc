import { AddChannel } from "./AddChannel";
import { ChannelCard } from "./ChannelCard";
import { DeliveryLog } from "./DeliveryLog";
import { DiskThreshold } from "./DiskThreshold";
import type { ChannelItem, DeliveryItem } from "./types";

/** The Notifications section of the project settings: channels, switches, tests, deliveries. */
export function Notifications(props: {
  projectId: string;
  channels: ChannelItem[];
  deliveries: DeliveryItem[];
  switches: { id: string; label: string }[];
  diskAlertMb: number | null;
}) {
  return (
    <section
      aria-labelledby="notifications-heading"
      className="rounded-xl border border-slate-200 bg-white p-5"
    >
      <h2 id="notifications-heading" className="text-lg font-semibold">
        Notifications
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        Where the project's events go: mail, Slack, Microsoft Teams, or your own endpoint (signed with
        HMAC-SHA256 in X-Gantry-Signature-256). No secret is ever put in a message.
      </p>
      {props.channels.length === 0 ? (
        <p className="mt-3 text-sm text-slate-600">
          No channel: nobody is told of builds, deploys or backups. Add one below.
        </p>
      ) : (
        <ul className="mt-3 space-y-3">
          {props.channels.map((c) => (
            <ChannelCard key={c.id} projectId={props.projectId} channel={c} switches={props.switches} />
          ))}
        </ul>
      )}
      <AddChannel projectId={props.projectId} />
      <DiskThreshold projectId={props.projectId} diskAlertMb={props.diskAlertMb} />
      <DeliveryLog deliveries={props.deliveries} />
    </section>
  );
}
