/**
 * Application platforms and the keys of web frameworks: deploy, serverless and data platforms
 * (Deno Deploy, Vercel Blob, Convex, Trigger.dev, Inngest, Upstash QStash, Xata, Tinybird,
 * Arcjet, Polar, Kaggle), supply-chain services (Socket, Dependency-Track, pyx, Percy, Code
 * Climate, Gradle Plugin Portal), Bitwarden Secrets Manager, self-hosted infrastructure
 * (Portainer, Rancher, Proxmox) and the secret keys of Django, Laravel and Rails.
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
  notBefore,
  re,
  regexRule,
  SHAPES,
  tokenRules,
} from "./build.js";
import { isExamplePassword } from "./connections.js";

/**
 * A password someone typed rather than a stand-in: not a documentation example or reference,
 * and not a value that names itself (`smtp_password`, `DB_USER_PASS`).
 */
function isTypedPassword(secret: string): boolean {
  return (
    !isExamplePassword(secret) && !/pass|user|secret/i.test(secret) && !/^[A-Z0-9_]+$/.test(secret)
  );
}

export const PLATFORM_RULES: ScanRule[] = [
  ...tokenRules([
    {
      // Kaggle's API tokens (since 2025): `KGAT_` and 32 hex digits, used without a user name.
      id: "kaggle-api-token",
      description: "Kaggle API token",
      keywords: ["kgat_"],
      token: "KGAT_[a-f0-9]{32}",
      suggestedName: "KAGGLE_API_TOKEN",
      validate: (secret) => isRandomHex(secret.slice(5)),
    },
    {
      id: "deno-deploy-token",
      description: "Deno Deploy access token",
      keywords: ["ddp_"],
      token: "ddp_[A-Za-z0-9]{36,40}",
      validate: (secret) => classCount(secret.slice(4)) >= 2,
      suggestedName: "DENO_DEPLOY_TOKEN",
    },
    {
      id: "chieftools-token",
      description: "Chief Tools personal access, access or refresh token",
      keywords: ["ctp_", "cto_", "ctr_"],
      token: "ct[opr]_[A-Za-z0-9]{30,248}",
      validate: (secret) => classCount(secret.slice(4)) >= 3,
    },
    {
      id: "dependency-track-api-key",
      description: "Dependency-Track API key",
      keywords: ["odt_"],
      token: "odt_(?:[A-Za-z0-9]{8}_)?[A-Za-z0-9]{32,64}",
      validate: (secret) => classCount(secret.slice(4)) >= 2,
      suggestedName: "DTRACK_API_KEY",
    },
    {
      id: "pyx-token",
      description: "pyx user or trusted-publishing API token",
      keywords: ["sk-pyx-", "tp-pyx-"],
      token: "(?:sk|tp)-pyx-(?:2[A-Za-z]{45}|[A-Za-z0-9]{64})",
      validate: (secret) => classCount(secret.slice(7)) >= 2,
      suggestedName: "PYX_TOKEN",
    },
    {
      id: "socket-api-token",
      description: "Socket.dev API token",
      keywords: ["sktsec_"],
      token: "sktsec_[A-Za-z0-9_\\-]{30,80}_api",
      validate: (secret) => classCount(secret.slice(7, -4)) >= 3,
      suggestedName: "SOCKET_SECURITY_API_TOKEN",
    },
    {
      id: "trigger-dev-secret-key",
      description: "Trigger.dev secret key",
      keywords: ["tr_dev_", "tr_prod_", "tr_stg_", "tr_preview_"],
      token: "tr_(?:dev|prod|stg|preview)_[A-Za-z0-9]{20,64}",
      validate: (secret) => classCount(secret.slice(secret.lastIndexOf("_") + 1)) >= 2,
      suggestedName: "TRIGGER_SECRET_KEY",
    },
    {
      id: "xata-api-key",
      description: "Xata API key",
      keywords: ["xau_"],
      token: "xau_[A-Za-z0-9]{30,40}",
      validate: (secret) => classCount(secret.slice(4)) >= 3,
      suggestedName: "XATA_API_KEY",
    },
    {
      id: "arcjet-key",
      description: "Arcjet site key",
      keywords: ["ajkey_"],
      token: "ajkey_[a-z0-9]{26}",
      validate: (secret) => classCount(secret.slice(6)) >= 2,
      suggestedName: "ARCJET_KEY",
    },
    {
      // p. then a signed JSON payload (`{"u": …}`) and its signature.
      id: "tinybird-token",
      description: "Tinybird token",
      keywords: ["p.eyj"],
      token: `p\\.eyJ[${B64URL}]{20,1000}\\.[${B64URL}]{20,200}`,
      boundary: "A-Za-z0-9_\\-.",
      validate: (secret) =>
        (decodeBase64Url(secret.slice(2, secret.lastIndexOf("."))) ?? "").startsWith('{"'),
      suggestedName: "TINYBIRD_TOKEN",
    },
    {
      // 0.{access token id}.{client secret}:{encryption key}
      id: "bitwarden-access-token",
      description: "Bitwarden Secrets Manager access token",
      keywords: ["0."],
      token: `0\\.${SHAPES.uuid}\\.[A-Za-z0-9]{30}:[A-Za-z0-9+/]{22}==`,
      boundary: "A-Za-z0-9_.\\-+/=",
      flags: "i",
      validate: (secret) => classCount(secret.slice(39, 69)) >= 3,
      suggestedName: "BWS_ACCESS_TOKEN",
    },
    {
      id: "vercel-blob-token",
      description: "Vercel Blob read-write token",
      keywords: ["vercel_blob_rw_"],
      token: "vercel_blob_rw_[A-Za-z0-9]{16}_[A-Za-z0-9]{20,40}",
      validate: (secret) => classCount(secret.slice(32)) >= 3,
      suggestedName: "BLOB_READ_WRITE_TOKEN",
    },
    {
      id: "inngest-signing-key",
      description: "Inngest signing key",
      keywords: ["signkey-"],
      token: "signkey-(?:prod|test|branch)-[a-f0-9]{64}",
      validate: (secret) => shannonEntropy(secret.slice(secret.lastIndexOf("-") + 1)) >= 3,
      suggestedName: "INNGEST_SIGNING_KEY",
    },
    {
      // base64 of {"UserID":"…","Password":"…"}; the local dev server's default user is public.
      id: "upstash-qstash-token",
      description: "Upstash QStash token",
      keywords: ["eyjvc2vysuqioi"],
      token: "eyJVc2VySUQiOi[A-Za-z0-9+/]{40,300}={0,2}",
      boundary: "A-Za-z0-9_\\-+/=",
      validate: (secret) => {
        const password = /"Password"\s{0,2}:\s{0,2}"([^"]{8,200})"/.exec(
          decodeBase64Url(secret) ?? "",
        );
        // Real passwords are random hex; the dev server's default is `defaultPassword`.
        return (
          password?.[1] !== undefined && /\d/.test(password[1]) && isRandomLooking(password[1])
        );
      },
      suggestedName: "QSTASH_TOKEN",
    },
    {
      id: "polar-access-token",
      description: "Polar organization or personal access token",
      keywords: ["polar_oat_", "polar_pat_"],
      token: "polar_(?:oat|pat)_[A-Za-z0-9]{40,50}",
      validate: (secret) => classCount(secret.slice(10)) >= 3,
      suggestedName: "POLAR_ACCESS_TOKEN",
    },
    {
      // Polar webhook secrets: `polar_whs_` and 32 random bytes in base64url (43 characters).
      // Whoever holds one can forge Polar's payment events to the receiving app.
      id: "polar-webhook-secret",
      description: "Polar webhook secret",
      keywords: ["polar_whs_"],
      token: "polar_whs_[A-Za-z0-9_\\-]{40,50}",
      validate: (secret) =>
        classCount(secret.slice(10)) >= 3 && shannonEntropy(secret.slice(10)) >= 3.8,
      suggestedName: "POLAR_WEBHOOK_SECRET",
    },
    {
      id: "django-secret-key",
      description: "Django secret key (django-insecure- form)",
      keywords: ["django-insecure-"],
      token: "django-insecure-[a-z0-9!@#$%^&*(\\-_=+)]{50}",
      boundary: "a-z0-9!@#$%^&*(\\-_=+)",
      validate: (secret) => shannonEntropy(secret.slice(16)) >= 3.5,
      suggestedName: "DJANGO_SECRET_KEY",
    },
  ]),
  ...namedValueRules([
    {
      // 32 hex digits, a dash, then 78 to 80 more.
      id: "budibase-api-key",
      description: "Budibase public API key",
      names: ["budibase"],
      value: "[a-f0-9]{32}-[a-f0-9]{78,80}",
      validate: (secret) => isRandomHex(secret.replace("-", "")),
      suggestedName: "BUDIBASE_API_KEY",
    },
    {
      id: "portainer-token",
      description: "Portainer access token",
      names: ["portainer"],
      value: "ptr_[a-z0-9/+=_\\-]{20,60}",
      validate: (secret) => classCount(secret.slice(4)) >= 3,
      suggestedName: "PORTAINER_TOKEN",
    },
    {
      id: "rancher-token",
      description: "Rancher API token",
      names: ["cattle_token", "rancher_token", "rancher_api_token", "cattle_bootstrap_password"],
      value: "(?:token-[a-z0-9]{5}:)?[a-z0-9]{54,64}",
      validate: (secret) => /^[a-z0-9:-]+$/.test(secret) && isRandomLooking(secret),
      suggestedName: "RANCHER_TOKEN",
    },
    {
      id: "percy-token",
      description: "Percy project token",
      names: ["percy_token"],
      value: "(?:web_|app_|auto_|ss_|vmw_)?[a-f0-9]{64}",
      suggestedName: "PERCY_TOKEN",
    },
    {
      id: "codeclimate-reporter-id",
      description: "Code Climate test reporter id",
      names: ["codeclimate", "code_climate", "cc_test_reporter_id"],
      value: SHAPES.hex64,
      suggestedName: "CC_TEST_REPORTER_ID",
    },
    {
      id: "gradle-plugin-portal-secret",
      description: "Gradle Plugin Portal publishing key or secret",
      names: [
        "gradle.publish.secret",
        "gradle.publish.key",
        "gradle_publish_secret",
        "gradle_publish_key",
      ],
      value: SHAPES.alnum(32),
      validate: (secret) => classCount(secret) >= 3,
      suggestedName: "GRADLE_PUBLISH_SECRET",
    },
    {
      id: "convex-deploy-key",
      description: "Convex deploy key",
      names: ["convex_deploy_key"],
      value: "(?:prod|dev|preview|project):[a-z0-9\\-]{3,64}\\|[a-z0-9+/=_\\-]{40,200}",
      validate: (secret) => isRandomLooking(secret.slice(secret.indexOf("|") + 1)),
      suggestedName: "CONVEX_DEPLOY_KEY",
    },
    {
      id: "laravel-app-key",
      description: "Laravel application key",
      names: ["app_key"],
      value: "base64:[a-z0-9+/]{43}=",
      validate: (secret) => isRandomLooking(secret.slice(7)) && classCount(secret.slice(7)) >= 3,
      suggestedName: "APP_KEY",
    },
    {
      id: "kaggle-api-key",
      description: "Kaggle API key",
      names: ["kaggle"],
      value: SHAPES.hex32,
      suggestedName: "KAGGLE_KEY",
    },
    {
      id: "rails-secret-key-base",
      description: "Ruby on Rails secret_key_base",
      names: ["secret_key_base"],
      value: "[a-f0-9]{128}",
      suggestedName: "SECRET_KEY_BASE",
    },
  ]),
  regexRule({
    // Laravel Sanctum's plain-text token: the database row's id, `|`, 40 letters and digits
    // (Sanctum 4 adds the app's prefix before them and a CRC32 after). API clients' saved
    // requests and test files hold them as bearer tokens.
    id: "laravel-sanctum-token",
    description: "Laravel Sanctum personal access token (id|40 characters)",
    keywords: ["0|", "1|", "2|", "3|", "4|", "5|", "6|", "7|", "8|", "9|"],
    confidence: "medium",
    suggestedName: "SANCTUM_TOKEN",
    pattern: re(
      `${notBefore("A-Za-z0-9|")}(?<secret>[0-9]{1,10}\\|[A-Za-z0-9_]{0,20}?[A-Za-z0-9]{40}(?:[a-f0-9]{8})?)(?![A-Za-z0-9|+/=_])`,
    ),
    validate: (secret) => {
      const token = secret.slice(secret.indexOf("|") + 1);
      const random = token.length > 48 ? token.slice(-48, -8) : token.slice(-40);
      return classCount(random) >= 3 && shannonEntropy(random) >= 4;
    },
  }),
  regexRule({
    // Create React App bakes every REACT_APP_ variable into the public bundle, and a password
    // there is a credential whatever its strength (a plain word such as a pet's name).
    id: "react-app-password",
    description: "Password in a Create React App environment variable (REACT_APP_…PASSWORD)",
    keywords: ["react_app_"],
    confidence: "medium",
    checksPlaceholders: true,
    pattern: re(
      `\\bREACT_APP_[A-Z0-9_]{0,60}?PASS(?:WORD|WD)?[ \\t]{0,4}=[ \\t]{0,4}(?<quote>["']?)(?<secret>[^\\s"'$#]{6,200})\\k<quote>(?![^\\s#])`,
      "i",
    ),
    validate: (secret) => isTypedPassword(secret),
  }),
  regexRule({
    // user@realm!tokenid=secret, as in `Authorization: PVEAPIToken=…` and API clients' settings.
    id: "proxmox-api-token",
    description: "Proxmox VE API token secret",
    keywords: ["pveapitoken", "@pam!", "@pve!", "pm_api_token_secret"],
    suggestedName: "PROXMOX_API_TOKEN",
    pattern: re(
      `${notBefore("A-Za-z0-9._\\-")}[A-Za-z0-9._\\-]{1,64}@[A-Za-z0-9.\\-]{1,32}![A-Za-z0-9._\\-]{1,64}=(?<secret>${SHAPES.uuid})|pm_api_token_secret["']?[ \\t]{0,8}[=:][ \\t]{0,8}["']?(?<secretAlt>${SHAPES.uuid})`,
      "i",
    ),
    // The user and realm before the `!`, the token's id and secret after it; or the setting's
    // name as Terraform and an environment write it.
    near: { literal: ["!", "pm_api_token_secret", "PM_API_TOKEN_SECRET"], before: 97, after: 101 },
    validate: (secret) => isRandomLooking(secret),
  }),
];
