import { z } from "zod";
import { defineEndpoint } from "../endpoint";

export const openapiDocument = defineEndpoint({
  method: "get",
  path: "/api/v1/openapi.json",
  summary: "This API's OpenAPI 3.1 document",
  tags: ["meta"],
  output: z
    .looseObject({
      openapi: z.string(),
      info: z.looseObject({ title: z.string(), version: z.string() }),
      paths: z.record(z.string(), z.unknown()).optional(),
    })
    .meta({ id: "OpenAPIDocument" }),
});
