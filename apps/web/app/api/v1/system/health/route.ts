import { systemHealth } from "@/lib/api/endpoints/system";
import { route } from "@/lib/api/route";
import { healthReply } from "@/lib/health";

export const dynamic = "force-dynamic";

export const GET = route(systemHealth, healthReply);
