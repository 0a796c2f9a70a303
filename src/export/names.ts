/**
 * What may be exported to an environment: variable names that later steps would not read as
 * code, values without NUL, one secret per name. Checked before any output is written.
 *
 * The dangerous names are the variables that change how a later step, shell or tool finds or
 * loads code (or whose code it trusts). Exporting a secret under one of them is refused unless
 * the caller allows that exact name. Matching is case-insensitive: Windows environment names
 * are, and npm reads `npm_config_*` in any case.
 */
import { vaultError } from "../errors.js";

/** Environment variable names an export may use (security-bar.md, "Export to CI and shells"). */
export const EXPORT_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Names refused unless allowed, each with why (upper case; matched case-insensitively). */
export const DANGEROUS_ENV_NAMES: Readonly<Record<string, string>> = {
  // Where programs are found, and the shell's own startup and parsing.
  PATH: "where commands are found",
  ENV: "a file sh runs at startup",
  BASH_ENV: "a file bash runs at startup",
  ZDOTDIR: "where zsh reads its startup files",
  HOME: "where shells and tools read their startup files and config",
  XDG_CONFIG_HOME: "where tools read their config",
  SHELL: "the shell tools start",
  SHELLOPTS: "bash options at startup",
  BASHOPTS: "bash options at startup",
  IFS: "how the shell splits words",
  PS4: "expanded (and run) by `set -x` tracing",
  PROMPT_COMMAND: "run by bash before each prompt",
  CDPATH: "where `cd` looks",
  // Dynamic linkers and loaders (LD_*, DYLD_* below).
  GCONV_PATH: "libraries glibc's iconv loads",
  // Node.js.
  NODE_OPTIONS: "options (--require, --import) for every node process",
  NODE_PATH: "where node looks for modules",
  NODE_EXTRA_CA_CERTS: "certificates node trusts",
  NODE_TLS_REJECT_UNAUTHORIZED: "whether node checks certificates",
  SSL_CERT_FILE: "certificates OpenSSL trusts",
  SSL_CERT_DIR: "certificates OpenSSL trusts",
  // Ruby, Java, .NET (Python and Perl by prefix below).
  RUBYOPT: "options for every ruby process",
  RUBYLIB: "where ruby looks for libraries",
  GEM_HOME: "where ruby gems load from",
  GEM_PATH: "where ruby gems load from",
  BUNDLE_GEMFILE: "which Gemfile bundler loads",
  JAVA_TOOL_OPTIONS: "options (-javaagent) for every JVM",
  _JAVA_OPTIONS: "options for every JVM",
  JDK_JAVA_OPTIONS: "options for the java launcher",
  CLASSPATH: "where the JVM loads classes",
  MAVEN_OPTS: "options for Maven's JVM",
  GRADLE_OPTS: "options for Gradle's JVM",
  DOTNET_STARTUP_HOOKS: "assemblies .NET loads at startup",
  DOTNET_ADDITIONAL_DEPS: "assemblies .NET loads",
  CORECLR_PROFILER: "a profiler .NET loads",
  CORECLR_PROFILER_PATH: "a profiler .NET loads",
  CORECLR_ENABLE_PROFILING: "turns on loading a .NET profiler",
  COR_PROFILER: "a profiler .NET Framework loads",
  COR_PROFILER_PATH: "a profiler .NET Framework loads",
  COR_ENABLE_PROFILING: "turns on loading a .NET Framework profiler",
  // Commands that tools run for you.
  EDITOR: "the command tools run to edit",
  VISUAL: "the command tools run to edit",
  PAGER: "the command tools run to page output",
  MANPAGER: "the command man runs",
  LESSOPEN: "a command less runs on each file",
  BROWSER: "the command tools run to open URLs",
  SSH_ASKPASS: "the command ssh runs for a passphrase",
  GIT_SSH: "the command git runs for ssh",
  GIT_SSH_COMMAND: "the command git runs for ssh",
  GIT_ASKPASS: "the command git runs for credentials",
  GIT_EXEC_PATH: "where git finds its subcommands",
  GIT_EXTERNAL_DIFF: "the command git runs to diff",
  GIT_PAGER: "the command git runs to page output",
  GIT_EDITOR: "the command git runs to edit",
  GIT_SEQUENCE_EDITOR: "the command git runs to edit a rebase",
  GIT_PROXY_COMMAND: "the command git runs to connect",
  GIT_TEMPLATE_DIR: "hooks git copies into new repositories",
};

/** Prefixes refused unless the exact name is allowed, each with why. */
export const DANGEROUS_ENV_PREFIXES: Readonly<Record<string, string>> = {
  LD_: "the dynamic linker (LD_PRELOAD, LD_LIBRARY_PATH, LD_AUDIT)",
  DYLD_: "the macOS dynamic linker (DYLD_INSERT_LIBRARIES)",
  GITHUB_: "GitHub Actions' own variables (GITHUB_ENV, GITHUB_PATH, GITHUB_TOKEN)",
  RUNNER_: "the GitHub Actions runner's own variables",
  ACTIONS_: "GitHub Actions settings (ACTIONS_ALLOW_UNSECURE_COMMANDS, ACTIONS_RUNTIME_TOKEN)",
  PYTHON: "Python startup (PYTHONPATH, PYTHONSTARTUP, PYTHONHOME, PYTHONWARNINGS)",
  PERL: "Perl startup (PERL5OPT, PERL5LIB, PERL5DB)",
  GIT_CONFIG: "git configuration from the environment (core.sshCommand, core.fsmonitor)",
  NPM_CONFIG_: "npm configuration (script-shell, node-options)",
};

/**
 * Why `name` is dangerous to set for later steps, or `undefined` when it is not.
 */
export function dangerousEnvNameReason(name: string): string | undefined {
  const upper = name.toUpperCase();
  const exact = DANGEROUS_ENV_NAMES[upper];
  if (exact !== undefined && Object.hasOwn(DANGEROUS_ENV_NAMES, upper)) return exact;
  for (const [prefix, reason] of Object.entries(DANGEROUS_ENV_PREFIXES)) {
    if (upper.startsWith(prefix)) return reason;
  }
  return undefined;
}

/** One variable to export: its name, its value, and the secret it comes from. */
export interface ExportEntry {
  /** The secret's name in the vault (named in errors). */
  name: string;
  /** The environment variable name. */
  envName: string;
  value: string;
}

/** Options of {@link checkExportEntries}. */
export interface CheckExportOptions {
  /** Dangerous names the caller allows, exactly as exported (`--allow-name`). */
  allowNames?: Iterable<string>;
}

function secretLabel(entry: ExportEntry): string {
  return entry.envName === entry.name ? entry.name : `${entry.name} (as ${entry.envName})`;
}

/**
 * Checks every entry before anything is written: names match {@link EXPORT_NAME_PATTERN}, no
 * two entries share a name, dangerous names only when allowed, values hold no NUL. Errors name
 * the secret and variable, never the value.
 * @throws VaultError INVALID_INPUT
 */
export function checkExportEntries(
  entries: readonly ExportEntry[],
  options: CheckExportOptions = {},
): void {
  const allowed = new Set(options.allowNames ?? []);
  const seen = new Map<string, ExportEntry>();
  for (const entry of entries) {
    if (!EXPORT_NAME_PATTERN.test(entry.envName)) {
      throw vaultError(
        "INVALID_INPUT",
        `Secret ${entry.name} would be exported under an invalid variable name.`,
        "Variable names are letters, digits and _, not starting with a digit; change it with `vault set NAME --env VAR`.",
      );
    }
    const other = seen.get(entry.envName);
    if (other) {
      throw vaultError(
        "INVALID_INPUT",
        `Secrets ${other.name} and ${entry.name} would both be exported as ${entry.envName}.`,
        "Give one of them another name with `vault set NAME --env VAR`, or select one with --only.",
      );
    }
    seen.set(entry.envName, entry);
    const reason = dangerousEnvNameReason(entry.envName);
    if (reason !== undefined && !allowed.has(entry.envName)) {
      throw vaultError(
        "INVALID_INPUT",
        `Refusing to export ${secretLabel(entry)}: ${entry.envName} changes ${reason}.`,
        `If that is intended, add --allow-name ${entry.envName}; otherwise export it under another name (vault set ${entry.name} --env VAR, or another --prefix).`,
      );
    }
    if (entry.value.includes("\0")) {
      throw vaultError(
        "INVALID_INPUT",
        `The value of ${entry.name} contains a NUL character, which no environment can hold.`,
        "Store text without NUL (encode binary data as base64).",
      );
    }
  }
}
