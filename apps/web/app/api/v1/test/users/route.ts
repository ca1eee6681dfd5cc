import { config } from "@gantry/config";
import { AppError, createUserWithPassword } from "@gantry/core";
import { createTestUser } from "@/lib/api/endpoints/tokens";
import { route } from "@/lib/api/route";

export const dynamic = "force-dynamic";

// Test mode only: without GANTRY_TEST_MODE=true this endpoint does not exist (404).
export const POST = route(createTestUser, async ({ body }) => {
  if (!config().GANTRY_TEST_MODE) throw new AppError("not_found", "No endpoint POST /api/v1/test/users");
  const user = await createUserWithPassword(body);
  return { id: user.id, email: user.email };
});
