// The logger lives beside the configuration it reads, so packages below core log the same way.
export { createLogger, type Logger, type LoggerOptions } from "@gantry/config";
