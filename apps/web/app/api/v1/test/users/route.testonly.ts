import { createUserWithPassword } from "@gantry/core";
import { createTestUser } from "@/lib/api/endpoints/tokens";
import { route } from "@/lib/api/route";
import { testModeOnly } from "@/lib/api/test-mode";

export const dynamic = "force-dynamic";

// The end-to-end tests create their users here; without GANTRY_TEST_MODE=true it is a 404.
export const POST = testModeOnly(
  route(createTestUser, async ({ body }) => {
    const user = await createUserWithPassword(body);
    return { id: user.id, email: user.email };
  }),
);
