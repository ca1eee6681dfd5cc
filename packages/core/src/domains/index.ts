export { servesHost } from "./ask";
export { applyBaseUrl, domainUrl } from "./base-url";
export { type CertificateState, readCertificate, refreshCertificate, renewalOverdue } from "./certificate";
export * from "./dns";
export * from "./domains";
export * from "./names";
export { type RecheckOutcome, recheckDomain, recheckDomains } from "./recheck";
