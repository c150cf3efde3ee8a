package dev.tealama.chat;

/**
 * Recognises a model's Jinja chat template the way llama.cpp's {@code llm_chat_detect_template} does
 * ({@code src/llama-chat.cpp}): the template may be a built-in template's name; otherwise marker strings decide,
 * tested in llama.cpp's order.
 *
 * <p>Only the rules up to llama.cpp's Llama 3 rule are reproduced. The earlier rules matter even for formats
 * Tealama does not render: a ChatML template that also mentions {@code <|start_header_id|>} is ChatML to
 * llama.cpp, not Llama 3, so it must not become {@code llama3} here. The rules after Llama 3 can only name
 * formats Tealama does not render, so they are left out.
 */
final class TemplateDetector {
    private TemplateDetector() {
    }

    /**
     * llama.cpp's built-in template names (the keys of {@code LLM_CHAT_TEMPLATES}). A template string equal to
     * one of them means that format, even when it also matches a marker rule ({@code mistral-v7} starts with
     * "mistral", which the marker rules would read as Llama 2).
     */
    private static final String[] LLAMA_CPP_NAMES = {
        "chatml", "llama2", "llama2-sys", "llama2-sys-bos", "llama2-sys-strip", "mistral-v1", "mistral-v3",
        "mistral-v3-tekken", "mistral-v7", "mistral-v7-tekken", "phi3", "phi4", "falcon3", "zephyr", "monarch",
        "gemma", "orion", "openchat", "vicuna", "vicuna-orca", "deepseek", "deepseek2", "deepseek3",
        "deepseek-ocr", "command-r", "llama3", "chatglm3", "chatglm4", "glmedge", "minicpm", "exaone3", "exaone4",
        "exaone-moe", "rwkv-world", "granite", "granite-4.0", "granite-4.1", "gigachat", "megrez", "yandex",
        "bailing", "bailing-think", "bailing2", "llama4", "smolvlm", "hunyuan-moe", "gpt-oss", "hunyuan-dense",
        "hunyuan-vl", "kimi-k2", "seed_oss", "grok-2", "pangu-embedded", "solar-open",
    };

    /**
     * The llama.cpp name of the format {@code template} is in, or {@code null} if none of the reproduced rules
     * applies (llama.cpp may still recognise some format Tealama does not render, or none).
     */
    static String llamaCppFormat(String template) {
        for (String name : LLAMA_CPP_NAMES) {
            if (name.equals(template)) {
                return name;
            }
        }
        Markers t = new Markers(template);
        if (t.has("<|im_start|>")) {
            return t.has("<|im_sep|>") ? "phi4" : t.has("<end_of_utterance>") ? "smolvlm" : "chatml";
        }
        if (template.startsWith("mistral") || t.has("[INST]")) {
            return instFormat(t);
        }
        if (t.has("<|assistant|>") && t.has("<|end|>")) {
            return "phi3";
        }
        if (t.has("[gMASK]<sop>")) {
            return "chatglm4";
        }
        if (t.has("<|assistant|>") && t.has("<|user|>")) {
            return t.has("<|tool_declare|>") ? "exaone-moe" : t.has("</s>") ? "falcon3" : "glmedge";
        }
        if (t.has("<|{{ item['role'] }}|>") && t.has("<|begin_of_image|>")) {
            return "glmedge";
        }
        if (t.has("<|user|>") && t.has("<|endoftext|>")) {
            return "zephyr";
        }
        if (t.has("bos_token + message['role']")) {
            return "monarch";
        }
        if (t.has("<start_of_turn>")) {
            return "gemma";
        }
        if (t.has("'\\n\\nAssistant: ' + eos_token")) {
            return "orion";
        }
        if (t.has("GPT4 Correct ")) {
            return "openchat";
        }
        if (t.has("USER: ") && t.has("ASSISTANT: ")) {
            return t.has("SYSTEM: ") ? "vicuna-orca" : "vicuna";
        }
        if (t.has("### Instruction:") && t.has("<|EOT|>")) {
            return "deepseek";
        }
        if (t.has("<|START_OF_TURN_TOKEN|>") && t.has("<|USER_TOKEN|>")) {
            return "command-r";
        }
        if (t.has("<|start_header_id|>") && t.has("<|end_header_id|>")) {
            return "llama3";
        }
        return null;
    }

    /** Templates with {@code [INST]}: Mistral's official formats, else Llama 2 and its variants. */
    private static String instFormat(Markers t) {
        if (t.has("[SYSTEM_PROMPT]")) {
            return "mistral-v7";
        }
        if (t.has("' [INST] ' + system_message") || t.has("[AVAILABLE_TOOLS]")) {
            if (t.has(" [INST]")) {
                return "mistral-v1";
            }
            return t.has("\"[INST]\"") ? "mistral-v3-tekken" : "mistral-v3";
        }
        if (t.has("content.strip()")) {
            return "llama2-sys-strip";
        }
        if (t.has("bos_token + '[INST]")) {
            return "llama2-sys-bos";
        }
        return t.has("<<SYS>>") ? "llama2-sys" : "llama2";
    }

    /** Substring tests on one template, named like llama.cpp's {@code tmpl_contains}. */
    private static final class Markers {
        private final String template;

        Markers(String template) {
            this.template = template;
        }

        boolean has(String marker) {
            return template.contains(marker);
        }
    }
}
