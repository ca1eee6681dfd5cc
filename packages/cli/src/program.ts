// The command tree: every command and option, and the global --json switch.
import { Command } from "commander";
import { registerBackups } from "./commands/backups.js";
import { registerBuilds } from "./commands/builds.js";
import { registerCompletion } from "./commands/completion.js";
import { registerDeploy } from "./commands/deploy.js";
import { registerLogin } from "./commands/login.js";
import { registerLogs } from "./commands/logs.js";
import { registerProjects } from "./commands/projects.js";
import { registerShell } from "./commands/shell.js";

export function buildProgram(): Command {
  const program = new Command("gantry")
    .description(
      "Gantry's command line: projects, branches, builds, logs, backups, deploys and shells through the REST API.\n" +
        "Exit codes: 0 ok, 1 API error, 2 usage, 3 not signed in or not allowed, 4 not found, 5 the build " +
        "waited for failed or the shell session was cut (`gantry shell` exits with the remote shell's code).",
    )
    .option("--json", "print the API's JSON answer as is")
    .showHelpAfterError()
    .exitOverride();
  registerLogin(program);
  registerProjects(program);
  registerBuilds(program);
  registerLogs(program);
  registerBackups(program);
  registerDeploy(program);
  registerShell(program);
  registerCompletion(program);
  // Subcommands inherit the exit override and output settings from here on.
  for (const command of allCommands(program)) command.exitOverride();
  return program;
}

function allCommands(command: Command): Command[] {
  return command.commands.flatMap((sub) => [sub, ...allCommands(sub)]);
}
