// Shell completion written from the command tree itself, so a new command or option is
// completed without touching this file. zsh reuses the bash function through bashcompinit.
import type { Command } from "commander";

interface Node {
  /** "" for the program, "builds", or "backups create" for a subcommand. */
  key: string;
  words: string[];
  /** Values each positional argument may take, by position (from the arguments' choices). */
  choices: (readonly string[] | undefined)[];
}

function optionWords(command: Command): string[] {
  return [...command.options.map((o) => o.long ?? o.short ?? ""), "--help"].filter(Boolean);
}

function nodes(program: Command): Node[] {
  const global = optionWords(program);
  const out: Node[] = [
    { key: "", words: [...program.commands.map((c) => c.name()), ...global], choices: [] },
  ];
  const visit = (command: Command, prefix: string) => {
    const key = prefix ? `${prefix} ${command.name()}` : command.name();
    out.push({
      key,
      words: [...new Set([...command.commands.map((c) => c.name()), ...optionWords(command), ...global])],
      choices: command.registeredArguments.map((a) => a.argChoices),
    });
    for (const sub of command.commands) visit(sub, key);
  };
  for (const command of program.commands) visit(command, "");
  return out;
}

/** Options followed by a value: the word after them is not a positional argument. */
function valueOptions(program: Command): string[] {
  const all: string[] = [];
  const visit = (command: Command) => {
    for (const option of command.options)
      if (option.required || option.optional)
        all.push(...[option.long, option.short].filter((f) => f !== undefined));
    command.commands.forEach(visit);
  };
  visit(program);
  return [...new Set(all)];
}

export function bashCompletion(program: Command): string {
  const name = program.name();
  const withSubcommands = program.commands.filter((c) => c.commands.length > 0).map((c) => c.name());
  const cases = nodes(program)
    .map((node) => {
      const positions = node.choices
        .map((choices, index) =>
          choices ? `        ${index}) words="$words ${choices.join(" ")}" ;;\n` : "",
        )
        .join("");
      const byPosition = positions ? `      case $n in\n${positions}      esac\n` : "";
      return `    "${node.key}")\n      words="${node.words.join(" ")}"\n${byPosition}      ;;\n`;
    })
    .join("");
  const valued = valueOptions(program).join("|") || "--";
  const nested = withSubcommands.join("|") || "--";
  return `# ${name} completion for bash: eval "$(${name} completion bash)"
_${name}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" word skip="" i
  local -a pos=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    if [[ -n $skip ]]; then skip=""; continue; fi
    case "$word" in
      ${valued}) skip=1 ;;
      -*) ;;
      *) pos+=("$word") ;;
    esac
  done
  local key="" n=\${#pos[@]}
  if (( n > 0 )); then
    case "\${pos[0]}" in
      ${nested})
        if (( n > 1 )); then key="\${pos[0]} \${pos[1]}"; n=$((n - 2)); else key="\${pos[0]}"; n=$((n - 1)); fi ;;
      *) key="\${pos[0]}"; n=$((n - 1)) ;;
    esac
  fi
  local words=""
  case "$key" in
${cases}  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _${name} ${name}
`;
}

export function zshCompletion(program: Command): string {
  const name = program.name();
  return `#compdef ${name}
# ${name} completion for zsh: eval "$(${name} completion zsh)" (after compinit)
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(program)}`;
}
