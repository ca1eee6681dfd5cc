import { z } from "zod";
import { defineEndpoint } from "../endpoint";

const branchParams = z.object({
  projectId: z.string().min(1).max(100),
  branchId: z.string().min(1).max(100),
});
const domainParams = branchParams.extend({ domainId: z.string().min(1).max(100) });

const domain = z
  .object({
    id: z.string(),
    name: z.string().describe("Lower case; an internationalized name in punycode (xn--)"),
    displayName: z.string().describe("The name in Unicode"),
    url: z.string(),
    primary: z.boolean().describe("Odoo's web.base.url follows the primary domain"),
    apex: z.boolean().describe("A bare domain: A/AAAA records only, no CNAME"),
    verification: z.enum(["PENDING", "VERIFIED", "FAILED"]),
    verificationReason: z.string().nullable().describe("Why the last check did not verify it"),
    dnsAnswer: z.string().nullable().describe("The last DNS answer, e.g. `CNAME acme.example.net`"),
    checkedAt: z.string().nullable(),
    verifiedAt: z.string().nullable(),
    records: z
      .array(z.object({ type: z.enum(["CNAME", "A", "AAAA"]), name: z.string(), value: z.string() }))
      .describe("The DNS records to create: any one of them verifies the domain"),
    note: z.string().nullable(),
    certificate: z.object({
      issuer: z.string().nullable(),
      expiresAt: z.string().nullable(),
      error: z.string().nullable(),
      checkedAt: z.string().nullable(),
    }),
  })
  .meta({ id: "Domain" });

export const listDomains = defineEndpoint({
  method: "get",
  path: "/api/v1/projects/{projectId}/branches/{branchId}/domains",
  summary: "A branch's custom domains, with the DNS records to create and their state",
  tags: ["branches"],
  access: "signed-in",
  params: branchParams,
  output: z.object({ domains: z.array(domain) }),
  errors: ["forbidden", "not_found"],
});

export const addDomain = defineEndpoint({
  method: "post",
  path: "/api/v1/projects/{projectId}/branches/{branchId}/domains",
  summary:
    "Add a custom domain (the branch's settings right); it is looked up at once and routed when it points at Gantry",
  tags: ["branches"],
  access: "signed-in",
  params: branchParams,
  body: z.object({ name: z.string().max(300), primary: z.boolean().optional() }),
  output: domain,
  status: 201,
  errors: ["forbidden", "not_found", "conflict", "invalid_input"],
});

export const verifyDomain = defineEndpoint({
  method: "post",
  path: "/api/v1/projects/{projectId}/branches/{branchId}/domains/{domainId}/verify",
  summary: "Look the domain up in DNS again",
  tags: ["branches"],
  access: "signed-in",
  params: domainParams,
  output: domain,
  errors: ["forbidden", "not_found"],
});

export const updateDomain = defineEndpoint({
  method: "patch",
  path: "/api/v1/projects/{projectId}/branches/{branchId}/domains/{domainId}",
  summary: "Make the domain the branch's primary one (Odoo's web.base.url)",
  tags: ["branches"],
  access: "signed-in",
  params: domainParams,
  body: z.object({ primary: z.literal(true) }),
  output: domain,
  errors: ["forbidden", "not_found", "invalid_input"],
});

export const removeDomain = defineEndpoint({
  method: "delete",
  path: "/api/v1/projects/{projectId}/branches/{branchId}/domains/{domainId}",
  summary: "Remove a custom domain: it is no longer served",
  tags: ["branches"],
  access: "signed-in",
  params: domainParams,
  output: z.object({}),
  status: 204,
  errors: ["forbidden", "not_found"],
});

export const tlsAsk = defineEndpoint({
  method: "get",
  path: "/api/tls/ask",
  summary:
    "Caddy's on-demand TLS question: 200 when Gantry serves the host (a build's host or a verified custom domain), else 404",
  tags: ["system"],
  query: z.object({ domain: z.string().max(300) }),
  output: z.object({ ok: z.literal(true) }),
  errors: ["not_found"],
});

export const domainEndpoints = [
  listDomains,
  addDomain,
  verifyDomain,
  updateDomain,
  removeDomain,
  tlsAsk,
] as const;
