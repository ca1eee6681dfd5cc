// Revisions of an Odoo series. A series' image (`<ODOO_IMAGE>:<series>`) changes when a newer
// build of it is loaded: that is a new revision, named by the first 12 hex digits of the image
// id (what `docker images` shows). Branches on "latest" follow the series' tag; a branch pinned
// to a revision runs the image tagged `<ODOO_IMAGE>:<series>-<revision>`, which Gantry adds when
// it first sees the revision, so the old image stays after the series' tag moves on.
import { config } from "@gantry/config";
import { prisma } from "@gantry/db";
import { imageOf } from "../upgrades/targets";

export interface OdooRevisionView {
  revision: string;
  seenAt: Date;
  supersededAt: Date | null;
  current: boolean;
}

/** `sha256:b493e5ee4c55…` -> `b493e5ee4c55`. */
export function revisionOf(imageId: string): string {
  const hex = imageId.replace(/^sha256:/, "");
  if (!/^[0-9a-f]{12,}$/.test(hex)) throw new Error(`not an image id: ${imageId}`);
  return hex.slice(0, 12);
}

/** The tag that keeps one revision of a series. */
export function revisionTag(series: string, revision: string): { repository: string; tag: string } {
  return { repository: config().ODOO_IMAGE, tag: `${series}-${revision}` };
}

/** The image a branch runs: the series' tag on "latest", the revision's own tag when pinned. */
export function branchImage(series: string, pinnedRevision: string | null): string {
  if (!pinnedRevision) return imageOf(series);
  const { repository, tag } = revisionTag(series, pinnedRevision);
  return `${repository}:${tag}`;
}

/** The revisions Gantry has seen of a series, newest first. */
export async function seriesRevisions(series: string): Promise<OdooRevisionView[]> {
  const rows = await prisma().odooRevision.findMany({
    where: { series },
    orderBy: { seenAt: "desc" },
    select: { revision: true, seenAt: true, supersededAt: true },
  });
  return rows.map((row, index) => ({ ...row, current: index === 0 }));
}

/** A pin names a revision of the branch's series that Gantry knows (by a prefix of at least 7). */
export async function findRevision(series: string, revision: string): Promise<string | null> {
  const rows = await prisma().odooRevision.findMany({
    where: { series, revision: { startsWith: revision.slice(0, 12) } },
    select: { revision: true },
  });
  return rows.length === 1 ? rows[0]!.revision : null;
}
