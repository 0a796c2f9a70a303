/**
 * AI and machine-learning platforms: OpenAI, Anthropic, Perplexity, Groq, xAI, Replicate,
 * Hugging Face, OpenRouter, LangSmith, Pinecone, Cohere, Mistral, DeepSeek and others.
 */
import { shannonEntropy } from "../placeholders.js";
import type { ScanRule } from "../rule.js";
import {
  B64URL,
  classCount,
  decodeBase64Url,
  isRandomHex,
  namedValueRules,
  SHAPES,
  tokenRules,
} from "./build.js";

export const AI_RULES: ScanRule[] = [
  ...tokenRules([
    {
      // Brave Search API keys: `BSA` and 27 to 40 random characters. Not inside a longer
      // base64 run (`+`, `/` and `=` are boundaries).
      id: "brave-search-api-key",
      description: "Brave Search API key",
      keywords: ["bsa"],
      token: "BSA[A-Za-z0-9_\\-]{27,40}",
      boundary: "A-Za-z0-9_\\-+/=",
      suggestedName: "BRAVE_API_KEY",
      validate: (secret) =>
        /[a-z]/.test(secret.slice(3)) &&
        /[A-Z]/.test(secret.slice(3)) &&
        /[0-9]/.test(secret.slice(3)) &&
        shannonEntropy(secret.slice(3)) >= 3.8,
    },
    {
      // Chroma Cloud: `ck-` and 43 or 44 base58 characters (taken as any letters and digits).
      id: "chroma-cloud-api-key",
      description: "Chroma Cloud API key",
      keywords: ["ck-"],
      token: "ck-[A-Za-z0-9]{43,44}",
      suggestedName: "CHROMA_API_KEY",
      validate: (secret) =>
        /[a-z]/.test(secret.slice(3)) &&
        /[A-Z]/.test(secret.slice(3)) &&
        /[0-9]/.test(secret.slice(3)) &&
        shannonEntropy(secret.slice(3)) >= 4,
    },
    {
      // `pa-` (or `al-`, for keys made through MongoDB Atlas) and 32 random bytes in base64url.
      // The prefixes are short, so the 43 characters must look drawn: both cases and digits.
      id: "voyage-api-key",
      description: "Voyage AI API key",
      keywords: ["pa-", "al-"],
      token: `(?:pa|al)-[${B64URL}]{43}`,
      suggestedName: "VOYAGE_API_KEY",
      validate: (secret) =>
        /[a-z]/.test(secret.slice(3)) &&
        /[A-Z]/.test(secret.slice(3)) &&
        /[0-9]/.test(secret.slice(3)) &&
        shannonEntropy(secret.slice(3)) >= 4,
    },
    {
      // `sk_pr_`, the key's name, then 40 hex digits; sandbox keys carry a `sandbox_` prefix.
      id: "photoroom-api-key",
      description: "Photoroom API key (live or sandbox)",
      keywords: ["sk_pr_"],
      token: "(?:sandbox_)?sk_pr_[A-Za-z0-9]{1,64}_[a-f0-9]{40}",
      suggestedName: "PHOTOROOM_API_KEY",
      validate: (secret) => isRandomHex(secret.slice(-40)),
    },
    {
      id: "anthropic-api-key",
      description: "Anthropic API or admin key",
      keywords: ["sk-ant-"],
      token: `sk-ant-(?:api|admin|oat|ort|sid)\\d{2}-[${B64URL}]{80,120}`,
      suggestedName: "ANTHROPIC_API_KEY",
    },
    {
      id: "openai-api-key",
      description: "OpenAI API key (project, service account, admin or legacy)",
      keywords: ["sk-proj-", "sk-svcacct-", "sk-admin-", "sk-none-", "t3blbkfj"],
      // Also a service account's key of 2024, its name after `sk-` (`sk-build-bot-…T3BlbkFJ…`;
      // not Anthropic's `sk-ant-` nor OpenRouter's `sk-or-`).
      token: `sk-(?:(?:proj|svcacct|admin|None)-[${B64URL}]{40,250}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|(?!ant-|or-|proj-|svcacct-|admin-|None-)(?=[${B64URL}]{8,120}T3BlbkFJ)[${B64URL}]{40,300})`,
      suggestedName: "OPENAI_API_KEY",
    },
    {
      id: "openrouter-api-key",
      description: "OpenRouter API key",
      keywords: ["sk-or-"],
      token: "sk-or-v1-[a-f0-9]{64}",
      suggestedName: "OPENROUTER_API_KEY",
    },
    {
      id: "perplexity-api-key",
      description: "Perplexity API key",
      keywords: ["pplx-"],
      token: "pplx-[A-Za-z0-9]{48}",
      suggestedName: "PERPLEXITY_API_KEY",
    },
    {
      id: "groq-api-key",
      description: "Groq API key",
      keywords: ["gsk_"],
      token: "gsk_[A-Za-z0-9]{52}",
      suggestedName: "GROQ_API_KEY",
    },
    {
      id: "xai-api-key",
      description: "xAI (Grok) API key or management key (xai-token-)",
      keywords: ["xai-"],
      token: "xai-(?:token-)?[A-Za-z0-9]{80}",
      suggestedName: "XAI_API_KEY",
    },
    {
      id: "replicate-api-token",
      description: "Replicate API token",
      keywords: ["r8_"],
      token: "r8_[A-Za-z0-9]{37}",
      suggestedName: "REPLICATE_API_TOKEN",
      validate: (secret) => classCount(secret.slice(3)) >= 3,
    },
    {
      id: "huggingface-token",
      description: "Hugging Face access or organization token",
      keywords: ["hf_", "api_org_"],
      token: "(?:hf_[A-Za-z0-9]{34,40}|api_org_[A-Za-z0-9]{34})",
      suggestedName: "HF_TOKEN",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "langsmith-api-key",
      description: "LangSmith (LangChain) API key",
      // Current keys (`lsv2_pt_`, `lsv2_sk_`) carry a checksum; the first ones were `ls__`
      // and 32 hex digits.
      keywords: ["lsv2_", "ls__"],
      token: "lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}|ls__[a-f0-9]{32}",
      suggestedName: "LANGSMITH_API_KEY",
    },
    {
      id: "pinecone-api-key",
      description: "Pinecone API key",
      keywords: ["pcsk_"],
      token: "pcsk_[A-Za-z0-9]{5,6}_[A-Za-z0-9]{60,70}",
      suggestedName: "PINECONE_API_KEY",
    },
    {
      id: "fireworks-api-key",
      description: "Fireworks AI API key",
      keywords: ["fw_"],
      token: "fw_[A-Za-z0-9]{24}",
      validate: (secret) => classCount(secret.slice(3)) >= 3,
    },
    {
      id: "cerebras-api-key",
      description: "Cerebras API key",
      keywords: ["csk-"],
      token: "csk-[a-z0-9]{48}",
      validate: (secret) => classCount(secret.slice(4)) >= 2,
    },
    {
      id: "nvidia-api-key",
      description: "NVIDIA NGC / API catalog key",
      keywords: ["nvapi-"],
      token: `nvapi-[${B64URL}]{64}`,
    },
    {
      id: "elevenlabs-api-key",
      description: "ElevenLabs API key",
      keywords: ["sk_"],
      token: "sk_[a-f0-9]{48}",
      confidence: "medium",
    },
    {
      id: "wandb-local-api-key",
      description: "Weights & Biases API key (v1 form)",
      keywords: ["local-"],
      token: "local-[a-f0-9]{40}",
      confidence: "medium",
    },
  ]),
  ...namedValueRules([
    {
      id: "cohere-api-key",
      description: "Cohere API key",
      names: ["cohere", "co_api_key"],
      value: "[a-z0-9]{40}",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "mistral-api-key",
      description: "Mistral AI API key",
      names: ["mistral"],
      value: "[a-z0-9]{32}",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "deepseek-api-key",
      description: "DeepSeek API key",
      names: ["deepseek"],
      value: "sk-[a-f0-9]{32}",
    },
    {
      id: "together-api-key",
      description: "Together AI API key",
      names: ["together"],
      value: SHAPES.hex64,
    },
    {
      id: "wandb-api-key",
      description: "Weights & Biases API key",
      names: ["wandb"],
      value: SHAPES.hex40,
    },
    {
      id: "azure-openai-key",
      description: "Azure OpenAI or Cognitive Services key",
      names: ["azure_openai", "azureopenai", "cognitive", "ocp-apim-subscription-key"],
      value: "[a-f0-9]{32}",
    },
    {
      id: "elevenlabs-legacy-api-key",
      description: "ElevenLabs API key (legacy form)",
      names: ["elevenlabs", "xi-api-key", "xi_api_key"],
      value: "[a-f0-9]{32}",
    },
    {
      id: "deepgram-api-key",
      description: "Deepgram API key",
      names: ["deepgram"],
      value: SHAPES.hex40,
    },
    {
      id: "assemblyai-api-key",
      description: "AssemblyAI API key",
      names: ["assemblyai", "assembly_ai"],
      value: SHAPES.hex32,
    },
  ]),
  ...tokenRules([
    {
      id: "helicone-api-key",
      description: "Helicone API key",
      keywords: ["sk-helicone-"],
      token: `sk-helicone-(?:proxy-)?[a-z0-9]{7}(?:-[a-z0-9]{7}){3}(?:-${SHAPES.uuid})?`,
      validate: (secret) => classCount(secret.slice(12)) >= 3,
      suggestedName: "HELICONE_API_KEY",
    },
    {
      id: "runpod-api-key",
      description: "RunPod API key",
      keywords: ["rpa_"],
      token: "rpa_[A-Z0-9]{40}[a-z0-9]{6}",
      validate: (secret) => classCount(secret.slice(4, 44)) >= 2,
      suggestedName: "RUNPOD_API_KEY",
    },
    {
      id: "friendli-api-key",
      description: "Friendli AI personal access token",
      keywords: ["flp_"],
      token: "flp_[A-Za-z0-9]{46}",
      validate: (secret) => classCount(secret.slice(4)) >= 3,
      suggestedName: "FRIENDLI_TOKEN",
    },
    {
      // `sk-` and 48 letters and digits. OpenAI's legacy keys of that length carry
      // `T3BlbkFJ` (openai-api-key finds them); a word-like run is not a key.
      id: "stability-ai-api-key",
      description: "Stability AI API key (or another provider's sk- key of 48 characters)",
      keywords: ["sk-"],
      token: "sk-[A-Za-z0-9]{48}",
      confidence: "medium",
      validate: (secret) =>
        !secret.includes("T3BlbkFJ") &&
        classCount(secret.slice(3)) >= 3 &&
        shannonEntropy(secret.slice(3)) >= 4,
      suggestedName: "STABILITY_API_KEY",
    },
    {
      // SiliconFlow's keys (api.siliconflow.cn): `sk-` and 48 small letters, drawn (few vowels,
      // near the 4.7 bits of 26 letters), which no run of words is.
      id: "siliconflow-api-key",
      description: "SiliconFlow API key",
      keywords: ["sk-"],
      token: "sk-[a-z]{48}",
      confidence: "medium",
      validate: (secret) => {
        const letters = secret.slice(3);
        return (
          shannonEntropy(letters) >= 4 &&
          (letters.match(/[aeiou]/g) ?? []).length <= letters.length * 0.4
        );
      },
      suggestedName: "SILICONFLOW_API_KEY",
    },
    {
      // Cursor's user API keys: `key_` and 64 lower-case letters and digits (hex in the keys
      // seen). The prefix is a common word, so the value must hold digits and look random.
      id: "cursor-api-key",
      description: "Cursor user API key",
      keywords: ["key_"],
      token: "key_[a-z0-9]{64}",
      confidence: "medium",
      validate: (secret) => /[0-9]/.test(secret.slice(4)) && shannonEntropy(secret.slice(4)) >= 3.5,
      suggestedName: "CURSOR_API_KEY",
    },
    {
      id: "cartesia-api-key",
      description: "Cartesia API key",
      keywords: ["sk_car_"],
      token: "sk_car_[A-Za-z0-9]{20,40}",
      validate: (secret) => classCount(secret.slice(7)) >= 3,
      suggestedName: "CARTESIA_API_KEY",
    },
  ]),
  ...namedValueRules([
    {
      id: "modal-token-secret",
      description: "Modal token secret",
      names: ["modal_token", "token_secret"],
      value: "as-[a-z0-9]{22}",
      validate: (secret) => classCount(secret.slice(3)) >= 3,
      suggestedName: "MODAL_TOKEN_SECRET",
    },
    {
      id: "dashscope-api-key",
      description: "Alibaba Cloud Model Studio (DashScope) API key",
      names: ["dashscope"],
      value: "sk-[a-f0-9]{32}",
      suggestedName: "DASHSCOPE_API_KEY",
    },
    {
      id: "fal-api-key",
      description: "fal.ai API key",
      names: ["fal_key", "fal_api_key", "fal-api", "fal-key", "falai", "fal.ai"],
      value: `${SHAPES.uuid}:[a-f0-9]{32}`,
      suggestedName: "FAL_KEY",
    },
    {
      id: "ai21-api-key",
      description: "AI21 Studio API key",
      names: ["ai21"],
      value: SHAPES.uuid,
      suggestedName: "AI21_API_KEY",
    },
  ]),
  ...tokenRules([
    {
      id: "together-v1-api-key",
      description: "Together AI API key (tgp_v1_ form)",
      keywords: ["tgp_v1_"],
      token: `tgp_v1_[${B64URL}]{43}`,
      validate: (secret) => classCount(secret.slice(7)) >= 3,
      suggestedName: "TOGETHER_API_KEY",
    },
    {
      id: "e2b-api-key",
      description: "E2B sandbox API key",
      keywords: ["e2b_"],
      token: "e2b_[a-f0-9]{40}",
      validate: (secret) => shannonEntropy(secret.slice(4)) >= 3,
      suggestedName: "E2B_API_KEY",
    },
    {
      id: "llamacloud-api-key",
      description: "LlamaCloud / LlamaParse API key",
      keywords: ["llx-"],
      token: "llx-[A-Za-z0-9]{48}",
      validate: (secret) => classCount(secret.slice(4)) >= 3,
      suggestedName: "LLAMA_CLOUD_API_KEY",
    },
    {
      id: "humanloop-api-key",
      description: "Humanloop API key",
      keywords: ["hl_sk_"],
      token: "hl_sk_[a-f0-9]{48}",
      validate: (secret) => shannonEntropy(secret.slice(6)) >= 3,
      suggestedName: "HUMANLOOP_API_KEY",
    },
    {
      id: "mem0-api-key",
      description: "Mem0 platform API key",
      keywords: ["m0-"],
      token: "m0-[A-Za-z0-9]{40}",
      validate: (secret) => classCount(secret.slice(3)) >= 3,
      suggestedName: "MEM0_API_KEY",
    },
    {
      id: "daytona-api-key",
      description: "Daytona API key",
      keywords: ["dtn_"],
      token: "dtn_[a-f0-9]{64}",
      validate: (secret) => shannonEntropy(secret.slice(4)) >= 3,
      suggestedName: "DAYTONA_API_KEY",
    },
    {
      id: "openpipe-api-key",
      description: "OpenPipe API key",
      keywords: ["opk_"],
      token: "opk_[a-f0-9]{42}",
      validate: (secret) => shannonEntropy(secret.slice(4)) >= 3,
      suggestedName: "OPENPIPE_API_KEY",
    },
    {
      // turbopuffer (vector database) API keys: `tpuf_` and 32 random letters and digits.
      id: "turbopuffer-api-key",
      description: "turbopuffer API key",
      keywords: ["tpuf_"],
      token: "tpuf_[A-Za-z0-9]{32}",
      validate: (secret) =>
        classCount(secret.slice(5)) >= 3 && shannonEntropy(secret.slice(5)) >= 3.8,
      suggestedName: "TURBOPUFFER_API_KEY",
    },
    {
      // Twelve Labs (video understanding) API keys: `tlk_` and 28 random upper-case letters
      // and digits.
      id: "twelvelabs-api-key",
      description: "Twelve Labs API key",
      keywords: ["tlk_"],
      token: "tlk_[A-Z0-9]{28}",
      validate: (secret) =>
        /[A-Z]/.test(secret.slice(4)) &&
        /[0-9]/.test(secret.slice(4)) &&
        shannonEntropy(secret.slice(4)) >= 3.6,
      suggestedName: "TWELVE_LABS_API_KEY",
    },
    {
      // neptune.ai API tokens: base64 of JSON that starts with the API's address and holds the
      // key, `{"api_address":"https://app.neptune.ai","api_url":…,"api_key":"<UUID>"}`.
      id: "neptune-api-token",
      description: "neptune.ai API token",
      keywords: ["eyjhcglfywrkcmvzcyi6"],
      token: "eyJhcGlfYWRkcmVzcyI6[A-Za-z0-9+/]{40,600}={0,2}",
      boundary: "A-Za-z0-9+/=",
      // The key's UUID is the end of the JSON: the end of the base64 is random.
      validate: (secret) =>
        /"api_key"\s*:/.test(decodeBase64Url(secret) ?? "") &&
        // The public token of neptune's anonymous user (the client's ANONYMOUS_API_TOKEN,
        // published for examples) is no secret.
        !(decodeBase64Url(secret) ?? "").includes("b706bc8f-76f9-4c2e-939d-4ba036f932e4") &&
        classCount(secret.slice(-40)) >= 3 &&
        shannonEntropy(secret.slice(-40)) >= 3.5,
      suggestedName: "NEPTUNE_API_TOKEN",
    },
    {
      // Zep Cloud (agent memory) API keys: `z_1dWlkIjoi` (base64 of the start of `uid":"`),
      // the rest of the account's UUID in base64url, a dot and an 86-character signature.
      id: "zep-api-key",
      description: "Zep Cloud API key",
      keywords: ["z_1dwlkijoi"],
      token: "z_1dWlkIjoi[A-Za-z0-9_\\-]{30,80}\\.[A-Za-z0-9_\\-]{80,90}",
      validate: (secret) => {
        const signature = secret.slice(secret.indexOf(".") + 1);
        return classCount(signature) >= 3 && shannonEntropy(signature) >= 4;
      },
      suggestedName: "ZEP_API_KEY",
    },
    {
      // Browser Use Cloud API keys: `bu_` and 32 random bytes in base64url (43 characters).
      id: "browser-use-api-key",
      description: "Browser Use Cloud API key",
      keywords: ["bu_"],
      token: "bu_[A-Za-z0-9_\\-]{43}",
      validate: (secret) =>
        classCount(secret.slice(3)) >= 3 && shannonEntropy(secret.slice(3)) >= 4,
      suggestedName: "BROWSER_USE_API_KEY",
    },
    {
      // Supermemory API keys: `sm_`, an id of about 22 letters and digits, `_`, and a secret
      // of about 64.
      id: "supermemory-api-key",
      description: "Supermemory API key",
      keywords: ["sm_"],
      token: "sm_[A-Za-z0-9]{20,24}_[A-Za-z0-9]{60,70}",
      validate: (secret) => {
        const random = secret.slice(secret.lastIndexOf("_") + 1);
        return classCount(random) >= 3 && shannonEntropy(random) >= 4;
      },
      suggestedName: "SUPERMEMORY_API_KEY",
    },
    {
      id: "context7-api-key",
      description: "Context7 API key",
      keywords: ["ctx7sk-"],
      token: `ctx7sk-${SHAPES.uuid}`,
      suggestedName: "CONTEXT7_API_KEY",
    },
  ]),
  ...namedValueRules([
    {
      // `pat_` alone is too common a prefix: only next to Coze's name.
      id: "coze-api-token",
      description: "Coze personal access token",
      names: ["coze"],
      value: "pat_[a-z0-9]{64}",
      validate: (secret) => classCount(secret.slice(4)) >= 3,
      suggestedName: "COZE_API_TOKEN",
    },
    {
      // `app-` and `dataset-` are common words: only assigned to a name with Dify in it.
      id: "dify-api-key",
      description: "Dify app or knowledge-base API key",
      names: ["dify"],
      value: "(?:app|dataset)-[a-z0-9]{24}",
      validate: (secret) => classCount(secret.slice(secret.indexOf("-") + 1)) >= 3,
      nearby: false,
      suggestedName: "DIFY_API_KEY",
    },
  ]),
];
