import {
  can,
  eventSwitches,
  eventSwitchLabels,
  getDiskThreshold,
  getGithubConnection,
  getProject,
  getProjectNetwork,
  isAppError,
  listChannels,
  listCollaborators,
  listDeliveries,
  listNotificationDeliveries,
  previewSettings,
} from "@gantry/core";
import { notFound } from "next/navigation";
import { Deliveries } from "@/components/github/Deliveries";
import { GithubSettings } from "@/components/github/GithubSettings";
import { Notifications } from "@/components/notifications/Notifications";
import { PageHeader } from "@/components/PageHeader";
import { PreviewSettingsForm } from "@/components/previews/PreviewSettingsForm";
import { Collaborators } from "@/components/projects/Collaborators";
import { DeleteProject } from "@/components/projects/DeleteProject";
import { NetworkSettings } from "@/components/projects/NetworkSettings";
import { ProjectTabs } from "@/components/projects/ProjectTabs";
import { ProjectTimeZone } from "@/components/projects/ProjectTimeZone";
import { RenameProject } from "@/components/projects/RenameProject";
import { toJson } from "@/lib/api/authed";
import { requirePrincipal } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

export default async function ProjectSettingsPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const actor = await requirePrincipal(`/projects/${projectId}/settings`);
  const project = await getProject(actor, projectId).catch((e) => {
    if (isAppError(e) && (e.code === "not_found" || e.code === "forbidden")) notFound();
    throw e;
  });
  // Settings are the Admin's: everyone else gets the same answer as for a missing page.
  if (!can(actor, "project_settings", { projectId })) notFound();
  const people = await listCollaborators(actor, projectId);
  const [github, deliveries, network, channels, notices, disk, previews] = await Promise.all([
    getGithubConnection(actor, projectId),
    listDeliveries(actor, projectId, 30),
    getProjectNetwork(actor, projectId),
    listChannels(actor, projectId),
    listNotificationDeliveries(actor, projectId, { limit: 30 }),
    getDiskThreshold(actor, projectId),
    previewSettings(actor, projectId),
  ]);
  return (
    <>
      <PageHeader title={`${project.name}: settings`} />
      <ProjectTabs projectId={projectId} admin />
      <div className="space-y-8">
        <RenameProject projectId={projectId} name={project.name} />
        <ProjectTimeZone projectId={projectId} timeZone={project.timeZone} />
        <GithubSettings projectId={projectId} initial={toJson(github)} />
        <NetworkSettings projectId={projectId} egressStages={network.egressStages} />
        <PreviewSettingsForm projectId={projectId} initial={previews} />
        <Notifications
          projectId={projectId}
          channels={toJson(channels)}
          deliveries={toJson(notices)}
          switches={eventSwitches.map((id) => ({ id, label: eventSwitchLabels[id] }))}
          diskAlertMb={disk.diskAlertMb}
        />
        <Deliveries projectId={projectId} deliveries={toJson(deliveries)} />
        <Collaborators projectId={projectId} selfId={actor.userId} initial={toJson(people)} />
        <DeleteProject projectId={projectId} name={project.name} />
      </div>
    </>
  );
}
