import { Argument, type Command } from "commander";
import { bashCompletion, zshCompletion } from "../completion.js";

export function registerCompletion(program: Command): void {
  program
    .command("completion")
    .description('Print the shell completion script: eval "$(gantry completion bash)"')
    .addArgument(new Argument("<shell>", "the shell").choices(["bash", "zsh"]))
    .action((shell: "bash" | "zsh") => {
      process.stdout.write(shell === "bash" ? bashCompletion(program) : zshCompletion(program));
    });
}
