// Webhook deliveries the way GitHub makes them: the event is signed with the hook's secret and
// POSTed to the hook's URL (10 s timeout), and every attempt is kept with its request and the
// answer, so that the deliveries API can list it and redeliver the same bytes again.
import { randomUUID } from "node:crypto";
import type { components } from "@octokit/openapi-types";
import type { StandinDelivery, StandinHook, StandinRepo, StandinState } from "./state";
import { webhookRequest } from "./webhooks";

const TIMEOUT_MS = 10_000;

function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** GitHub's wording of an attempt's result, as the deliveries API shows it. */
function statusText(statusCode: number, failure: string | null): string {
  if (failure) return failure;
  return statusCode >= 200 && statusCode < 300 ? "OK" : `Invalid HTTP Response: ${statusCode}`;
}

/** Sends recorded bytes to the hook's URL and records the attempt. */
async function attempt(
  state: StandinState,
  hook: StandinHook,
  request: { headers: Record<string, string>; body: Buffer },
  meta: { guid: string; event: string; action: string | null; repositoryId: number; redelivery: boolean },
): Promise<StandinDelivery> {
  const started = Date.now();
  let statusCode = 0;
  let failure: string | null = null;
  const responseHeaders: Record<string, string> = {};
  let responseBody = "";
  try {
    const response = await fetch(hook.config.url, {
      method: "POST",
      headers: request.headers,
      body: new Uint8Array(request.body),
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    statusCode = response.status;
    response.headers.forEach((value, key) => {
      responseHeaders[key] = value;
    });
    responseBody = await response.text();
  } catch (error) {
    failure =
      (error as Error).name === "TimeoutError"
        ? "timed out"
        : "We couldn't deliver this payload: failed to connect to host";
  }
  const delivery: StandinDelivery = {
    id: state.nextId(),
    guid: meta.guid,
    delivered_at: now(),
    redelivery: meta.redelivery,
    duration: (Date.now() - started) / 1000,
    status: statusText(statusCode, failure),
    status_code: statusCode,
    event: meta.event,
    action: meta.action,
    installation_id: null,
    repository_id: meta.repositoryId,
    request: { headers: request.headers, payload: JSON.parse(request.body.toString("utf8")) },
    response: { headers: responseHeaders, payload: responseBody },
    raw: request.body,
  };
  hook.deliveries.push(delivery);
  return delivery;
}

/**
 * GitHub sending `event` to every active hook of the repository that subscribes to it (ping
 * always goes). Resolves with the attempts once each hook answered or timed out.
 */
export async function deliverEvent(
  state: StandinState,
  repo: StandinRepo,
  event: string,
  payload: Record<string, unknown>,
  guid: string = randomUUID(),
): Promise<StandinDelivery[]> {
  const hooks = repo.hooks.filter(
    (h) => h.active && (event === "ping" || h.events.includes(event) || h.events.includes("*")),
  );
  const action = typeof payload.action === "string" ? payload.action : null;
  return Promise.all(
    hooks.map((hook) => {
      const { body, headers } = webhookRequest(event, payload, hook.config.secret ?? "", guid, hook.id);
      const unsigned = hook.config.secret
        ? headers
        : Object.fromEntries(Object.entries(headers).filter(([k]) => !k.startsWith("x-hub-signature")));
      return attempt(
        state,
        hook,
        { headers: unsigned, body },
        { guid, event, action, repositoryId: repo.id, redelivery: false },
      );
    }),
  );
}

/** The same delivery again: same GUID, same bytes, same signature; a new attempt id. */
export function redeliver(state: StandinState, hook: StandinHook, original: StandinDelivery) {
  return attempt(
    state,
    hook,
    { headers: original.request.headers, body: original.raw },
    {
      guid: original.guid,
      event: original.event,
      action: original.action,
      repositoryId: original.repository_id ?? 0,
      redelivery: true,
    },
  );
}

// Typed with GitHub's own OpenAPI description: a field missing or of another type fails typecheck.
type DeliveryItem = components["schemas"]["hook-delivery-item"];
type Delivery = components["schemas"]["hook-delivery"];

/** The list item GitHub answers (hook-delivery-item): no request or response. */
export function deliveryItemJson(delivery: StandinDelivery): DeliveryItem {
  return {
    id: delivery.id,
    guid: delivery.guid,
    delivered_at: delivery.delivered_at,
    redelivery: delivery.redelivery,
    duration: delivery.duration,
    status: delivery.status,
    status_code: delivery.status_code,
    event: delivery.event,
    action: delivery.action,
    installation_id: delivery.installation_id,
    repository_id: delivery.repository_id,
    throttled_at: null,
  };
}

/** One delivery in full (hook-delivery): with the request sent and the answer received. */
export function deliveryJson(
  base: string,
  repo: StandinRepo,
  hook: StandinHook,
  delivery: StandinDelivery,
): Delivery {
  return {
    ...deliveryItemJson(delivery),
    url: `${base}/repos/${repo.owner}/${repo.name}/hooks/${hook.id}/deliveries/${delivery.id}`,
    request: {
      headers: delivery.request.headers,
      payload: delivery.request.payload as Delivery["request"]["payload"],
    },
    response: delivery.response,
  };
}

/**
 * A page of a hook's deliveries, newest first, with GitHub's cursor pagination: the Link
 * header's `cursor` names where the next page starts.
 */
export function deliveriesPage(
  url: URL,
  base: string,
  hook: StandinHook,
): { items: StandinDelivery[]; link: string | null } {
  const perPage = Math.min(Math.max(Number(url.searchParams.get("per_page") ?? 30) || 30, 1), 100);
  const redelivery = url.searchParams.get("redelivery");
  let all = [...hook.deliveries].reverse();
  if (redelivery === "true" || redelivery === "false")
    all = all.filter((d) => d.redelivery === (redelivery === "true"));
  const cursor = /^v1_(\d+)$/.exec(url.searchParams.get("cursor") ?? "");
  const start = cursor ? all.findIndex((d) => d.id <= Number(cursor[1])) : 0;
  const items = start < 0 ? [] : all.slice(start, start + perPage);
  const next = start < 0 ? undefined : all[start + perPage];
  if (!next) return { items, link: null };
  const nextUrl = new URL(url.pathname, base);
  nextUrl.searchParams.set("per_page", String(perPage));
  nextUrl.searchParams.set("cursor", `v1_${next.id}`);
  return { items, link: `<${nextUrl.toString()}>; rel="next"` };
}
