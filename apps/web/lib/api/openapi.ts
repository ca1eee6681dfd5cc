import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig } from "@asteasolutions/zod-to-openapi";
import type { ErrorCode } from "@gantry/core";
import { endpoints } from "./catalog";
import type { Endpoint } from "./endpoint";
import { errorBody } from "./schemas";
import { httpStatusOf } from "./status-codes";

function json(description: string, schema: Endpoint["output"]): ResponseConfig {
  return { description, content: { "application/json": { schema } } };
}

function errorCodesOf(endpoint: Endpoint): ErrorCode[] {
  const codes = new Set<ErrorCode>(endpoint.errors ?? []);
  if (endpoint.params || endpoint.query || endpoint.body) codes.add("invalid_input");
  if (endpoint.body || endpoint.method !== "get") codes.add("invalid_json");
  codes.add("internal");
  return [...codes];
}

function responsesOf(endpoint: Endpoint): Record<number, ResponseConfig> {
  const responses: Record<number, ResponseConfig> = { [endpoint.status]: json("Success", endpoint.output) };
  for (const [status, description] of Object.entries(endpoint.alsoStatuses ?? {})) {
    responses[Number(status)] = json(description, endpoint.output);
  }
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(endpoint)) {
    const status = httpStatusOf[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  for (const [status, codes] of byStatus) {
    responses[status] ??= json(`Error: ${codes.join(", ")}`, errorBody);
  }
  return responses;
}

/** The OpenAPI 3.1 document of the API, built from the endpoint catalog. */
export function openapiDocument(version = "0.0.0") {
  const registry = new OpenAPIRegistry();
  for (const endpoint of endpoints) {
    registry.registerPath({
      method: endpoint.method,
      path: endpoint.path,
      summary: endpoint.summary,
      tags: [...endpoint.tags],
      request: {
        ...(endpoint.params ? { params: endpoint.params } : {}),
        ...(endpoint.query ? { query: endpoint.query } : {}),
        ...(endpoint.body ? { body: { content: { "application/json": { schema: endpoint.body } } } } : {}),
      },
      responses: responsesOf(endpoint),
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Gantry API",
      version,
      description: "REST API of Gantry. Errors answer `{ error: { code, message, details? } }`.",
    },
  });
}
