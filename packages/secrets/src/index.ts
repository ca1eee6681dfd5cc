export { decrypt, encrypt, isEncrypted, SecretBoxError } from "./box";
export { REDACTED, redact } from "./redact";
