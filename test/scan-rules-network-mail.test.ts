/**
 * The rules of network devices' and mail clients' own files (src/scan/rules/network.ts,
 * src/scan/rules/mail.ts): which lines they read, how a weak password is told from a drawn one,
 * and Cisco's reversible type 7.
 */
import { describe, expect, it } from "vitest";
import { scanText } from "../src/scan/engine.js";
import { decodeCiscoType7 } from "../src/scan/rules/network.js";
import { ALNUM, tokenDrawer } from "./helpers/test-tokens.js";

const { r } = tokenDrawer(4141);

/** `[ruleId, severity, value]` of each finding of one of `ids`. */
function findings(text: string, file: string, ...ids: string[]): [string, string, string][] {
  return scanText(text, { file })
    .filter((finding) => ids.includes(finding.ruleId))
    .map((finding) => [finding.ruleId, finding.severity, text.slice(finding.start, finding.end)]);
}

/** The values the rule `id` finds in `text`. */
function valuesOf(text: string, file: string, id: string): string[] {
  return findings(text, file, id).map(([, , found]) => found);
}

/** Cisco's type 7 encoding of `plain` from `offset` (what `service password-encryption` writes). */
function encodeType7(plain: string, offset = 2): string {
  const table = "dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87";
  let out = String(offset).padStart(2, "0");
  for (let i = 0; i < plain.length; i++) {
    const code = plain.charCodeAt(i) ^ table.charCodeAt((offset + i) % table.length);
    out += code.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

describe("Cisco IOS lines", () => {
  it("decodes type 7 and reports it whatever it hides, even a weak password", () => {
    const encoded = encodeType7("cisco123", 9);
    expect(decodeCiscoType7(encoded)).toBe("cisco123");
    expect(decodeCiscoType7("99ABCD")).toBeUndefined();
    const config = `line con 0\n password 7 ${encoded}\n login\n`;
    expect(findings(config, "R1.cfg", "cisco-line-credential")).toEqual([
      ["cisco-line-credential", "error", encoded],
    ]);
  });

  it("reads a password or key only in the blocks that take one", () => {
    const value = r(ALNUM, 12);
    expect(
      findings(`interface Gi0/1\n password ${value}\n`, "R1.cfg", "cisco-line-credential"),
    ).toEqual([]);
    expect(
      findings(
        `radius server NPS\n address ipv4 192.0.2.5 auth-port 1812\n key ${value}\n`,
        "R1.cfg",
        "cisco-line-credential",
      ),
    ).toEqual([["cisco-line-credential", "error", value]]);
    // A key chain's `key 1` names the key; its key-string is the secret.
    expect(
      findings("key chain r1\n key 1\n  key-string GX89-0Qz\n", "R1.cfg", "cisco-line-credential"),
    ).toEqual([["cisco-line-credential", "error", "GX89-0Qz"]]);
    // HSRP's MD5 key with the time it is accepted after a change.
    const hsrp = encodeType7(value, 5);
    expect(
      findings(
        `interface Vlan10\n standby 1 authentication md5 key-string 7 ${hsrp} timeout 30\n`,
        "R1.cfg",
        "cisco-line-credential",
      ),
    ).toEqual([["cisco-line-credential", "error", hsrp]]);
  });

  it("makes a weak lab password a warning and skips the shipped default", () => {
    expect(
      findings(
        "crypto ikev2 keyring KR\n peer R2\n  pre-shared-key local ggflying\n",
        "R1.cfg",
        "cisco-line-credential",
      ),
    ).toEqual([["cisco-line-credential", "warning", "ggflying"]]);
    expect(
      findings(
        "interface Vlan20\n standby 1 authentication cisco\n",
        "R1.cfg",
        "cisco-line-credential",
      ),
    ).toEqual([]);
  });
});

describe("pppd secrets, VPN login files, RADIUS clients, keepalived, Wi-Fi keys", () => {
  it("reads the third field of chap-secrets lines, quoted or not, and skips comments and `*`", () => {
    const a = r(ALNUM, 10);
    const b = r(ALNUM, 11);
    const text = `# client server secret IP addresses\nalice l2tpd ${a} *\n"bob smith" * "${b}" 10.0.0.2\ncarol * * *\n`;
    // Drawn or typed, each is a password (a typed one is a warning).
    expect(
      findings(text, "/etc/ppp/chap-secrets", "ppp-secret").map(([, , value]) => value),
    ).toEqual([a, b]);
    expect(findings(`alice l2tpd ${a} *\n`, "notes.txt", "ppp-secret")).toEqual([]);
  });

  it("reads an auth-user-pass file of two lines only", () => {
    const password = r(ALNUM, 16);
    expect(findings(`vpnuser\n${password}\n`, "auth.txt", "vpn-login-file")).toEqual([
      ["vpn-login-file", "error", password],
    ]);
    expect(findings(`vpnuser\n${password}\nthird line\n`, "auth.txt", "vpn-login-file")).toEqual(
      [],
    );
    expect(findings(`vpnuser\n${password}\n`, "readme.txt", "vpn-login-file")).toEqual([]);
  });

  it("reads a RADIUS secret only inside a client block", () => {
    const secret = r(ALNUM, 14);
    expect(
      findings(
        `client nas1 {\n\tipaddr = 192.0.2.4\n\tsecret = ${secret}\n}\n`,
        "clients.conf",
        "radius-client-secret",
      ),
    ).toEqual([["radius-client-secret", "error", secret]]);
    expect(
      findings(
        `server default {\n\tsecret = ${secret}\n}\n`,
        "radiusd.conf",
        "radius-client-secret",
      ),
    ).toEqual([]);
  });

  it("reads an OpenWrt key only beside a WPA encryption setting", () => {
    const key = r(ALNUM, 12);
    const iface = (encryption: string) =>
      `config wifi-iface\n\toption ssid 'Home'\n\toption encryption '${encryption}'\n\toption key '${key}'\n`;
    expect(findings(iface("psk2"), "wireless", "wifi-network-key")).toEqual([
      ["wifi-network-key", "error", key],
    ]);
    expect(findings(iface("none"), "wireless", "wifi-network-key")).toEqual([]);
  });
});

describe("mail relays and fetchers", () => {
  it("reads Postfix's map: a Gmail app password with its blanks, a weak one as a warning", () => {
    const text =
      "[smtp.gmail.com]:587 bot@gmail.com:oedw pdnk jsyh sbny\n[mail.corp.test]:25 ops:kondapally\n";
    expect(findings(text, "/etc/postfix/sasl_passwd", "postfix-sasl-password")).toEqual([
      ["postfix-sasl-password", "error", "oedw pdnk jsyh sbny"],
      ["postfix-sasl-password", "warning", "kondapally"],
    ]);
  });

  it("reads a bracketed relay only with a host's dots, not a note's numbered link", () => {
    const password = r(ALNUM, 14);
    expect(
      findings(`[mail.corp.test]:587 ops:${password}\n`, "setup.md", "postfix-sasl-password"),
    ).toEqual([["postfix-sasl-password", "error", password]]);
    expect(
      findings(
        "   [0] https://hg.example.org/projects/nss/raw-file/tip\n",
        "notes.md",
        "postfix-sasl-password",
      ),
    ).toEqual([]);
  });

  it("skips an environment variable's name standing in for the password", () => {
    expect(
      findings(
        "[smtp.gmail.com]:587 me@gmail.com:GMAIL_PASSWORD\n",
        "sasl_passwd",
        "postfix-sasl-password",
      ),
    ).toEqual([]);
    expect(
      findings(
        'poll pop.gmail.com user "me" password "EF_PASSWORD"\n',
        ".fetchmailrc",
        "fetchmail-password",
      ),
    ).toEqual([]);
  });
});

describe("forms an independent attack on the mail and network rules showed", () => {
  const value = r(ALNUM, 12);

  it("reads a value that ends in a credential's word but is drawn, and keeps the lower-case stand-ins out", () => {
    expect(valuesOf(`alice * ${value}Secret *\n`, "chap-secrets", "ppp-secret")).toEqual([
      `${value}Secret`,
    ]);
    expect(valuesOf("alice * vpnpassword *\n", "chap-secrets", "ppp-secret")).toEqual([]);
  });

  it("reads no log's or note's brackets as a relay", () => {
    for (const text of [
      "[::1]:8080 connected\n[worker-3] job:4f9a2c1e7b\n[main.py] line:42\n",
      "[1]: https://example.net/rfc5321\n[2] doi:10.1145/3290605\n",
      'echo "[build]:1 step:compile"\n',
    ]) {
      expect(findings(text, "app.log", "postfix-sasl-password"), text).toEqual([]);
    }
  });

  it("reads Postfix's per-sender keys, Ansible's line: and echoed fetchmail entries", () => {
    expect(
      valuesOf(`user1@example.org username1:${value}\n`, "sasl_passwd", "postfix-sasl-password"),
    ).toEqual([value]);
    expect(
      valuesOf(
        `- lineinfile:\n    path: /etc/postfix/sasl_passwd\n    line: '[smtp.gmail.com]:587 me@gmail.com:${value}'\n`,
        "postfix.yml",
        "postfix-sasl-password",
      ),
    ).toEqual([value]);
    expect(
      valuesOf(
        `echo 'poll imap.gmail.com proto imap user me@gmail.com password ${value} ssl' > ~/.fetchmailrc\n`,
        "setup.sh",
        "fetchmail-password",
      ),
    ).toEqual([value]);
    expect(
      valuesOf("poll started by user bob: password reset\n", "notes.txt", "fetchmail-password"),
    ).toEqual([]);
    expect(
      valuesOf(`poll x user "me" password "${value}\\"z"\n`, ".fetchmailrc", "fetchmail-password"),
    ).toEqual([`${value}\\"z`]);
  });

  it("spans the key of `crypto isakmp key`, not the same letters in `address`", () => {
    const text = "crypto isakmp key dre address 10.0.0.1\n";
    const [finding] = scanText(text, { file: "r1.cfg" }).filter(
      (f) => f.ruleId === "cisco-line-credential",
    );
    expect(finding && [finding.start, finding.end]).toEqual([18, 21]);
  });

  it("reads aux lines, CRLF blocks, NX-OS quoted key strings, keyrings and ASA tunnel groups", () => {
    const type7 = "023E1D0C1B375D3B604350";
    for (const text of [
      `line aux 0\n password 7 ${type7}\n`,
      `line vty 0 4\r\n login\r\n\r\n password 7 ${type7}\r\n`,
      `key chain K1\n  key 1\n    key-string 7 "${type7}"\n`,
    ]) {
      expect(valuesOf(text, "r1.cfg", "cisco-line-credential"), text).toEqual([type7]);
    }
    expect(
      valuesOf(
        `crypto keyring KR\n  pre-shared-key address 203.0.113.1 key ${value}\n`,
        "r1.cfg",
        "cisco-line-credential",
      ),
    ).toEqual([value]);
    expect(
      valuesOf(
        `tunnel-group 203.0.113.1 ipsec-attributes\n ikev1 pre-shared-key ${value}\n`,
        "asa.cfg",
        "cisco-line-credential",
      ),
    ).toEqual([value]);
  });

  it("reads a client's secret past long comments and nested blocks, not RadSec's fixed one nor HCL", () => {
    const comments = "\t# the shared secret signs packets between the NAS and the server.\n".repeat(
      12,
    );
    expect(
      valuesOf(
        `client nas1 {\n${comments}\tsecret = ${value}\n}\n`,
        "clients.conf",
        "radius-client-secret",
      ),
    ).toEqual([value]);
    expect(
      valuesOf(
        `client nas1 {\n\tlimit {\n\t\tmax_connections = 16\n\t}\n\tsecret = "${value} #2"\n}\n`,
        "clients.conf",
        "radius-client-secret",
      ),
    ).toEqual([`${value} #2`]);
    expect(
      valuesOf(
        "client 127.0.0.1 {\n\tproto = tls\n\tsecret = radsec\n}\n",
        "clients.conf",
        "radius-client-secret",
      ),
    ).toEqual([]);
    expect(
      valuesOf('client "web" {\n  secret = var.web_secret\n}\n', "main.tf", "radius-client-secret"),
    ).toEqual([]);
  });

  it("reads wpa-psk lines that start their line, quoted or a raw key, not prose", () => {
    const raw = r("0123456789abcdef", 64);
    expect(
      valuesOf(`iface wlan0 inet dhcp\n    wpa-psk "${value}"\n`, "interfaces", "wifi-network-key"),
    ).toEqual([value]);
    expect(
      valuesOf(`iface wlan0 inet dhcp\n    wpa-psk ${raw}\n`, "interfaces", "wifi-network-key"),
    ).toEqual([raw]);
    expect(
      valuesOf(
        "Use security=wpa-psk passphrase\nnmcli c m x --wpa-psk mypassphrase\n",
        "nm.md",
        "wifi-network-key",
      ),
    ).toEqual([]);
  });

  it("reads a login file with a byte-order mark, and no two words of another file", () => {
    expect(valuesOf(`\ufeffalice\n${value}\n`, "auth.txt", "vpn-login-file")).toEqual([value]);
    expect(valuesOf("README\nLICENSE\n", "login.txt", "vpn-login-file")).toEqual([]);
    // A drawn user name may start with a digit; a version may not stand for one.
    expect(valuesOf(`7${r(ALNUM, 20)}\n${value}\n`, "auth.txt", "vpn-login-file")).toEqual([value]);
    expect(valuesOf("v1\nv2beta1\n", "auth.txt", "vpn-login-file")).toEqual([]);
    expect(valuesOf("0.5\n0.25\n", "pass.txt", "vpn-login-file")).toEqual([]);
  });

  it("reads pppd's single-quoted secrets without the quotes, and no `@file`", () => {
    expect(findings(`alice * '${value}' *\n`, "chap-secrets", "ppp-secret")).toEqual([
      ["ppp-secret", "error", value],
    ]);
    expect(valuesOf("alice * @/etc/ppp/alice.secret\n", "chap-secrets", "ppp-secret")).toEqual([]);
  });
});

describe("forms a second attack on the provisioning, mail and network rules showed", () => {
  const value = r(ALNUM, 12);

  it("reads debconf answers with tabs, two blanks, an unquoted echo and other packages' questions", () => {
    for (const text of [
      `d-i\tpasswd/root-password\tpassword\t${value}\n`,
      `d-i passwd/root-password  password ${value}\n`,
      `mariadb-server mysql-server/root_password_again password ${value}\n`,
      `echo mysql-server mysql-server/root_password password ${value} | debconf-set-selections\n`,
    ]) {
      expect(valuesOf(text, "preseed.cfg", "debconf-password"), text).toEqual([value]);
    }
    expect(valuesOf("  fix lib/auth password hashing\n", "CHANGES", "debconf-password")).toEqual(
      [],
    );
    expect(
      valuesOf(
        `d-i grub-installer/password-crypted password grub.pbkdf2.sha512.10000.${r(ALNUM, 40)}\n`,
        "preseed.cfg",
        "debconf-password",
      ),
    ).toEqual([]);
  });

  it("reads kickstart's plain-text passwords among other options, and a quoted user password", () => {
    for (const text of [
      `rootpw --lock --plaintext ${value}\n`,
      `rootpw --plaintext ${value} --allow-ssh\n`,
      `sshpw --username=root --plaintext ${value}\n`,
    ]) {
      expect(valuesOf(text, "ks.cfg", "kickstart-password"), text).toEqual([value]);
    }
    expect(
      valuesOf(`user --name=bob --password="${value} x"\n`, "ks.cfg", "kickstart-password"),
    ).toEqual([`${value} x`]);
  });

  it("reads a chpasswd entry after a template's entry", () => {
    const text = `#cloud-config\nchpasswd:\n  list: |\n    bob:{{ bob_password }}\n    root:${value}\n`;
    expect(valuesOf(text, "user-data", "cloud-init-chpasswd")).toEqual([value]);
  });

  it("reads no stand-in named for the key, a non-mail port's relay, or Google's example app password", () => {
    expect(
      valuesOf(
        "config wifi-iface\n\toption encryption 'psk2'\n\toption key 'WiFiPassphrase'\n",
        "wireless",
        "wifi-network-key",
      ),
    ).toEqual([]);
    expect(valuesOf(': PSK "ThisIsMyPSK"\n', "ipsec.secrets", "ipsec-secret")).toEqual([]);
    expect(valuesOf('bob * "presharedkey"\n', "chap-secrets", "ppp-secret")).toEqual([]);
    expect(
      valuesOf("[api.example.com]:443 status:healthy\n", "log.txt", "postfix-sasl-password"),
    ).toEqual([]);
    expect(
      valuesOf(
        "[smtp.gmail.com]:587 me@x.com:abcd efgh ijkl mnop\n",
        "sasl_passwd",
        "postfix-sasl-password",
      ),
    ).toEqual([]);
  });
});

describe("IOS XR lines and cloud-init's older list", () => {
  const value = r(ALNUM, 12);

  it("reads XR's line default passwords and key chains' typed key strings", () => {
    const type7 = "0822455D0A16";
    expect(
      valuesOf(`line default\n password encrypted ${type7}\n`, "xr.cfg", "cisco-line-credential"),
    ).toEqual([type7]);
    expect(
      valuesOf(
        `key chain K\n key 1\n  key-string password 7 ${type7}\n  key-string clear ${value}\n`,
        "xr.cfg",
        "cisco-line-credential",
      ),
    ).toEqual([type7, value]);
  });

  it("reads a chpasswd list written as YAML items", () => {
    const text = `#cloud-config\nchpasswd:\n  list:\n    - root:${value}\n  expire: False\n`;
    expect(valuesOf(text, "user-data", "cloud-init-chpasswd")).toEqual([value]);
  });
});

describe("backup and sync tools' password files", () => {
  it("reads an rsync client's password file, its only line, and a daemon's user:password lines", () => {
    const password = r(ALNUM, 16);
    expect(valuesOf(`${password}\n`, "etc/rsync.pass", "sync-tool-password")).toEqual([password]);
    expect(
      valuesOf(`backup:${password}\nmirror:${password}x\n`, "rsyncd.secrets", "sync-tool-password"),
    ).toEqual([password, `${password}x`]);
    expect(valuesOf(`${password}\nsecond line\n`, "rsync.pass", "sync-tool-password")).toEqual([]);
  });
});

describe("forms an independent attack on the HAProxy, rsync and msmtp rules showed", () => {
  const password = r(ALNUM, 14);

  it("reads HAProxy's login in quotes or after tabs, without the quotes", () => {
    for (const text of [
      `    stats auth admin:"${password}"\n`,
      `    stats auth "admin:${password}"\n`,
      `\tstats\tauth admin:${password}\n`,
      `    stats auth "admin":"${password}"\n`,
    ]) {
      expect(valuesOf(text, "haproxy.cfg", "haproxy-password"), text).toEqual([password]);
    }
  });

  it("keeps a quote inside a password", () => {
    expect(
      valuesOf(`    stats auth admin:Xk9"${password}\n`, "haproxy.cfg", "haproxy-password"),
    ).toEqual([`Xk9"${password}`]);
  });

  it("reads an rsync password holding colons, and leaves ciphertext and stand-ins", () => {
    expect(valuesOf(`backup:${password}:x\n`, "rsyncd.secrets", "sync-tool-password")).toEqual([
      `${password}:x`,
    ]);
    expect(
      valuesOf(
        "backup:U2FsdGVkX18TrSLuiOpjiE7oWluWTegNvGOc987IDE0=\n",
        "rsyncd.secrets",
        "sync-tool-password",
      ),
    ).toEqual([]);
    expect(valuesOf("password SG.APIKEY\n", ".msmtprc", "msmtp-password")).toEqual([]);
  });
});

describe("VyOS, TACACS+ and RouterOS configurations, and SNMP communities", () => {
  const password = r(ALNUM, 14);

  it("reads VyOS' pre-shared secrets and plain-text passwords, in config.boot or set commands", () => {
    expect(
      valuesOf(
        `vpn {\n    ipsec {\n        authentication {\n            mode pre-shared-secret\n            pre-shared-secret ${password}\n        }\n    }\n}\n`,
        "config/config.boot",
        "vyos-config-secret",
      ),
    ).toEqual([password]);
    expect(
      valuesOf(
        `set system login user vyos authentication plaintext-password '${password}'\n`,
        "setup.sh",
        "vyos-config-secret",
      ),
    ).toEqual([password]);
    // The mode's name, and a hash's own field.
    expect(
      valuesOf(
        "            mode pre-shared-secret\n            encrypted-password $6$abc$def\n",
        "config.boot",
        "vyos-config-secret",
      ),
    ).toEqual([]);
  });

  it("reads TACACS+ clear-text logins anywhere, its key in the daemon's file only", () => {
    const key = r(ALNUM, 16);
    const config = `key = "${key}"\nuser = ops {\n    login = cleartext ${password}\n    enable = cleartext "${password}x"\n}\n`;
    expect(valuesOf(config, "etc/tac_plus.conf", "tacacs-plus-secret")).toEqual([
      key,
      password,
      `${password}x`,
    ]);
    expect(valuesOf(config, "notes.txt", "tacacs-plus-secret")).toEqual([password, `${password}x`]);
    expect(
      valuesOf("    login = des a1b2c3d4e5f6\n", "tac_plus.conf", "tacacs-plus-secret"),
    ).toEqual([]);
  });

  it("reads RouterOS secrets in an export or on a RouterOS command line", () => {
    const psk = r(ALNUM, 16);
    const exported = `/ppp secret\nadd name=vpn1 password=${password} service=l2tp\n/interface wireless security-profiles\nset [ find default=yes ] mode=dynamic-keys wpa2-pre-shared-key=${psk}\n`;
    expect(valuesOf(exported, "backup/export.rsc", "routeros-secret")).toEqual([password, psk]);
    expect(
      valuesOf(
        `/ip ipsec peer add address=10.0.0.1 secret=${psk}\n`,
        "notes.md",
        "routeros-secret",
      ),
    ).toEqual([psk]);
    // A URL's query or a form field outside RouterOS is not a RouterOS command.
    expect(
      valuesOf(
        `curl "https://x.test/login?user=a&password=${password}"\n`,
        "run.sh",
        "routeros-secret",
      ),
    ).toEqual([]);
  });

  it("reads an SNMP community before a lower-case ro or rw and after a view", () => {
    const community = r(ALNUM, 12);
    expect(
      valuesOf(
        `snmp-server community ${community} ro view all\nsnmp-server community ${community}x view v1 rw 10\nsnmp-server community public ro\n`,
        "running-config",
        "cisco-config-credential",
      ),
    ).toEqual([community, `${community}x`]);
  });
});

describe("forms an independent attack on the VyOS, TACACS+ and RouterOS rules showed", () => {
  const password = r(ALNUM, 14);

  it("reads a RouterOS export's command wrapped over lines, any *-secret name, escaped quotes", () => {
    const exported = `/interface wireless security-profiles\nadd authentication-types=wpa2-psk eap-methods="" management-protection=\\\n    allowed mode=dynamic-keys name=home supplicant-identity="" \\\n    wpa2-pre-shared-key=${password}\n/interface l2tp-server server\nset enabled=yes ipsec-secret=${password}x use-ipsec=yes\n/ppp secret\nadd name=vpn password="Ab\\"${password}" service=l2tp\n`;
    expect(valuesOf(exported, "backup.rsc", "routeros-secret")).toEqual([
      password,
      `${password}x`,
      `Ab\\"${password}`,
    ]);
    // A switch's value under such a name, and a line that is no command after a wrapped one.
    expect(
      valuesOf(
        `/interface l2tp-server server\nset use-ipsec=yes ipsec-secret=yes\n# password=${password}\n`,
        "backup.rsc",
        "routeros-secret",
      ),
    ).toEqual([]);
  });

  it("reads tac_plus-ng's clear logins, escaped quotes, and no `clear` outside its files", () => {
    const config = `user = ops {\n    password login = clear ${password}\n    password {\n        enable = clear "Ab\\"${password}"\n    }\n}\n`;
    expect(valuesOf(config, "tac_plus-ng.cfg", "tacacs-plus-secret")).toEqual([
      password,
      `Ab\\"${password}`,
    ]);
    expect(valuesOf("enable = clear and ready\n", "main.py", "tacacs-plus-secret")).toEqual([]);
  });

  it("reads VyOS 1.4's PSK secrets and a set command's value before a comment", () => {
    expect(
      valuesOf(
        `        psk peer1 {\n            id 192.0.2.1\n            secret ${password}\n        }\n`,
        "config/config.boot",
        "vyos-config-secret",
      ),
    ).toEqual([password]);
    expect(
      valuesOf(
        `set vpn ipsec authentication psk peer1 secret '${password}' # the branch\n`,
        "setup.sh",
        "vyos-config-secret",
      ),
    ).toEqual([password]);
    // A `secret` line outside a VyOS configuration is not one.
    expect(valuesOf(`secret ${password}\n`, "notes.txt", "vyos-config-secret")).toEqual([]);
  });
});
