import { openapiDocument } from "@/lib/api/endpoints/meta";
import { openapiDocument as buildDocument } from "@/lib/api/openapi";
import { route } from "@/lib/api/route";

export const GET = route(openapiDocument, async () => {
  const document = buildDocument();
  // Spread into plain objects: the generator's interfaces carry no index signature.
  return { ...document, info: { ...document.info } };
});
