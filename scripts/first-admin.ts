// Creates the first administrator on the first start (ADMIN_EMAIL / ADMIN_PASSWORD, or a
// generated password printed once). Does nothing when an administrator exists.
// Imported by path: the root package does not depend on the workspace packages.
import { ensureFirstAdmin } from "../packages/core/src/auth/first-admin";
import { prisma } from "../packages/db/src/index";

const result = await ensureFirstAdmin();
if (result.created) {
  console.log(`  first administrator: ${result.email}`);
  if (result.generatedPassword) {
    console.log(`  generated password (shown once, change it after signing in): ${result.generatedPassword}`);
  }
}
await prisma().$disconnect();
