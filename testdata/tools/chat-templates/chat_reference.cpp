// Writes testdata/reference/chat-templates.txt: what llama.cpp's built-in chat templates produce, so that
// Tealama's dev.tealama.chat can be checked against llama.cpp itself (not against our own output).
//
// Two kinds of records (format described in the file's header, written below):
//   render: llama_chat_apply_template(<built-in name>, messages, add_generation_prompt) for the templates
//           Tealama implements, on llama.cpp's test conversation (and each of its prefixes) and on edge cases;
//   detect: llm_chat_detect_template(<template string>) for real chat templates (read from a file made by
//           extract_test_templates.py), for every built-in name and for a few hand-made strings.
//
// Built and run by make_chat_reference.sh against a llama.cpp build; see README.md beside this file.
#include "llama.h"
#include "llama-chat.h"  // llama.cpp's src/: llm_chat_detect_template, llm_chat_template_from_str

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Message {
    std::string role;
    std::string content;
};

// Backslash escapes keep every record on one line: \\ \n \r \t, other control bytes as \xHH.
std::string escape(const std::string & s) {
    std::string out;
    for (unsigned char c : s) {
        switch (c) {
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    char buf[8];
                    snprintf(buf, sizeof buf, "\\x%02X", c);
                    out += buf;
                } else {
                    out += (char) c;
                }
        }
    }
    return out;
}

std::string apply(const std::string & tmpl, const std::vector<Message> & messages, bool add_ass) {
    std::vector<llama_chat_message> chat;
    for (const auto & m : messages) {
        chat.push_back({m.role.c_str(), m.content.c_str()});
    }
    int32_t n = llama_chat_apply_template(tmpl.c_str(), chat.data(), chat.size(), add_ass, nullptr, 0);
    if (n < 0) {
        throw std::runtime_error("llama_chat_apply_template failed for " + tmpl);
    }
    std::vector<char> buf(n + 1);
    llama_chat_apply_template(tmpl.c_str(), chat.data(), chat.size(), add_ass, buf.data(), (int32_t) buf.size());
    return std::string(buf.data(), n);
}

void write_render(std::ostream & out, const std::string & name, const std::vector<Message> & messages) {
    for (bool add_ass : {false, true}) {
        out << "render " << name << ' ' << (add_ass ? 1 : 0) << '\n';
        for (const auto & m : messages) {
            out << "message " << m.role << ' ' << escape(m.content) << '\n';
        }
        out << "expect " << escape(apply(name, messages, add_ass)) << '\n';
    }
}

std::map<llm_chat_template, std::string> builtin_names() {
    int32_t n = llama_chat_builtin_templates(nullptr, 0);
    std::vector<const char *> names(n);
    llama_chat_builtin_templates(names.data(), names.size());
    std::map<llm_chat_template, std::string> by_value;
    for (const char * name : names) {
        by_value[llm_chat_template_from_str(name)] = name;
    }
    return by_value;
}

// A JSON string as written by Python's json.dumps (ASCII output: \uXXXX escapes, surrogate pairs).
std::string parse_json_string(const std::string & s, size_t & i) {
    auto put_utf8 = [](std::string & out, uint32_t cp) {
        if (cp < 0x80) {
            out += (char) cp;
        } else if (cp < 0x800) {
            out += (char) (0xC0 | (cp >> 6));
            out += (char) (0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += (char) (0xE0 | (cp >> 12));
            out += (char) (0x80 | ((cp >> 6) & 0x3F));
            out += (char) (0x80 | (cp & 0x3F));
        } else {
            out += (char) (0xF0 | (cp >> 18));
            out += (char) (0x80 | ((cp >> 12) & 0x3F));
            out += (char) (0x80 | ((cp >> 6) & 0x3F));
            out += (char) (0x80 | (cp & 0x3F));
        }
    };
    std::string out;
    if (s[i] != '"') {
        throw std::runtime_error("expected a JSON string");
    }
    i++;
    while (s[i] != '"') {
        char c = s[i++];
        if (c != '\\') {
            out += c;
            continue;
        }
        char e = s[i++];
        switch (e) {
            case 'n': out += '\n'; break;
            case 't': out += '\t'; break;
            case 'r': out += '\r'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case '/': out += '/'; break;
            case '\\': out += '\\'; break;
            case '"': out += '"'; break;
            case 'u': {
                uint32_t cp = std::stoul(s.substr(i, 4), nullptr, 16);
                i += 4;
                if (cp >= 0xD800 && cp < 0xDC00 && s[i] == '\\' && s[i + 1] == 'u') {
                    uint32_t low = std::stoul(s.substr(i + 2, 4), nullptr, 16);
                    i += 6;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                }
                put_utf8(out, cp);
                break;
            }
            default: throw std::runtime_error("bad JSON escape");
        }
    }
    i++;
    return out;
}

}  // namespace

int main(int argc, char ** argv) {
    if (argc != 2) {
        std::cerr << "usage: chat_reference TEMPLATES_TSV > chat-templates.txt\n";
        return 2;
    }
    std::ostream & out = std::cout;
    out << "# llama.cpp's built-in chat templates: reference for Tealama's dev.tealama.chat tests.\n"
        << "# Made by testdata/tools/chat-templates/make_chat_reference.sh (see the README there); do not edit.\n"
        << "# Strings are escaped: \\\\ \\n \\r \\t and \\xHH for other control bytes; text is UTF-8.\n"
        << "# render NAME ADD_GENERATION_PROMPT / message ROLE CONTENT (0..n lines) / expect OUTPUT:\n"
        << "#   llama_chat_apply_template(NAME, messages, ADD_GENERATION_PROMPT) returned OUTPUT.\n"
        << "# detect LABEL / template TEMPLATE / expect NAME:\n"
        << "#   llm_chat_detect_template(TEMPLATE) returned the built-in template NAME (or 'unknown').\n";

    // llama.cpp's own test conversation (tests/test-chat-template.cpp, main_automated_tests).
    const std::vector<Message> conversation = {
        {"system", "You are a helpful assistant"},
        {"user", "Hello"},
        {"assistant", "Hi there"},
        {"user", "Who are you"},
        {"assistant", "   I am an assistant   "},
        {"user", "Another question"},
    };
    // Edge cases: C isspace() whitespace (space \t \n \v \f \r) around content, non-ASCII spaces (not
    // whitespace to C's isspace on UTF-8 bytes), empty content, unusual role orders, special-token text.
    const std::vector<std::vector<Message>> edge_cases = {
        {{"user", "Once upon a time"}},
        {{"system", "\n\t Be brief. \r\n"}, {"user", " \v\fHi\t"}, {"assistant", "\nHello!  "}, {"user", "x"}},
        {{"user", "\xC2\xA0non-breaking\xE3\x80\x80"}, {"assistant", "\xE2\x80\x83" "em space "}},
        {{"user", ""}, {"assistant", ""}, {"user", "   "}},
        {{"assistant", "I speak first"}, {"user", "ok"}},
        {{"system", "one"}, {"system", "two"}, {"user", "q"}},
        {{"user", "q"}, {"system", "late system"}, {"assistant", "a"}},
        {{"user", "a <|eot_id|> b [INST] c </s>"}},
        {{"system", "only a system prompt"}},
        {{"user", "multi\nline\n\ntext"}, {"assistant", "reply\nwith lines"}},
    };
    const char * names[] = {"llama3", "llama2", "llama2-sys", "llama2-sys-bos", "llama2-sys-strip"};
    for (const char * name : names) {
        for (size_t k = 0; k <= conversation.size(); k++) {
            write_render(out, name, std::vector<Message>(conversation.begin(), conversation.begin() + k));
        }
        for (const auto & messages : edge_cases) {
            write_render(out, name, messages);
        }
    }

    std::vector<std::pair<std::string, std::string>> templates;  // label, template
    std::ifstream tsv(argv[1]);
    for (std::string line; std::getline(tsv, line);) {
        size_t i = 0;
        std::string label = parse_json_string(line, i);
        i++;  // the tab
        templates.emplace_back(label, parse_json_string(line, i));
    }
    auto names_by_value = builtin_names();
    for (const auto & entry : names_by_value) {
        templates.emplace_back("built-in name", entry.second);
    }
    const char * hand_made[] = {
        "", "hello", "mistral", "mistral <<SYS>>", "xmistral", "[INST]", "[INST] <<SYS>>",
        "<|start_header_id|>", "<|start_header_id|><|end_header_id|>",
        "<|start_header_id|><|end_header_id|><|im_start|>", "<|start_header_id|><|end_header_id|><start_of_turn>",
        "[INST] bos_token + '[INST] <<SYS>> content.strip()", "llama3 ", "LLAMA3",
    };
    for (const char * t : hand_made) {
        templates.emplace_back("hand-made", t);
    }
    for (const auto & [label, tmpl] : templates) {
        llm_chat_template detected = llm_chat_detect_template(tmpl);
        auto it = names_by_value.find(detected);
        out << "detect " << escape(label) << '\n'
            << "template " << escape(tmpl) << '\n'
            << "expect " << (it == names_by_value.end() ? "unknown" : it->second) << '\n';
    }
    return 0;
}
