import { config } from "@gantry/config";
import pino from "pino";

/** The web process's logger: JSON lines on stdout, like the worker's. */
export const log = pino({ level: config().LOG_LEVEL, base: { service: "web" } });
