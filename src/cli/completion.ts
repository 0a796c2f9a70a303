/**
 * Shell completion scripts for `vault completion bash|zsh|fish`, generated from the command
 * specs: command names (and `key add-ci`-style subcommands), each command's options and the
 * global options. Completion never runs vault: the scripts hold only names.
 */

/** What completion needs of one command. */
export interface CompletionCommand {
  /** "get", or "key add-ci". */
  name: string;
  summary: string;
  /** Option flags as commander writes them: "-n, --no-newline", "--version <n>". */
  options: string[];
}

/** The shells `vault completion` writes a script for. */
export const COMPLETION_SHELLS = ["bash", "zsh", "fish"] as const;

/** One of {@link COMPLETION_SHELLS}. */
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

interface ParsedOption {
  long?: string;
  short?: string;
  takesValue: boolean;
}

function parseFlags(flags: string): ParsedOption {
  const words = flags.split(/[ ,|]+/).filter(Boolean);
  const parsed: ParsedOption = { takesValue: /[<[]/.test(flags) };
  for (const word of words) {
    if (word.startsWith("--")) parsed.long = word;
    else if (/^-[A-Za-z]$/.test(word)) parsed.short = word;
  }
  return parsed;
}

function optionWords(options: readonly string[]): string[] {
  return options.flatMap((flags) => {
    const { long, short } = parseFlags(flags);
    return [long, short].filter((word): word is string => word !== undefined);
  });
}

function valueOptions(
  commands: readonly CompletionCommand[],
  globals: readonly string[],
): string[] {
  const all = [...globals, ...commands.flatMap((command) => command.options)];
  const words = new Set<string>();
  for (const flags of all) {
    const parsed = parseFlags(flags);
    if (!parsed.takesValue) continue;
    if (parsed.long) words.add(parsed.long);
    if (parsed.short) words.add(parsed.short);
  }
  return [...words].sort();
}

/** Single quotes for the shells (names and summaries are ours, but quote them anyway). */
function quoted(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

function topLevel(commands: readonly CompletionCommand[]): string[] {
  return [...new Set(commands.map((command) => command.name.split(" ")[0] as string)), "help"];
}

function groups(commands: readonly CompletionCommand[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const command of commands) {
    const [group, sub] = command.name.split(" ");
    if (sub === undefined || group === undefined) continue;
    map.set(group, [...(map.get(group) ?? []), sub]);
  }
  return map;
}

function bashScript(commands: readonly CompletionCommand[], globals: readonly string[]): string {
  const global = optionWords(globals).join(" ");
  const top = topLevel(commands).join(" ");
  const groupCases = [...groups(commands)].map(
    ([group, subs]) => `    ${quoted(group)}) words=${quoted(subs.join(" "))}; list=1 ;;`,
  );
  const cases = commands.map(
    (command) =>
      `    ${quoted(command.name)}) words=${quoted([...optionWords(command.options), global].join(" "))} ;;`,
  );
  const groupNames = [...groups(commands).keys()].map(quoted).join("|");
  return `# vault completion for bash: eval "$(vault completion bash)" in ~/.bashrc
_vault_completion() {
  # zsh (bashcompinit) numbers arrays from 1; this function counts from 0, as bash does.
  [[ -n "\${ZSH_VERSION:-}" ]] && setopt localoptions ksharrays
  local cur="\${COMP_WORDS[COMP_CWORD]}" command="" words="" list=0 skip=0 i word
  local value_options=" ${valueOptions(commands, globals).join(" ")} "
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    if ((skip)); then skip=0; continue; fi
    # After --, the words belong to the command vault run starts.
    if [[ "$word" == "--" ]]; then return 0; fi
    if [[ "$word" == -* ]]; then
      [[ "$word" != *=* && "$value_options" == *" $word "* ]] && skip=1
      continue
    fi
    if [[ -z "$command" ]]; then
      command="$word"
    else
      case "$command" in
        ${groupNames}) command="$command $word" ;;
        *) break ;;
      esac
    fi
  done
  # The value of an option (a file, an agent id...): the shell's default completion.
  ((skip)) && return 0
  case "$command" in
    "") words=${quoted(`${top} ${global}`)}; list=1 ;;
    help) words=${quoted(top)}; list=1 ;;
${groupCases.join("\n")}
${cases.join("\n")}
  esac
  if ((list)) || [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
  fi
  return 0
}
complete -o default -F _vault_completion vault
`;
}

function zshScript(commands: readonly CompletionCommand[], globals: readonly string[]): string {
  return `# vault completion for zsh: eval "$(vault completion zsh)" in ~/.zshrc
# (zsh runs the bash completion function through bashcompinit)
autoload -U +X compinit && { whence compdef >/dev/null || compinit; }
autoload -U +X bashcompinit && bashcompinit
${bashScript(commands, globals).split("\n").slice(1).join("\n")}`;
}

function fishScript(commands: readonly CompletionCommand[], globals: readonly string[]): string {
  const groupNames = [...groups(commands).keys()];
  const lines = [
    "# vault completion for fish: vault completion fish > ~/.config/fish/completions/vault.fish",
    "complete -c vault -e",
    "# The command words typed so far (values of options skipped), or -- after --.",
    "function __vault_command",
    `    set -l value_options ${valueOptions(commands, globals).join(" ")}`,
    "    set -l skip 0",
    "    set -l command",
    "    for token in (commandline -opc)[2..-1]",
    "        if test $skip = 1",
    "            set skip 0",
    "            continue",
    "        end",
    '        if test "$token" = --',
    "            echo --",
    "            return",
    "        end",
    "        if string match -q -- '-*' $token",
    "            contains -- $token $value_options; and set skip 1",
    "            continue",
    "        end",
    "        if test (count $command) -eq 0",
    "            set command $token",
    `        else if contains -- $command ${groupNames.join(" ")}`,
    "            set -a command $token",
    "            break",
    "        else",
    "            break",
    "        end",
    "    end",
    '    echo "$command"',
    "end",
    "function __vault_is",
    "    set -l command (__vault_command)",
    '    test "$command" = "$argv"',
    "end",
  ];
  const top = topLevel(commands);
  const summaries = new Map<string, string>();
  for (const command of commands) {
    const [first, sub] = command.name.split(" ");
    if (sub === undefined) summaries.set(first as string, command.summary);
    else if (!summaries.has(first as string)) summaries.set(first as string, `${first} commands`);
  }
  const optionLine = (condition: string, flags: string) => {
    const { long, short, takesValue } = parseFlags(flags);
    const parts = [`complete -c vault -n ${quoted(condition)}`];
    if (long) parts.push(`-l ${long.slice(2)}`);
    if (short) parts.push(`-s ${short.slice(1)}`);
    if (takesValue) parts.push("-r");
    return parts.join(" ");
  };
  for (const name of top) {
    lines.push(
      `complete -c vault -f -n '__vault_is' -a ${quoted(name)} -d ${quoted(summaries.get(name) ?? "show help")}`,
    );
  }
  for (const flags of globals) lines.push(optionLine("not __vault_is --", flags));
  for (const [group, subs] of groups(commands)) {
    for (const sub of subs) {
      const summary = commands.find((command) => command.name === `${group} ${sub}`)?.summary;
      lines.push(
        `complete -c vault -f -n ${quoted(`__vault_is ${group}`)} -a ${quoted(sub)} -d ${quoted(summary ?? "")}`,
      );
    }
  }
  for (const command of commands) {
    for (const flags of command.options)
      lines.push(optionLine(`__vault_is ${command.name}`, flags));
  }
  return `${lines.join("\n")}\n`;
}

/** The completion script for `shell`. */
export function completionScript(
  shell: CompletionShell,
  commands: readonly CompletionCommand[],
  globals: readonly string[],
): string {
  if (shell === "bash") return bashScript(commands, globals);
  if (shell === "zsh") return zshScript(commands, globals);
  return fishScript(commands, globals);
}
