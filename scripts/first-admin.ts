// Creates the first administrator on the first start (ADMIN_EMAIL / ADMIN_PASSWORD, or a
// generated password printed once). Does nothing when an administrator exists.
import { ensureFirstAdmin } from "@gantry/core";
import { prisma } from "@gantry/db";

const result = await ensureFirstAdmin();
if (result.created) {
  console.log(`  first administrator: ${result.email}`);
  if (result.generatedPassword) {
    console.log(`  generated password (shown once, change it after signing in): ${result.generatedPassword}`);
  }
}
await prisma().$disconnect();
