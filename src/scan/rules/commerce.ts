/**
 * Payments, commerce and shipping: Stripe, Square, PayPal/Braintree, Shopify, Razorpay, Plaid,
 * Flutterwave, GoCardless, Coinbase, Duffel, EasyPost, Shippo, Lob and others.
 */
import { isPlaceholder, shannonEntropy } from "../placeholders.js";
import type { ScanRule } from "../rule.js";
import { B64URL, classCount, isRandomHex, namedValueRules, SHAPES, tokenRules } from "./build.js";

export const COMMERCE_RULES: ScanRule[] = [
  ...tokenRules([
    {
      // Autumn (billing over Stripe) secret keys: `am_sk_live_` or `am_sk_test_` and about
      // 42 random letters and digits.
      id: "autumn-secret-key",
      description: "Autumn secret key",
      keywords: ["am_sk_live_", "am_sk_test_"],
      token: "am_sk_(?:live|test)_[A-Za-z0-9]{36,48}",
      validate: (secret) =>
        classCount(secret.slice(11)) >= 3 && shannonEntropy(secret.slice(11)) >= 3.8,
      suggestedName: "AUTUMN_SECRET_KEY",
    },
    {
      // Wompi (Colombian payments) production secrets: the private key (`prv_prod_`) and the
      // events and integrity secrets (`prod_events_`, `prod_integrity_`), each with 32 random
      // letters and digits. The `pub_prod_` key is public.
      id: "wompi-secret-key",
      description: "Wompi production private key or events or integrity secret",
      keywords: ["prv_prod_", "prod_events_", "prod_integrity_"],
      token: "(?:prv_prod|prod_events|prod_integrity)_[A-Za-z0-9]{32}",
      validate: (secret) => {
        const random = secret.slice(-32);
        return classCount(random) >= 3 && shannonEntropy(random) >= 3.8;
      },
      suggestedName: "WOMPI_PRIVATE_KEY",
    },
    {
      id: "stripe-live-key",
      // Clerk, WorkOS and UploadThing issue `sk_live_` keys too: the description names them.
      description: "Live secret or restricted key (Stripe, or Clerk, WorkOS, UploadThing)",
      keywords: ["sk_live_", "rk_live_"],
      token: "[sr]k_live_[A-Za-z0-9]{20,247}",
      boundary: "A-Za-z0-9_",
      suggestedName: "STRIPE_SECRET_KEY",
    },
    {
      id: "stripe-test-key",
      description: "Stripe test-mode secret key",
      keywords: ["sk_test_", "rk_test_"],
      token: "[sr]k_test_[A-Za-z0-9]{20,247}",
      boundary: "A-Za-z0-9_",
      severity: "warning",
      suggestedName: "STRIPE_TEST_SECRET_KEY",
    },
    {
      id: "stripe-webhook-secret",
      description: "Stripe webhook signing secret",
      keywords: ["whsec_"],
      token: "whsec_[A-Za-z0-9+/]{32,64}={0,2}",
      boundary: "A-Za-z0-9+/=_",
      suggestedName: "STRIPE_WEBHOOK_SECRET",
    },
    {
      id: "square-access-token",
      description: "Square access token or OAuth secret",
      keywords: ["sq0atp-", "sq0csp-", "eaaa"],
      token: `(?:sq0atp-[${B64URL}]{22}|sq0csp-[${B64URL}]{43}|EAAA[${B64URL}]{60})`,
      suggestedName: "SQUARE_ACCESS_TOKEN",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "braintree-access-token",
      description: "PayPal Braintree access token",
      keywords: ["access_token$"],
      token: "access_token\\$(?:production|sandbox)\\$[a-z0-9]{16}\\$[a-z0-9]{32}",
      boundary: "A-Za-z0-9_$",
    },
    {
      id: "shopify-token",
      description: "Shopify access token, custom app or private app password, shared secret",
      // Also the forms GitHub's secret scanning lists for Shopify's newer credentials: merchant
      // tokens (`atkn_`), app client credentials and secrets (`ptkn_`, `ztkn_`), Partner API
      // tokens (`prtapi_`), all 64 hex digits, and marketplace tokens (`shpmkt_`).
      keywords: [
        "shpat_",
        "shpca_",
        "shppa_",
        "shpss_",
        "atkn_",
        "ptkn_",
        "ztkn_",
        "prtapi_",
        "shpmkt_",
      ],
      token:
        "shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}|(?:[apz]tkn|prtapi)_[a-f0-9]{64}|shpmkt_[a-f0-9]{8}_[a-f0-9]{32}",
      validate: (secret) =>
        /^shp(?:at|ca|pa|ss)_/.test(secret) ||
        isRandomHex(secret.slice(secret.lastIndexOf("_") + 1)),
      suggestedName: "SHOPIFY_ACCESS_TOKEN",
    },
    {
      // OAuth access tokens from PayPal's REST API: `A21AA` and about 90 base64url characters.
      // They last hours, not years, but one pasted into code still moves money meanwhile.
      id: "paypal-access-token",
      description: "PayPal REST API access token",
      keywords: ["a21aa"],
      token: "A21AA[A-Za-z0-9_\\-]{80,120}",
      suggestedName: "PAYPAL_ACCESS_TOKEN",
      validate: (secret) =>
        classCount(secret.slice(5)) >= 3 && shannonEntropy(secret.slice(5)) >= 4,
    },
    {
      id: "razorpay-key",
      description: "Razorpay live key id",
      keywords: ["rzp_live_"],
      token: "rzp_live_[A-Za-z0-9]{14}",
      confidence: "medium",
    },
    {
      // A test-mode key id moves no money, but with its secret it opens the account's test
      // data and settings: worth a warning, not an error.
      id: "razorpay-test-key",
      description: "Razorpay test key id",
      keywords: ["rzp_test_"],
      token: "rzp_test_[A-Za-z0-9]{14}",
      severity: "warning",
      confidence: "medium",
      validate: (secret) => classCount(secret.slice(9)) >= 2,
    },
    {
      id: "mercadopago-access-token",
      description: "Mercado Pago production access token",
      keywords: ["app_usr-"],
      token: "APP_USR-\\d{16}-\\d{6}-[a-f0-9]{32}-\\d{6,12}",
      suggestedName: "MERCADOPAGO_ACCESS_TOKEN",
    },
    {
      id: "plaid-access-token",
      description: "Plaid access token",
      keywords: ["access-production-", "access-development-", "access-sandbox-"],
      token: `access-(?:production|development|sandbox)-${SHAPES.uuid}`,
    },
    {
      id: "flutterwave-key",
      // Public keys (`FLWPUBK`) go into checkout pages by design: not here.
      description: "Flutterwave secret or encryption key",
      keywords: ["flwseck"],
      token: "FLWSECK(?:_TEST)?-[a-h0-9]{12,32}-X|FLWSECK_TEST[a-h0-9]{12}",
      boundary: "A-Za-z0-9",
    },
    {
      id: "duffel-token",
      description: "Duffel API token",
      keywords: ["duffel_"],
      token: "duffel_(?:test|live)_[A-Za-z0-9_=\\-]{43}",
    },
    {
      id: "easypost-api-key",
      description: "EasyPost API key",
      keywords: ["ezak", "eztk"],
      token: "EZ[AT]K[A-Za-z0-9]{54}",
    },
    {
      id: "shippo-api-token",
      description: "Shippo API token",
      keywords: ["shippo_"],
      token: "shippo_(?:live|test)_[a-f0-9]{40}",
    },
    {
      id: "adyen-api-key",
      description: "Adyen API key",
      keywords: ["aqe"],
      token: "AQE[A-Za-z0-9]{1,4}[A-Za-z0-9+/]{200,260}={0,2}",
      boundary: "A-Za-z0-9+/=",
      confidence: "medium",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "maxmind-license-key",
      description: "MaxMind license key",
      keywords: ["_mmk"],
      token: "[A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk",
      near: { literal: "_mmk", before: 36, after: 0 },
    },
    {
      id: "robinhood-crypto-api-key",
      description: "Robinhood Crypto trading API key",
      keywords: ["rh-api-"],
      token: `rh-api-${SHAPES.uuid}`,
      suggestedName: "ROBINHOOD_API_KEY",
    },
    {
      id: "heartland-api-key",
      description: "Heartland (Global Payments) Portico secret API key",
      keywords: ["skapi_cert_", "skapi_prod_"],
      token: "skapi_(?:cert|prod)_[A-Za-z0-9]{34,42}",
      validate: (secret) => classCount(secret.slice(11)) >= 3,
      suggestedName: "HEARTLAND_SECRET_API_KEY",
    },
    {
      // Client keys (`Mid-client-`) go into the Snap checkout page by design: not here.
      id: "midtrans-server-key",
      description: "Midtrans server key",
      keywords: ["mid-server-"],
      token: "(?:SB-)?Mid-server-[A-Za-z0-9_-]{10,40}",
      validate: (secret) => classCount(secret.slice(secret.indexOf("server-") + 7)) >= 3,
      suggestedName: "MIDTRANS_SERVER_KEY",
    },
    {
      // Client ids (`ramp_id_`) name the app: only the secret.
      id: "ramp-client-secret",
      description: "Ramp API client secret",
      keywords: ["ramp_sec_"],
      token: "ramp_sec_[A-Za-z0-9]{48}",
      validate: (secret) => classCount(secret.slice(9)) >= 3,
      suggestedName: "RAMP_CLIENT_SECRET",
    },
    {
      id: "crossmint-secret-key",
      description: "Crossmint server-side API key",
      keywords: ["sk_production_", "sk_staging_"],
      token: "sk_(?:production|staging)_[A-Za-z0-9]{24,100}",
      validate: (secret) => classCount(secret.slice(secret.indexOf("_", 3) + 1)) >= 2,
      suggestedName: "CROSSMINT_SECRET_KEY",
    },
    {
      id: "coinbase-key",
      description: "Coinbase Developer Platform API key name",
      keywords: ["organizations/"],
      token: `organizations/${SHAPES.uuid}/apiKeys/${SHAPES.uuid}`,
      boundary: "A-Za-z0-9",
      confidence: "medium",
    },
    {
      id: "xendit-secret-key",
      description: "Xendit secret API key",
      keywords: ["xnd_production_", "xnd_development_"],
      token: "xnd_(?:production|development)_[A-Za-z0-9]{40,100}",
      suggestedName: "XENDIT_SECRET_KEY",
      validate: (secret) => classCount(secret.slice(secret.indexOf("_", 4) + 1)) >= 3,
    },
    {
      id: "cashfree-secret-key",
      description: "Cashfree secret key",
      keywords: ["cfsk_ma_"],
      token: "cfsk_ma_(?:prod|test)_[a-f0-9]{32}_[a-f0-9]{8}",
      suggestedName: "CASHFREE_SECRET_KEY",
    },
    {
      id: "klarna-api-key",
      description: "Klarna API key (live or test)",
      keywords: ["klarna_live_api_", "klarna_test_api_"],
      token: "klarna_(?:live|test)_api_[A-Za-z0-9+/_\\-]{40,120}={0,2}",
      boundary: "A-Za-z0-9+/=_\\-",
      suggestedName: "KLARNA_API_KEY",
      validate: (secret) => classCount(secret.slice(16)) >= 3,
    },
    {
      // Public keys (`pkey_`) go into checkout pages by design: not here.
      id: "omise-secret-key",
      description: "Omise secret key",
      keywords: ["skey_"],
      token: "skey_(?:test_)?5[a-z0-9]{18}",
      suggestedName: "OMISE_SECRET_KEY",
      validate: (secret) => {
        const tail = secret.replace(/^skey_(?:test_)?/, "");
        return /[0-9].*[0-9]/.test(tail) && /[a-z].*[a-z]/.test(tail);
      },
    },
    {
      id: "mercury-api-token",
      description: "Mercury (banking) API token",
      keywords: ["_yrucrem"],
      token: "secret-token:mercury_(?:production|sandbox)_[a-z]{3}_[A-Za-z0-9]{30,80}_yrucrem",
      suggestedName: "MERCURY_API_TOKEN",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      // Sandbox keys: `sk_sbox_` and base32 with a checksum, or (the first form) `sk_test_` and
      // a UUID.
      id: "checkout-sandbox-secret-key",
      description: "Checkout.com sandbox secret key",
      keywords: ["sk_sbox_", "sk_test_"],
      token: `sk_sbox_[a-z2-7]{26,28}|sk_test_${SHAPES.uuid}`,
      severity: "warning",
      suggestedName: "CHECKOUT_SECRET_KEY",
      validate: (secret) =>
        secret.startsWith("sk_test_") ||
        (/[2-7]/.test(secret.slice(8)) && /[a-z].*[a-z]/.test(secret.slice(8))),
    },
    {
      // Production keys: `sk_` and a UUID (the first form), or `sk_` and base32 with a checksum
      // (at least two digits, as 26 random base32 characters nearly always hold).
      id: "checkout-secret-key",
      description: "Checkout.com production secret key",
      keywords: ["sk_"],
      token: `sk_${SHAPES.uuid}|sk_[a-z2-7]{26,28}`,
      suggestedName: "CHECKOUT_SECRET_KEY",
      validate: (secret) =>
        secret.includes("-")
          ? isRandomHex(secret.slice(3).replace(/-/g, ""))
          : /[2-7].*[2-7]/.test(secret) &&
            /[a-z].*[a-z].*[a-z]/.test(secret) &&
            shannonEntropy(secret.slice(3)) >= 3.5,
    },
    {
      // The client secret of an eBay app (its App ID holds `-PRD-` or `-SBX-` inside a name).
      id: "ebay-cert-id",
      description: "eBay Cert ID (OAuth client secret), production or sandbox",
      keywords: ["prd-", "sbx-"],
      token: "(?:PRD|SBX)-[a-f0-9]{12}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}",
      confidence: "medium",
      suggestedName: "EBAY_CERT_ID",
      validate: (secret) => shannonEntropy(secret.slice(4).replace(/-/g, "")) >= 3,
    },
    {
      id: "flexport-api-token",
      description: "Flexport API token",
      keywords: ["shltm_"],
      token: "shltm_[A-Za-z0-9_\\-]{40}",
      suggestedName: "FLEXPORT_API_TOKEN",
      validate: (secret) => classCount(secret.slice(6)) >= 3,
    },
    {
      // `$aact_`, the environment (`prod_`, `hmlg_` for sandbox, none in older keys), then
      // base64 of the account's ids and key.
      id: "asaas-api-key",
      description: "Asaas (payments) API key",
      keywords: ["$aact_"],
      token: "\\$aact_(?:prod_|hmlg_)?[A-Za-z0-9+/]{80,250}={0,2}",
      boundary: "A-Za-z0-9_\\-+/=",
      suggestedName: "ASAAS_API_KEY",
      // A leading `$` reads as a variable reference to the placeholder filter: the rule runs it
      // on the key without the `$`.
      checksPlaceholders: true,
      validate: (secret) => classCount(secret.slice(6)) >= 3 && !isPlaceholder(secret.slice(1)),
    },
    {
      id: "sumup-api-key",
      description: "SumUp secret API key",
      keywords: ["sup_sk_"],
      token: "sup_sk_[A-Za-z0-9]{28,40}",
      suggestedName: "SUMUP_API_KEY",
      validate: (secret) => classCount(secret.slice(7)) >= 3,
    },
    {
      id: "pagarme-api-key",
      description: "Pagar.me live API key",
      keywords: ["ak_live_"],
      token: "ak_live_[A-Za-z0-9]{30}",
      suggestedName: "PAGARME_API_KEY",
      validate: (secret) => classCount(secret.slice(8)) >= 2,
    },
    {
      // The `NxM` part is the key's rate tier; test-store keys add `_test`.
      id: "recharge-api-token",
      description: "Recharge (subscriptions) API token",
      keywords: ["sk_1x", "sk_2x", "sk_3x", "sk_5x", "sk_10x", "sk_test_"],
      token: "sk(?:_test)?_(?:10|[1235])x[123]_[a-fA-F0-9]{64}",
      suggestedName: "RECHARGE_API_TOKEN",
      validate: (secret) => isRandomHex(secret.slice(-64)),
    },
  ]),
  ...namedValueRules([
    {
      // The secret half of a key pair (the id is `rzp_live_…` or `rzp_test_…`).
      id: "razorpay-key-secret",
      description: "Razorpay key secret",
      names: ["razorpay", "rzp_secret", "rzp_key_secret"],
      value: "[a-z0-9]{24}",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "paypal-client-secret",
      description: "PayPal REST client secret",
      names: ["paypal"],
      value: "E[A-Za-z0-9_\\-]{79}",
    },
    {
      id: "gocardless-token",
      description: "GoCardless access token",
      names: ["gocardless"],
      value: "live_[A-Za-z0-9_=\\-]{40}",
    },
    {
      id: "lob-api-key",
      description: "Lob API key",
      names: ["lob"],
      value: "(?:live|test)_[a-f0-9]{35}",
    },
    {
      id: "coinbase-api-secret",
      description: "Coinbase API secret",
      names: ["coinbase"],
      value: "[a-z0-9_\\-]{64}",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "kraken-api-key",
      description: "Kraken API private key",
      names: ["kraken"],
      value: "[a-z0-9/=_+\\-]{80,90}",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "binance-api-secret",
      description: "Binance API key or secret",
      names: ["binance"],
      value: "[a-z0-9]{64}",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "square-application-secret",
      description: "Square application secret by name",
      names: ["square_secret", "square_access", "square_token"],
      value: SHAPES.b64url(43, 64),
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "etsy-api-key",
      description: "Etsy API key",
      names: ["etsy"],
      value: "[a-z0-9]{24}",
      validate: (secret) => classCount(secret) >= 2,
    },
    {
      id: "bittrex-api-key",
      description: "Bittrex API key or secret",
      names: ["bittrex"],
      value: SHAPES.hex32,
    },
    {
      // Long-lived access tokens carry a `v2x` prefix before the 64 hex digits.
      id: "bitgo-access-token",
      description: "BitGo access token",
      names: ["bitgo"],
      value: `(?:v2x)?${SHAPES.hex64}`,
      validate: (secret) => isRandomHex(secret.slice(-64)),
    },
  ]),
];
