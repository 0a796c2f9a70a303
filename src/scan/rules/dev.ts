/**
 * Source hosting, CI, package registries and developer infrastructure: GitHub, GitLab,
 * Bitbucket, Atlassian, npm, PyPI, RubyGems, NuGet, Docker Hub, JFrog Artifactory, Snyk,
 * SonarQube, CircleCI, Buildkite, HashiCorp Vault and Terraform, Pulumi, Doppler, 1Password,
 * Tailscale, Sourcegraph, age and the like.
 */
import { shannonEntropy } from "../placeholders.js";
import type { ScanRule } from "../rule.js";
import {
  B64URL,
  classCount,
  decodeBase64Url,
  isRandomHex,
  isRandomLooking,
  namedValueRules,
  notAfter,
  type RuleVerdict,
  re,
  regexRule,
  SHAPES,
  tokenRules,
} from "./build.js";
import { hasGitHubChecksum, hasGitLabChecksum } from "./checksum.js";
import { isCamelWords } from "./plausible-secret.js";

/**
 * A GitHub token as issued (its checksum holds: reported even when it reads as typed), or one
 * typed or edited by a person (a warning: GitHub would refuse it, but it may be a live token
 * with a character changed).
 */
function checksumVerdict(secret: string): RuleVerdict {
  return hasGitHubChecksum(secret) ? "verified" : "typed";
}

const AGE_CHARSET = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L";

/** Words that name an Atlassian Data Center product (Jira, Confluence, Bamboo, Bitbucket). */
const ATLASSIAN_WORD = /jira|confluence|bamboo|atlassian|bitbucket|stash/i;

/**
 * An Atlassian Data Center personal access token: base64 of a 12-digit key id, `:` and 20
 * random bytes (44 characters). The id proves the format by itself; a token whose id is not
 * digits counts only after a product's name. Random bytes are almost never all printable: a
 * printable secret part (`123456789012:A1b2C3d4…` encoded) is a typed stand-in.
 */
function isAtlassianDcPat(token: string, before: string): boolean {
  const bytes = Buffer.from(token, "base64");
  if (bytes.length !== 33 || bytes[12] !== 0x3a) return false;
  if (/^[\x20-\x7e]+$/.test(bytes.subarray(13).toString("latin1"))) return false;
  return /^\d{12}$/.test(bytes.subarray(0, 12).toString("latin1")) || ATLASSIAN_WORD.test(before);
}

/**
 * A code drawn at random from letters and digits, not typed in order (`ABCD-EFGH-…`, the
 * alphabet counted out): random draws seldom step to the next character, and mix in digits.
 */
function isDrawnCode(code: string): boolean {
  let steps = 0;
  for (let i = 1; i < code.length; i++) {
    if (code.charCodeAt(i) - code.charCodeAt(i - 1) === 1) steps++;
  }
  return (
    steps <= code.length / 6 &&
    new Set(code).size >= code.length / 3 &&
    /[0-9]/.test(code) &&
    /[A-Z]/.test(code)
  );
}

/**
 * Apple's generated app-specific password: 16 random lower-case letters. A stand-in repeats
 * letters (`xxxx-xxxx-…`, `aaaa-bbbb-…`) or counts up the alphabet (`abcd-efgh-…`).
 */
function isAppSpecificPassword(secret: string): boolean {
  const letters = secret.replace(/-/g, "");
  let steps = 0;
  for (let i = 1; i < letters.length; i++) {
    if (letters.charCodeAt(i) - letters.charCodeAt(i - 1) === 1) steps++;
  }
  return (
    new Set(letters).size >= 8 &&
    steps <= 4 &&
    !/(.)\1\1/.test(letters) &&
    // Keyboard rows typed in order (`qwer-tyui-opas-dfgh`), and words a stand-in spells.
    !KEYBOARD_ROWS.includes(letters.slice(0, 8)) &&
    !/pass|word|here|your|xxxx|abcd/.test(letters)
  );
}

/** The letter rows of a QWERTY keyboard, in order and wrapping around. */
const KEYBOARD_ROWS = "qwertyuiopasdfghjklzxcvbnmqwertyuiopasdfghjkl";

export const DEV_RULES: ScanRule[] = [
  ...tokenRules([
    {
      // Kong Konnect personal access tokens (`kpat_`) and system account tokens (`spat_`):
      // the prefix and about 45 random letters and digits.
      id: "kong-konnect-token",
      description: "Kong Konnect personal or system account access token",
      keywords: ["kpat_", "spat_"],
      token: "[ks]pat_[A-Za-z0-9]{40,64}",
      validate: (secret) =>
        classCount(secret.slice(5)) >= 3 && shannonEntropy(secret.slice(5)) >= 3.8,
      suggestedName: "KONNECT_TOKEN",
    },
    {
      // JetBrains YouTrack and Hub permanent tokens: `perm:` (or `perm-`), the user's login in
      // base64, the token's id in base64 (it decodes to two numbers joined by `-`), and 30
      // random letters and digits, each after a dot.
      id: "youtrack-permanent-token",
      description: "JetBrains YouTrack or Hub permanent token",
      keywords: ["perm:", "perm-"],
      token:
        "perm[:\\-][A-Za-z0-9+/_\\-]{2,120}={0,2}\\.[A-Za-z0-9+/_\\-]{4,40}={0,2}\\.[A-Za-z0-9]{30}",
      validate: (secret) => {
        const [, id = "", random = ""] = secret.slice(5).split(".");
        return (
          /^\d{1,10}-\d{1,10}$/.test(decodeBase64Url(id) ?? "") &&
          classCount(random) >= 2 &&
          shannonEntropy(random) >= 3.5
        );
      },
      suggestedName: "YOUTRACK_TOKEN",
    },
    {
      id: "github-pat",
      description: "GitHub personal access token (classic)",
      keywords: ["ghp_"],
      token: "ghp_[A-Za-z0-9]{36}",
      validate: checksumVerdict,
      suggestedName: "GITHUB_TOKEN",
    },
    {
      id: "github-fine-grained-pat",
      description: "GitHub fine-grained personal access token",
      keywords: ["github_pat_"],
      token: "github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}",
      suggestedName: "GITHUB_TOKEN",
    },
    {
      id: "github-app-token",
      description: "GitHub App installation or user-to-server token",
      keywords: ["ghs_", "ghu_"],
      // Stateless installation tokens are `ghs_<app id>_` and a signed JWT.
      token: `gh[su]_[A-Za-z0-9]{36}|ghs_[0-9]{1,12}_eyJ[${B64URL}]{10,1000}\\.eyJ[${B64URL}]{10,4000}\\.[${B64URL}]{20,700}`,
      validate: (secret) => (secret.includes(".") ? true : checksumVerdict(secret)),
      suggestedName: "GITHUB_APP_TOKEN",
    },
    {
      id: "github-oauth-token",
      description: "GitHub OAuth access token",
      keywords: ["gho_"],
      token: "gho_[A-Za-z0-9]{36}",
      validate: checksumVerdict,
      suggestedName: "GITHUB_OAUTH_TOKEN",
    },
    {
      id: "github-refresh-token",
      description: "GitHub refresh token",
      keywords: ["ghr_"],
      token: "ghr_[A-Za-z0-9]{36,76}",
      validate: checksumVerdict,
      suggestedName: "GITHUB_REFRESH_TOKEN",
    },
    {
      id: "gitlab-token",
      description: "GitLab token (personal, deploy, runner, pipeline, OAuth, feed, agent)",
      keywords: [
        "glpat-",
        "gldt-",
        "glrt-",
        "glcbt-",
        "glptt-",
        "glft-",
        "glimt-",
        "glagent-",
        "gloas-",
        "glsoat-",
        "glffct-",
        "glwt-",
        "glrtr-",
        "gr1348941",
      ],
      // An instance may put its own prefix before the kind (`acme-glpat-…`); routable tokens
      // carry a base64 payload of up to 300 characters, then `.01.` and a checksum; a CI job
      // token may be a signed JWT after `glcbt-`.
      token:
        "(?<![A-Za-z0-9_.])(?:(?:glpat|gldt|glrt|glrtr|glcbt|glptt|glft|glimt|glagent|gloas|glsoat|glffct|glwt)-[A-Za-z0-9_.\\-]{20,320}|glcbt-eyJ[A-Za-z0-9_\\-]{10,2000}\\.eyJ[A-Za-z0-9_\\-]{10,4000}\\.[A-Za-z0-9_\\-]{20,1000}|GR1348941[A-Za-z0-9_\\-]{20,40})(?![A-Za-z0-9_.\\-])",
      boundary: "",
      // A routable token's checksum: a made-up or edited one is a warning.
      validate: (secret) => {
        const valid = hasGitLabChecksum(secret.replace(/^[A-Za-z0-9_.-]*?(?=gl[a-z]{2,8}-)/, ""));
        return valid === undefined ? true : valid ? "verified" : "typed";
      },
      suggestedName: "GITLAB_TOKEN",
    },
    {
      id: "gitlab-session-cookie",
      description: "GitLab session cookie (_gitlab_session)",
      keywords: ["_gitlab_session"],
      token: "(?<=_gitlab_session[\"']?[ \\t]{0,2}[=:][ \\t]{0,2}[\"']?)[a-f0-9]{32}",
      near: { literal: "_gitlab_session", before: 0, after: 40 },
      boundary: "A-Za-z0-9",
    },
    {
      id: "bitbucket-app-password",
      description: "Bitbucket app password or API token",
      keywords: ["atbb", "atctt3"],
      // 32 characters, or 32 and an 8-digit hex checksum (as Atlassian's newer tokens end).
      token: "(?:ATBB[A-Za-z0-9_=.\\-]{28,80}|ATCTT3[A-Za-z0-9_=\\-]{180,200})",
      boundary: "A-Za-z0-9_=.\\-",
    },
    {
      id: "bitbucket-dc-http-token",
      description: "Bitbucket Data Center HTTP access token",
      keywords: ["bbdc-"],
      token: "BBDC-[A-Za-z0-9+/]{44}",
      boundary: "A-Za-z0-9+/=",
      validate: (secret) => isAtlassianDcPat(secret.slice(5), "bitbucket"),
    },
    {
      id: "atlassian-api-token",
      description: "Atlassian (Jira, Confluence) API token",
      keywords: ["atatt3"],
      token: "ATATT3[A-Za-z0-9_=\\-]{180,200}",
      boundary: "A-Za-z0-9_=\\-",
      suggestedName: "ATLASSIAN_API_TOKEN",
    },
    {
      id: "npm-token",
      description: "npm access token",
      keywords: ["npm_"],
      token: "npm_[A-Za-z0-9]{36}",
      suggestedName: "NPM_TOKEN",
    },
    {
      id: "pypi-token",
      description: "PyPI upload token",
      // A macaroon: version 2 and its location field (`AgE`), then the location's length and
      // name (`IcHlwaS5vcmc` for pypi.org, `NdGVzdC5weXBpLm9yZw` for test.pypi.org, others for
      // a private index speaking PyPI's upload API).
      keywords: ["pypi-age"],
      token: `pypi-AgE[${B64URL}]{50,1000}`,
      suggestedName: "PYPI_TOKEN",
    },
    {
      // What `docker swarm join-token` and `docker swarm unlock-key` print: a join token
      // (`SWMTKN-1-`, the cluster CA's digest and a secret) lets a node join the swarm; the
      // unlock key decrypts the managers' Raft logs.
      id: "docker-swarm-token",
      description: "Docker Swarm join token or unlock key",
      keywords: ["swmtkn-1-", "swmkey-1-"],
      token: "SWMTKN-1-[a-z0-9]{50}-[a-z0-9]{25}|SWMKEY-1-[A-Za-z0-9+/]{43}",
      boundary: "A-Za-z0-9_\\-+/=",
      suggestedName: "SWARM_JOIN_TOKEN",
      validate: (secret) =>
        secret.startsWith("SWMTKN")
          ? classCount(secret.slice(-25)) >= 2 && shannonEntropy(secret.slice(-25)) >= 3.5
          : classCount(secret.slice(9)) >= 3,
    },
    {
      // Ionic (Appflow) personal access and refresh tokens: `ion_` and 42 to 58 letters and
      // digits (the longer ones end in a checksum).
      id: "ionic-token",
      description: "Ionic personal access or refresh token",
      keywords: ["ion_"],
      token: "ion_[A-Za-z0-9]{42,58}",
      suggestedName: "IONIC_TOKEN",
      validate: (secret) =>
        classCount(secret.slice(4)) >= 3 && shannonEntropy(secret.slice(4)) >= 4,
    },
    {
      id: "rubygems-api-key",
      description: "RubyGems API key",
      keywords: ["rubygems_"],
      token: "rubygems_[a-f0-9]{48}",
      suggestedName: "GEM_HOST_API_KEY",
    },
    {
      id: "nuget-api-key",
      description: "NuGet.org API key",
      keywords: ["oy2"],
      // Lower case as NuGet.org shows it, or all upper case (the service accepts both).
      token: "oy2[a-z0-9]{43}|OY2[A-Z0-9]{43}",
      validate: (secret) => /[0-9]/.test(secret.slice(3)) && /[a-z]/i.test(secret.slice(3)),
    },
    {
      // Private Packagist: an API key and its secret (`ack`, `acs`), organization and user
      // tokens to read or update (`ort`, `out`, `uut`), Conductor's update token (`cut`).
      id: "packagist-token",
      description: "Private Packagist API key, API secret or access token",
      keywords: ["packagist_"],
      token:
        "packagist_(?:ack_[0-9a-f]{28,32}|acs_[0-9a-f]{64,96}|(?:ort|out|uut|cut)_[0-9a-f]{68})",
      validate: (secret) => isRandomHex(secret.slice(14)),
      suggestedName: "PACKAGIST_TOKEN",
    },
    {
      id: "clojars-token",
      description: "Clojars deploy token",
      keywords: ["clojars_"],
      token: "CLOJARS_[a-z0-9]{60}",
    },
    {
      id: "docker-hub-token",
      description: "Docker Hub personal or organization access token",
      keywords: ["dckr_pat_", "dckr_oat_"],
      token: `dckr_(?:pat|oat)_[${B64URL}]{27,32}`,
      suggestedName: "DOCKERHUB_TOKEN",
    },
    {
      id: "artifactory-api-key",
      description: "JFrog Artifactory API key",
      keywords: ["akcp"],
      token: "AKCp[A-Za-z0-9]{69}",
      suggestedName: "ARTIFACTORY_API_KEY",
    },
    {
      id: "artifactory-reference-token",
      description: "JFrog Artifactory reference (identity) token",
      keywords: ["cmvmdgtu"],
      token: "cmVmdGtu[A-Za-z0-9]{56}",
      suggestedName: "ARTIFACTORY_TOKEN",
    },
    {
      id: "sonarqube-token",
      description: "SonarQube or SonarCloud token",
      keywords: ["sqp_", "squ_", "sqa_"],
      token: "sq[pua]_[a-f0-9]{40}",
      suggestedName: "SONAR_TOKEN",
    },
    {
      id: "circleci-token",
      description: "CircleCI personal or project API token",
      keywords: ["ccipat_", "cciprj_"],
      token: "CCIP(?:AT|RJ)_[A-Za-z0-9]{22}_[a-f0-9]{40}",
      suggestedName: "CIRCLE_TOKEN",
    },
    {
      id: "buildkite-token",
      description: "Buildkite API access token or agent token",
      keywords: ["bkua_", "bkat_"],
      token: "bk(?:ua|at)_[a-f0-9]{40}",
    },
    {
      id: "harness-token",
      description: "Harness personal access or service account token",
      keywords: ["pat.", "sat."],
      token: `(?:pat|sat)\\.[${B64URL}]{22}\\.[a-f0-9]{24}\\.[A-Za-z0-9]{20}`,
      boundary: "A-Za-z0-9_.\\-",
    },
    {
      id: "vault-token",
      description: "HashiCorp Vault service, batch or recovery token",
      keywords: ["hvs.", "hvb.", "hvr."],
      // Batch tokens carry their state, so they run longer than service tokens.
      token: `hv[sbr]\\.[${B64URL}]{24,500}`,
      boundary: "A-Za-z0-9_.\\-",
      suggestedName: "VAULT_TOKEN",
      validate: (secret) => classCount(secret.slice(4)) >= 3,
    },
    {
      id: "terraform-cloud-token",
      description: "HashiCorp Terraform Cloud / Enterprise API token",
      keywords: [".atlasv1."],
      token: "[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=\\-]{60,70}",
      near: { literal: ".atlasv1.", before: 14, after: 70 },
      boundary: "A-Za-z0-9_=\\-.",
      suggestedName: "TFE_TOKEN",
    },
    {
      id: "pulumi-token",
      description: "Pulumi access token",
      keywords: ["pul-"],
      token: "pul-[a-f0-9]{40}",
      suggestedName: "PULUMI_ACCESS_TOKEN",
    },
    {
      id: "doppler-token",
      description: "Doppler personal, service, CLI, SCIM or audit token",
      keywords: ["dp.pt.", "dp.st.", "dp.ct.", "dp.sa.", "dp.scim.", "dp.audit."],
      token: "dp\\.(?:pt|st(?:\\.[a-z0-9_\\-]{2,35})?|ct|sa|scim|audit)\\.[A-Za-z0-9]{40,44}",
      boundary: "A-Za-z0-9_.\\-",
      suggestedName: "DOPPLER_TOKEN",
    },
    {
      id: "infracost-api-key",
      description: "Infracost API key",
      keywords: ["ico-"],
      token: "ico-[A-Za-z0-9]{32}",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "octopus-deploy-api-key",
      description: "Octopus Deploy API key",
      keywords: ["api-"],
      token: "API-[A-Z0-9]{26}",
      validate: (secret) => /[0-9]/.test(secret.slice(4)) && /[A-Z]/.test(secret.slice(4)),
    },
    {
      id: "onepassword-secret-key",
      description: "1Password account secret key",
      keywords: ["a3-"],
      token:
        "A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}",
      suggestedName: "OP_SECRET_KEY",
    },
    {
      // 52 random base32 characters in groups of four, printed once when the account is made.
      id: "onepassword-recovery-code",
      description: "1Password account recovery code",
      keywords: ["1prk-"],
      token: "1PRK(?:-[A-Z0-9]{4}){13}",
      suggestedName: "OP_RECOVERY_CODE",
      validate: (secret) => isDrawnCode(secret.slice(5).replace(/-/g, "")),
    },
    {
      id: "onepassword-service-account-token",
      description: "1Password service account token",
      keywords: ["ops_eyj"],
      token: "ops_eyJ[A-Za-z0-9+/]{250,}={0,3}",
      boundary: "A-Za-z0-9+/=",
      suggestedName: "OP_SERVICE_ACCOUNT_TOKEN",
    },
    {
      id: "tailscale-key",
      description: "Tailscale auth, API, OAuth client or webhook key",
      keywords: ["tskey-"],
      token: "tskey-(?:[a-z]{3,8}-)?[A-Za-z0-9]{6,20}-[A-Za-z0-9]{20,64}",
      suggestedName: "TS_AUTHKEY",
    },
    {
      id: "sourcegraph-token",
      description: "Sourcegraph access token",
      keywords: ["sgp_", "sgph_"],
      token: "sgph?_(?:(?:[a-f0-9]{16}|local)_)?[a-f0-9]{40}",
      suggestedName: "SRC_ACCESS_TOKEN",
    },
    {
      // `slk_` for a license's Cody Gateway access, `sgd_` for a Sourcegraph.com user's.
      id: "sourcegraph-cody-token",
      description: "Sourcegraph Cody Gateway access token",
      keywords: ["slk_", "sgd_"],
      token: "(?:slk|sgd)_[a-f0-9]{64}",
      suggestedName: "CODY_ACCESS_TOKEN",
      validate: (secret) => isRandomHex(secret.slice(4)),
    },
    {
      // The key and the secret of an Endor Labs API key both carry the `endr+` prefix.
      id: "endorlabs-api-key",
      description: "Endor Labs API key or secret",
      keywords: ["endr+"],
      token: "endr\\+[A-Za-z0-9]{16,40}",
      suggestedName: "ENDOR_API_SECRET",
      validate: (secret) => classCount(secret.slice(5)) >= 3,
    },
    {
      id: "age-secret-key",
      description: "age secret key",
      // `-PQ-` marks the post-quantum (ML-KEM-768 + X25519) identity: a 32-byte seed as well.
      keywords: ["age-secret-key-1", "age-secret-key-pq-1"],
      token: `AGE-SECRET-KEY-(?:PQ-)?1[${AGE_CHARSET}]{58}`,
      suggestedName: "AGE_SECRET_KEY",
    },
    {
      id: "postman-api-key",
      description: "Postman API key",
      keywords: ["pmak-"],
      token: "PMAK-[a-f0-9]{24}-[a-f0-9]{34}",
    },
    {
      id: "readme-api-key",
      description: "ReadMe API key",
      keywords: ["rdme_"],
      token: "rdme_[a-z0-9]{70}",
    },
    {
      id: "prefect-api-key",
      description: "Prefect Cloud API key",
      // User keys (`pnu_`), service account keys (`pnb_`), and the user and server tokens
      // (`pcu_`, `pcs_`) GitHub's secret scanning lists for Prefect.
      keywords: ["pnu_", "pnb_", "pcu_", "pcs_"],
      token: "p(?:nu|nb|cu|cs)_[A-Za-z0-9]{36}",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "scalingo-token",
      description: "Scalingo API token",
      keywords: ["tk-us-"],
      token: `tk-us-[${B64URL}]{48}`,
    },
    {
      id: "settlemint-token",
      description: "SettleMint personal, application or service token",
      keywords: ["sm_pat_", "sm_aat_", "sm_sat_"],
      token: "sm_(?:pat|aat|sat)_[a-f0-9]{16}",
    },
    {
      id: "defined-networking-key",
      description: "Defined Networking (Nebula) API key",
      keywords: ["dnkey-"],
      token: "dnkey-[A-Za-z0-9=_\\-]{26}-[A-Za-z0-9=_\\-]{52}",
    },
    {
      id: "dbt-cloud-token",
      description: "dbt Cloud service or personal token",
      keywords: ["dbtc_", "dbtu_"],
      token: `dbt[cu]_[${B64URL}]{40,80}`,
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "fastly-api-token",
      description: "Fastly API token (new form)",
      keywords: ["fastly"],
      token: "fastly_[A-Za-z0-9_\\-]{32}",
      validate: (secret) => classCount(secret.slice(7)) >= 3,
    },
    {
      id: "crates-io-token",
      description: "crates.io API token",
      keywords: ["cio"],
      token: "cio[A-Za-z0-9]{32}",
      suggestedName: "CARGO_REGISTRY_TOKEN",
      validate: (secret) => classCount(secret.slice(3)) >= 3,
    },
    {
      id: "stackhawk-api-key",
      description: "StackHawk API key",
      keywords: ["hawk."],
      token: "hawk\\.[A-Za-z0-9_\\-]{20}\\.[A-Za-z0-9_\\-]{20}",
      boundary: "A-Za-z0-9_.\\-",
    },
    {
      id: "gitea-token",
      description: "Gitea or Forgejo access token",
      keywords: ["gitea", "forgejo"],
      token: "(?:gitea|forgejo)_[a-f0-9]{40}",
    },
    {
      // A ULID after the prefix (`?access_key=PMAT-…` of a shared collection link).
      id: "postman-collection-access-key",
      description: "Postman collection access key",
      keywords: ["pmat-"],
      token: "PMAT-[0-9A-HJKMNP-TV-Z]{26}",
      validate: (secret) => /[A-Z]/.test(secret.slice(5)) && /[0-9]/.test(secret.slice(5)),
    },
    {
      id: "cockroachdb-cloud-api-key",
      description: "CockroachDB Cloud service account API key (CCDB1_<id>_<secret>)",
      keywords: ["ccdb1_"],
      token: "CCDB1_[A-Za-z0-9]{22}_[A-Za-z0-9]{40}",
      suggestedName: "COCKROACH_API_KEY",
    },
    {
      // Client keys (`dvc_client_`, `dvc_mobile_`) ship to browsers and apps; only server
      // keys are secret. `dvc_server_<hash>_v1` is the name of a key's update channel.
      id: "devcycle-server-sdk-key",
      description: "DevCycle server SDK key",
      keywords: ["dvc_server_"],
      token: "dvc_server_[A-Za-z0-9_\\-]{30,80}",
      validate: (secret) =>
        !/_v\d{1,3}$/.test(secret) && /\d/.test(secret) && isRandomLooking(secret.slice(11)),
    },
    {
      // Five groups like a UUID's, of mixed letters and digits (not hex only).
      id: "localstack-auth-token",
      description: "LocalStack auth token",
      keywords: ["ls-"],
      token: "ls-[A-Za-z0-9]{8}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{12}",
      suggestedName: "LOCALSTACK_AUTH_TOKEN",
      validate: (secret) => /[g-zG-Z]/.test(secret.slice(3)) && isRandomLooking(secret.slice(3)),
    },
  ]),
  regexRule({
    // A GitHub token encoded in base64 (`echo -n ghp_… | base64`, a Kubernetes Secret's data,
    // a CI variable): reported when what it decodes to is a token with a valid checksum.
    id: "github-token-base64",
    description: "GitHub token encoded in base64, its checksum verified",
    keywords: ["z2hwx", "z2hvx", "z2h1x", "z2hzx", "z2hyx"],
    pattern: /(?<![A-Za-z0-9+/])Z2h[wv1zy]X[A-Za-z0-9+/]{40,110}={0,2}/dg,
    validate: (secret) => {
      const decoded = Buffer.from(secret, "base64")
        .toString("latin1")
        .replace(/\r?\n$/, "");
      return (
        /^gh[pousr]_[A-Za-z0-9]{36,76}$/.test(decoded) && hasGitHubChecksum(decoded) && "verified"
      );
    },
    suggestedName: "GITHUB_TOKEN",
  }),
  regexRule({
    // A GitHub token inside other text (`…tokenghp_…`, `ghp_…extra`, tokens pasted one after
    // another): without the boundaries the rules above ask for, only with its checksum.
    id: "github-token-checksum",
    description: "GitHub token inside other text, its checksum verified",
    keywords: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
    pattern: /ghr_[A-Za-z0-9]{76}|gh[pousr]_[A-Za-z0-9]{36}/dg,
    validate: (secret) => hasGitHubChecksum(secret) && "verified",
    suggestedName: "GITHUB_TOKEN",
  }),
  regexRule({
    // A legacy token (`s.` and 24 characters) is too short and plain to find bare; given to
    // `vault login` (options such as `-address=…` first) it is one.
    id: "vault-login-token",
    description: "HashiCorp Vault token given to vault login",
    keywords: ["vault login"],
    suggestedName: "VAULT_TOKEN",
    pattern: re(
      `\\bvault[ \\t]{1,4}login(?:[ \\t]{1,4}-{1,2}[a-z][a-z\\-]{0,30}(?:=[^\\s]{1,100})?){0,4}[ \\t]{1,4}(?:token=)?["']?(?<secret>[sbr]\\.[A-Za-z0-9]{24})${notAfter("A-Za-z0-9_.\\-")}`,
    ),
    validate: (secret) => classCount(secret.slice(2)) >= 3,
  }),
  regexRule({
    // What `vault operator init` prints: each key share is base64 of 33 bytes (hex with -format).
    // ... or what `vault operator unseal KEY` is given (options such as `-address=…` first).
    id: "vault-unseal-key",
    description: "HashiCorp Vault unseal or recovery key share",
    keywords: ["unseal key", "recovery key", "operator unseal"],
    suggestedName: "VAULT_UNSEAL_KEY",
    pattern: re(
      `(?:\\b(?:Unseal|Recovery) Key \\d{1,2}:|\\boperator[ \\t]{1,4}unseal(?:[ \\t]{1,4}-{1,2}[a-z][a-z\\-]{0,30}(?:=[^\\s]{1,100})?){0,4})[ \\t]{1,4}(?<secret>[A-Za-z0-9+/]{43,44}={0,2}|[a-f0-9]{66})${notAfter("A-Za-z0-9+/=")}`,
    ),
    validate: (secret) => shannonEntropy(secret) >= 3.5,
  }),
  regexRule({
    // Four groups of four lower-case letters, read only where an Apple app-specific password
    // is named (fastlane's FASTLANE_APPLE_APPLICATION_SPECIFIC_PASSWORD) or given to notarytool
    // / altool. Letters only, so the word-like stand-ins are judged here (`abcd-efgh-…`).
    id: "apple-app-specific-password",
    description: "Apple ID app-specific password (fastlane, notarytool, altool)",
    keywords: [
      "specific_password",
      "specific-password",
      "specificpassword",
      "notarytool",
      "altool",
    ],
    suggestedName: "APPLE_APP_SPECIFIC_PASSWORD",
    confidence: "medium",
    checksPlaceholders: true,
    pattern: re(
      `(?:(?:APP(?:LICATION)?_SPECIFIC_PASSWORD|[Aa]pp(?:lication)?[_\\-]?[Ss]pecific[_\\-]?[Pp]assword)[A-Za-z0-9_]{0,30}["']?[ \\t]{0,4}(?:=|:|=>)[ \\t]{0,4}["']?|\\b(?:notarytool|altool)[ \\t][^\\n]{0,300}?(?:--password|-p)[ \\t]{1,4}["']?)(?<secret>[a-z]{4}-[a-z]{4}-[a-z]{4}-[a-z]{4})(?![A-Za-z0-9_\\-])`,
    ),
    validate: (secret) => isAppSpecificPassword(secret),
  }),
  regexRule({
    // `namespace+robot:TOKEN`, as `docker login -u` / `-p` take it. The prefilter is the `+`
    // and the robot name's first character: the pair has no literal word of its own.
    id: "quay-robot-credentials",
    description: "Quay.io robot account name and token (namespace+robot:TOKEN)",
    keywords: [..."abcdefghijklmnopqrstuvwxyz0123456789"].map((char) => `+${char}`),
    confidence: "medium",
    suggestedName: "QUAY_ROBOT_TOKEN",
    pattern: re(
      "(?<![A-Za-z0-9._+\\-])[a-z0-9][a-z0-9._\\-]{0,63}\\+[a-z0-9][a-z0-9_]{0,63}:(?<secret>[A-Z0-9]{64})(?![A-Za-z0-9])",
    ),
    // The name's run before the `+`, the robot's name and the token after it.
    near: { literal: "+", before: 64, after: 1 + 64 + 1 + 64 },
    validate: (secret) => classCount(secret) >= 2 && shannonEntropy(secret) >= 4,
  }),
  regexRule({
    id: "atlassian-dc-pat",
    description: "Jira, Confluence or Bamboo Data Center personal access token",
    keywords: ["jira", "confluence", "bamboo", "atlassian", "bitbucket", "stash", "pat", "token"],
    confidence: "medium",
    // The 13th byte is `:`, so characters 17 and 18 are `O` and one of g-v.
    pattern: re(
      "(?<![A-Za-z0-9+/])[MNO][A-Za-z0-9+/]{15}O[g-v][A-Za-z0-9+/]{26}(?![A-Za-z0-9+/=])",
    ),
    validate: (secret, match, text) =>
      isAtlassianDcPat(secret, text.slice(Math.max(0, match.index - 40), match.index)),
  }),
  regexRule({
    // Vault AppRole: the role id is public, the secret id (a UUID) is the credential.
    id: "vault-approle-secret-id",
    description: "HashiCorp Vault AppRole secret id",
    keywords: ["secret_id", "secret-id", "secretid"],
    confidence: "medium",
    suggestedName: "VAULT_SECRET_ID",
    pattern: re(
      `(?<![A-Za-z0-9_\\-])(?:(?:vault|approle)[_-]?)?secret[_-]?id["']?[ \\t]{0,4}[:=][ \\t]{0,4}["']?(?<secret>${SHAPES.uuid})(?![A-Za-z0-9\\-])`,
      "i",
    ),
    validate: (secret) => isRandomLooking(secret),
  }),
  ...namedValueRules([
    {
      // The older kind of key, without the `oy2` prefix, after the word NuGet.
      id: "nuget-legacy-api-key",
      description: "NuGet API key (46 characters, by name)",
      names: ["nuget"],
      value: "[a-z0-9]{46}",
      // Lower case only: the match is case-insensitive, and keys are (a base64 hash is not).
      validate: (secret) =>
        /^[a-z0-9]+$/.test(secret) &&
        !secret.startsWith("oy2") &&
        classCount(secret) >= 2 &&
        shannonEntropy(secret) >= 3.5,
    },
    {
      // GitLab's personal access tokens before 14.5 had no prefix: 20 characters under a GitLab
      // token's name (`$env:GITLAB_TOKEN = "…"`), letters mixed in case or with digits.
      id: "gitlab-legacy-token",
      description: "GitLab personal access token (legacy form, 20 characters, by name)",
      names: [
        "gitlab_token",
        "gitlab-token",
        "gitlabtoken",
        "gitlab_pat",
        "gitlab_api_token",
        "gitlab_api_key",
        "gitlab_private_token",
        "gitlab_access_token",
        "gitlab_personal_access_token",
        "gitlab_password",
      ],
      value: "[A-Za-z0-9_-]{20}",
      suggestedName: "GITLAB_TOKEN",
      nearby: false,
      validate: (secret) =>
        /[a-z]/.test(secret) &&
        /[A-Z0-9]/.test(secret) &&
        shannonEntropy(secret) >= 3.5 &&
        !isCamelWords(secret.replace(/[\d_-]+/g, "")) &&
        // Words joined (`Fix-JIRA-1234-Login2`): a title or a branch, not a token.
        secret.split(/[-_]/).filter((part) => /^[A-Za-z]{3,}$/.test(part)).length < 2,
    },
    {
      id: "snyk-api-token",
      description: "Snyk API token",
      names: ["snyk"],
      value: SHAPES.uuid,
      suggestedName: "SNYK_TOKEN",
    },
    {
      id: "sonarqube-legacy-token",
      description: "SonarQube token (legacy form)",
      names: ["sonar"],
      value: SHAPES.hex40,
      suggestedName: "SONAR_TOKEN",
    },
    {
      id: "artifactory-password",
      description: "JFrog Artifactory password or token by name",
      names: ["artifactory", "jfrog"],
      value: "[A-Za-z0-9+/=_.\\-]{20,120}",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "bitbucket-client-secret",
      description: "Bitbucket OAuth client secret",
      names: ["bitbucket"],
      value: "[a-z0-9=_\\-]{32,64}",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "codecov-token",
      description: "Codecov upload token",
      names: ["codecov"],
      value: SHAPES.uuid,
    },
    {
      id: "travis-ci-token",
      description: "Travis CI access token",
      names: ["travis"],
      value: "[a-z0-9]{22}",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "circleci-legacy-token",
      description: "CircleCI API token (legacy form)",
      names: ["circle_token", "circleci", "circle-token"],
      value: SHAPES.hex40,
    },
    {
      id: "vault-legacy-token",
      description: "HashiCorp Vault token (legacy s. form)",
      // Any name with `vault` in it (`VAULT_CLIENT_TOKEN`, `vaultToken`): the value's shape is
      // specific enough.
      names: ["vault"],
      value: "[sbr]\\.[A-Za-z0-9]{24,28}",
      validate: (secret) => classCount(secret.slice(2)) >= 3,
    },
    {
      id: "jira-api-token",
      description: "Jira or Confluence API token (legacy form)",
      names: ["jira", "confluence", "atlassian"],
      value: "[a-z0-9]{24}",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "launchdarkly-key",
      description: "LaunchDarkly SDK or API access key",
      names: ["launchdarkly", "launch_darkly"],
      value: `(?:(?:sdk|api|mob)-${SHAPES.uuid}|${SHAPES.b64url(40)})`,
    },
    {
      // `secret-` alone is a common word's prefix: only by a Statsig name or call
      // (`statsig.initialize("secret-…")`). Client keys (`client-…`) are public.
      id: "statsig-server-secret",
      description: "Statsig server secret key",
      names: ["statsig"],
      value: "secret-[a-z0-9]{43}",
      validate: (secret) => classCount(secret.slice(7)) >= 3 && isRandomLooking(secret.slice(7)),
    },
    {
      // `project:environment.hash` (client, frontend and admin tokens; `*` for all), `user:hash`.
      id: "unleash-api-token",
      description: "Unleash API token or personal access token",
      names: ["unleash"],
      value:
        "(?:\\*|\\[\\]|[a-z][a-z0-9\\-]{0,60}):(?:(?:\\*|[a-z][a-z0-9\\-]{0,60})\\.)?[a-f0-9]{56,64}",
      validate: (secret) => isRandomHex(secret.slice(secret.search(/[a-f0-9]{56}/i))),
    },
    {
      id: "gitter-token",
      description: "Gitter access token",
      names: ["gitter"],
      value: "[a-f0-9]{40}",
    },
    {
      id: "droneci-token",
      description: "Drone CI access token",
      names: ["drone"],
      value: "[a-z0-9]{32}",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "jenkins-token",
      description: "Jenkins API token",
      names: ["jenkins"],
      value: "(?:11[a-f0-9]{32}|[a-f0-9]{32})",
    },
  ]),
  // After launchdarkly-key: a key assigned to a LaunchDarkly name is reported by that rule.
  ...tokenRules([
    {
      // Bare SDK and mobile keys; an `api-` key counts only by name (launchdarkly-key).
      id: "launchdarkly-sdk-key",
      description: "LaunchDarkly server-side SDK key or mobile key",
      keywords: ["sdk-", "mob-"],
      token: `(?:sdk|mob)-${SHAPES.uuid}`,
      suggestedName: "LAUNCHDARKLY_SDK_KEY",
    },
  ]),
];
