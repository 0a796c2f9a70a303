import { describe, expect, it } from "vitest";
import { scanText } from "../src/scan/engine.js";
import { shannonEntropy } from "../src/scan/placeholders.js";
import { DIGITS, HEX, LOWER, tokenDrawer, UPPER } from "./helpers/test-tokens.js";

const { r, mixed } = tokenDrawer(2718);
/** A dollar sign, so references like `${D}{NAME}` can be written in template strings. */
const D = "$";
/** `Ab3Xy7…`: a short password whose letters do not read as words in camel case. */
const shortPassword = () =>
  Array.from({ length: 5 }, () => r(UPPER, 1) + r(LOWER, 1) + r(DIGITS, 1)).join("");

/** Rule ids found in `text`, scanned as `file`. */
function rulesIn(text: string, file = "config.txt"): string[] {
  return scanText(`before\n${text}\nafter\n`, { file }).map((f) => f.ruleId);
}

/** Expects no finding in each text, scanned as its file. */
function expectNothingIn(cases: ReadonlyArray<readonly [file: string, text: string]>): void {
  for (const [file, text] of cases) expect(rulesIn(text, file), text).toEqual([]);
}

/** Expects `rule` among the findings of each text, scanned as its file. */
function expectRuleIn(
  rule: string,
  cases: ReadonlyArray<readonly [file: string, text: string]>,
): void {
  for (const [file, text] of cases) expect(rulesIn(text, file), text).toContain(rule);
}

describe("generic detectors: values public by design", () => {
  const publicValues: [string, string][] = [
    ["a Stripe publishable key", `STRIPE_KEY="pk_live_${mixed(24)}"`],
    ["a Supabase publishable key", `SUPABASE_KEY=sb_publishable_${mixed(24)}`],
    ["a Branch.io live SDK key", `BRANCH_KEY=key_live_${mixed(32)}`],
    ["a Branch.io test SDK key", `BRANCH_KEY=key_test_${mixed(32)}`],
    [
      "a Braintree tokenization key",
      `BT_KEY="sandbox_${r(LOWER + DIGITS, 8)}_${r(LOWER + DIGITS, 16)}"`,
    ],
    ["a Flutterwave public key", `FLW_KEY=FLWPUBK_TEST-${r(HEX, 32)}-X`],
    ["a Datadog RUM client token", `DD_CLIENT_TOKEN=pub${r(HEX, 32)}`],
    ["a PostHog project key", `POSTHOG_KEY="phc_${mixed(40)}"`],
    ["a Firebase registration token", `FCM_DEVICE_TOKEN=${mixed(22)}:APA91b${mixed(120)}`],
    ["an anonymous key by name", `SUPABASE_ANON_KEY="${mixed(40)}"`],
    ["a tokenization key by name", `TOKENIZATION_KEY="${mixed(30)}"`],
    ["a New Relic browser key", `newrelic_browser_token = "NRJS-${r(HEX, 19)}"`],
    ["a Crossmint client key", `CROSSMINT_CLIENT_KEY=ck_production_${mixed(40)}`],
  ];
  for (const [what, text] of publicValues) {
    it(`reports nothing for ${what}`, () => {
      expect(rulesIn(text).filter((id) => id.startsWith("generic"))).toEqual([]);
    });
  }

  it("reports no rule at all for a New Relic browser key, and still its license keys", () => {
    expect(rulesIn(`NEW_RELIC_BROWSER_KEY=NRJS-${r(HEX, 19)}`)).toEqual([]);
    expect(rulesIn(`NEW_RELIC_LICENSE_KEY=${r(HEX, 36)}NRAL`)).toContain("new-relic-key");
  });

  it("still reports a Firebase legacy server key, of the same shape but starting AAAA", () => {
    expect(rulesIn(`FCM_SERVER_KEY=AAAA${mixed(7)}:APA91b${mixed(120)}`)).not.toEqual([]);
  });
});

describe("generic detectors: key names", () => {
  const found: [string, string][] = [
    ["a lower-case random API key", `search_api_key = "${r(LOWER + DIGITS, 32)}"`],
    ["a 20-digit hex API key in an env file", `ACME_API_KEY=${r(HEX, 20)}`],
    ["a secret key of letters and digits", `billing_secret_key="${r(LOWER + DIGITS, 30)}"`],
    ["a camel-case API key", `const stripeApiKey = "${r(LOWER + DIGITS, 32)}";`],
    ["a vendor's key of letters and digits", `MAPS_KEY=${r(LOWER + DIGITS, 22)}`],
  ];
  for (const [what, text] of found) {
    it(`finds ${what}`, () => {
      expect(rulesIn(text)).toContain("generic-secret");
    });
  }

  const notFound: [string, string][] = [
    ["a hex cache key", `cache_key = "${r(HEX, 24)}"`],
    ["a short id beside an API key name", `LIVEKIT_API_KEY=API${mixed(12)}`],
    ["an access key id", `access_key = "${r(LOWER + DIGITS, 20)}"`],
  ];
  for (const [what, text] of notFound) {
    it(`reports nothing for ${what}`, () => {
      expect(rulesIn(text)).toEqual([]);
    });
  }
});

describe("generic detectors: markup and device configuration", () => {
  it("finds a filled-in HTML password field, whatever the order of its attributes", () => {
    const password = `Pw!${mixed(12)}`;
    for (const html of [
      `<input type="password" value="${password}" name="pass" />`,
      `<input class="form-control" value='${password}' type=password>`,
    ]) {
      expect(rulesIn(html, "login.html")).toContain("html-password-input");
    }
  });

  it("reports nothing for an empty, templated or non-password field", () => {
    for (const html of [
      '<input type="password" value="" name="pass" />',
      '<input type="password" value="{{ form.password }}" name="pass" />',
      `<input type="text" value="Pw!${mixed(12)}" name="user" />`,
      `<input type="hidden" data-value="Pw!${mixed(12)}" name="state" />`,
    ]) {
      expect(rulesIn(html, "login.html")).toEqual([]);
    }
  });

  it("finds Cisco type 0 and type 7 secrets and skips type 5 hashes and default communities", () => {
    expect(rulesIn(`enable password ${mixed(12)}`, "router.cfg")).toContain(
      "cisco-config-credential",
    );
    expect(rulesIn(`pac key 7 ${r(HEX, 12).toUpperCase()}`, "router.cfg")).toContain(
      "cisco-config-credential",
    );
    expect(rulesIn(`snmp-server community ${mixed(12)} RO`, "router.cfg")).toContain(
      "cisco-config-credential",
    );
    for (const line of [
      `enable secret 5 $1$${r(LOWER, 4)}$${mixed(22)}`,
      "snmp-server community public RO",
      "Run `enable secret` before saving the configuration.",
    ]) {
      expect(rulesIn(line, "router.cfg")).toEqual([]);
    }
  });

  it("finds an unattend.xml password held in a <Value> element", () => {
    const xml = `<AutoLogon>\n  <Password>\n    <Value>${mixed(16)}</Value>\n  </Password>\n</AutoLogon>`;
    // windows-unattend-password (config-files.ts) also reads this shape and wins the span.
    expect(rulesIn(xml, "unattend.xml")).toContain("windows-unattend-password");
    const empty = "<AutoLogon><Password><Value></Value></Password></AutoLogon>";
    expect(rulesIn(empty, "unattend.xml")).toEqual([]);
  });
});

describe("generic detectors: assignments", () => {
  const found: [string, string][] = [
    ["an unquoted password of letters in a dotenv file", "APP_AUTH_PASSWORD=qbrvmjxtke"],
    ["an exported password of letters", "export SMTP_PASS=qbrvmjxtke  # relay"],
    ["a quoted password of eight distinct letters", '$password = "qbrvmjxt";'],
    ["a read key in an environment variable", `ANALYTICS_READ_KEY=${r(HEX, 64)}`],
    ["a personal access token", `wiki_PAT=${mixed(44)}`],
    ["a personal access token in camel case", `const githubPat = "${mixed(40)}";`],
    ["a dotted token with a random part", `APP_TOKEN="q.${mixed(24)}"`],
    ["a long lower-case random key", `upload key = ${r(LOWER + DIGITS, 46)}`],
    ["a password in an auth setting", `config.redis.auth = '${shortPassword()}'`],
  ];
  for (const [what, text] of found) {
    it(`finds ${what}`, () => {
      expect(rulesIn(text)).toContain("generic-secret");
    });
  }

  const notFound: [string, string][] = [
    ["an unquoted word after a code assignment", "password = qbrvmjxtke"],
    ["a value of letters after a name in lower case", "auth_password=qbrvmjxtke"],
    ["a quoted word of few letters repeated", 'password = "abababab"'],
    [
      "an ordinary word listed after the word password",
      "style ('default', 'password', 'invisible')",
    ],
    ["a reading function's result", "const token = readToken(path);"],
    ["a camel-case reader's name", "readPassword = lookupSecret"],
    ["a word ending in pat", `compat = "${mixed(24)}"`],
    ["an auth scheme", 'auth: "AWS4-HMAC-SHA256"'],
    ["an auth scheme in camel case", 'auth = "OAuth2Bearer"'],
    ["a member access", 'token = "config.authSettings.currentValue"'],
    [
      "a member access ending in an identifier of acronyms, words and numbers",
      "nid_key = self._lib.NID_pbe_WithSHA1And3_Key_TripleDES_CBC",
    ],
    [
      "an alias of a class named in mixed and snake case",
      "TokenAttributes: _win32typing.PySECURITY_ATTRIBUTES | None = ...,",
    ],
    [
      "an alias of a class named by an algorithm",
      "MLKEM768X25519PrivateKey = rust_openssl.hpke.MLKEM768X25519PrivateKey",
    ],
    ["an environment reference", `DB_PASSWORD=${D}{DB_PASSWORD}`],
    ["a GitHub Actions secret", `password: ${D}{{ secrets.DB_PASSWORD }}`],
    ["a redacted password", "DB_PASSWORD=********"],
    ["a constant whose value is its own name", "GENERATE_PASSWORD = 'GeneratePassword'"],
    ["a header's name given as its value", 'X_AUTH_TOKEN = "X-Auth-Token"'],
    ["an enum member in a mapping", 'CHANGE_PASSWORD: "ChangePassword"'],
    ["an option in a manual page's markup", String.raw`\fB\-\-auth=\fR\fB\fIauthmethod\fR\fR`],
    ["a placeholder in angle brackets", "password = <password>"],
  ];
  for (const [what, text] of notFound) {
    it(`reports nothing for ${what}`, () => {
      expect(rulesIn(text)).toEqual([]);
    });
  }
});

describe("generic detectors: PowerShell and XML attributes", () => {
  it("finds a plain-text password handed to ConvertTo-SecureString", () => {
    const text = `$cred = ConvertTo-SecureString "Pw!${mixed(12)}" -AsPlainText -Force`;
    expect(rulesIn(text, "deploy.ps1")).toContain("powershell-plaintext-password");
  });

  it("reports nothing for ConvertTo-SecureString on a variable or an encrypted string", () => {
    for (const text of [
      "$cred = ConvertTo-SecureString $env:DB_PASSWORD -AsPlainText -Force",
      `$cred = ConvertTo-SecureString "${D}{password}" -AsPlainText -Force`,
      `$cred = ConvertTo-SecureString "${r(HEX, 40)}" -Key $key`,
    ]) {
      expect(rulesIn(text, "deploy.ps1")).toEqual([]);
    }
  });

  it("finds a credential element's value attribute", () => {
    expect(rulesIn(`<Password value="${mixed(14)}" />`, "app.config")).toContain(
      "xml-tag-credential",
    );
    expect(rulesIn('<Password value="" />', "app.config")).toEqual([]);
  });
});

describe("generic detectors: fallbacks and public halves", () => {
  const password = `Pw!${mixed(12)}`;
  const fallbacks: [string, string][] = [
    [
      "C#'s ?? after an environment lookup",
      `var pw = Environment.GetEnvironmentVariable("PW") ?? "${password}";`,
    ],
    ["a configuration index with ??", `Password = config["Password"] ?? "${password}";`],
    ["Ruby's fetch block", `password = ENV.fetch("DB_PASSWORD") { "${password}" }`],
    ["Python's or", `password = settings.get("db_password") or "${password}"`],
  ];
  for (const [what, text] of fallbacks) {
    it(`finds the fallback of ${what}`, () => {
      expect(rulesIn(text)).toContain("generic-secret");
    });
  }

  it("reports nothing for a fallback that is empty, a placeholder or a sentence", () => {
    for (const text of [
      'password = settings.get("db_password") or ""',
      'password = settings.get("db_password") or "changeme"',
      'password = getPassword() || "Enter your password"',
    ]) {
      expect(rulesIn(text)).toEqual([]);
    }
  });

  it("reads a flag named in a sentence as the sentence's, a flag's password as one", () => {
    expect(
      rulesIn('throw new Error("No login. Pass --token or --password instead.");', "cli.js"),
    ).toEqual([]);
    expect(rulesIn("Use --password instead, or --token.", "README.md")).toEqual([]);
    expect(rulesIn(`mysql -u root --password ${mixed(12)}.`, "run.sh")).toContain("generic-secret");
  });

  it("finds a secret after a declaration's public modifier", () => {
    const value = mixed(24);
    expect(rulesIn(`  public apiKey = "${value}";`, "app.service.ts")).toContain("generic-secret");
    expect(rulesIn(`Public Password As String = "${value}"`, "Module1.vb")).toContain(
      "generic-secret",
    );
  });

  it("reports nothing for a public key named in words or an age recipient", () => {
    expect(rulesIn(`# public key: ${mixed(40)}`)).toEqual([]);
    expect(rulesIn(`public key_base64: ${mixed(60)}`, "keys.yml")).toEqual([]);
    expect(rulesIn(`GPG key-fingerprint: ${r(HEX, 40).toUpperCase()}`, "notes.md")).toEqual([]);
    // A secret of the key's is no public half.
    expect(rulesIn(`GPG key_password: ${mixed(32)}`, "notes.md")).toContain("generic-secret");
    expect(rulesIn(`recipient_key = "age1${r("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58)}"`)).toEqual(
      [],
    );
  });
});

describe("generic-secret: negated calls and GitHub Actions inputs", () => {
  it("reports nothing for a negated call or member test as the value", () => {
    for (const text of [
      "    credential: !notCredentials.has(name),",
      "  secret: !isPublic(entry),",
      "const token = !tokens.includes(value);",
    ]) {
      expect(rulesIn(text, "rules.ts"), text).toEqual([]);
    }
  });

  it("still finds a literal that starts with ! when quoted", () => {
    expect(rulesIn(`password: "!${shortPassword()}"`, "config.ts")).toContain("generic-secret");
  });

  it("finds an unquoted password input of a workflow step (with:)", () => {
    const password = mixed(16);
    const workflow = `jobs:\n  push:\n    steps:\n      - uses: docker/login-action@v3\n        with:\n          registry: ghcr.io\n          username: deploy\n          password: ${password}\n`;
    expect(rulesIn(workflow, ".github/workflows/ci.yml")).toContain("generic-secret");
    const step = `      - name: Log in\n        uses: docker/login-action@v3\n        with:\n          password: ${password}   # rotate me\n`;
    expect(rulesIn(step, ".github/workflows/ci.yml")).toContain("generic-secret");
  });

  it("leaves workflow inputs that are expressions or words alone", () => {
    for (const text of [
      `      - uses: docker/login-action@v3\n        with:\n          password: ${D}{{ secrets.GHCR_TOKEN }}`,
      "      - uses: docker/login-action@v3\n        with:\n          password: changeme",
      "      - uses: docker/login-action@v3\n        with:\n          password: registryPassword",
    ]) {
      expect(rulesIn(text, ".github/workflows/ci.yml"), text).not.toContain("generic-secret");
    }
  });
});

describe("generic detectors: YAML block scalars, hash elements and name/value pairs", () => {
  const found: [string, string, string][] = [
    [
      "a YAML literal block of one line",
      `db:\n  password: |\n    ${mixed(20)}\n  port: 5432`,
      "generic-secret",
    ],
    ["a folded block with chomping", `api_token: >-\n  ${mixed(32)}`, "generic-secret"],
    ["a Perl environment hash element", `${D}ENV{API_TOKEN} = "${mixed(24)}";`, "generic-secret"],
    [
      "a quoted Perl hash key",
      `${D}config{'db_password'} = '${shortPassword()}';`,
      "generic-secret",
    ],
    [
      "a CloudFormation parameter on the command line",
      `aws cloudformation deploy --parameter-overrides ParameterKey=DbPassword,ParameterValue=${shortPassword()}`,
      "name-value-credential",
    ],
    [
      "a CloudFormation parameter in JSON",
      `[{"ParameterKey": "ApiToken", "ParameterValue": "${mixed(32)}"}]`,
      "name-value-credential",
    ],
    [
      "a Kubernetes env entry named _PASS",
      `- name: SMTP_PASS\n  value: "${shortPassword()}"`,
      "name-value-credential",
    ],
    [
      "a key/value item named after a provider's key",
      `secrets:\n  - key: STRIPE_KEY\n    value: ${mixed(28)}`,
      "name-value-credential",
    ],
    [
      "a Hadoop configuration property",
      `<property>\n  <name>javax.jdo.option.ConnectionPassword</name>\n  <value>${shortPassword()}</value>\n</property>`,
      "xml-name-value-credential",
    ],
    [
      "a property list entry",
      `<dict>\n\t<key>ApiSecret</key>\n\t<string>${mixed(32)}</string>\n</dict>`,
      "xml-name-value-credential",
    ],
    [
      "a property list entry named by a glued key",
      `<dict>\n\t<key>OpenAIKey</key>\n\t<string>${mixed(32)}</string>\n</dict>`,
      "xml-name-value-credential",
    ],
  ];
  for (const [what, text, id] of found) {
    it(`finds ${what}`, () => {
      expect(rulesIn(text)).toContain(id);
    });
  }

  const notFound: [string, string][] = [
    ["a block of several lines", `password: |\n  ${mixed(12)}\n  ${mixed(12)}`],
    ["a block holding a reference", `password: |\n  ${D}{{ secrets.DB_PASSWORD }}`],
    ["a block line no deeper than its name", `token: |\n${mixed(24)}`],
    ["a hash element set from a variable", `${D}ENV{DB_PASSWORD} = ${D}password;`],
    ["a destructured name", "const {token} = useAuth();"],
    ["a parameter of another kind", `ParameterKey=DbPasswordLength,ParameterValue=${mixed(12)}`],
    [
      "a property naming a file",
      "<property><name>hadoop.security.credential.provider.path</name><value>jceks://hdfs@nn/creds.jceks</value></property>",
    ],
    ["a property list reference", "<key>API_TOKEN</key>\n<string>$(API_TOKEN)</string>"],
    [
      "a property list entry of another kind",
      `<key>NSCameraUsageDescription</key>\n<string>${mixed(24)}</string>`,
    ],
    // A glued key of a public key (Sparkle's update key), a hotkey or a table.
    ["a property list public key", `<key>SUPublicEDKey</key>\n<string>${mixed(43)}=</string>`],
    ["a property list hotkey", `<key>GlobalHotKey</key>\n<string>${mixed(24)}</string>`],
    ["a property list glued word", `<key>monkey</key>\n<string>${mixed(24)}</string>`],
  ];
  for (const [what, text] of notFound) {
    it(`reports nothing for ${what}`, () => {
      expect(rulesIn(text)).toEqual([]);
    });
  }
});

describe("generic-secret: calls without parentheses in a Groovy or Ruby DSL", () => {
  it("finds a Gradle repository password", () => {
    const text = `maven {\n  credentials {\n    username "deploy"\n    password "${shortPassword()}"\n  }\n}`;
    expect(rulesIn(text, "build.gradle")).toContain("generic-secret");
  });

  it("finds a token with a comment after it", () => {
    expect(rulesIn(`  token '${mixed(32)}' // ci`)).toContain("generic-secret");
  });

  const notFound: [string, string][] = [
    ["a Perl test's pass", "    pass 'only one major version installed, skipping upgrade tests';"],
    ["a constant's setting", '    PASS_REGULAR_EXPRESSION "TestPassed;All ok"'],
    ["a call with more after it", `  password "${shortPassword()}" if ok`],
    ["a sentence", "The password 'must be at least twelve characters' works"],
    ["a prompt", "  password 'Enter your password'"],
  ];
  for (const [what, text] of notFound) {
    it(`reports nothing for ${what}`, () => {
      expect(rulesIn(text)).toEqual([]);
    });
  }
});

describe("generic-secret: Flagsmith's client-side environment keys are public by design", () => {
  it("reports nothing for a client-side environment key by name or in words", () => {
    expect(rulesIn(`FLAGSMITH_ENVIRONMENT_KEY=${mixed(22)}`)).toEqual([]);
    expect(rulesIn(`flagsmith env key: ${r(HEX, 40)}`)).toEqual([]);
  });

  it("still finds a server-side key (ser.), a password and a secret on a Flagsmith line", () => {
    expect(rulesIn(`FLAGSMITH_SERVER_KEY=ser.${mixed(40)}`)).toContain("generic-secret");
    expect(rulesIn(`FLAGSMITH_DB_PASSWORD=${shortPassword()}`)).toContain("generic-secret");
    expect(rulesIn(`FLAGSMITH_WEBHOOK_SECRET=${mixed(32)}`)).toContain("generic-secret");
    // Another token on a line that names Flagsmith is no environment key.
    expect(
      rulesIn(`const flagsmithClient = new Client({ webhookToken: "${mixed(21)}" })`),
    ).toContain("generic-secret");
  });
});

describe("generic-secret: YAML tags and anchors, configuration directives, Redis AUTH calls", () => {
  const found: [string, string][] = [
    ["a value with the YAML !!str tag", `db:\n  password: !!str ${shortPassword()}`],
    ["a value with a YAML anchor", `defaults:\n  api_token: &token "${mixed(32)}"`],
    ["an indented msmtp password directive", `account default\n  password    ${shortPassword()}`],
    ["a slapd.conf rootpw", `rootpw ${shortPassword()}`],
    ["a Jedis auth call", `jedis.auth("${shortPassword()}");`],
  ];
  for (const [what, text] of found) {
    it(`finds ${what}`, () => {
      expect(rulesIn(text)).toContain("generic-secret");
    });
  }

  const notFound: [string, string][] = [
    ["a CloudFormation reference", "password: !Ref DbPassword"],
    ["a Home Assistant secret reference", "password: !secret db_password"],
    [
      "a word ending a sentence in a docstring",
      "      Raises an error on a wrong user name and\n      password combination.",
    ],
    ["a directive with more on its line", `  password ${shortPassword()} and more`],
    ["an auth call with a variable", "client.auth(password)"],
    ["an auth function, not a method", `auth("${shortPassword()}")`],
  ];
  for (const [what, text] of notFound) {
    it(`reports nothing for ${what}`, () => {
      expect(rulesIn(text)).toEqual([]);
    });
  }
});

describe("generic-secret: a whole assignment quoted for a shell or unit file", () => {
  const found: [string, string][] = [
    ["a Windows batch set", `set "DB_PASSWORD=${shortPassword()}"`],
    ["a systemd Environment line", `[Service]\nEnvironment="API_TOKEN=${shortPassword()}"`],
    ["a docker run -e", `docker run -e "DB_PASS=${shortPassword()}" postgres:16`],
  ];
  for (const [what, text] of found) {
    it(`finds ${what}`, () => {
      expect(rulesIn(text)).toContain("generic-secret");
    });
  }

  const notFound: [string, string][] = [
    ["a batch argument", 'set "PASSWORD=%1"'],
    ["a stand-in", 'Environment="PASSWORD=changeme"'],
    ["a printed line that is not random", `echo "PASSWORD=${shortPassword()}"`],
  ];
  for (const [what, text] of notFound) {
    it(`reports nothing for ${what}`, () => {
      expect(rulesIn(text)).toEqual([]);
    });
  }
});

describe("generic detectors: sequences, comparisons, key/value objects and parameters", () => {
  const found: [string, string, string][] = [
    [
      "a YAML sequence under a password name",
      `passwords:\n  - ${shortPassword()}\n  - ${shortPassword()}`,
      "generic-secret",
    ],
    [
      "a YAML sequence item at the name's indentation",
      `db:\n  api_token:\n  - "${mixed(24)}"`,
      "generic-secret",
    ],
    ["a comparison with a literal", `if password == "${shortPassword()}":`, "generic-secret"],
    [
      "a Java equals with a literal",
      `if (password.equals("${shortPassword()}")) {`,
      "generic-secret",
    ],
    ["a strict comparison in JavaScript", `if (token === '${mixed(24)}') {`, "generic-secret"],
    [
      "an Elixir heredoc of one line",
      `config :app, :signing,\n  signing_secret: """\n  ${mixed(40)}\n  """`,
      "generic-secret",
    ],
    ["a Python triple-quoted line", `API_KEY = """\n${mixed(24)}\n"""`, "generic-secret"],
    [
      "a builder's method named after the password",
      `DataSourceBuilder.create().username("sa").password("${mixed(24)}").build();`,
      "generic-secret",
    ],
    [
      "Go's ssh.Password",
      `auth := []ssh.AuthMethod{ssh.Password("${mixed(24)}")}`,
      "generic-secret",
    ],
    ["a Rust String::from", `let password = String::from("${shortPassword()}");`, "generic-secret"],
    [
      "Spring Security's plain-text mark",
      `spring.security.user.password={noop}${shortPassword()}`,
      "generic-secret",
    ],
    [
      "Spring Security's plain-text mark in a builder",
      'User.withUsername("user").password("{noop}admin123")',
      "generic-secret",
    ],
    [
      "an arrow returning a typed password",
      'const getPassword = () => "Summer2024!";',
      "credential-arrow-literal",
    ],
    [
      "a .NET key read from a literal's bytes",
      `var key = Encoding.UTF8.GetBytes("${mixed(24)}");`,
      "generic-secret",
    ],
    [
      "a key/value object in JSON",
      `[{"key": "db_password", "value": "${shortPassword()}"}]`,
      "name-value-credential",
    ],
    [
      "a key/value entry in YAML",
      `- key: API_SECRET\n  value: ${mixed(24)}`,
      "name-value-credential",
    ],
    [
      "a Spring property with a value element",
      `<property name="password"><value>${shortPassword()}</value></property>`,
      "xml-name-value-credential",
    ],
    [
      "an attribute element holding a value element",
      `<attribute name="api.token">\n  <value>${mixed(24)}</value>\n</attribute>`,
      "xml-name-value-credential",
    ],
    [
      "an XML credential element with attributes",
      `<secret type="string">${mixed(24)}</secret>`,
      "xml-tag-credential",
    ],
    [
      "a short Flask SECRET_KEY",
      `app.config['SECRET_KEY'] = '${shortPassword()}'`,
      "generic-secret",
    ],
    ["a short signing key", `JWT_SIGNING_KEY=${shortPassword()}`, "generic-secret"],
    ["an Apache SetEnv", `SetEnv DB_PASSWORD ${shortPassword()}`, "generic-secret"],
    ["an nginx fastcgi_param", `fastcgi_param API_TOKEN ${mixed(24)};`, "generic-secret"],
    ["a Rust raw string", `const API_KEY: &str = r#"${mixed(24)}"#;`, "generic-secret"],
    [
      "an assignment in a notebook cell",
      `    "api_key = \\"${mixed(24)}\\"\\n",`,
      "generic-secret",
    ],
    ["a .env value holding ; and ,", `DB_PASSWORD=${shortPassword()};x,Q7!`, "generic-secret"],
    ["a YAML value holding quotes", `password: ${shortPassword()}'x"Q7`, "generic-secret"],
    ["a YAML value holding a $", `password: ${shortPassword()}${D}Q7`, "generic-secret"],
    ["a properties value holding a $", `db.password=${shortPassword()}${D}Q7`, "generic-secret"],
    ["a password told in a sentence", `The password is ${shortPassword()}.`, "generic-secret"],
    ["a Markdown bold name", `- **Password**: \`${shortPassword()}\``, "generic-secret"],
    ["a Markdown bold name with its colon", `**API key:** ${mixed(24)}`, "generic-secret"],
    [
      "a Markdown table row of a name and its value",
      `| Password | ${shortPassword()} |`,
      "generic-secret",
    ],
    [
      "Redis' --requirepass flag",
      `command: redis-server --requirepass ${shortPassword()}`,
      "generic-secret",
    ],
    [
      "a keepalived auth_pass directive",
      `    auth_pass ${shortPassword()}`,
      "keepalived-auth-pass",
    ],
    [
      "a dotted password directive in a properties file",
      `db.password ${shortPassword()}`,
      "generic-secret",
    ],
    [
      "curl's proxy user",
      `curl -U proxy:${shortPassword()} -x http://proxy:3128 https://example.org`,
      "curl-user-password",
    ],
    [
      "curl's --proxy-user",
      `curl --proxy-user proxy:${shortPassword()} https://example.org`,
      "curl-user-password",
    ],
  ];
  for (const [what, text, id] of found) {
    it(`finds ${what}`, () => {
      expect(rulesIn(text)).toContain(id);
    });
  }

  const notFound: [string, string][] = [
    ["a sequence of mappings", "passwords:\n  - name: db\n    length: 32"],
    ["a key/value item of a cache key", "items:\n  - key: cache_key\n    value: user-profile-v2"],
    ["a pair naming a sort key", `{"name": "sort_key", "value": "${mixed(28)}"}`],
    ["a sequence of secret names (Compose)", "secrets:\n  - db_password\n  - api_key"],
    ["a sequence of references", `tokens:\n  - ${D}{TOKEN}\n  - "{{ vault_token }}"`],
    ["a comparison with a name", "if (password === confirmPassword) {}"],
    ["a Java equals with a name", "if (password.equals(confirm)) {}"],
    ["a triple-quoted line of words", 'TOKEN_HELP = """\nThe token is read from the keychain\n"""'],
    ["a page's label with an HTML entity", '"password": "L&#246;senord"'],
    ["a lexer's token method", 'const t = lexer.token("IDENT");\nparser.token("(");'],
    [
      "a token class constructed",
      "exports.ITranslator = new coreutils_1.Token('@jupyterlab/translation:ITranslator');",
    ],
    ["a scoped package's token", "const token = '@jupyterlab/translation:ITranslator';"],
    ["a form's field named by a password method", 'form.password("confirmPassword2")'],
    ["an arrow returning a storage key's name", "const tokenStorageKey = () => 'auth_token_v2';"],
    ["an Elixir attribute's heredoc", '  @token_doc """\n  Contains4Tokens\n  """'],
    [
      "an escaped substitution in a URL",
      "url: postgres://app:%24%28DB_PASSWORD%29@db.internal/app",
    ],
    ["an escaped path in a URL", "url: postgres://app:%2Frun%2Fsecrets%2Fdb@db.internal/app"],
    [
      "a public key's pair",
      "env:\n  - name: RECAPTCHA_SITE_KEY\n    value: 6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI",
    ],
    ["a flag's pair", '{"name": "EXPERIMENT_KEY", "value": "checkoutRedesign2024b"}'],
    [
      "a signing key's fingerprint as a pair",
      "env:\n  - name: SIGNING_KEY_FINGERPRINT\n    value: 7169605F62C751356D054A26A821E680E5FA6305",
    ],
    [
      "a KMS key's id as a pair",
      "env:\n  - name: KMS_KEY\n    value: 1234abcd-12ab-34cd-56ef-1234567890ab",
    ],
    [
      "an arrow named past the token's word",
      "getTokenMint: () => 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v'",
    ],
    ["a pair of field names under credentials", "credentials = ['AccessKeyId', 'SecretAccessKey']"],
    [
      "a list of header names",
      '"SensitiveHeaders": ["Authorization", "Password", "X-APISIX-KEY"],',
    ],
    ["a key in a hardware module", '"MasterKey": "pkcs11:token=application;object=master-key",'],
    ["RFC 4122's example UUID", 'api_key = "550e8400e29b41d4a716446655440000"'],
    [
      "a mock's token",
      'mock_token = "iqxKSd_3RAqHELc7Hj8zqd0iBNNn9ckEMhO5loRP-hqcZUBNg8lw4ZwxBaBp5jK8tFvUfCK03QDk"',
    ],
    ["a mail link after a scheme", 'x = "https://mailto:johnnyjohn@leaktk.org"'],
    [
      "an image pinned by its digest",
      `FROM docker://node:24.19.0-bookworm@sha256:${"9".repeat(64)}`,
    ],
    [
      "the token of GitHub's API docs",
      '"access_token":"gho_16C7e42F292c6912E7710c838347Ae178B4a",',
    ],
    ["a cache's key of an MD5 after key-", "cache_key=key-d04d336d2ca589d28bf6adb7068c7d66"],
    ["a method naming a secret to look up", 'cfg.secret("db-password")'],
    ["a Rust conversion of a name", 'let token = Token::from("IDENT");'],
    [
      "a comparison with an empty or example string",
      'if password == "" or password == "password":',
    ],
    ["a comparison of a key name", 'if (key === "ArrowDown") {}'],
    ["a key/value object with a reference", `[{"key": "password", "value": "${D}{DB_PASS}"}]`],
    [
      "a property with a placeholder",
      `<property name="password"><value>${D}{jdbc.password}</value></property>`,
    ],
    [
      "a bean class named after passwords",
      '<entry key="passwordEncoder">org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder</entry>',
    ],
    ["an empty assignment in a notebook cell", '    "password = \\"\\"\\n",'],
    ["a Rust raw string naming a password", 'let pattern = r#"password"#;'],
    ["a call as a setting's last line", "  password: getPassword()"],
    ["a call ending in a comma", "  token: readToken(file, 'utf8'),"],
    ["an environment lookup on its line", 'PASSWORD = os.environ["DB_PASSWORD"]'],
    ["a shell value holding a $", `PASSWORD=${shortPassword()}${D}Q7`],
    ["a Helm template on its line", "password: {{.Values.db.password}}"],
    [
      "a sentence about a password",
      "The password is required.\nYour password is invalid, please try again",
    ],
    ["a Python identity test", "if password is None:\n    pass"],
    ["a sentence with a reference", `The password is ${D}DB_PASSWORD.`],
    ["a pipe in a shell command", `echo ${D}password | base64`],
    [
      "a Markdown table describing fields",
      "| Name | Description |\n|---|---|\n| password | The password of the database user |",
    ],
    ["a Markdown bold name with a description", "- **Password**: the password you chose"],
    ["a short API key, the id half of a pair", `ACME_API_KEY=${shortPassword()}`],
    ["an auth_pass directive with a reference", `    auth_pass ${D}{KEEPALIVED_PASS}`],
    ["a table row describing a value", "| passphrases | Argon2id v1.3 (crypto_pwhash) | salt 16 |"],
    ["a C declaration named after a password", "SRP_user_pwd *SRP_user_pwd_new(void);"],
    ["a dotted name in prose", "Set the db.password property to the value you chose."],
    ["a directive with a reference", `db.password ${D}{DB_PASSWORD}`],
    ["psql's -U user", "psql -U postgres -d app"],
  ];
  for (const [what, text] of notFound) {
    it(`reports nothing for ${what}`, () => {
      expect(rulesIn(text)).toEqual([]);
    });
  }
});

describe("generic detectors: passwords made of words", () => {
  it("finds a generated word passphrase with capitals and digits, not an identifier", () => {
    for (const line of [
      "wifi_password: purple-Otter-42-river",
      "The NAS password is Blue-Falcon-7-stone-Quiet",
      'DB_PASSWORD="correct_Horse_9_battery"',
    ]) {
      expect(rulesIn(line), line).toContain("generic-secret");
    }
    for (const line of [
      "password: openclaw-gateway-2026",
      "api_token: purple-Otter-42-river",
      "password: Purple-Otter",
      "password: app.Config.Db-2",
      "password: Enc-AES256-GCM",
    ]) {
      expect(rulesIn(line), line).not.toContain("generic-secret");
    }
  });
});

describe("generic detectors: a password told in a sentence", () => {
  it("finds a password given right after the word password, not the words that follow it", () => {
    for (const line of [
      "ssh root@10.0.0.5 with password hunter2bravo!",
      "Log in to the router using password Vq83!mzLp, then reboot it.",
      "The NAS: admin password Tr0ub4dor&3x (changed in May)",
      `The password '${shortPassword()}' works`,
      "Set password Zq8!mK2#pLw for the admin.",
      "Log in via password Zq8!mK2#pLw",
    ]) {
      expect(rulesIn(line, "MEMORY.md"), line).toContain("generic-secret");
    }
    for (const line of [
      "Log in with password authentication disabled.",
      "Sign in with password manager integration.",
      "Fill in the password field, then press enter.",
      "Hash it with password SHA-256 and a salt.",
      "Send the password reset link.",
      "Connect with password $DB_PASSWORD from the environment.",
      "Protect the archive with password protection.",
      "The password **must** be at least 12 characters.",
      "Enter the new password _again_.",
      'die("ssh: root password incorrect\\n");',
      "This is not necessary if you do not plan on using password authentication\\&.",
      "Sign in with password OAuth2 flows are deprecated.",
      "Protect the archive with password AES256 or ZipCrypto.",
      "Replace the password PBKDF2WithHmacSHA256 default.",
      "Log in with password Auth0-Universal-Login enabled.",
    ]) {
      expect(rulesIn(line, "MEMORY.md"), line).not.toContain("generic-secret");
    }
  });
});

describe("hex tokens: the entropy bar follows the length", () => {
  /** `n` random hex digits whose letters happen to repeat (entropy under `below` bits). */
  function repetitiveHex(n: number, below = 3.45): string {
    for (;;) {
      const value = r(HEX, n);
      if (shannonEntropy(value) < below && /[0-9].*[0-9]/.test(value)) return value;
    }
  }

  it("finds random 32- and 40-digit tokens whose digits repeat more than most", () => {
    expect(rulesIn(`git clone https://${repetitiveHex(40)}@github.com/acme/app.git`)).toContain(
      "url-token-userinfo",
    );
    expect(
      rulesIn(`curl -H "Authorization: Bearer ${repetitiveHex(32)}" https://api.acme.test/v1`),
    ).toContain("http-bearer-token");
    expect(rulesIn(`CHECKLY_API_KEY=cu_${repetitiveHex(32, 3.3)}`)).toContain("checkly-api-key");
    expect(rulesIn(`CLAY_API_KEY=${repetitiveHex(20, 3)}`)).toContain("clay-api-key");
  });

  it("leaves well-known hex, GPG fingerprints and digits alone, and only Sentry's keys", () => {
    for (const line of [
      'EMPTY_MD5_KEY: "d41d8cd98f00b204e9800998ecf8427e"',
      "hash_key: 6ba7b8109dad11d180b400c04fd430c8",
      `  - Release GPG key: ${r(HEX, 40).toUpperCase()}`,
      "CLAY_API_KEY=20231231235959000000",
      `SENTRY_DSN=https://${r(HEX, 32)}@errors.acme.test/42`,
    ]) {
      expect(rulesIn(line), line).toEqual([]);
    }
    // Another token before a numeric path is no Sentry key.
    expect(rulesIn(`WEBHOOK=https://${mixed(40)}@hooks.acme.test/12345`)).toContain(
      "url-token-userinfo",
    );
  });
});

describe("label-line-credential: a value alone under its label", () => {
  const found: [string, string][] = [
    ["a hex key under `API Key`", `API Key\n${r(HEX, 32)}`],
    ["a key under a provider's label with a colon, indented", `OpenAI key:\n  ${mixed(32)}`],
    ["a password under a heading, after a blank line", `## Password\n\n${shortPassword()}!`],
    ["a secret in a code span under a bold label", `**Client secret:**\n\`${mixed(24)}\``],
    ["a token under a list item", `- GitHub token\n${mixed(36)}`],
    ["a key in a fenced code block", `API key (prod):\n\n\`\`\`text\n${mixed(40)}\n\`\`\``],
    ["a password for a named host", `Password for the NAS:\n${shortPassword()}#`],
    ["a key under its environment variable's name", `ACME_API_KEY\n${mixed(32)}`],
    ["a passphrase of words under a password label", 'Passphrase:\n"velvet Mango tundra orbit47"'],
    ["a token under five words", `Home Assistant long lived access token\n${mixed(48)}`],
  ];
  for (const [what, text] of found) {
    it(`finds ${what}`, () => {
      expect(rulesIn(text, "MEMORY.md")).toContain("label-line-credential");
    });
  }

  const notFound: [string, string][] = [
    ["a checksum under its label", `Checksum\n${r(HEX, 32)}`],
    ["a public key under its label", `Public key\n${mixed(44)}`],
    ["a key id under its label", `Key ID\n${mixed(20)}`],
    ["a sentence under a heading", "## API key\n\nYour key is on the dashboard."],
    ["a documentation password", "Password\n\nhunter2"],
    ["a placeholder", "Token\n\nYOUR_TOKEN_HERE"],
    ["a redacted value", "API key\n\n********"],
    ["an identifier", "Secret\n\nsecretName"],
    ["a label that is a sentence", `Set the token in the dashboard\n${mixed(32)}`],
    ["a value two blank lines down", `API Key\n\n\n${r(HEX, 32)}`],
    ["a value with words beside it", `API Key\n${r(HEX, 32)} (rotated)`],
    ["a commit under a cache key's label", `Cache key\n${r(HEX, 40)}`],
    ["a digest under a key label", `Key:\n${r(HEX, 32)}`],
    ["a UUID under a partition key's label", "Partition key\n3f2a9c1e-7b4d-4e8a-9f1c-2d3e4f5a6b7c"],
    ["a Redis key", `Redis key\nsession:${r(HEX, 20)}`],
    ["an object path", `S3 object key\nuploads/2024/05/${r(HEX, 10)}.png`],
    ["a page token", `Next page token\n${mixed(40)}`],
    ["a Nostr public key", `Nostr key\nnpub1${r("023456789acdefghjklmnpqrstuvwxyz", 58)}`],
    ["the TOTP secret of the key URI documentation", "TOTP secret\nJBSWY3DPEHPK3PXP"],
    [
      "a resource path in wrapped prose",
      '... the key\n"projects/foo/locations/us-west1/keyRings/ring/cryptoKeys/akey/cryptoKeyVersions/1",',
    ],
  ];
  for (const [what, text] of notFound) {
    it(`reports nothing for ${what}`, () => {
      expect(rulesIn(text, "MEMORY.md")).not.toContain("label-line-credential");
    });
  }

  it("reports the value without its quotes, bold or trailing comma", () => {
    const value = mixed(32);
    for (const line of [`"${value}",`, `'${value}'`, `**${value}**`, `\`${value}\`;`]) {
      const findings = scanText(`API key:\n${line}\n`, { file: "MEMORY.md" });
      expect(findings.map((finding) => finding.match)).toEqual([value]);
    }
  });
});

describe("generic-secret: C and C++ code is not an assignment of a secret", () => {
  const code: [string, string][] = [
    ["a C++ path after a colon", "AnalysisType *Pass::getAnalysisIfAvailable() const {"],
    ["a path in a comment", "/// of a string to be lexed as an AsmToken::Identifier."],
    ["a call through a path", "LatticeKey Key = KeyInfo::getLatticeKeyFromValue(&PN);"],
    ["std::move", "_M_impl._M_key_compare = std::move(__x._M_impl._M_key_compare);"],
    ["an enumerator", "_M_token = _S_token_ord_char;"],
    ["a macro naming another", "#define EVP_PKEY_DSA2 NID_dsaWithSHA"],
    ["a macro's number with a suffix", "#define PUBLIC_OWN_PW_DEFAULTS 0X20000000ul"],
    ["a macro naming an object id", "#define EVP_PKEY_EC NID_X9_62_id_ecPublicKey"],
    ["a macro naming a versioned id", "#define EVP_PKEY_DSA4 NID_dsaWithSHA1_2"],
    [
      "OpenSSL's published FIPS module key",
      '#define FIPS_KEY_STRING "f4556650ac31d35461610bac4ed81b1a181b2d8a43ea2854cbae22ca74560813"',
    ],
    [
      "identified by in a comment's prose",
      '** that have the same value for all columns identified by "aOrderBy".',
    ],
    [
      "a macro naming a function",
      "#define xmlSecCryptoAppDefaultKeysMngrAdoptKey  xmlSecGnuTLSAppDefaultKeysMngrAdoptKey",
    ],
  ];
  for (const [what, text] of code) {
    it(`reports nothing for ${what}`, () => {
      expect(rulesIn(text)).toEqual([]);
    });
  }

  it("still finds a C string literal, random values under other names, and SQL's IDENTIFIED BY", () => {
    const token = mixed(32);
    expect(rulesIn(`CREATE USER app IDENTIFIED BY '${token}';`)).toContain("sql-password");
    expect(rulesIn(`CREATE USER 'app'@'%'\n  IDENTIFIED BY '${token}';`)).toContain("sql-password");
    expect(rulesIn(`grant all on db.* to app identified by '${token}';`)).toContain("sql-password");
    expect(
      rulesIn(`CREATE DATABASE LINK sales CONNECT TO app IDENTIFIED BY "${token}" USING 'sales';`),
    ).toContain("sql-password");
    expect(rulesIn("This grant is identified by 'client_credentials2' in requests.")).toEqual([]);
    expect(rulesIn("Permissions you grant to the app are identified by 'scope:read2'.")).toEqual(
      [],
    );
    expect(rulesIn(`#define API_TOKEN "${token}"`)).toContain("generic-secret");
    expect(rulesIn(`API_TOKEN=${r(LOWER + UPPER, 12)}_${r(LOWER + UPPER, 12)}`)).toContain(
      "generic-secret",
    );
  });
});

describe("generic-secret: more syntaxes that assign a credential", () => {
  const token = mixed(32);
  const found: [string, string][] = [
    ["a Markdown table row labelled in words", `| OpenAI API key | ${token} |`],
    ["a bold table label", `| **Client secret** | ${token} |`],
    ["CMake's set()", `set(API_KEY "${token}")`],
    ["Vault AppRole's secret_id", `secret_id = "${token}"`],
    ["an API key directive alone on its line", `ApiKey ${token}`],
    ["an Erlang or Elixir config tuple", `{api_key, "${token}"},`],
    ["a notebook cell's code in a JSON string", ` "API_KEY = '${token}'\\n",`],
    ["a label's arrow", `API key → ${token}`],
    ["a table row labelled in four words", `| My Cool Service API Key | ${token} |`],
    ["a random value of an unquoted C macro", `#define API_KEY ${token}`],
    ["an assignment aligned by terraform fmt", `  admin_password                   = "${token}"`],
    ["Swift's implicitly unwrapped String", `let password: String! = "${token}"`],
    ["a password named pword", `pword='${token}'`],
    ["a password named passwrd", `passwrd = '${token}'`],
    ["a quoted value after a spaced hyphen", `razorpay token - '${token}'`],
    ["a quoted token of 800 characters", `session_token = "${mixed(800)}"`],
    [
      "drawn lower-case letters and digits joined by a hyphen",
      `token = '${r(LOWER + DIGITS, 28)}-${r(LOWER + DIGITS, 7)}'`,
    ],
  ];
  for (const [what, text] of found) {
    it(`finds ${what}`, () => {
      expect(rulesIn(text)).toContain("generic-secret");
    });
  }

  it("takes a value in Markdown bold without the bold", () => {
    for (const text of [`| OpenAI API key | **${token}** |`, `API key → **${token}**`]) {
      expect(
        scanText(`${text}\n`, { file: "notes.md" }).map((f) => f.match),
        text,
      ).toEqual([token]);
    }
  });

  const notFound: [string, string][] = [
    ["a cache key in a table", `| Cache key | ${r(HEX, 64)} |`],
    ["a sort key in a table", `| Sort key | ${token} |`],
    ["a public key in a table", `| Public key | ${token} |`],
    ["a directive's placeholder", "api_key YOUR_KEY"],
    ["a header's name in a table", "| Webhook secret | X-Hub-Signature-256 |"],
    ["a name in a table", "| Admin token | k8s:ServiceAccount |"],
    ["a menu path", "Password → Settings2 → Security"],
    ["a class after a directive's name", "ApiKey ApiKeyAuthenticationHandler2"],
    ["an algorithm's name", "set(PASSWORD_HASH_ALGO argon2id)"],
    ["code in a string with a word for a value", `"Set API_KEY = 'your-key' first"`],
    ["a tuple of a name and a word", '{token, "refresh"},'],
    ["a directive's prose", "api_key is required"],
    ["a word that ends in pword", `stopwords = "${token}"`],
    ["a list item's label and its prose", "- token - 'the token your admin gave you'"],
    ["words and numbers joined", "token = 'openclaw-gateway-2026'"],
    ["words of five consonants in a row", "PASSPHRASE_FLAG = '--passphrase-file'"],
    ["a URL's scheme among words", "AUTH_TOKEN=https-only-2024"],
  ];
  for (const [what, text] of notFound) {
    it(`reports nothing for ${what}`, () => {
      expect(rulesIn(text)).toEqual([]);
    });
  }
});

describe("generic detectors: symbols in values, hyphenated names, ARNs and lifecycle tokens", () => {
  it("finds a generated password holding brackets, which mark a stand-in only around a word", () => {
    expect(rulesIn('client_secret = "F-oS9Su%}<>[];#"', "main.tf")).toContain("generic-secret");
    expect(
      rulesIn(`SQUARE_SECRET: 'sq0csp-${mixed(12)}]${mixed(8)}^${mixed(20)}'`, "a.yml"),
    ).toContain("generic-secret");
    for (const standIn of ["<your password>", "{api_key}", "[REDACTED]", "<token", "key}"]) {
      expect(rulesIn(`password: "${standIn}"`, "a.yml"), standIn).toEqual([]);
    }
    // Code around brackets: a requirement, an index, a member arrow.
    expectNothingIn([
      ["tox.ini", "oauth2client4: oauth2client>=4,<=5dev"],
      ["tox.ini", "    oauth2client1: oauth2client<1.5dev"],
      ["checkers.py", "    @param credentials: L{ISSHPrivateKey} provider"],
      ["x.h", "  token_ = BufferingGuard{};"],
      ["UniprotIO.py", `ann_key = f"comment_{element.attrib['type']}_intactId"`],
      ["kernelspec.py", '_kernel_name_pat = re.compile(r"^[a-z0-9._\\-]+$", re.IGNORECASE)'],
      ["Font.py", 'pat = r"q[^\\\\q\\n]*(\\\\[\\000-\\377][^\\\\q\\n]*)*q"'],
      [
        "compiler-dom.js",
        "e.isStaticPropertyKey=(e,t)=>eG(t)&&t.key===e,e.isTemplateNode=tt,e.isText=e7,e.isVPre=e8,e.parse=function(e,t={}){r",
      ],
      ["chart.js", 'K4%x8C^G9q}7iM"G"r/Pw"=|[hDeG5@@F41ElzR4,Nx"r<"msZ'],
      ["tests.py", 'u = "urn:ietf:params:oauth:jwk-thumbprint:sha-256:{}".format(t)'],
      ["a.css", ".deck-compass:active{cursor:-webkit-grabbing;cursor:-moz-grabbing}"],
      ["m.js", "endToken:a&&a.join?a[a.length-1]:a}}function c(e,t){}"],
      ["a.tf", `password = "db-${D}{lookup(var.passwords,"primary")}"`],
      ["values.yaml", "header-pass-through:\n  value: Authorization"],
      [
        "README.md",
        "[![codecov](https://codecov.io/gh/o/r/graph/badge.svg?token=HA393WIYUK)](https://codecov.io/gh/o/r)",
      ],
      [
        "test_key.py",
        "k.key = u'''pt-Olá_ch-你好_ko-안녕_ru-Здравствуйте%20,.<>~`!@#$%^&()_-+='\"'''",
      ],
      ["netrw.vim", "  let s:netrw_passwd           = s:netrw_hup[host].passwd"],
      ["_networkmanager", '      _arguments -C "1:password" "*::arg:->args"'],
    ]);
  });

  it("finds a value under a hyphenated parent name as under an underscored one", () => {
    const value = shortPassword();
    for (const name of ["proxy-password", "mock-proxy-password", "proxy_password"]) {
      expect(rulesIn(`${name}:\n  value: ${value}`, "values.yaml"), name).toContain(
        "parameter-default-credential",
      );
    }
  });

  it("reports nothing for an ARN's secret part or an AWS lifecycle action token", () => {
    const arn = `Description: "arn:${D}{AWS::Partition}:secretsmanager:${D}{AWS::Region}:${D}{AWS::AccountId}:secret:AthenaJdbcFederatione*"`;
    expect(rulesIn(arn, "template.yaml")).toEqual([]);
    expect(
      rulesIn("arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-Ab3Xy7", "a.md"),
    ).toEqual([]);
    expect(
      rulesIn('{"LifecycleActionToken": "d290f1ee-6c54-4b01-90e6-d701748f0851"}', "event.json"),
    ).toEqual([]);
    // Only an ARN's `secret` part: a credential's name after an ARN elsewhere on a line is one.
    expect(rulesIn("id=arn:foo:password=Xk9mvQ2mLp7ZrT4w", "a.txt")).toContain("generic-secret");
    // A random password with an emoji or a Vietnamese letter is no sentence.
    expect(rulesIn('password = "Xk9😀mvQ2mLp7Z"', "a.py")).toContain("generic-secret");
    expect(rulesIn('password = "Xk9ệmvQ2mLp7Z"', "a.py")).toContain("generic-secret");
    // The same value as a token's value is still found.
    expect(
      rulesIn('{"AccessToken": "d290f1ee-6c54-4b01-90e6-d701748f0851"}', "event.json"),
    ).toContain("generic-secret");
  });
});

describe("generic detectors: drawn values after a dollar sign, code past a quote, escapes and object names", () => {
  it("finds a drawn value that starts with a dollar sign, not a variable", () => {
    const drawn = `${D}A3ae68d9f8ccfc898ee2555a5f8f228b9`;
    expect(rulesIn(`<password>${drawn}</password>`, "settings.xml")).not.toEqual([]);
    expect(rulesIn(`{"secret": "${drawn}", "foo": "bar"}`, "a.json")).toContain("generic-secret");
    // Words and numbers after `$` are a variable's name, digits among them or not.
    for (const variable of [
      `${D}sha256HashedPassword`,
      `${D}x509CertificatePassword`,
      `${D}pbkdf2Sha256Password`,
    ]) {
      expect(rulesIn(`password = "${variable}"`, "Auth.kt"), variable).toEqual([]);
    }
    for (const variable of [
      `${D}DB_PASSWORD`,
      `${D}dbPassword`,
      `${D}{DB_PASSWORD}`,
      `\\${D}KUBEADMIN_PASS`,
    ]) {
      expect(rulesIn(`password = "${variable}"`, "a.py"), variable).toEqual([]);
    }
  });

  it("finds a generated key holding != before a digit, and not a version requirement", () => {
    const key = "r&lvybzry1*k+qq)=x-!=0yd5l5#1gxzk!82@ru25*ntos3_9^";
    expect(rulesIn(`SECRET_KEY = '${key}'`, "settings.py")).toContain("generic-secret");
    expect(rulesIn(`SECRET_KEY=${key}`, ".env")).toContain("generic-secret");
    expect(rulesIn("deps = foo!=1.2,bar==2.0", "tox.ini")).toEqual([]);
  });

  it("reports nothing for code read past a quote, escapes, file tokens, commands, types or parameters", () => {
    expectNothingIn([
      ["render.go", 'cfg := `password="`+yaml.GetConfig().Password+`"`'],
      ["azuredeploy.json", "\"[concat('password=', listKeys(resourceId('x'), '2019').keys[0])]\""],
      [
        "Model.java",
        'sb.append("    password: ").append(toIndentedString(password)).append("\\n");',
      ],
      ["deploy.yaml", 'Password: "@@FILE:/some/file/path@@"'],
      ["a.go", "PASSWORD=\\u90DB\\u10L8\\u10XB\\u1098"],
      ["page.html", "password=\\u0026#34;foobarbaz&#34;,"],
      ["secret.json", '{"data":{"some-secret":"base64string"}}'],
      ["run.sh", "PG_PASSWORD=`cat /dev/urandom | tr -dc A-Za-z0-9 | head -c 16`"],
      ["values.yaml", 'root_password: "PROVIDE-A-PASSWORD-SALT"'],
      [
        "azuredeploy.json",
        `"cs": "concat('Data Source=',parameters('a'),';Password=',parameters('d'))"`,
      ],
      ["appsettings.json", '"Db": "Server=db;User ID={EXAMPLE_USER};Password={PASSWORD_HERE};"'],
      ["web.config", '<add connectionString="Data Source=db;User ID=u;Password={CONFIGURE_ME}" />'],
      ["Login.swift", "    var txtFieldPassword: UITextField! = nil"],
      ["query.json", '"cs": "Server=db;Database=x;user=@user;password=@password"'],
    ]);
  });

  it("reports nothing for a secret object's name, a detect-secrets baseline's hash or a type's name", () => {
    expectNothingIn([
      ["values.yaml", 'secret: "k8s-infra-key"'],
      ["a.json", '"secret": "awx-postgres-configuration",'],
      ["a.json", '"secret": "multicluster-mongodb-client-cert",'],
      [".secrets.baseline", '"hashed_secret": "972edb79d7c2e4374689572fb6c4ee7b",'],
      ["a.json", '"vault-secret": "NamespaceOpenshiftResourceVaultSecret_v1"'],
    ]);
    // A drawn value under the same names is still one; a password may be words in camel case.
    expect(rulesIn(`secret: "${r(LOWER + DIGITS, 24)}"`, "values.yaml")).toContain(
      "generic-secret",
    );
    expect(rulesIn('password: "MyPlainTextPassword"', "a.yml")).toContain("generic-secret");
  });

  it("finds random passwords that open with a quote and an operator, or a command's word", () => {
    expectRuleIn("generic-secret", [
      ["main.tf", 'password = "`+5rf!p2J)ZD4$Xa"'],
      ["settings.json", '{"password": "`.MWBMv4awwC4uQi"}'],
      ["database.php", "'password' => ',Nc3A(^Eij(|',"],
      ["settings.py", "SECRET_KEY = 'JfYeyDtoeWvdOmuwXus3'"],
      [".env", 'DB_PASSWORD="echo stardust pelican voltage"'],
    ]);
  });

  it("finds a drawn default of a shell variable whole, whatever marks it holds", () => {
    for (const value of [
      "Kb(0xMMSxt1&9KDh",
      "#*TW5OT7h5A3M20WWF!J",
      "/ZKPjkROTfVSX/T3E9xBBroYp4ceGLlS81tV",
    ]) {
      const text = `  POSTGRES_PASSWORD: ${D}{POSTGRES_PASSWORD:-${value}}\n`;
      const spans = scanText(text, { file: "docker-compose.yml" }).map((f) =>
        text.slice(f.start, f.end),
      );
      expect(spans, value).toEqual([value]);
    }
  });

  it("leaves a shell's default for a variable to the fallback rule, its dash left out", () => {
    const value = shortPassword();
    const findings = scanText(`url: postgresql://u:${D}{DB_PASSWORD:-${value}}@db:5432/app\n`, {
      file: "compose.yaml",
    });
    expect(findings.map((f) => f.ruleId)).toEqual(["env-fallback-credential"]);
    // A documentation password as the default: no rule reports `-PaSsW0Rd` instead.
    expect(
      rulesIn(`url: postgresql://u:${D}{DB_PASSWORD:-PaSsW0Rd}@db:5432/app`, "c.yaml"),
    ).toEqual([]);
    expect(findings[0]?.end).toBe(findings[0] ? findings[0].start + value.length : 0);
  });
});

describe("generic-secret: drawn passwords with brackets and symbols", () => {
  /**
   * A password a generator could draw: a capital, a letter, a digit and a bracket, four times;
   * closing brackets before opening ones, so that none closes one opened before it.
   */
  const drawn = () =>
    [")]}>", ")]}>", "([{<", "([{<"]
      .map((brackets) => r(UPPER, 1) + r(LOWER, 1) + r(DIGITS, 1) + r(brackets, 1))
      .join("");

  it("finds one whatever the brackets, as code and configuration write it", () => {
    expectRuleIn("generic-secret", [
      ["app.py", `password = "${drawn()}"`],
      ["appsettings.json", `{ "ApiSecret": "${drawn()}" }`],
      ["Db.java", `private static final String DB_PASSWORD = "${drawn()}";`],
      ["config.yaml", `db:\n  password: "${drawn()}"`],
    ]);
  });

  it("reports nothing for templates, references, regular expressions and calls", () => {
    expectNothingIn([
      ["app.py", `password = "${D}{DB_PASSWORD}"`],
      ["values.yaml", 'secret: "{{.Values.sec9}}"'],
      ["validate.js", 'token = "^[A-Za-z0-9]{32}$"'],
      ["hex.py", 'api_key = "(?:[0-9A-F]{2}){16}"'],
      ["db.erb", "password = \"<%=ENV['DB_PW9']%>\""],
      ["app.py", 'password = "getPass(args[0])"'],
      ["app.sh", `PASSWORD="${D}(cat /run/secrets/pw)"`],
    ]);
  });

  it("reports nothing for wrappers, placeholders, formats, patterns and code that pair brackets", () => {
    expectNothingIn([
      ["application.yml", `spring.datasource.password: "ENC(${mixed(32)})"`],
      ["mule.yaml", `db.password: "![${mixed(24)}]"`],
      ["app.py", 'api_key = "<API_KEY_1>"'],
      ["app.yml", 'auth: "<ID>:<KEY>1"'],
      ["app.py", 'token = "{:08x}-{:04x}".format(a, b)'],
      ["App.cs", 'var token = string.Format("{0:X8}-{1:D4}", a, b);'],
      ["app.py", "KEY_RE = re.compile(r'.*\\/(?P<x>.+)$')"],
      ["app.yml", 'token: "[1-9A-HJ-NP-Za-km-z]+"'],
      ["init.lua", '{ key = "<C-w><C-v>", action = "split" }'],
      ["setup.py", 'extras_require={"reauth": "pyu2f>=0.1.5"}'],
      ["app.py", 'key = "[0x1F,0xA2,0x3B]"'],
      ["app.js", '{key:"(0,r.f)(e[1])"}'],
    ]);
  });
});

describe("weak and default passwords", () => {
  /** The findings of `text` as `ruleId severity/confidence`. */
  const graded = (text: string, file = "config.txt") =>
    scanText(`${text}\n`, { file }).map((f) => `${f.ruleId} ${f.severity}/${f.confidence}`);
  /** Expects each text, scanned as its file, to give one warning of low confidence of its rule. */
  const expectWeakWarnings = (cases: ReadonlyArray<readonly [string, string, string]>) => {
    for (const [file, text, rule] of cases) {
      expect(graded(text, file), text).toEqual([`${rule} warning/low`]);
    }
  };

  it("reports one where a password goes as a warning of low confidence", () => {
    expectWeakWarnings([
      ["docker-compose.yml", 'environment:\n  MYSQL_ROOT_PASSWORD: "root"', "generic-secret"],
      [".env", "DB_PASSWORD=admin", "generic-secret"],
      ["wp-config.php", "define( 'DB_PASSWORD', 'admin' );", "generic-secret"],
      ["build.gradle", 'keyPassword "123456"', "generic-secret"],
      ["app.py", 'if password == "letmein":', "generic-secret"],
      ["app.properties", "spring.datasource.password=P@ssw0rd", "generic-secret"],
      [
        "settings.py",
        "DATABASE_URL = 'mysql://app:P%40ssw0rd@db.internal:3306/app'",
        "url-credentials",
      ],
      ["compose.yml", "AMQP_URL: amqp://guest:guest@rabbit:5672/", "url-credentials"],
      [
        "Program.cs",
        'var cs = "Server=db01;Database=Orders;User Id=sa;Password=admin;";',
        "connection-string-password",
      ],
      ["deploy.sh", "sshpass -p 'blah' ssh deploy@10.0.0.5", "cli-login-password"],
      ["upload.sh", "curl -u admin:admin https://nexus.corp/repository/x", "curl-user-password"],
      ["settings.xml", "<server>\n  <password>admin</password>\n</server>", "xml-tag-credential"],
    ]);
  });

  it("reads a settings file's unquoted value as a literal", () => {
    expectWeakWarnings([
      ["docker-compose.yml", "environment:\n  MYSQL_ROOT_PASSWORD: root", "generic-secret"],
      // A default its vendor publishes is a weak password all the same.
      [
        "docker-compose.yml",
        "    environment:\n      MINIO_ROOT_PASSWORD: minioadmin",
        "generic-secret",
      ],
      ["application.properties", "spring.datasource.password=root", "generic-secret"],
      ["vars.yml", "ansible_become_pass: toor", "generic-secret"],
      ["my.cnf", "[client]\npassword=admin", "generic-secret"],
      ["Dockerfile", "FROM postgres:16\nENV POSTGRES_PASSWORD=admin", "generic-secret"],
    ]);
  });

  it("reports a random one in the same place as an error", () => {
    expect(graded('environment:\n  MYSQL_ROOT_PASSWORD: "q8Z!t2Lm9xRw"')).toEqual([
      "generic-secret error/low",
    ]);
    expect(graded("DATABASE_URL = 'mysql://app:q8Zt2Lm9xRw4@db.internal:3306/app'")).toEqual([
      "url-credentials error/medium",
    ]);
    // `PWD` alone is the working folder; `db_pwd` is a password, random or weak.
    expect(graded('db_pwd = "q8Z!t2Lm9xRw"', "app.py")).toEqual(["generic-secret error/low"]);
    expect(graded("DB_PWD=admin", ".env")).toEqual(["generic-secret warning/low"]);
    // A constant named `PWD` in code holding a drawn value is a password all the same.
    expect(graded(`private static final String PWD = "${shortPassword()}!";`, "Db.java")).toEqual([
      "generic-secret error/low",
    ]);
  });

  it("reports a typed password told in a sentence as a warning, not a word or a description", () => {
    expectWeakWarnings([
      ["MEMORY.md", "The wifi password is MyDogRex#1987.", "generic-secret"],
      ["notes.md", "with the password `Rex#1987`.", "generic-secret"],
    ]);
    expectNothingIn([
      ["notes.md", "The password is SHA256-hashed before it is stored."],
      ["notes.md", "The password is PBKDF2-SHA256."],
      ["notes.md", "The password is Windows-1252."],
      ["notes.md", "The password is PKCS#5."],
      ["notes.md", "The wifi security is WPA2-PSK and the password is WPA2-Personal."],
      ["README.md", "a user named `daniel`, using the password `qwerty`:"],
      ["notes.md", "the password is stored in the keychain"],
    ]);
  });

  it("reads a password a sentence says it was, is now or was changed to", () => {
    const password = shortPassword();
    for (const sentence of [
      `The wifi password was ${password} last time I checked.`,
      `Password changed to ${password} on Monday.`,
      `The admin password is now ${password}`,
      `Root password reset to ${password}.`,
      `The root password was updated to ${password}.`,
      `Password for the NAS was ${password}`,
      `I changed the password to ${password}`,
      `Reset the admin password to ${password} today.`,
    ]) {
      expect(rulesIn(sentence, "MEMORY.md").length, sentence).toBe(1);
    }
    expectNothingIn([
      ["notes.md", "The password was changed yesterday."],
      ["notes.md", "The password was 8 characters long."],
      ["notes.md", "If the password was wrong, try again."],
      ["notes.md", "The password is now stored in the vault."],
      ["notes.md", "The token is now rotated every night."],
      ["notes.md", "The session token set to expire in 30 days."],
      ["notes.md", "The password updated to the new policy."],
      ["notes.md", "Set the password to something strong."],
      ["notes.md", "Update the token to v2."],
      ["shadow.5", "before the password was locked\\&."],
    ]);
  });

  it("reads a Kotlin pair of a quoted name and a value, not a sentence's `to`", () => {
    const password = `${shortPassword()}!`;
    expectRuleIn("generic-secret", [
      ["Payment.kt", `val auth = mapOf("user" to "svc", "password" to "${password}")`],
    ]);
    expectNothingIn([
      ["notes.md", 'Convert the token to "hex" first.'],
      ["Payment.kt", '"password" to password'],
      ["notes.md", 'Rename "password" to "passwordHash2"'],
      ["sed.sh", `sed -i 's/"password" to "old"/"password" to "${password}"/' file`],
    ]);
  });

  it("keeps a `$` a person typed into a password, not a script's variable", () => {
    const typed = `Mongo$ecret${DIGITS[3]}${DIGITS[7]}!`;
    expectRuleIn("generic-secret", [
      ["docker-compose.yml", `    environment:\n      - MONGO_PASSWORD=${typed}`],
      [".env", `DB_PASSWORD=${typed}`],
      ["stack.yaml", `# connect with PASSWORD: ${typed}`],
    ]);
    expectNothingIn([
      ["run.sh", `for i in 1 2; do PASS=secret${D}i; done`],
      [".env", `DB_PASSWORD=${D}password`],
      [".env", `DB_PASSWORD=pre${D}SUFFIX`],
      ["Makefile", `PASSWORD=abc${D}x1`],
      ["Dockerfile", `ENV PASSWORD=abc${D}x1`],
      ["config.py", `my_password=hope]nobody[finds>-_${D}#thisone`],
      ["notes.txt", `password = super${D}ecret`],
      ["README.md", `\`\`\`bash\nPGPASSWORD=pg${D}pw_suffix1 psql -h db\n\`\`\``],
      ["README.md", `export DB_PASSWORD=secret${D}suffix1`],
    ]);
  });

  it("reads Chinese, Japanese and Korean credential names, a full-width colon and their tables", () => {
    const password = `${shortPassword()}#`;
    const key = `sk-${mixed(40)}`;
    for (const [file, text] of [
      ["TOOLS.md", `\u5bc6\u7801\uff1a${password}`], // 密码：
      ["TOOLS.md", `- **\u5bc6\u7801\uff1a** ${password}`],
      ["TOOLS.md", `API \u5bc6\u94a5\uff1a${key}`], // API 密钥：
      ["TOOLS.md", `- API Key\uff1a${key}`],
      ["notes.md", `\u30d1\u30b9\u30ef\u30fc\u30c9: ${password}`], // パスワード
      ["notes.md", `\ube44\ubc00\ubc88\ud638: ${password}`], // 비밀번호
    ] as const) {
      expect(rulesIn(text, file), text).toEqual(["generic-secret"]);
    }
    // | 服务器 | 用户 | 密码 | 端口 |
    const table = `| \u670d\u52a1\u5668 | \u7528\u6237 | \u5bc6\u7801 | \u7aef\u53e3 |\n|---|---|---|---|\n| PVE | root | ${password} | 22 |`;
    expect(rulesIn(table, "credentials.md")).toEqual(["table-credential-column"]);
    // A CJK sentence after the value ends it; a full-width equals sign is an operator.
    for (const text of [
      `\u5bc6\u7801\uff1a${password}\uff0c\u8bf7\u59a5\u5584\u4fdd\u7ba1`, // 密码：…，请妥善保管
      `\u5bc6\u7801\uff1a${password}\u3002`, // 密码：…。
      `\u5bc6\u7801\uff1d${password}`, // 密码＝…
    ]) {
      expect(
        scanText(text, { file: "README.md" }).map((f) => f.match),
        text,
      ).toEqual([password]);
    }
    expectNothingIn([
      ["README.md", "\u5bc6\u7801\uff1a6-18\u4f4d\uff08A-Za-z0-9_\uff09"], // 密码：6-18位（A-Za-z0-9_）
      ["README.md", "Password\uff1a^[A-Za-z0-9]{8,16}$"],
      ["notes.md", "\u8bf7\u8f93\u5165\u5bc6\u7801\u3002"], // 请输入密码。
      ["notes.md", "\u5fd8\u8bb0\u5bc6\u7801"], // 忘记密码
      ["notes.md", "\u5bc6\u7801: \u89c1 1Password"], // 密码: 见 1Password
    ]);
  });

  it("reads CJK sentences and brackets that tell a credential", () => {
    const password = `${shortPassword()}#`;
    for (const text of [
      `\u5bc6\u7801\u662f ${password}`, // 密码是 …
      `\u5bc6\u7801\u4e3a${password}\uff0c\u8bf7\u4fee\u6539`, // 密码为…，请修改
      `\u30d1\u30b9\u30ef\u30fc\u30c9\u306f ${password} \u3067\u3059`, // パスワードは … です
      `\u30d1\u30b9\u30ef\u30fc\u30c9\u306f\u300c${password}\u300d\u3067\u3059`, // パスワードは「…」です
      `\ube44\ubc00\ubc88\ud638\ub294 ${password} \uc785\ub2c8\ub2e4`, // 비밀번호는 … 입니다
      `\u3010\u5bc6\u7801\u3011${password}`, // 【密码】…
      `\u3010\u5bc6\u7801\u3011\uff1a${password}`, // 【密码】：…
      `\u5bc6\u7801\uff1a\u300c${password}\u300d`, // 密码：「…」
      `\u5bc6\u7801\u300e${password}\u300f`, // 密码『…』
      `{"\u5bc6\u7801": "${password}"}`, // {"密码": "…"}
    ]) {
      expect(
        scanText(text, { file: "MEMORY.md" }).map((f) => f.match),
        text,
      ).toEqual([password]);
    }
    expectNothingIn([
      ["notes.md", "\u5bc6\u7801\u662f\u4ec0\u4e48\uff1f"], // 密码是什么？
      ["notes.md", "\u30d1\u30b9\u30ef\u30fc\u30c9\u306f\u4ee5\u4e0b\u306e\u901a\u308a"], // パスワードは以下の通り
      ["notes.md", "\u3010\u5bc6\u7801\u3011\u8bf7\u8054\u7cfb\u7ba1\u7406\u5458"], // 【密码】请联系管理员
      ["notes.md", "\u5bc6\u7801\u300c\u898b\u3066\u304f\u3060\u3055\u3044\u300d"], // 密码「見てください」
    ]);
  });

  it("reads credential names of other languages in notes and code", () => {
    const password = `${shortPassword()}#`;
    const key = `sk_${mixed(32)}`;
    for (const [file, text] of [
      ["notes.md", `\u041f\u0430\u0440\u043e\u043b\u044c: ${password}`], // Пароль:
      ["notes.md", `\u043f\u0430\u0440\u043e\u043b\u044c \u2014 ${password}`], // пароль —
      ["notes.md", `contrase\u00f1a: ${password}`],
      ["notes.md", `Passwort: ${password}`],
      ["notes.md", `Kennwort = ${password}`],
      ["notes.md", `mot de passe : ${password}`],
      ["notes.md", `Wachtwoord: ${password}`],
      ["notes.md", `Has\u0142o: ${password}`],
      ["notes.md", `heslo: ${password}`],
      ["notes.md", `\u015fifre: ${password}`],
      ["notes.md", `Sunucu \u015fifresi: ${password}`], // Turkish possessive: the server's password
      ["notes.md", `l\u00f6senord: ${password}`],
      ["notes.md", `m\u1eadt kh\u1ea9u: ${password}`],
      ["notes.md", `\u041f\u0410\u0420\u041e\u041b\u042c: ${password}`], // ПАРОЛЬ:
      ["notes.md", `HAS\u0141O: ${password}`], // HASŁO:
      ["notes.md", `API-\u043a\u043b\u044e\u0447: ${key}`], // API-ключ:
      ["notes.md", `\u0442\u043e\u043a\u0435\u043d: ${key}`], // токен:
      ["notes.md", `clave de API: ${key}`],
      ["config.py", `senha = "${password}"`],
      ["config.py", `db_senha = "${password}"`],
      ["config.php", `$senha = '${password}';`],
      ["config.php", `'senha' => '${password}',`],
      ["Main.java", `String senha = "${password}";`],
      ["config.py", `mot_de_passe = "${password}"`],
      ["settings.json", `{"contrasena": "${password}"}`],
    ] as const) {
      expect(rulesIn(text, file), text).toEqual(["generic-secret"]);
    }
    const table = `| \u0421\u0435\u0440\u0432\u0438\u0441 | \u041b\u043e\u0433\u0438\u043d | \u041f\u0430\u0440\u043e\u043b\u044c |\n|---|---|---|\n| VPS | root | ${password} |`;
    expect(rulesIn(table, "notes.md")).toEqual(["table-credential-column"]);
    expect(rulesIn(`usuario,senha\nadmin,${password}`, "users.csv")).toEqual([
      "table-credential-column",
    ]);
    expectNothingIn([
      [
        "notes.md",
        `\u043f\u0430\u0440\u043e\u043b\u044c \u043e\u0442 \u0441\u0435\u0440\u0432\u0435\u0440\u0430 \u0432 1Password`,
      ], // пароль от сервера в 1Password
      ["config.py", 'senha = os.getenv("SENHA")'],
      ["config.py", `senha = "\${SENHA}"`],
      ["config.py", 'senha = "sua_senha_aqui"'],
      ["config.py", `desenha = "${password}"`],
      ["app.js", "hasLoadError.value = true"],
      ["de.json", '{"Passwort": "Passwort"}'],
      ["de.json", '{"Kennwort vergessen": "Klicken Sie hier"}'],
      ["pt.json", '{"senha_hint": "Digite sua senha"}'],
    ]);
  });

  it("reads labels and names of real configuration files: a value label, `API`, `_API`, wide alignment", () => {
    const key = mixed(40);
    for (const [file, text] of [
      ["MEMORY.md", `Token Value: ${key}`],
      ["MEMORY.md", `- API: ${key}`],
      ["MEMORY.md", `**API**: ${key}`],
      ["server/.env", `CLIPDROP_API = '${r(HEX, 96)}'`],
      ["secrets.yaml", `powermeter_api:           "${mixed(43)}="`],
      ["secrets.yaml", `ota_password:                  "${r(HEX, 32)}"`],
      [".msmtprc", `password       ${key}`],
    ] as const) {
      expect(rulesIn(text, file).length, text).toBe(1);
    }
    expectNothingIn([
      ["MEMORY.md", "API: https://api.example.com/v1"],
      ["MEMORY.md", "API: RESTful"],
      [".env", "BASE_API=https://api.example.com"],
      [".env", "USE_API=true"],
      ["app.py", "api = FastAPI()"],
      ["notes.md", "token value: none"],
      [
        "Web.config",
        '<add assembly="System.Web.Extensions, Version=4.0.0.0, Culture=neutral, PublicKeyToken=31BF3856AD364E35"/>',
      ],
      [
        "docker-compose.yml",
        `JWT_SECRET: ${D}{JWT_SECRET:-dev_jwt_secret_change_me_in_production_min_32_chars}`,
      ],
      ["terraform.tfvars", 'db_password = "update_me"'],
    ]);
  });

  it("reads sentences, guillemets and a no-break space before the colon in other languages", () => {
    const password = `${shortPassword()}#`;
    for (const text of [
      `La contrase\u00f1a es ${password}`,
      `Das Passwort ist ${password}`,
      `A senha \u00e9 ${password}`,
      `Le mot de passe est ${password}`,
      `Mot de passe\u00a0: ${password}`,
      `\u043f\u0430\u0440\u043e\u043b\u044c: \u00ab${password}\u00bb`,
      `mot de passe : \u00ab ${password} \u00bb`,
      `Mot de passe\u00a0: \u00ab\u00a0${password}\u00a0\u00bb`,
      `CL\u00c9 D'API = ${password}`,
    ]) {
      expect(
        scanText(text, { file: "notes.md" }).map((f) => f.match),
        text,
      ).toEqual([password]);
    }
    expectNothingIn([
      ["notes.md", "Das Passwort ist falsch"],
      ["notes.md", "Das Passwort ist v1.2.3"],
      ["notes.md", "A senha \u00e9 obrigat\u00f3ria"],
      ["notes.md", "La contrase\u00f1a es incorrecta."],
      ["notes.md", "the password on file is old"],
      ["notes.md", `token es ${r(HEX, 32)}`],
    ]);
  });

  it("reads no interface text, hash, algorithm or note under a name in another language", () => {
    expectNothingIn([
      ["pt.json", '{"senha_fraca": "Muito fraca", "senha_forte": "Muito forte"}'],
      ["de.json", '{"passwort_hinweis": "Bitte eingeben"}'],
      ["es.json", '{"contrasena_debil": "Muy debil"}'],
      ["Config.java", 'String ALGORITMO_SENHA = "PBKDF2WithHmacSHA512";'],
      ["db.py", `hash_senha = "${r(HEX, 32)}"`],
      [
        "konten.md",
        "| Dienst | Passwort |\n|---|---|\n| NAS | siehe KeePass |\n| DB | im Tresor |\n| Mail | beim Admin erfragen |",
      ],
    ]);
  });

  it("reads neither joined words as an app password nor ids, paths or templates as keys", () => {
    expectNothingIn([
      ["docker-compose.yml", "POSTGRES_PASSWORD: postgrespassword"],
      [".env", "JWT_SECRET=mysuperjwtsecret"],
      ["deploy.yml", `api: ${r(HEX, 40)}`],
      [".env", `TENANT_API=${r(HEX, 8)}-${r(HEX, 4)}-4${r(HEX, 3)}-a${r(HEX, 3)}-${r(HEX, 12)}`],
      [".env", "YOUTUBE_CHANNEL_API=UC_x5XG1OV2P6uZZ5FSM9Ttw"],
      ["cli.md", "[`v8.startupSnapshot` API]: v8.md#startup-snapshot-api"],
      ["notes.md", "Key Value: HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows"],
      ["esphome/secrets.yaml", "camera_rtsp_path: /Streaming/Channels/101"],
      ["esphome/secrets.yaml", `mqtt_topic: zigbee2mqtt/0x${r(HEX, 16)}`],
      ["esphome/secrets.yaml", `wifi_ssid2: MyHome${mixed(12)}`],
      ["esphome/secrets.yaml", `gcal: ${r(HEX, 24)}@group.calendar.google.com`],
      ["demo.js", `const u = "https://api.agora.io/x?appid=${r(HEX, 32)}";`],
      ["wg0.conf", "PrivateKey = <ServerPrivateKeyGeneratedByWgGenkeyOnHostAx=>"],
      ["setup.sh", "sudo -S tee /etc/timezone <<< 'Europe/Berlin'"],
      [
        "db.py",
        'url = f"mongodb+srv://{username}:{quote_plus(password)}@cluster0.abcde.mongodb.net/"',
      ],
      ["gh.py", 'u = f"https://{user}:{settings.GITHUB_TOKEN}@github.com/x"'],
      [".git-credentials", "https://{user}:{pw1}@github.com"],
      ["mcp.json", '"args": [\n  "--hotkey",\n  "Ctrl+Shift+K"\n]'],
      ["mcp.json", `"args": [\n  "--public-key",\n  "RWQ${mixed(53)}"\n]`],
      ["mcp.json", `"args": ["gpg",\n  "--recv-keys",\n  "${r(HEX, 40).toUpperCase()}"]`],
      ["mcp.json", `"args": [\n  "--cache-key",\n  "${mixed(18)}"\n]`],
    ]);
    expect(rulesIn(`{"CLIPDROP_API": "${r(HEX, 64)}"}`, "config.json")).toEqual(["generic-secret"]);
    expect(rulesIn(`ota: "${mixed(8)}#${mixed(11)}"`, "esphome/secrets.yaml")).toEqual([
      "secrets-yaml-value",
    ]);
  });

  it("skips Supabase's anon key by the token's own role, not a role in a user's metadata", () => {
    const header = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";
    const claims = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const anon = `${header}.${claims({ iss: "supabase", ref: "abcdefghijklmnopqrst", role: "anon" })}.${mixed(43)}`;
    const session = `${header}.${claims({ sub: "u1", role: "authenticated", user_metadata: { role: "anon" } })}.${mixed(43)}`;
    expectNothingIn([
      [".env", `VITE_SUPABASE_KEY=${anon}`],
      ["app.js", `const anon = "${anon}";`],
      ["req.http", `apikey: ${anon}`],
    ]);
    expect(rulesIn(`const session = "${session}";`, "app.js")).toEqual(["jwt"]);
  });

  it("reads a PHP single-quoted password that starts with $ as the password it is", () => {
    const password = `${D}${shortPassword()}`;
    expect(
      scanText(`${D}mail->Password = '${password}';`, { file: "send.php" }).map((f) => f.match),
    ).toEqual([password]);
    expectNothingIn([
      [
        "a.php",
        `${D}password = '${D}argon2id${D}v=19${D}m=65536,t=4,p=1${D}c29tZXNhbHQxMjM0NTY3OA${D}4YbUvE3oeL+UkrVR6e4YfTl8sRShPvbb9ELw0B1KDPE';`,
      ],
      ["wp-test.php", `${D}user_pass = '${D}P${D}BrYLnuYhOFwCq3zP0z0D4RqHfjP8w1/';`],
      ["a.php", `${D}password = '${D}2y${D}10${D}abcdefghijklmnopqrstuv';`],
      ["send.php", `${D}mail->Password = '${D}password';`],
      ["send.php", `${D}mail->Password = "${password}";`],
      ["send.sh", `PASSWORD="${password}"`],
    ]);
  });

  it("reads an HTML table's password column, its cells' text after markup, entities read", () => {
    const password = `${shortPassword()}#`;
    const withAmp = `${shortPassword()}&amp;x9`;
    const text = [
      "<table><thead><tr><th>Service</th><th>User</th><th>Password</th></tr></thead>",
      "<tbody>",
      `<tr><td>Vesta</td><td>admin</td><td>${password}</td></tr>`,
      `<tr><td>DB</td><td>acen</td><td><code>${withAmp}</code></td></tr>`,
      '<tr><td>Mail</td><td>me</td><td><span class="k">z</span>see 1Password</td></tr>',
      "</tbody></table>",
    ].join("\n");
    expect(scanText(text, { file: "README.md" }).map((f) => f.match)).toEqual([password, withAmp]);
    expectNothingIn([
      [
        "README.md",
        "<table><tr><th>Field</th><th>Description</th></tr><tr><td>password</td><td>The account's password</td></tr></table>",
      ],
      [
        "README.md",
        `<table><tr><th>Password</th><th>b</th></tr></table>\n<table><tr><td>x</td><td>${password}</td></tr></table>`,
      ],
    ]);
    // A two-cell Markdown row whose label is CJK: `| 密码 | … |`.
    expect(rulesIn(`| \u5bc6\u7801 | ${password} |`, "notes.md")).toEqual(["generic-secret"]);
  });

  it("reads a Google app password under any credential name, not words or Google's example", () => {
    for (const [file, text] of [
      ["run.bat", "  --spring.mail.password=cbqwzaqfxeoowpbp ^"],
      [".streamlit/secrets.toml", 'GMAIL_APP_KEY = "gzkt ppyh jrhh qsus"'],
      [".msmtprc", "password       qclymwkcyxhtncss"],
    ] as const) {
      // msmtp's own file is its rule's (mail.ts); the same judgement.
      expect(rulesIn(text, file), text).toEqual([
        file === ".msmtprc" ? "msmtp-password" : "generic-secret",
      ]);
    }
    expectNothingIn([
      [".env", "EMAIL_PASSWORD=mysecretpassword"],
      [".env", "SMTP_NAME=qclymwkcyxhtncss"],
    ]);
    expect(
      scanText('SMTP_PASS="abcd efgh ijkl mnop"', { file: ".env" }).map((f) => f.severity),
    ).not.toContain("error");
  });

  it("reads a credential flag and its value as two items of an MCP server's args", () => {
    expectRuleIn("sequence-flag-credential", [
      [".cursor/mcp.json", `"args": [\n  "-y",\n  "@x/mcp",\n  "--token",\n  "${r(HEX, 32)}"\n]`],
      [
        "cline_mcp_settings.json",
        `"args": [\n  "run",\n  "--key",\n  "${mixed(8)}-${r(HEX, 4)}-4${r(HEX, 3)}-a${r(HEX, 3)}-${r(HEX, 12)}"\n]`,
      ],
    ]);
    expectNothingIn([
      ["mcp.json", '"args": ["--key", "/etc/ssl/key.pem", "--token-file", "tok.txt"]'],
      ["mcp.json", '"args": ["--key", "user_id"]'],
      ["mcp.json", `"args": ["--api-key", "${D}{API_KEY}"]`],
    ]);
  });

  it("reads an OAuth profile's refresh token, not a refresh setting", () => {
    expectRuleIn("generic-secret", [["auth-profiles.json", `  "refresh": "${mixed(43)}=",`]]);
    expectNothingIn([
      ["auth-profiles.json", '  "refresh": true,'],
      ["config.yaml", "refresh: 30s"],
      ["app.js", "const refresh = useRefreshControl();"],
      ["app.js", "this._isPaused?this._needsFullRefresh=!0:(i||(this._redrawOnly=!1),"],
      ["icons.json", '{"refresh": "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQ"}'],
      ["lock.json", '{"refresh": "sha256-Qm9vYmFyQmF6UXV4MTIzNDU2Nzg5MA=="}'],
    ]);
  });

  it("takes a password Apple's keychain made, though it reads as joined syllables", () => {
    expectRuleIn("generic-secret", [["accounts.md", "- **Password:** qunxig-javsux-hApwi6"]]);
    expectNothingIn([["notes.md", "password: build-deploy-test1"]]);
  });

  it("reports a weak password compared with equals as a warning", () => {
    expectWeakWarnings([["Login.java", 'if (password.equals("@dm1n")) {', "generic-secret"]]);
  });

  it("reports the word password made into one as a weak password in a settings file, not in code", () => {
    expectWeakWarnings([
      ["compose.yml", "    environment:\n      DB_PASSWORD: password123", "generic-secret"],
      ["config.yaml", 'password: "Password123"', "generic-secret"],
      [".env", "DB_PASSWORD=Passw0rd", "generic-secret"],
    ]);
    expectNothingIn([
      ["settings.xml", "<server>\n  <username>repouser</username>\n  <password>repopwd</password>"],
      ["settings.xml", "<password>proxypass</password>"],
      [".env", "POSTGRES_PASSWORD=mysecretpassword"],
      [".env", "DB_PASSWORD=secretsmanager"],
      ["crd.yaml", '"vault-secret": "NamespaceOpenshiftResourceVaultSecret_v1"'],
      // In code: a variable, a selector, a form's field, an enum's value, a replace token.
      ["app.js", "const password = password1;"],
      ["app.js", "const password = document.querySelector('#password1').value;"],
      ["main.go", 'password := r.FormValue("password1")'],
      ["enums.py", 'class Field(Enum):\n    PASSWORD = "password1"'],
      ["a.yml", "password: __password1__"],
    ]);
  });

  it("reads a URL's escaped leading character as a character, not a template's mark", () => {
    expect(graded("DATABASE_URL=postgres://app:%21Kx9mPq2zT@db.internal/app")).toEqual([
      "url-credentials error/medium",
    ]);
    expect(graded('url = "postgres://app:%24Kx9mPq2zT@db.internal/app"', "app.py")).toEqual([
      "url-credentials error/medium",
    ]);
    // An escaped `${…}` stays a reference; `%DB_PASSWORD%` stays Windows' variable.
    expectNothingIn([
      ["app.py", 'url = "postgres://app:%24%7BDB_PASSWORD%7D@db.internal/app"'],
      ["run.bat", "set PASSWORD=%DB_PASSWORD%"],
    ]);
  });

  it("reports a stand-in named after the credential as a warning, whatever its host", () => {
    expectWeakWarnings([
      [
        "README.md",
        "const config = parse('postgres://someuser:somepassword@somehost:381/somedatabase')",
        "url-credentials",
      ],
      ["README.md", "const pool = new Pool({\n  password: 'secret!',\n})", "generic-secret"],
      [".npmrc", "//somewhere-else.com/myorg/:_authToken=MYTOKEN1", "npmrc-auth"],
      [
        "main.js",
        '// example: DOTENV_KEY="dotenv://:key_1234@dotenvx.com/vault/.env.vault"',
        "url-credentials",
      ],
      [
        "mongoid.yml",
        'uri: "mongodb://testuser:testpass@ds048537.mongolab.com:48537/main"',
        "url-credentials",
      ],
    ]);
  });

  it("leaves stand-ins, references, names, paths and local development defaults alone", () => {
    const texts = [
      'password: "password"',
      "<password>password</password>",
      "curl -u user:pass https://api.corp/x",
      'password = "mypassword"',
      'secret = "foo"',
      `password: ${D}{DB_PASSWORD}`,
      'password: "<password>"',
      "password: DB_PASSWORD",
      'password = "Enc-AES256-GCM"',
      "password: openclaw-gateway-2026",
      'secret = "/run/secrets/db_password"',
      "db_password: !vault |",
      "style ('default', 'password', 'invisible')",
      '"password": "Passwort"',
      "engine = create_engine('postgresql://scott:tiger@localhost/test')",
      "postgres://app:admin@db.example.com:5432/app",
    ];
    expectNothingIn(texts.map((text) => ["config.txt", text] as const));
  });

  it("leaves names that end in a password's word and name something else alone", () => {
    expectNothingIn([
      ["filter.js", "filter = { lowpass: 'butter', highpass: 'cheby1' }"],
      ["nav.ts", "const compass = 'north'\nconst render_pass = 'shadow'"],
      ["package.json", '{"dependencies": {"bypass": "^1.0.0"}}'],
      ["build.sh", "PWD=build\nexport OLDPWD=src"],
      ["ci.yml", "env:\n  PWD: workspace"],
      ["test_urllib.py", "user, password = 'wile', 'coyote'"],
      ["model.js", "if (typeof this.password === 'function') {}\nerrors.password = 'tooShort'"],
      ["workflow.yml", "jobs:\n  call:\n    secrets: inherit\n    with:\n      secret: inherit"],
      ["deploy.yml", "volumes:\n- name: certs\n  secret: tls"],
      ["hasher.py", "password_hasher = 'argon2'\nhash_secret = 'md5'"],
      ["rules.php", "'password' => 'required|min:8',\n'password_confirmation' => 'confirmed',"],
      ["lv.json", '{"password": "Parole", "password_hint": "Parool"}'],
      ["cli.py", "parser.add_argument('--password', default=None)"],
    ]);
  });
});

describe("forms committed deployment files, devices' sketches and app resources showed", () => {
  it("finds NextAuth.js' secret, a dotenv password with `$` before digits and a quoted mysqldump password", () => {
    expectRuleIn("generic-secret", [
      [".env.production", `NEXTAUTH_SECRET="${mixed(43)}="`],
      [".env", `NEXT_AUTH_SECRET=${mixed(32)}`],
      [".env.docker", "OPENSEARCH_PASSWORD=VnBook$2025!Qx9"],
      // A generated password whose second character opens a bracket is no index.
      ["DB_ACCESS_GUIDE.md", `AWS_DB_PASSWORD=E[&${mixed(28)}+x`],
    ]);
    expectRuleIn("mysql-cli-password", [
      ["backup.sh", 'mysqldump -u root -p"y9Dt6^f2fNU;8RLU4{xP" shop | gzip > shop.sql.gz'],
    ]);
    expectNothingIn([
      [".env", `NEXT_TOKEN=${mixed(32)}`],
      ["deploy.sh", "DB_PASSWORD=VnBook$2025!Qx9"],
      ["backup.sh", 'mysqldump -u root -p"$MYSQL_PWD" shop'],
      ["app.js", "const password=e[t.passwordField]||n(r);"],
      ["config.js", "token = this.opts[tokenKeyName];"],
    ]);
  });

  it("reports a sketch's weak Wi-Fi password under #define or char pass[] as typed", () => {
    for (const text of [
      '#define SECRET_PASS "6913055804"',
      'char pass[] = "11862574";   // your network password',
    ]) {
      const findings = scanText(text, { file: "arduino_secrets.h" });
      expect(
        findings.map((f) => `${f.ruleId}:${f.severity}`),
        text,
      ).toEqual(["generic-secret:warning"]);
    }
    expectNothingIn([
      ["sketch.ino", 'if (pass) label = "abc12345";'],
      ["arduino_secrets.h", '#define SECRET_PASS ""'],
    ]);
  });

  it("leaves host names, stand-ins in other languages and a Secret's user, database and port alone", () => {
    expectNothingIn([
      [
        "arduino_secrets.h",
        '#define SECRET_BROKER "a21hi64alhm13r-ats.iot.us-east-1.amazonaws.com"',
      ],
      ["secrets.tfvars", 'db_password = "SENHA_FORTE_AQUI"'],
      ["config.py", 'API_KEY = "TU_CLAVE_AQUI"'],
      ["settings.py", 'PASSWORD = "DEIN_PASSWORT_HIER"'],
      [
        "k8s/secret.yaml",
        'apiVersion: v1\nkind: Secret\nmetadata:\n  name: pg\nstringData:\n  POSTGRES_USER: app\n  POSTGRES_DB: shop\n  POSTGRES_PORT: "5432"',
      ],
    ]);
    expect(
      rulesIn(
        `apiVersion: v1\nkind: Secret\nmetadata:\n  name: pg\nstringData:\n  POSTGRES_USER: app\n  POSTGRES_PASSWORD: ${mixed(16)}`,
        "k8s/secret.yaml",
      ),
    ).toEqual(["kubernetes-secret"]);
  });

  it("reports a value named after the credential it stands for as typed", () => {
    const findings = scanText("secrets = {'ssid': 'HomeNet', 'password': 'WifiPassword'}", {
      file: "secrets.py",
    });
    expect(findings.map((f) => `${f.ruleId}:${f.severity}`)).toEqual(["generic-secret:warning"]);
  });

  it("finds an Android string resource with attributes or its value on a line of its own", () => {
    expectRuleIn("name-value-credential", [
      [
        "res/values/secrets.xml",
        `<string name="api_key" translatable="false">${mixed(32)}</string>`,
      ],
      [
        "res/values/secrets.xml",
        `<resources>\n    <string name="api_key" translatable="false">\n        ${mixed(40)}\n    </string>\n</resources>`,
      ],
    ]);
  });
});

describe("forms committed agent memory and tool notes showed", () => {
  it("finds a list of keys in brackets, item by item", () => {
    const [a, b] = [mixed(24), mixed(24)];
    const findings = scanText(`"apiKeys": [\n  "${a}",\n  "${b}"\n]`, { file: "openclaw.json" });
    expect(findings.map((f) => f.ruleId)).toEqual(["generic-secret", "generic-secret"]);
    expectNothingIn([
      ["a.json", '"tokens": ["access_token", "refresh_token"]'],
      // Names in code: dotted paths and storage keys with a version.
      [
        "a.js",
        'const SECRET_PATTERNS = ["hooks.token", "hooks.gmail.pushToken", "authProfiles."];',
      ],
      ["a.js", 'const SESSION_KEYS = ["copilotBrowserInstanceV1", "copilotPanelBindingsV1"];'],
    ]);
  });

  it("finds an app password shown in groups, unquoted", () => {
    expectRuleIn("generic-secret", [
      ["notes.md", "- WordPress application password: DZkH g48h LaB6 6F0J 1mDF uiIG"],
      ["notes.md", "| WP App PW | DZkH g48h LaB6 6F0J 1mDF uiIG |"],
    ]);
    expectNothingIn([["notes.md", "password: this that with from here"]]);
  });

  it("finds a password after a name in another language and a colon inside brackets", () => {
    expectRuleIn("generic-secret", [
      ["MEMORY.md", "- SOCKS5: 10.0.0.15:1080 (用户名: xiaoyu, 密码: socks5pass123)"],
      ["TOOLS.md", "- DNF 服务器: root@192.168.1.204 (密码: wp930803)"],
      ["credentials.md", `- **Token Value:** \`${mixed(40)}\``],
      ["api-keys.md", "- **API Key:** `T0Z2YW467F7PNA9Z`"],
    ]);
  });

  it("leaves a shell's message for an unset variable and a length told alone", () => {
    expectNothingIn([
      ["start.sh", `: "${D}{OPENAI_API_KEY:?Missing OPENAI_API_KEY}"`],
      ["credentials.md", "- **App Password:** 16-char, em ~/.openclaw/.env (IMAP_PASS)"],
      ["config.py", 'API_KEY = "PROD2024KEYV1ABC"'],
    ]);
  });

  it("finds a password after a German compound's last word, and a bold label closed after its colon", () => {
    expectRuleIn("generic-secret", [
      ["notizen.md", `Datenbankpasswort: ${shortPassword()}`],
      ["notizen.md", `Adminkennwort = ${shortPassword()}`],
    ]);
    expectRuleIn("qualified-label-credential", [
      ["notes.md", `- **Password for staging DB:** ${shortPassword()}`],
    ]);
    expectNothingIn([
      ["notizen.md", "Passwortänderung: erforderlich"],
      ["notizen.md", "Einmalpasswort: wird per SMS gesendet"],
    ]);
  });
});

describe("forms an independent attack on the newest rules showed", () => {
  it("still finds DKIM signing keys, a connection string in a Secret's database entry and dotted random values", () => {
    expectRuleIn("generic-secret", [
      [".env", `DKIM_PRIVATE_KEY=MIICdwIBADANBgkqhkiG9w0BAQEFAASC${mixed(40)}`],
      [".env", `MAIL_DKIM_SECRET=${mixed(32)}`],
      [".env", "SESSION_SECRET=Q2x7Lp9Vz4Kt8Nm3.Rb6Hw1Jy5Fc0Dg.app"],
      [".env", `DB_PASSWORD=su_${mixed(14)}`],
    ]);
    const url = Buffer.from(`postgres://app:${mixed(14)}@pg.prod:5432/app`).toString("base64");
    expect(
      rulesIn(
        `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  DATABASE: ${url}`,
        "k8s/secret.yaml",
      ),
    ).toContain("kubernetes-secret");
  });

  it("leaves code building a command line, type names with numbers and test code alone", () => {
    expectNothingIn([
      ["run.py", "cmd = 'mysql -u root -p\"'+password+'\" db'"],
      ["run.py", "os.system('redis-cli -a \"'+pw+'\" ping')"],
      ["x.ts", "function sign(key: Secp256k1PrivateKey, msg: Uint8Array) {}"],
      ["x.ts", "verify(token: Jwt2Es256Token)"],
      [
        "login.test.js",
        'expect(screen.getByLabelText("Password")).toBeInTheDocument();\n    ws.send("AUTH_OK:42");',
      ],
      ["x_test.py", 'self.expect("passphrase")\n    self.send("--verbose")'],
      ["x.sh", "open -u https://maps.apple.com/?ll=50.894967,4.341626"],
      ["x.sh", "lftp -u anonymous,anonymous@ ftp.debian.org"],
      ["ftp.sh", "ftp -n host <<EOF\nuser anonymous anonymous@\nEOF"],
      ["x.h", '#define MSG_WRONG_PASSWORD "wrong"'],
      ["x.c", 'char pass[] = "FAIL";'],
      ["c.json", `{"password_hashes": ["${r(HEX, 64)}"]}`],
    ]);
  });

  it("takes no stand-in, code span or redirection as a Wi-Fi passphrase", () => {
    expectNothingIn([
      ["sketch.ino", 'WiFi.begin("SSID", "WiFi_Password");'],
      ["sketch.ino", 'WiFi.begin("SSID", "SuaSenha");'],
      ["README.md", "Run `nmcli device wifi connect SSID password PASSWORD` to join."],
      ["nmcli.1", '.B nmcli device wifi connect "My Wi-Fi" password \\fIpassword\\fR'],
    ]);
    const passphrase = mixed(12);
    const findings = scanText(`wpa_passphrase HomeNet ${passphrase}>>/etc/wpa.conf`, {
      file: "setup.sh",
    });
    expect(findings.map((f) => f.end - f.start)).toEqual([12]);
  });

  it("reads no keyboard walk or numbered words as an app password", () => {
    expectNothingIn([
      ["notes.md", "Password: zxcv bnml qwrt sdfg"],
      ["notes.md", "Token: The1 Big2 Red3 Dog4 Ran5 Far6"],
    ]);
  });
});

describe("notes named for credentials", () => {
  const line = `maciek12 ${mixed(12)}`;
  it("reads a note by its name: the credential word with at most one other word", () => {
    for (const file of [
      "passwords.txt",
      "notes/my-passwords.md",
      "memory/reference_credentials.md",
      "password.txt",
      "账号密码.md",
      "Zugangsdaten.txt",
      "пароли.txt",
      "chaves.txt",
    ]) {
      expect(rulesIn(line, file), file).toContain("credential-note-value");
    }
    for (const file of [
      "docs/1password.md",
      "docs/auth-credential-semantics.md",
      "docs/gateway/secrets-plan-contract.md",
      "passwords.json",
      ".aws/credentials",
    ]) {
      expect(rulesIn(line, file), file).not.toContain("credential-note-value");
    }
  });

  it("leaves a document about secrets alone, and links in a note", () => {
    const prose = Array.from(
      { length: 6 },
      () =>
        "Every section of the previous page keeps its anchor here, so an existing link resolves.",
    ).join("\n");
    expect(rulesIn(`${prose}\n${line}`, "docs/gateway/secrets.md")).not.toContain(
      "credential-note-value",
    );
    expect(
      rulesIn("- [Runtime model](/gateway/secrets/runtime-model#runtime-model)", "secrets.md"),
    ).toEqual([]);
  });
});

describe("notes named for credentials: settings, time stamps and notes of examples", () => {
  it("leaves settings of other kinds and a time stamp alone, and a note of examples", () => {
    expectNothingIn([
      ["credentials.md", "DB_PORT=1433\nDB_ENCRYPT=true\nDB_TRUST_CERTIFICATE=false\n"],
      ["SECRETS_README.md", "Generated: 2025-06-06T06:11:45.581Z\n"],
      ["CREDENCIAIS-EXEMPLO.md", `Banco de Dados: producao_db\n${mixed(14)}\n`],
    ]);
    // A setting named for a credential is still read.
    expectRuleIn("credential-note-value", [["credentials.md", `GitHub=${mixed(16)}`]]);
  });
});

describe("stand-ins named for a password, with figures for letters and digits after", () => {
  it("reports them as typed, a drawn password as an error", () => {
    const severities = (value: string) =>
      scanText(`DB_PASSWORD=${value}\n`, { file: ".env" }).map((f) => f.severity);
    for (const value of ["MyP@ssw0rd!123", "MySecurePass123", "SuperSecurePassword123!"]) {
      expect(severities(value), value).toEqual(["warning"]);
    }
    expect(severities(`Kx8#${mixed(10)}`)).toEqual(["error"]);
  });
});

describe("notes named for credentials, as an independent attack tried them", () => {
  /** The spans and severities the note rule reports in `text`, in a note named passwords.md. */
  const noted = (text: string) =>
    scanText(text, { file: "notes/passwords.md" })
      .filter((f) => f.ruleId === "credential-note-value")
      .map((f) => `${f.severity}:${text.slice(f.start, f.end)}`);

  it("reports the password alone, not its user, label, comment or row", () => {
    expect(noted("bob:Xk9#mQ2vL8pz")).toEqual(["error:Xk9#mQ2vL8pz"]);
    expect(noted("github.com,https://github.com/login,bob,Xk9#mQ2vL8pz")).toEqual([]);
    expect(noted("gmail,bob@gmail.com,Xk9#mQ2vL8pz")).toEqual(["error:Xk9#mQ2vL8pz"]);
    expect(noted("Steam login: bob Xk9#mQ2vL8pz")).toEqual(["error:Xk9#mQ2vL8pz"]);
    expect(noted("阿里云：Xk9#mQ2vL8pz")).toEqual(["error:Xk9#mQ2vL8pz"]);
    expect(noted("Xk9#mQ2vL8pz # old")).toEqual(["error:Xk9#mQ2vL8pz"]);
    expect(noted("Mot de passe (temporaire) : Sppg93SQgo23KN")).toEqual(["error:Sppg93SQgo23KN"]);
    // A drawn key holding a slash is one value, not a user and a password.
    expect(noted("j4EV0g2Sa91+/DQew64Swn3ifo4Kx9mPq2zT4wL")).toEqual([
      "error:j4EV0g2Sa91+/DQew64Swn3ifo4Kx9mPq2zT4wL",
    ]);
    // Random with three classes: an error, not a typed warning.
    expect(noted("Tr0ub4dor&3x")).toEqual(["error:Tr0ub4dor&3x"]);
  });

  it("leaves hashes, fingerprints, public keys, addresses, codes and code alone", () => {
    for (const line of [
      `md5 ${r(HEX, 32)}`,
      `Checksum: ${r(HEX, 40)}`,
      "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8",
      "Public key: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p",
      "Wallet: 0x742d35Cc6634C0532925a3b844Bc454e4438f44e",
      "Ticket: JIRA-1234",
      "Router model TL-WR841N",
      "CPU: i7-7700",
      "fe80::21a:2bff:fe3c:4d5e",
      "linuxserver/plex:1.40.0",
      "image: postgres:16.2-alpine",
      "exports.x);",
      "tslib@^1.6.1",
      "🕶️&nbsp;Vuetify&nbsp;Awesome",
      "Envelope.soap:Body.ns:UserId",
      "IP:9090",
      "Contraseña del wifi: Contraseña_segura",
    ]) {
      expect(noted(line), line).toEqual([]);
    }
  });
});

describe("forms found in real committed files: credential stores and application settings", () => {
  it("finds a long registry token, a commented passphrase line and settings' own characters", () => {
    const identityToken = `${mixed(40)}.${mixed(900)}.${mixed(300)}`;
    const auth = Buffer.from(`222093271:${identityToken}`).toString("base64");
    expectRuleIn("docker-config-auth", [
      [".docker/config.json", `{"auths": {"https://index.docker.io/v1/": {"auth": "${auth}"}}}`],
    ]);
    expectRuleIn("wifi-psk", [
      ["wpa_supplicant.conf", `network={\n  ssid="Office"\n  psk="${shortPassword()}" #密码\n}`],
    ]);
    // A settings file has no optional members: `?.` is two of the password's characters.
    expectRuleIn("generic-secret", [
      ["application.properties", `spring.datasource.password=${shortPassword()}?.hola`],
    ]);
    expectNothingIn([
      ["app.js", "const password = user?.password;"],
      ["ui.js", "x={contextTokens:n?.contextTokens??null,sessionKey:e?.sessionKey??null}"],
    ]);
  });

  it("reads a file named for a credential that holds one drawn value alone", () => {
    const ids = (text: string, file: string) => scanText(text, { file }).map((f) => f.ruleId);
    expect(ids(`${mixed(40)}\n`, ".git-credentials")).toEqual(["bare-credential-file"]);
    expect(ids(`${mixed(32)}\n`, ".pgpass")).toEqual(["bare-credential-file"]);
    expect(ids(`${mixed(36)}`, "secrets/bot_token.txt")).toEqual(["bare-credential-file"]);
    for (const [file, text] of [
      [".git-credentials", "YOUR_PERSONAL_ACCESS_TOKEN_GOES_HERE\n"],
      [".git-credentials", "not-a-token-but-words\n"],
      ["notes.txt", `${mixed(40)}\n`],
      ["token.txt", `${mixed(40)}\nand a second line of words\n`],
    ] as const) {
      expect(ids(text, file), `${file}: ${text}`).not.toContain("bare-credential-file");
    }
  });

  it("leaves a template's cut value and stand-ins in Turkish, French and small letters alone", () => {
    expectNothingIn([
      [".circleci/config.yml", '          key: dotnet-packages-v1-{{ checksum "app.csproj" }}'],
      ["backend/.env", "JWT_SECRET=gizli-anahtariniz-buraya"],
      ["esphome/secrets.yaml", 'api_key: "CHANGER_CETTE_CLE_API_BASE64_32_OCTETS="'],
      ["secrets.yaml", "wifi_password: mywifipassword"],
    ]);
  });

  it("finds a Wi-Fi passphrase of digits and a drawn value holding @ in a secrets file", () => {
    const digits = "33612760324955923678";
    expectRuleIn("generic-secret", [["esphome/secrets.yaml", `wifi_password: "${digits}"`]]);
    expectRuleIn("secrets-yaml-value", [
      ["homeassistant/secrets.yaml", `location_sharing: ${mixed(6)}&${mixed(6)}@${mixed(8)}`],
    ]);
    expectNothingIn([
      ["config.yaml", "password: 1700000000000"],
      ["homeassistant/secrets.yaml", "notify_email: someone@mail.example.org"],
      ["homeassistant/secrets.yaml", "camera_url: cam.lan/stream/abcdef123456"],
    ]);
  });
});

describe("forms an independent attack on the credential-store and settings rules showed", () => {
  const ids = (text: string, file: string) => scanText(text, { file }).map((f) => f.ruleId);

  it("reads no path, dotted name or NAME=value as a file's one credential", () => {
    for (const [file, text] of [
      ["secret", "projects/123456789/secrets/db-pass/versions/3\n"],
      ["jwt_secret", "/run/secrets/jwt-signing-key-v2\n"],
      ["secret", "vault.kv.prod.database.credentials.v2\n"],
      ["secret", "~/.ssh/id_ed25519\n"],
    ] as const) {
      expect(ids(text, file), text).toEqual([]);
    }
    const value = mixed(24);
    const findings = scanText(`OPENAI_API_KEY=${value}\n`, { file: "api_key.txt" });
    expect(findings.map((f) => f.end - f.start)).toEqual([value.length]);
  });

  it("keeps indexes with arithmetic as code, and a settings file's brackets as characters", () => {
    expectNothingIn([
      ["parser.js", "    token = tokens[tokenIndex++];"],
      ["parser.ts", "    const token = tokens[++tokenPosition];"],
      ["a.ts", "    apiKey: apiKeys[keyIndex%apiKeys.length],"],
      ["a.c", "    key = keytab[hash%TABLE_SIZE];"],
      ["a.rs", "        let token = tokens[index_position+1];"],
    ]);
  });

  it("finds Wi-Fi arguments aligned under the call, accented qualifiers and multi-line logins", () => {
    const password = `${shortPassword()}#`;
    expectRuleIn("wifi-join-password", [
      ["wifi.ino", `  WiFi.begin(ssid,\n             "${password}");`],
      ["wifi.py", `wlan.connect('MyHomeNet',\n             '${password}')`],
    ]);
    expectRuleIn("qualified-label-credential", [
      ["notes.md", `Password para o usuário: ${password}`],
      ["notes.md", `Password für Übungen: ${password}`],
      ["notes.md", `Password per l'account: ${password}`],
    ]);
    expectRuleIn("basic-auth-call-password", [
      ["bot.py", `credentials = pika.PlainCredentials(\n    'bot', '${password}')`],
    ]);
    expectRuleIn("scripted-login-password", [
      [
        "login.py",
        `child.expect("Password:")\ntime.sleep(0.5)  # wait\nchild.sendline("${password}")`,
      ],
    ]);
    expectRuleIn("generic-secret", [["notes.md", `E-posta şifrem: ${password}`]]);
    expectRuleIn("credential-note-value", [["passwords.txt", `Old version: ${password}`]]);
  });

  it("leaves policies, nmcli's reads, key-word lists and Turkish stand-ins alone", () => {
    expectNothingIn([
      ["notes.md", "Max password per user: 64chars"],
      ["notes.md", "Password for account: >=12chars"],
      ["setup.sh", "nmcli -g 802-1x.password --show-secrets con show work-eap-network"],
      ["setup.sh", "nmcli -s -g 802-1x.password connection show eduroam"],
      ["palabras_claves.txt", "Producto: zapatillas2024\nCampaña: BlackFriday2024!"],
      ["passwords.txt", "Sig: sha256WithRSAEncryption"],
      [".env", "JWT_SECRET=parolanız_buraya"],
      [".env", "PASS=şifreniz_burada"],
    ]);
  });

  it("judges a long registry token whole, not by a stand-in's word inside it", () => {
    const token = `${mixed(1200)}your${mixed(1200)}`;
    const auth = Buffer.from(`AWS:${token}`).toString("base64");
    expect(ids(`{"auths": {"x.io": {"auth": "${auth}"}}}`, ".docker/config.json")).toContain(
      "docker-config-auth",
    );
  });
});

/** The severities of the Google API keys found in `text`, scanned as `file`. */
function severities(text: string, file: string): string[] {
  return scanText(text, { file })
    .filter((f) => f.ruleId === "google-api-key")
    .map((f) => f.severity);
}

describe("Google API keys in a Firebase client config", () => {
  it("reports a Firebase client's key as a warning: public by Firebase's design", () => {
    const key = `AIza${mixed(35)}`;
    const web = `const firebaseConfig = {\n  apiKey: "${key}",\n  authDomain: "demo-app.firebaseapp.com",\n  projectId: "demo-app",\n  appId: "1:1234:web:abcd"\n};`;
    expect(severities(web, "src/firebase.js")).toEqual(["warning"]);
    const android = `{"project_info": {"project_id": "demo-app"}, "client": [{"api_key": [{"current_key": "${key}"}]}]}`;
    expect(severities(android, "app/google-services.json")).toEqual(["warning"]);
    const ios = `<dict>\n\t<key>API_KEY</key>\n\t<string>${key}</string>\n\t<key>GOOGLE_APP_ID</key>\n</dict>`;
    expect(severities(ios, "GoogleService-Info.plist")).toEqual(["warning"]);
    expect(severities(`VITE_FIREBASE_API_KEY=${key}`, ".env.local")).toEqual(["warning"]);
    const [finding] = scanText(web, { file: "src/firebase.js" });
    expect(finding?.description).toContain("Firebase");
  });

  it("reports any other Google key as an error, Gemini's beside a Firebase config too", () => {
    const key = `AIza${mixed(35)}`;
    expect(severities(`GEMINI_API_KEY=${key}`, ".env")).toEqual(["error"]);
    expect(severities(`const mapsKey = "${key}";`, "src/maps.js")).toEqual(["error"]);
    const mixedConfig = `authDomain: "a.firebaseapp.com", projectId: "a",\nGEMINI_API_KEY: "${key}"`;
    expect(severities(mixedConfig, "config.js")).toEqual(["error"]);
    const beside = `const firebaseConfig = { apiKey: "AIza${mixed(35)}", authDomain: "a.firebaseapp.com", projectId: "a" };\nconst geocodeKey = "${key}";`;
    expect(severities(beside, "src/firebase.js")).toEqual(["warning", "error"]);
  });
});

describe("game servers' and wallets' files", () => {
  const ids = (text: string, file: string) => scanText(text, { file }).map((f) => f.ruleId);

  it("reads a file named for a secret with a dot (Velocity's forwarding.secret), 12 drawn characters too", () => {
    const velocity = "Kq7RwZ2mXb9T";
    expect(ids(`${velocity}\n`, "velocity/forwarding.secret")).toEqual(["bare-credential-file"]);
    expect(ids(`${mixed(32)}\n`, "forwarding.secret")).toEqual(["bare-credential-file"]);
    // Twelve characters of words, or one kind of character, are not drawn.
    expect(ids("MySecretKey1\n", "forwarding.secret")).toEqual([]);
    expect(ids("abcdefghijkl\n", "forwarding.secret")).toEqual([]);
  });

  it("reads RubyGems' credentials file holding its key alone", () => {
    expect(ids(`${mixed(32)}\n`, ".gem/credentials")).toEqual(["bare-credential-file"]);
  });

  it("leaves a token's prefix alone when its token is still to come, a colon-separated list and a glob", () => {
    expectNothingIn([
      ["config.py", "config = {'oauth_password': 'oauth:',  # from twitchapps.com/tmi"],
      [".exports", 'export HISTIGNORE="ls:cd:cd -:pwd:exit:date:* --help";'],
      ["README.md", 'redact: { paths: ["user.password", "*.token"], censor: "[x]" },'],
    ]);
  });
});

describe("forms an independent attack on the wallet, game-server and settings-block rules showed", () => {
  const ids = (text: string, file: string) => scanText(text, { file }).map((f) => f.ruleId);

  it("keeps another API's key written on one line inside a Firebase config an error", () => {
    const [firebase, other] = [`AIza${mixed(35)}`, `AIza${mixed(35)}`];
    const js = `export const config = {\n  apiKey: "${firebase}",\n  authDomain: "demo.firebaseapp.com",\n  projectId: "demo",\n  appId: "1:1:web:1",\n  gemini: { apiKey: "${other}" },\n};`;
    expect(severities(js, "config.js")).toEqual(["warning", "error"]);
    const yaml = `firebase:\n  api_key: ${firebase}\n  auth_domain: demo.firebaseapp.com\n  project_id: demo\n  app_id: 1:1:web:1\n  maps: { api_key: ${other} }\n`;
    expect(severities(yaml, "config.yml")).toEqual(["warning", "error"]);
  });

  it("reads a mobile config without an auth domain and a Compose list as Firebase's", () => {
    const key = `AIza${mixed(35)}`;
    const mobile = `ANDROID_API_KEY=${key}\nANDROID_APP_ID=1:1:android:1\nANDROID_MESSAGING_SENDER_ID=1\nANDROID_PROJECT_ID=demo\n`;
    expect(severities(mobile, ".env")).toEqual(["warning"]);
    const compose = `services:\n  web:\n    environment:\n      - REACT_APP_API_KEY=${key}\n      - REACT_APP_AUTH_DOMAIN=demo.firebaseapp.com\n      - REACT_APP_PROJECT_ID=demo\n      - REACT_APP_APP_ID=1:1:web:1\n`;
    expect(severities(compose, "docker-compose.yml")).toEqual(["warning"]);
  });

  it("leaves a schema's column types alone, and finds a GSLT after an underscore and rcon on a command line", () => {
    expectNothingIn([
      [
        "schema.sql",
        "CREATE TABLE servers (\n  rcon_password VARCHAR(64),\n  sv_password varchar(32)\n);",
      ],
      ["schema.prisma", "model Server {\n  rcon_password String?\n}"],
      [
        "wagmi.config.ts",
        `import { privateKeyToAccount } from 'viem/accounts'\nexport const walletConnectProjectId = '${hexOf32()}'`,
      ],
    ]);
    expectRuleIn("steam-game-server-token", [[".env", `STEAM_GSLT=${hexOf32().toUpperCase()}`]]);
    expectRuleIn("game-server-password", [
      [
        "start.sh",
        `./srcds_run -game csgo +map de_dust2 +rcon_password ${mixed(10)} +maxplayers 10`,
      ],
    ]);
  });

  it("reads Velocity's forwarding.secret without a digit, and keeps a password ending in a colon", () => {
    expect(ids("XAhFhPxgtzWb", "forwarding.secret")).toEqual(["bare-credential-file"]);
    expectRuleIn("generic-secret", [[".env", "DB_PASSWORD=Mozart:"]]);
    expectRuleIn("generic-secret", [["notes.txt", `admin:password:${mixed(16)}`]]);
  });
});

/** 32 hex digits, drawn. */
function hexOf32(): string {
  return r(HEX, 32);
}

describe("cookie files and session cookies", () => {
  const cookiesIn = (text: string, file = "cookies.txt") =>
    scanText(text, { file }).map((f) => `${f.ruleId} ${text.slice(f.start, f.end)}`);

  it("reads Python's cookie jars: a session cookie's empty expiry, LWP lines, a quoted value", () => {
    const [a, b, c] = [mixed(32), mixed(32), mixed(32)];
    expect(cookiesIn(`.example.com\tTRUE\t/\tTRUE\t\tsessionid\t${a}\n`)).toEqual([
      `cookie-file-session ${a}`,
    ]);
    expect(
      cookiesIn(
        `#LWP-Cookies-2.0\nSet-Cookie3: sessionid="${b}"; path="/"; domain=".example.com"\n`,
        "jar.lwp",
      ),
    ).toEqual([`cookie-file-session ${b}`]);
    expect(cookiesIn(`.amazon.com\tTRUE\t/\tTRUE\t1800000000\tsession-token\t"${c}"\n`)).toEqual([
      `cookie-file-session ${c}`,
    ]);
  });

  it("reads a browser extension's JSON export and the sign-in cookies of large sites", () => {
    const value = mixed(40);
    const exported = `[{"domain": ".linkedin.com", "hostOnly": false, "name": "li_at", "path": "/", "secure": true, "value": "${value}"}]`;
    expect(cookiesIn(exported, "cookies.json")).toEqual([`cookie-file-session ${value}`]);
  });

  it("leaves Google's other cookies, a device id, a time zone and RFC 6265's example alone", () => {
    expect(
      cookiesIn(
        `.google.com\tTRUE\t/\tTRUE\t1800000000\t__Secure-ENID\t17.SE=${mixed(40)}\n.youtube.com\tTRUE\t/\tTRUE\t1800000000\t__Secure-YEC\tCgt${mixed(20)}%3D%3D\n`,
      ),
    ).toEqual([]);
    expectNothingIn([
      ["notes.md", `Cookie: __Host-device_id=${r(HEX, 32)}; tz_session=America%2FNew_York`],
      ["notes.md", "Set-Cookie: SID=31d4d96e407aad42; Path=/; Secure; HttpOnly"],
    ]);
  });
});

describe("Firebase web configs kept one setting a line", () => {
  it("reads an .env file's and a YAML block's settings of the same prefix as a Firebase config", () => {
    const key = `AIza${mixed(35)}`;
    const env = `# Firebase\nREACT_APP_API_KEY="${key}"\n\nREACT_APP_AUTH_DOMAIN="demo.firebaseapp.com"\nREACT_APP_PROJECT_ID="demo"\nREACT_APP_APP_ID="1:123:web:abc"\n`;
    expect(severities(env, ".env")).toEqual(["warning"]);
    const yaml = `firebase:\n  api_key: ${key}\n  auth_domain: demo.firebaseapp.com\n  project_id: demo\n  messaging_sender_id: "123"\ngemini:\n  api_key: ${key}\n`;
    expect(severities(yaml, "config.yml")).toEqual(["warning", "error"]);
  });

  it("reads the Android resources Google's Gradle plugin writes from google-services.json", () => {
    const key = `AIza${mixed(35)}`;
    const resources = `<resources>\n\t<string name="project_id" translatable="false">demo-1a2b3</string>\n\t<string name="google_app_id" translatable="false">1:1234:android:abcd</string>\n\t<string name="google_api_key" translatable="false">${key}</string>\n</resources>`;
    expect(severities(resources, "app/src/main/res/values/secrets.xml")).toEqual(["warning"]);
    const alone = `<resources>\n\t<string name="google_api_key">${key}</string>\n</resources>`;
    expect(severities(alone, "app/src/main/res/values/secrets.xml")).toEqual(["error"]);
  });

  it("keeps a key of another prefix, block or indent an error", () => {
    const key = `AIza${mixed(35)}`;
    const prefix = `GOOGLE_API_KEY=${key}\nFIREBASE_AUTH_DOMAIN=demo.firebaseapp.com\nFIREBASE_PROJECT_ID=demo\nFIREBASE_APP_ID=1:1:web:1\n`;
    expect(severities(prefix, ".env")).toEqual(["error"]);
    const block = `export const environment = {\n  firebase: {\n    authDomain: 'demo.firebaseapp.com',\n    projectId: 'demo',\n    appId: '1:1:web:1',\n  },\n  gemini: {\n    apiKey: '${key}',\n  },\n};`;
    expect(severities(block, "src/environments/environment.ts")).toEqual(["error"]);
    const indent = `API_KEY=${key}\n  AUTH_DOMAIN=demo.firebaseapp.com\nPROJECT_ID=demo\nAPP_ID=1:1:web:1`;
    expect(severities(indent, ".env")).toEqual(["error"]);
  });
});

describe("forms an independent attack on the Firebase and fallback rules showed", () => {
  it("keeps other Google keys beside a Firebase config errors, and reads FlutterFire and Android configs", () => {
    const [firebase, other] = [`AIza${mixed(35)}`, `AIza${mixed(35)}`];
    const angular = `export const environment = {\n  firebase: {\n    apiKey: '${firebase}',\n    authDomain: 'demo.firebaseapp.com',\n    projectId: 'demo',\n    appId: '1:1:web:1',\n  },\n  gemini: {\n    apiKey: '${other}',\n  },\n};`;
    expect(severities(angular, "src/environments/environment.ts")).toEqual(["warning", "error"]);
    expect(severities(`FIREBASE_SERVER_KEY=${other}`, ".env")).toEqual(["error"]);
    expect(
      severities(`firebase functions:config:set google.apikey="${other}"`, "deploy.sh"),
    ).toEqual(["error"]);
    const flutter = `static const FirebaseOptions android = FirebaseOptions(\n    apiKey: '${firebase}',\n    appId: '1:1:android:1',\n    messagingSenderId: '1',\n    projectId: 'demo',\n  );`;
    expect(severities(flutter, "lib/firebase_options.dart")).toEqual(["warning"]);
    const builder = `val options = FirebaseOptions.Builder()\n    .setProjectId("demo")\n    .setApiKey("${firebase}")\n    .build()`;
    expect(severities(builder, "app/src/main/java/App.kt")).toEqual(["warning"]);
    const plist = `<key>API_KEY</key>\n<string>${firebase}</string>`;
    expect(severities(plist, "ios/dev/GoogleService-Info-Dev.plist")).toEqual(["warning"]);
  });

  it("finds Dart's fallback in the tall layout and a raw string, and Vault's older tokens alone in their file", () => {
    const value = mixed(24);
    expectRuleIn("env-fallback-credential", [
      [
        "lib/config.dart",
        `const apiKey = String.fromEnvironment(\n  'API_KEY',\n  defaultValue: '${value}',\n);`,
      ],
      [
        "lib/config.dart",
        `const apiKey = String.fromEnvironment('API_KEY', defaultValue: r'${value}');`,
      ],
    ]);
    const ids = scanText(`s.${mixed(24)}\n`, { file: ".vault-token" }).map((f) => f.ruleId);
    expect(ids).toEqual(["bare-credential-file"]);
  });

  it("leaves time zones, relative paths and nanosecond times alone", () => {
    expectNothingIn([
      ["homeassistant/secrets.yaml", "timezone: America/Argentina/Buenos_Aires"],
      ["homeassistant/secrets.yaml", "rtsp_stream: Streaming/Channels/101"],
      ["homeassistant/secrets.yaml", "bucket: my-ha-backups/snapshots/2024"],
      ["app.ts", "const passwordResetExpiresNs = 1701894123456789012;"],
    ]);
  });
});

describe("tables whose credential column is named PW", () => {
  it("reads a PW column in Markdown and CSV, not PW inside other words", () => {
    const password = `${shortPassword()}!`;
    expectRuleIn("table-credential-column", [
      [
        "README.md",
        `| 접속정보 | ip | ID | PW | KEY |\n| --- | --- | --- | --- | --- |\n| IPMI | 10.0.0.5 | ops | ${password} |  |`,
      ],
      ["accounts.csv", `user,pw\nops,${password}`],
    ]);
    expectNothingIn([
      ["README.md", `| Name | PWA | Upward |\n| --- | --- | --- |\n| app | ${password} | yes |`],
    ]);
  });
});

describe("a note's password that starts with $", () => {
  it("reads $ before mixed capitals, small letters and digits as the password's, not a variable", () => {
    expectRuleIn("credential-note-value", [["hasla.txt", "jko1.PAR@gmail.com\n$PHP123c\nadmin"]]);
    expectNothingIn([
      ["hasla.txt", "deploy $HOME"],
      ["hasla.txt", "db $DB_PASSWORD"],
      ["hasla.txt", "PW: $Secret1"],
    ]);
  });
});

describe("forms committed Windows, mail and middleware files showed", () => {
  it("reads a drawn app password whose letters hold more vowels or fewer rare pairs", () => {
    // Drawn by Google: seven vowels, or three pairs of consonants words seldom hold.
    expectRuleIn("generic-secret", [
      ["ssmtp.conf", "AuthPass=ejkerraevbjyutri"],
      ["mail.conf", "password lruy ggsh dzyg heei"],
    ]);
    expectRuleIn("msmtp-password", [[".msmtprc", "password lruy ggsh dzyg heei"]]);
    expectNothingIn([[".env", "SMTP_NAME=checkpointstream"]]);
  });

  it("reads a password in CDATA and PHP's getenv fallbacks", () => {
    const password = `${mixed(12)}7`;
    expectRuleIn("xml-tag-credential", [
      ["app/etc/local.xml", `<password><![CDATA[${password}]]></password>`],
    ]);
    expectRuleIn("env-fallback-credential", [
      ["config.php", `$pw = getenv('DB_PASSWORD') ?: $_ENV['DB_PASSWORD'] ?: '${password}';`],
      ["config.php", `$token = getenv("API_TOKEN") ?? "${password}";`],
    ]);
    expectNothingIn([["config.php", "$pw = getenv('DB_PASSWORD') ?: '';"]]);
  });

  it("reads no Windows Setup pass, encoded registry path, forward-slash drive path or template mark", () => {
    expectNothingIn([
      ["unattend.xml", '<settings pass="windowsPE">\n<settings pass="oobeSystem">'],
      ["WinSCP.ini", "PuttyRegistryStorageKey=Software%5CSimonTatham%5CPuTTY"],
      [
        ".ftpconfig",
        '"privatekey": "C:/Users/me/.vagrant/machines/default/virtualbox/private_key",',
      ],
      ["unattend.xml", "<Password>\n  <Value>#ADMINPWD#</Value>\n</Password>"],
      ["build.properties", "db.password=@DB_PASSWORD@"],
    ]);
  });

  it("reads Vagrant's and the Raspberry Pi's published defaults and `newpassword` as no error", () => {
    expectNothingIn([["config/db.php", "'password' => 'newpassword',"]]);
    const autologon = (password: string) =>
      `<AutoLogon>\n  <Password>\n    <Value>${password}</Value>\n    <PlainText>true</PlainText>\n  </Password>\n  <Username>vagrant</Username>\n</AutoLogon>`;
    const severitiesIn = (text: string, file: string) =>
      scanText(text, { file }).map((finding) => finding.severity);
    expect(severitiesIn(autologon("vagrant"), "Autounattend.xml")).not.toContain("error");
    expect(severitiesIn("PI_PASSWORD=raspberry", "setup.sh")).not.toContain("error");
    expect(severitiesIn(autologon(`${mixed(10)}7!`), "Autounattend.xml")).toContain("error");
  });
});

describe("code that bundles and modern JavaScript hold under a credential's name", () => {
  it("leaves members, private fields, renamed names and expressions alone", () => {
    expectNothingIn([
      ["dist/index.js", `const creds = this.#crypto.encodeBase64StringUtf8(\`${D}{id}\`);`],
      ["dist/index.js", "var a={password:i?n.password:void 0};"],
      ["dist/index.js", "x.token=r?n.token:Sh(t);"],
      ["dist/index.js", "a={token:l??this.credentialAuth,secret:e.tokens.length-1}"],
      ["dist/index.js", "\t\t\tidentityKey: IDENTITY_KEY$1,"],
      ["dist/index.js", "exports.K8S_SECRET = require_experimental_attributes.K8S_SECRET;"],
      ["dist/index.js", "const fetchWithAuth = x509Authentication ? withToken : plain;"],
      ["dist/index.js", 'const SUBJECT_TOKEN = "urn:openai:params:oauth:token-type:x509";'],
      ["dist/index.js", 'const INDEX_KEY = "memory_index_meta_v1";'],
      [
        "dist/de.js",
        "state:{pass:`Bestanden`,fail:`Fehlgeschlagen`},labels:{apiKey:`API-Schlüssel`}",
      ],
      ["dist/index.js", 'finding("network-egress", "pass", "egress: bridge (unrestricted)");'],
      ["dist/index.js", "const SUDO = /^sudo: (?:no password was provided|a terminal)/;"],
      ["i18n/en.js", '    SETUP_ANOTHER_PASSKEY: "Setup another Passkey",'],
      ["i18n/ca-ES.js", '  blockButton__passkey: "Utilitza la clau",'],
      ["dist/index.js", 'exports.CREDENTIAL_QUERY_PARAM = "X-Amz-Credential";'],
      ["dist/index.js", 'const selectV2InjectionKey = Symbol("ElSelectV2Injection");'],
    ]);
  });

  it("still reads passwords shaped like code outside JavaScript, and a literal in code", () => {
    expectRuleIn("generic-secret", [
      ["notes.md", `password: Kx8?mQ:${mixed(8)}`],
      ["app.js", `const password = "${mixed(12)}#";`],
      // An independent attack's forms: a shell's `&&` after an assignment, dots and marks in
      // credential files, `$` and digits in a note, non-ASCII words, a random `pass` beside a
      // request's `fail` callback.
      ["deploy.sh", `export PGPASSWORD=${mixed(12)} && psql -h db`],
      [".pypirc", "[private]\nusername = bob\npassword = S3cr3t.Pw-1\n"],
      ["smb.credentials", "username=bob\npassword=Summer.Sun+1\n"],
      ["notes.txt", "password: Welcome$2024"],
      [".env", "DB_PASSWORD=Kötü-Kedi!"],
      [
        "pages/login/login.js",
        `wx.request({ data: { user: 'admin', pass: '${mixed(10)}#' }, fail: (err) => log(err) })`,
      ],
    ]);
  });
});

describe("a call's last argument on its own line", () => {
  it("is a name passed, not a setting's value ending in a bracket", () => {
    expectNothingIn([
      ["connect.R", "con <- dbConnect(drv,\n   user=dsn_uid,\n   password=dsn_pwd)\n"],
      ["db.py", "conn = connect(\n    password=db_password)\n"],
      // The call's bracket more than 300 characters back.
      [
        "connect.R",
        `con <- dbConnect(RPostgres::Postgres(),\n${'  host = "db.internal",\n'.repeat(14)}  password=dsn_pwd)\n`,
      ],
    ]);
    expect(rulesIn("PASSWORD=x9Fq2LmZ)\n", ".env")).toEqual(["generic-secret"]);
    // A value ending in a bracket, no call open before it: the bracket is the password's.
    const text = "# DB settings (see wiki\nDB_PASSWORD=Sup3rS3cretX)\n";
    expect(scanText(text, { file: ".env" }).map((f) => text.slice(f.start, f.end))).toEqual([
      "Sup3rS3cretX)",
    ]);
  });
});

describe("name/value pairs of Ruby's symbols", () => {
  it("reads :name => 'api_key', :value => '…'", () => {
    expectRuleIn("name-value-credential", [
      ["seeds.rb", `Setting.create(:name => 'api_key', :value => '${mixed(16)}')`],
    ]);
  });
});
