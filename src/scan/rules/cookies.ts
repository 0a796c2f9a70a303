/**
 * Login sessions in cookies: a request's `Cookie:` header or `curl -b` (copied from a browser or a
 * log), a recorded request's or response's cookie headers (VCR cassettes, Betamax recordings),
 * and the cookie files browsers, downloaders, scrapers and API clients write (Netscape
 * `cookies.txt`, Python's cookie jars, JetBrains' `http-client.cookies`, JSON exports,
 * Playwright's saved state). Only cookies named as a session or a token, or a large site's
 * sign-in cookie, with a random value.
 */
import { isPlaceholder, isReference, shannonEntropy } from "../placeholders.js";
import type { RuleMatch, ScanRule } from "../rule.js";
import {
  decodeURIComponentSafe,
  isRandomHex,
  isTokenLike,
  isWordsOrNumbersJoined,
} from "./build.js";

/**
 * Where a request's cookies are written: a `Cookie:` header (curl's `-H`, a raw request, a
 * headers map, fetch's `cookie:`), or a HAR entry naming the header. The rest of the line up to
 * a quote is read as `name=value; …` pairs.
 */
const COOKIE_HEADER =
  /(?:\bcookie["'`]?[ \t]{0,2}:[ \t]{0,4}["'`]?|"name"[ \t]{0,2}:[ \t]{0,2}"cookie"[ \t]{0,2},[ \t\r\n]{0,40}"value"[ \t]{0,2}:[ \t]{0,2}")(?<cookies>[^"'`\n\r]{1,8000})/dgi;
/**
 * A header's values as a recorded request or response lists them in YAML (a VCR cassette's
 * `Set-Cookie:` then `- PHPSESSID=…; path=/` items, one a line): each item.
 */
const COOKIE_HEADER_LIST = /\bcookie["']?[ \t]{0,2}:[ \t]*\r?\n/gi;
/**
 * A header's values as a JSON array (a Betamax or vcrpy recording's `"Set-Cookie": ["…",
 * "…"]`, over lines or not): each quoted item.
 */
const COOKIE_HEADER_ARRAY = /\bcookie["']?[ \t]{0,2}:[ \t]{0,4}\[/gi;
const JSON_ARRAY_ITEM = /[ \t\r\n]{0,40}"([^"\n]{1,8000})"[ \t\r\n]{0,40}([,\]])/y;
const YAML_LIST_ITEM = /^[ \t]{0,40}-[ \t]{1,4}["']?([^"'\n\r]{1,8000})/;
/** curl's `-b` / `--cookie` and its argument, searched within one curl command line. */
const CURL_COOKIE_OPTION =
  /(?:^|[ \t])(?:-b|--cookie)(?:[ \t]{1,4}|=)\$?["']?(?<cookies>[^"'\n\r]{1,8000})/dg;

/** Names of cookies that hold a login session or a token (`sessionid`, `PHPSESSID`, `_…_session`). */
const SESSION_COOKIE_NAME =
  /sess|^sid$|[_.-]sid$|(?:^|[_.-])auth(?:[_.-]?token)?$|token$|jwt|^sso|remember|logged_?in|login/i;
/**
 * Sign-in cookies of large sites whose names say nothing of a session: Google's (`SID`,
 * `SAPISID`, `__Secure-1PSID`, `__Host-GAPS`), IdentityServer's `idsrv`, LinkedIn's `li_at`,
 * Facebook's `xs`, TikTok's `sid_tt`, Amazon's `at-main`, ASP.NET's, Microsoft's `ESTSAUTH`,
 * Spotify's `sp_dc`, Twitter's `auth_multi`.
 */
const SITE_SESSION_COOKIE =
  /^(?:L?SID|HSID|SSID|APISID|SAPISID|OSID|SIDCC|GAPS|[13]PL?SID(?:TS|CC)?|[13]PAPISID|idsrv|li_at|xs|sid_tt|sid_guard|at-main|x-main|\.AspNetCore\.(?:Identity\.Application|Cookies)|\.ASPXAUTH|ESTSAUTH(?:PERSISTENT)?|sp_dc|auth_multi)$/;
/** Cookies of analytics, fraud checks and forms, whatever their names say (`_hjSession_…`, `csrftoken`). */
const NOT_SESSION_COOKIE =
  /csrf|xsrf|^_hj|^__stripe|^_ga|^_gid|^_fbp|^ajs_|^amp_|^mp_|^_pk_|token_?type|rollout/i;

/** A cookie's name without the browser's `__Host-` / `__Secure-` prefix. */
function withoutCookiePrefix(name: string): string {
  return name.replace(/^__(?:host|secure)-/i, "");
}

/**
 * Whether a cookie's name says it holds a login session: named as a session or a token, or a
 * site's sign-in cookie, judged without the browser's `__Host-` / `__Secure-` prefix (so
 * `__Secure-next-auth.session-token` is one and `__Host-device_id` is not).
 */
function isSessionCookieName(name: string): boolean {
  const bare = withoutCookiePrefix(name);
  return (
    SITE_SESSION_COOKIE.test(bare) ||
    (SESSION_COOKIE_NAME.test(bare) && !NOT_SESSION_COOKIE.test(bare))
  );
}

/** The session cookies among `name=value; …` pairs between `from` and `to`. */
function sessionCookies(text: string, from: number, to: number, found: RuleMatch[]): void {
  let at = from;
  for (const pair of text.slice(from, to).split(";")) {
    const equals = pair.indexOf("=");
    const name = pair.slice(0, equals).trim();
    const raw = pair.slice(equals + 1);
    const value = raw.trim().replace(/^"(.*)"$/, "$1");
    if (equals > 0 && isSessionCookieName(name) && isSessionValue(value)) {
      const start = at + equals + 1 + raw.indexOf(value);
      found.push({ start, end: start + value.length });
    }
    at += pair.length + 1;
  }
}

/**
 * The end of the command line that starts at `from`: lines continued with a trailing `\`
 * (shells), `^` (cmd) or `` ` `` (PowerShell), as DevTools' "Copy as cURL" writes them.
 */
function commandLineEnd(text: string, from: number): number {
  let end = text.indexOf("\n", from);
  while (end > 0 && /[\\^`]\r?$/.test(text.slice(Math.max(from, end - 2), end))) {
    const next = text.indexOf("\n", end + 1);
    if (next < 0) return text.length;
    end = next;
  }
  return end < 0 ? text.length : end;
}

/**
 * A login session's cookie in a request copied from a browser or a log (`curl -H "Cookie:
 * sessionid=…"`, DevTools' "Copy as cURL", `-b "PHPSESSID=…"`, a HAR file's header): whoever
 * has it is logged in. Only cookies named as a session or a token (not an analytics or an
 * anti-forgery cookie), with a random value.
 */
export const sessionCookie: ScanRule = {
  id: "http-session-cookie",
  description: "Session cookie in a request (Cookie: sessionid=…, curl -b)",
  keywords: ["cookie", "curl"],
  severity: "error",
  confidence: "medium",
  suggestedName: "SESSION_COOKIE",
  checksPlaceholders: true,
  scan(text) {
    const found: RuleMatch[] = [];
    const header = COOKIE_HEADER;
    header.lastIndex = 0;
    for (let m = header.exec(text); m; m = header.exec(text)) {
      const span = m.indices?.groups?.cookies;
      if (span) sessionCookies(text, span[0], span[1], found);
    }
    const array = COOKIE_HEADER_ARRAY;
    array.lastIndex = 0;
    for (let m = array.exec(text); m; m = array.exec(text)) {
      const item = JSON_ARRAY_ITEM;
      item.lastIndex = m.index + m[0].length;
      for (let items = 0; items < 50; items++) {
        const value = item.exec(text);
        if (!value) break;
        const valueStart = value.index + value[0].indexOf('"') + 1;
        sessionCookies(text, valueStart, valueStart + (value[1] as string).length, found);
        if (value[2] === "]") break;
      }
      array.lastIndex = Math.max(array.lastIndex, item.lastIndex);
    }
    const list = COOKIE_HEADER_LIST;
    list.lastIndex = 0;
    for (let m = list.exec(text); m; m = list.exec(text)) {
      // The items right below the header, up to the first line that is not one.
      let at = m.index + m[0].length;
      for (let items = 0; items < 50 && at < text.length; items++) {
        const lineEnd = text.indexOf("\n", at);
        const end = lineEnd < 0 ? text.length : lineEnd;
        const item = YAML_LIST_ITEM.exec(text.slice(at, end));
        if (!item) break;
        const valueStart = at + item[0].length - (item[1] as string).length;
        sessionCookies(text, valueStart, valueStart + (item[1] as string).length, found);
        at = end + 1;
      }
      list.lastIndex = Math.max(list.lastIndex, at);
    }
    // Each curl command line once, continued lines included: linear in the text.
    let searchedTo = 0;
    for (let at = text.indexOf("curl", 0); at >= 0; at = text.indexOf("curl", at + 4)) {
      if (at < searchedTo) continue;
      const end = commandLineEnd(text, at);
      const line = text.slice(at, end);
      searchedTo = end;
      const option = CURL_COOKIE_OPTION;
      option.lastIndex = 0;
      for (let m = option.exec(line); m; m = option.exec(line)) {
        const span = m.indices?.groups?.cookies;
        if (span) sessionCookies(text, at + span[0], at + span[1], found);
      }
    }
    return found;
  },
};

/**
 * A cookie line of a Netscape cookie file (curl's `-c`, wget's, yt-dlp's `cookies.txt`, Python's
 * `MozillaCookieJar`): domain, subdomains flag, path, secure flag, expiry (empty for a session
 * cookie, in seconds or milliseconds), name, value, apart by tabs; curl writes an HttpOnly
 * cookie's line after `#HttpOnly_`.
 */
const COOKIE_FILE_LINE =
  /^(?:#HttpOnly_)?[^\t\n#][^\t\n]{0,253}\t(?:TRUE|FALSE|true|false)\t[^\t\n]{0,1000}\t(?:TRUE|FALSE|true|false)\t-?\d{0,13}(?:\.\d{1,6})?\t([^\t\n]{1,200})\t([^\t\n]{0,8000})$/;
/**
 * A cookie line of the cookie jar JetBrains' HTTP client keeps (`http-client.cookies`, under the
 * header `# domain path name value date`): domain, path, name, value and expiry (`-1` for a
 * session cookie), apart by tabs.
 */
const JETBRAINS_COOKIE_LINE =
  /^[^\t\n#][^\t\n]{0,253}\t[^\t\n]{1,1000}\t([^\t\n=;]{1,200})\t([^\t\n]{1,8000})\t[^\t\n]{0,100}$/;
/**
 * A cookie in a JSON export (Cookie-Editor, EditThisCookie, Selenium): its name, then, within
 * 600 characters of the same object, its value.
 */
const COOKIE_JSON_NAME = /^"name"[ \t]{0,4}:[ \t]{0,4}"([^"\n]{1,200})"/;
const COOKIE_JSON_VALUE = /^"value"[ \t]{0,4}:[ \t]{0,4}"([^"\n]{1,8000})"/;
/** A cookie of Python's `LWPCookieJar` (`Set-Cookie3: sessionid="…"; path="/"; …`). */
const COOKIE_LWP_LINE =
  /^Set-Cookie3:[ \t]{1,4}([^=\s;]{1,200})=("[^"\n]{1,8000}"|[^";\s]{1,8000})/;

/**
 * A file that is a cookie jar: named for cookies, opening with the format's header, or a
 * browser's saved state opening with its cookies (Playwright's `storageState`, the
 * `playwright/.auth/user.json` its guides write, Puppeteer's and Selenium's dumps).
 */
function isCookieFile(text: string, file: string): boolean {
  return (
    /cookie[^/\\]{0,40}$/i.test(file) ||
    /^\s{0,10}(?:# (?:Netscape )?HTTP Cookie File|#LWP-Cookies|\{\s{0,40}"cookies"\s{0,4}:\s{0,4}\[)/i.test(
      text,
    )
  );
}

/** Adds the cookie `name` whose value starts at `start` when it is a session's. */
function pushSession(found: RuleMatch[], name: string, value: string, start: number): void {
  const quoted = /^"(.*)"$/.exec(value);
  const bare = quoted ? (quoted[1] as string) : value;
  if (isSessionCookieName(name) && (isSessionValue(bare) || isGoogleSignIn(name, bare))) {
    const from = start + (quoted ? 1 : 0);
    found.push({ start: from, end: from + bare.length });
  }
}

/**
 * The login sessions of a browser's or a downloader's cookie jar committed with a project
 * (yt-dlp's `cookies.txt` holds a Google account's sign-in cookies): Netscape cookie lines,
 * JetBrains' HTTP client's, Python's LWP lines and JSON exports, in a file named for cookies or
 * opening as a cookie file.
 */
export const cookieFileSession: ScanRule = {
  id: "cookie-file-session",
  description:
    "Session cookie in a cookie file (Netscape cookies.txt, JetBrains http-client.cookies, a JSON export: SID, sessionid, …)",
  keywords: [],
  severity: "error",
  confidence: "medium",
  suggestedName: "SESSION_COOKIE",
  checksPlaceholders: true,
  scan(text, context) {
    if (!isCookieFile(text, context?.file ?? "")) return [];
    const found: RuleMatch[] = [];
    let at = 0;
    for (const line of text.split("\n")) {
      const body = line.trimEnd();
      const netscape = COOKIE_FILE_LINE.exec(body);
      if (netscape) {
        const value = netscape[2] as string;
        pushSession(found, netscape[1] as string, value, at + body.length - value.length);
      }
      const jetbrains = netscape ? null : JETBRAINS_COOKIE_LINE.exec(body);
      if (jetbrains) {
        // The value is the fourth field: it starts after the third tab.
        const valueStart = body.split("\t", 3).join("\t").length + 1;
        pushSession(found, jetbrains[1] as string, jetbrains[2] as string, at + valueStart);
      }
      const lwp = COOKIE_LWP_LINE.exec(body);
      if (lwp) {
        const value = lwp[2] as string;
        pushSession(found, lwp[1] as string, value, at + lwp[0].length - value.length);
      }
      at += line.length + 1;
    }
    for (let at = text.indexOf('"name"'); at >= 0; at = text.indexOf('"name"', at + 6)) {
      const name = COOKIE_JSON_NAME.exec(text.slice(at, at + 240));
      if (!name) continue;
      const after = at + name[0].length;
      const window = text.slice(after, after + 600);
      const field = window.indexOf('"value"');
      if (field < 0 || /[{}]/.test(window.slice(0, field))) continue;
      const value = COOKIE_JSON_VALUE.exec(text.slice(after + field, after + field + 8100));
      if (!value) continue;
      const end = after + field + value[0].length - 1;
      pushSession(found, name[1] as string, value[1] as string, end - (value[1] as string).length);
    }
    return found;
  },
};

/** A Google sign-in cookie's value: 16 or more letters of both cases (`-` and `_` among them). */
function isGoogleSignIn(name: string, value: string): boolean {
  return (
    /^(?:HSID|SSID|APISID|SAPISID|[13]PAPISID)$/i.test(withoutCookiePrefix(name)) &&
    /^[A-Za-z0-9_-]{16,}$/.test(value) &&
    /[a-z]/.test(value) &&
    /[A-Z]/.test(value) &&
    shannonEntropy(value) >= 3.5 &&
    !isPlaceholder(value)
  );
}

/** 32 hex digits or more, or a UUID. */
function isLongHex(value: string): boolean {
  return (
    /^[0-9a-f]{32,}$/i.test(value) || /^[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i.test(value)
  );
}

/**
 * A cookie's value that is a session: long and random, not a path, a URN, words joined, a
 * stand-in or a reference.
 */
function isSessionValue(value: string): boolean {
  const plain = decodeURIComponentSafe(value);
  return (
    plain.length >= 16 &&
    !/\s/.test(plain) &&
    !/^\/|:\/\/|^urn:/i.test(plain) &&
    !isWordsOrNumbersJoined(plain) &&
    isTokenLike(plain) &&
    // 32 hex digits or more (Java's `JSESSIONID`, a UUID) have 16 symbols to draw from, not 64.
    (isLongHex(plain) ? isRandomHex(plain.replace(/-/g, "")) : shannonEntropy(plain) >= 3.5) &&
    // Words joined by slashes (a time zone, `America%2FNew_York`).
    !/^[A-Za-z]+(?:[/_.-][A-Za-z]+)+$/.test(plain) &&
    !isReference(plain)
  );
}
