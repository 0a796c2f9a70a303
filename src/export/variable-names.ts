/**
 * What may be exported to an environment: variable names that later steps would not read as
 * code, values without NUL, one secret per name. Checked before any output is written.
 *
 * A name is dangerous when it changes how a later step, shell or tool finds or loads code or
 * configuration (or whose code it trusts). A list of names is always incomplete, so the check
 * is a rule, in this order (each part says why it is there):
 *
 * 1. {@link DANGEROUS_ENV_NAMES}: names no pattern below catches (`IFS`, `PS4`, `LESS`, `CC`,
 *    `DOCKER_HOST`, `GLIBC_TUNABLES`, ...).
 * 2. {@link DANGEROUS_ENV_PREFIXES}: namespaces where every variable changes what runs or
 *    what the CI runner does (`LD_*`, `PYTHON*`, `NPM_CONFIG_*`, `GITHUB_*`, ...), and `GO*`
 *    without `_` (Go's own variables: `GOFLAGS`, `GOPROXY`, `GOTOOLCHAIN`).
 * 3. {@link DANGEROUS_ENV_ENDINGS}: what a name ending so holds. `*PATH`, `*DIR`, `*HOME`,
 *    `*ROOT`, `*FILE`, `*CONFIG`, `*RC`, `*INIT` name where code or config is read from;
 *    `*OPTIONS`, `*OPTS`, `*OPT`, `*FLAGS` are options every run takes (`--require`,
 *    `-javaagent`, `--to-command`); `*COMMAND`, `*EDITOR`, `*PAGER`, `*WRAPPER`, `*SSH`,
 *    `*ASKPASS`, ... name a program a tool runs; `*PROXY`, `*CA_BUNDLE`, `*VERIFY` decide whom
 *    a tool trusts. Endings match glued (`KUBECONFIG`, `GOFLAGS`, `PHPRC`) or after `_`.
 *    {@link DANGEROUS_ENV_WORDS} match as a `_`-separated word anywhere (`GIT_CONFIG_COUNT`,
 *    `TF_CLI_ARGS_plan`, `SSH_ASKPASS_REQUIRE`).
 * 4. {@link TOOL_ENV_PREFIXES}: tools that read every variable of their prefix as a setting
 *    (`GIT_*`, `CARGO_*`, `YARN_*`, `NODE_*`, `KUBE*`, ...), refused unless the last word is
 *    a credential word ({@link CREDENTIAL_WORDS}: `GIT_TOKEN`, `CARGO_REGISTRY_TOKEN`,
 *    `NODE_AUTH_TOKEN`): such a name holds what the tool authenticates with, never where it
 *    loads code from.
 *
 * A dangerous name is refused unless the caller allows that exact name. Matching is
 * case-insensitive: Windows environment names are, and npm reads `npm_config_*` in any case.
 * test/fixtures/export/env-names.ts holds the real variables (with their sources) the rule is
 * tested against, and the secret names it must let through.
 */
import { vaultError } from "../errors.js";

/** Environment variable names an export may use (security-bar.md, "Export to CI and shells"). */
export const EXPORT_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Names refused that no pattern below catches, each with why (upper case). */
export const DANGEROUS_ENV_NAMES: Readonly<Record<string, string>> = {
  // The shell's own startup, parsing and prompts.
  IFS: "how the shell splits words",
  PS1: "the prompt, expanded (and its commands run) by interactive shells",
  PS2: "a prompt expanded by the shell",
  PS3: "a prompt expanded by the shell",
  PS4: "expanded (and run) by `set -x` tracing",
  PROMPT: "zsh's prompt, expanded by the shell",
  GLOBIGNORE: "how bash expands file names",
  TERMINFO: "where terminal descriptions are loaded from",
  TMP: "where temporary files (and scripts run from them) go",
  TEMP: "where temporary files (and scripts run from them) go",
  // Programs tools run for you.
  VISUAL: "the command tools run to edit",
  FCEDIT: "the command bash's fc runs to edit",
  MANROFFSEQ: "the preprocessors man runs",
  CC: "the C compiler builds run",
  CXX: "the C++ compiler builds run",
  CPP: "the C preprocessor builds run",
  LD: "the linker builds run",
  AR: "the archiver builds run",
  AS: "the assembler builds run",
  FC: "the Fortran compiler builds run",
  MAKE: "the make program builds run",
  DISTCC_HOSTS: "the hosts distcc sends code to compile",
  ELECTRON_RUN_AS_NODE: "turns an Electron app into a node that runs any script",
  // Services that answer for the user.
  DBUS_SESSION_BUS_ADDRESS: "the D-Bus every desktop service (the keychain too) is reached on",
  DBUS_SYSTEM_BUS_ADDRESS: "the system D-Bus",
  GPG_AGENT_INFO: "the gpg agent that signs and decrypts",
  DOCKER_HOST: "the daemon docker sends builds, mounts and credentials to",
  DOCKER_CONTEXT: "which daemon docker talks to",
  DOCKER_CONTENT_TRUST: "whether docker checks image signatures",
  DOCKER_CONTENT_TRUST_SERVER: "the server docker checks image signatures with",
  BUILDKIT_HOST: "the daemon builds run on",
  CONTAINER_HOST: "the daemon podman talks to",
  COMPOSER: "the composer.json PHP's composer loads",
  GOOGLE_APPLICATION_CREDENTIALS:
    "the credentials file Google libraries load (it may name a command)",
  GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES: "whether Google libraries run credential commands",
  AWS_CONTAINER_CREDENTIALS_FULL_URI: "where AWS SDKs fetch their credentials",
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "where AWS SDKs fetch their credentials",
  HF_ENDPOINT: "where Hugging Face libraries download models (pickles run code)",
  // glibc.
  GLIBC_TUNABLES: "glibc's tunables, parsed by every program (CVE-2023-4911)",
  HOSTALIASES: "a file of host name aliases glibc reads",
  LOCALDOMAIN: "the domains glibc's resolver searches",
  MALLOC_TRACE: "a file glibc writes",
  TZ: "a zone file glibc reads (TZ=:/path)",
};

/** Prefixes refused unless the exact name is allowed, each with why. */
export const DANGEROUS_ENV_PREFIXES: Readonly<Record<string, string>> = {
  LD_: "the dynamic linker (LD_PRELOAD, LD_LIBRARY_PATH, LD_AUDIT)",
  DYLD_: "the macOS dynamic linker (DYLD_INSERT_LIBRARIES)",
  GITHUB_: "GitHub Actions' own variables (GITHUB_ENV, GITHUB_PATH, GITHUB_TOKEN)",
  RUNNER_: "the GitHub Actions runner's own variables",
  ACTIONS_: "GitHub Actions settings (ACTIONS_ALLOW_UNSECURE_COMMANDS, ACTIONS_RUNTIME_TOKEN)",
  INPUT_: "the inputs GitHub Actions passes to an action",
  STATE_: "the state GitHub Actions passes to an action's post step",
  FF_: "GitLab runner feature flags",
  PYTHON: "Python startup (PYTHONPATH, PYTHONSTARTUP, PYTHONHOME, PYTHONWARNINGS)",
  PERL: "Perl startup (PERL5OPT, PERL5LIB, PERL5DB)",
  LUA_: "Lua startup (LUA_INIT runs code, LUA_PATH, LUA_CPATH)",
  PHP: "PHP's configuration (PHPRC, PHP_INI_SCAN_DIR)",
  NPM_CONFIG_: "npm configuration (script-shell, node-options)",
  BASH_: "bash itself (BASH_ENV, BASH_LOADABLES_PATH, BASH_XTRACEFD)",
  LESS: "less's options, input preprocessor and key bindings (LESS, LESSOPEN, LESSKEY)",
  OPENSSL_: "OpenSSL's configuration, engines and providers (OPENSSL_CONF, OPENSSL_MODULES)",
  XDG_: "where desktop tools read config and data (XDG_CONFIG_HOME, XDG_DATA_DIRS)",
  MSBUILD: "MSBuild properties (MSBuildExtensionsPath imports targets)",
  COMPLUS_: ".NET runtime settings",
};

/** Go's own variables (`go help environment`): one word starting with GO. */
const GO_VARIABLE = /^GO[A-Z0-9]+$/;
const GO_REASON = "the Go toolchain (GOFLAGS, GOPROXY, GOTOOLCHAIN, GOPATH)";

/** Endings refused unless the exact name is allowed, each with why (glued or after `_`). */
export const DANGEROUS_ENV_ENDINGS: Readonly<Record<string, string>> = {
  // Where code and configuration are read from.
  PATH: "a search path or file path programs load code or config from",
  PATHS: "search paths programs load code or config from",
  DIR: "a folder programs read config, hooks or code from",
  DIRS: "folders programs read config or code from",
  DIRECTORY: "a folder programs read config or code from",
  DIRECTORIES: "folders programs read config or code from",
  HOME: "the folder a program reads its config from",
  ROOT: "the install root a program runs its tools from",
  FILE: "a file a program reads config, credentials or code from",
  FILES: "files a program reads config or code from",
  FILENAME: "the name of a file a program reads config from",
  CONFIG: "a program's configuration",
  CONF: "a program's configuration",
  CFG: "a program's configuration",
  RC: "a startup (rc) file a program reads",
  INIT: "code or commands run at startup",
  STARTUP: "code run at startup",
  ENV: "an environment file a shell runs, or an environment a tool activates",
  LIB: "where a runtime loads libraries",
  LIBS: "libraries a build links",
  MODULES: "modules a program loads",
  ENGINES: "engines (shared objects) a program loads",
  PLUGINS: "plugins a program loads",
  EXTENSIONS: "extensions a program loads",
  PRELOAD: "libraries loaded into every program",
  _HOOK: "a hook a program runs",
  _HOOKS: "hooks a program runs",
  // Options and flags every run takes.
  OPTIONS: "options every run takes (--require, -javaagent, --to-command)",
  OPTS: "options every run takes",
  OPT: "options every run takes",
  FLAGS: "flags every build or run takes",
  ARGS: "arguments every run takes",
  // Programs a tool runs for you.
  COMMAND: "a command a program runs",
  CMD: "a command a program runs",
  SHELL: "the shell a program runs commands with",
  EDITOR: "the command a program runs to edit",
  PAGER: "the command a program runs to page output",
  BROWSER: "the command a program runs to open URLs",
  SSH: "the ssh command a program runs",
  RSH: "the remote shell a program runs",
  ASKPASS: "the command a program runs for a password",
  WRAPPER: "a command a build runs the compiler through",
  LAUNCHER: "a command a build runs the compiler through",
  RUNNER: "the command a build runs programs with",
  LINKER: "the linker a build runs",
  COMPILER: "the compiler a build runs",
  INTERPRETER: "the interpreter a program runs",
  EXECUTABLE: "the program a tool runs",
  BINARY: "the program a tool runs",
  _BIN: "the program a tool runs, or where its programs are installed",
  _EXE: "the program a tool runs",
  PROG: "the program a tool runs",
  PROGRAM: "the program a tool runs",
  // Whom a program trusts and talks to.
  PROXY: "the proxy every request goes through",
  SOCK: "the agent socket a program asks to sign or authenticate",
  BUNDLE: "the certificates a program trusts",
  CERTS: "the certificates a program trusts",
  CAINFO: "the certificates a program trusts",
  VERIFY: "whether a program checks certificates",
  INSECURE: "whether a program checks certificates",
};

/** Words refused wherever they stand between `_`s (`GIT_CONFIG_COUNT`, `TF_CLI_ARGS_plan`). */
export const DANGEROUS_ENV_WORDS: Readonly<Record<string, string>> = {
  CONFIG: "a program's configuration",
  ARGS: "arguments every run takes",
  ASKPASS: "the command a program runs for a password",
};

/**
 * Tools that read every variable of their prefix as a setting, each with why. Their names are
 * refused unless the last word is a {@link CREDENTIAL_WORDS} one.
 */
export const TOOL_ENV_PREFIXES: Readonly<Record<string, string>> = {
  GIT_: "git's own variables (GIT_DIR, GIT_SSH_COMMAND, GIT_CONFIG_*, GIT_EXEC_PATH)",
  CARGO_: "cargo's configuration (CARGO_BUILD_RUSTC_WRAPPER, CARGO_TARGET_*_RUNNER)",
  RUST: "the Rust toolchain (RUSTC, RUSTC_WRAPPER, RUSTFLAGS, RUSTUP_TOOLCHAIN)",
  YARN_: "yarn's configuration (YARN_YARN_PATH, YARN_RC_FILENAME)",
  NODE_: "Node.js (NODE_OPTIONS, NODE_REPL_EXTERNAL_MODULE, NODE_COMPILE_CACHE)",
  COREPACK_: "corepack (COREPACK_NPM_REGISTRY: where package managers are downloaded from)",
  DENO_: "Deno (DENO_DIR, DENO_CERT)",
  BUN_: "Bun's configuration",
  PIP_: "pip's options (PIP_INDEX_URL, PIP_TRUSTED_HOST: where packages come from)",
  PIPENV_: "pipenv's settings (PIPENV_PYTHON, PIPENV_DOTENV_LOCATION)",
  POETRY_: "poetry's configuration (its package sources)",
  UV_: "uv's settings (UV_INDEX_URL, UV_PYTHON)",
  PYENV_: "pyenv (PYENV_VERSION picks the interpreter)",
  RUBY: "Ruby (RUBYOPT, RUBYLIB)",
  GEM_: "RubyGems (GEM_HOME, GEM_PATH)",
  BUNDLE_: "bundler's configuration (BUNDLE_GEMFILE, BUNDLE_MIRROR__*)",
  RBENV_: "rbenv (RBENV_VERSION picks the interpreter)",
  COMPOSER_: "composer's configuration (COMPOSER_HOME, COMPOSER_VENDOR_DIR)",
  DOTNET_: ".NET (DOTNET_STARTUP_HOOKS, DOTNET_ADDITIONAL_DEPS, DOTNET_ROOT)",
  CORECLR_: "the .NET runtime (CORECLR_PROFILER loads a profiler)",
  COR_: "the .NET Framework runtime (COR_PROFILER loads a profiler)",
  NUGET_: "NuGet (NUGET_PACKAGES, NUGET_PLUGIN_PATHS)",
  CGO_: "cgo (CGO_CFLAGS, CGO_LDFLAGS)",
  CCACHE_: "ccache (CCACHE_PREFIX runs a command)",
  CMAKE_: "CMake (CMAKE_TOOLCHAIN_FILE, CMAKE_C_COMPILER_LAUNCHER)",
  KUBE: "kubectl (KUBECONFIG, KUBE_EDITOR, KUBECTL_EXTERNAL_DIFF)",
  HELM_: "helm (HELM_PLUGINS, HELM_REGISTRY_CONFIG)",
  CLOUDSDK_: "gcloud's properties (CLOUDSDK_PYTHON, CLOUDSDK_CONFIG)",
  HOMEBREW_: "Homebrew's settings (HOMEBREW_BREW_GIT_REMOTE)",
  SUDO_: "sudo's own variables (SUDO_ASKPASS, SUDO_EDITOR, SUDO_PS1)",
  CI_: "GitLab CI's own variables (CI_DEBUG_TRACE prints every variable in the job log)",
};

/** Last words that make a name in a tool's prefix a credential it uses, not a setting. */
export const CREDENTIAL_WORDS: ReadonlySet<string> = new Set([
  "TOKEN",
  "TOKENS",
  "PASSWORD",
  "PASSWD",
  "PASSPHRASE",
  "SECRET",
  "KEY",
  "APIKEY",
  "AUTH",
]);

/** The first entry of `table` whose key `matches`, as its reason. */
function reasonOf(
  table: Readonly<Record<string, string>>,
  matches: (key: string) => boolean,
): string | undefined {
  for (const [key, reason] of Object.entries(table)) if (matches(key)) return reason;
  return undefined;
}

/**
 * Why `name` is dangerous to set for later steps, or `undefined` when it is not (the rule of
 * this module's header).
 */
export function dangerousEnvNameReason(name: string): string | undefined {
  const upper = name.toUpperCase();
  if (Object.hasOwn(DANGEROUS_ENV_NAMES, upper)) return DANGEROUS_ENV_NAMES[upper];
  const words = upper.split("_").filter((word) => word !== "");
  return (
    reasonOf(DANGEROUS_ENV_PREFIXES, (prefix) => upper.startsWith(prefix)) ??
    (GO_VARIABLE.test(upper) ? GO_REASON : undefined) ??
    reasonOf(DANGEROUS_ENV_ENDINGS, (ending) => upper.endsWith(ending)) ??
    reasonOf(DANGEROUS_ENV_WORDS, (word) => words.includes(word)) ??
    (CREDENTIAL_WORDS.has(words.at(-1) ?? "")
      ? undefined
      : reasonOf(TOOL_ENV_PREFIXES, (prefix) => upper.startsWith(prefix)))
  );
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
        `If that is intended, add --allow-name ${entry.envName}; otherwise export it under another name (vault set ${entry.name} --env ${saferAlias(entry.envName)}, or another --prefix).`,
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

/**
 * The name to suggest instead of a refused one: `GH_TOKEN` for `GITHUB_TOKEN` (GitHub's CLI
 * reads it first), `VAR` otherwise.
 */
function saferAlias(envName: string): string {
  return envName.toUpperCase() === "GITHUB_TOKEN" ? "GH_TOKEN" : "VAR";
}
