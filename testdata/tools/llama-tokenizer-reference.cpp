// Writes llama.cpp's tokenizer behaviour on given texts to stdout, for Tealama's tokenizer tests.
// Our own program: it only calls libllama's public API (llama.h). See testdata/tokenizer/README.md.
//
//   llama-tokenizer-reference MODEL tokenize   TEXTS ADD_SPECIAL PARSE_SPECIAL   one line per text: " id id ..."
//   llama-tokenizer-reference MODEL detokenize TOKENS REMOVE_SPECIAL UNPARSE_SPECIAL
//                                                                      texts, separated like TEXTS files
//   llama-tokenizer-reference MODEL vocab                               one line per token:
//                                    id TAB attributes TAB is_eog TAB hex(piece, special) TAB hex(piece, plain)
//
// TEXTS files hold texts separated by lines "__ggml_vocab_test__" (as llama.cpp's ggml-vocab-*.inp: each text is
// followed by "\n__ggml_vocab_test__\n"); TOKENS files hold one line of space-separated ids per text.
#include "llama.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

static const std::string SEPARATOR = "\n__ggml_vocab_test__\n";

static std::string read_file(const char * path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(1);
    }
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

static std::vector<std::string> split_texts(const std::string & all) {
    std::vector<std::string> texts;
    size_t pos = 0;
    while (pos < all.size()) {
        size_t next = all.find(SEPARATOR, pos);
        if (next == std::string::npos) {
            texts.push_back(all.substr(pos));
            break;
        }
        texts.push_back(all.substr(pos, next - pos));
        pos = next + SEPARATOR.size();
    }
    return texts;
}

static std::vector<llama_token> tokenize(const llama_vocab * vocab, const std::string & text, bool add_special, bool parse_special) {
    int n = -llama_tokenize(vocab, text.data(), (int32_t) text.size(), nullptr, 0, add_special, parse_special);
    std::vector<llama_token> tokens(n < 0 ? 0 : n);
    if (n > 0) {
        int got = llama_tokenize(vocab, text.data(), (int32_t) text.size(), tokens.data(), n, add_special, parse_special);
        if (got != n) {
            fprintf(stderr, "tokenize: size changed\n");
            exit(1);
        }
    }
    return tokens;
}

static std::string piece(const llama_vocab * vocab, llama_token token, bool special) {
    std::vector<char> buf(16);
    int n = llama_token_to_piece(vocab, token, buf.data(), (int32_t) buf.size(), 0, special);
    if (n < 0) {
        buf.resize(-n);
        n = llama_token_to_piece(vocab, token, buf.data(), (int32_t) buf.size(), 0, special);
    }
    return std::string(buf.data(), n);
}

static std::string hex(const std::string & s) {
    static const char * digits = "0123456789abcdef";
    std::string out;
    for (unsigned char c : s) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

int main(int argc, char ** argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s MODEL tokenize|detokenize|vocab ...\n", argv[0]);
        return 1;
    }
    const std::string mode = argv[2];

    llama_backend_init();
    llama_model_params mparams = llama_model_default_params();
    mparams.vocab_only = true;
    llama_model * model = llama_model_load_from_file(argv[1], mparams);
    if (model == nullptr) {
        fprintf(stderr, "cannot load %s\n", argv[1]);
        return 1;
    }
    const llama_vocab * vocab = llama_model_get_vocab(model);

    if (mode == "tokenize" && argc == 6) {
        const bool add_special = atoi(argv[4]) != 0;
        const bool parse_special = atoi(argv[5]) != 0;
        for (const std::string & text : split_texts(read_file(argv[3]))) {
            std::vector<llama_token> tokens = tokenize(vocab, text, add_special, parse_special);
            for (size_t i = 0; i < tokens.size(); i++) {
                printf(" %d", tokens[i]);  // the layout of llama.cpp's ggml-vocab-*.out files
            }
            printf("\n");
        }
    } else if (mode == "detokenize" && argc == 6) {
        const bool remove_special = atoi(argv[4]) != 0;
        const bool unparse_special = atoi(argv[5]) != 0;
        std::istringstream lines(read_file(argv[3]));
        for (std::string line; std::getline(lines, line);) {
            std::vector<llama_token> tokens;
            std::istringstream ids(line);
            for (llama_token id; ids >> id;) {
                tokens.push_back(id);
            }
            std::vector<char> buf(64);
            int n = llama_detokenize(vocab, tokens.data(), (int32_t) tokens.size(), buf.data(), (int32_t) buf.size(),
                                     remove_special, unparse_special);
            if (n < 0) {
                buf.resize(-n);
                n = llama_detokenize(vocab, tokens.data(), (int32_t) tokens.size(), buf.data(), (int32_t) buf.size(),
                                     remove_special, unparse_special);
            }
            fwrite(buf.data(), 1, n, stdout);
            fwrite(SEPARATOR.data(), 1, SEPARATOR.size(), stdout);
        }
    } else if (mode == "vocab" && argc == 3) {
        const int n = llama_vocab_n_tokens(vocab);
        for (llama_token id = 0; id < n; id++) {
            printf("%d\t%d\t%d\t%s\t%s\n", id, (int) llama_vocab_get_attr(vocab, id), llama_vocab_is_eog(vocab, id) ? 1 : 0,
                   hex(piece(vocab, id, true)).c_str(), hex(piece(vocab, id, false)).c_str());
        }
    } else {
        fprintf(stderr, "bad arguments\n");
        return 1;
    }

    llama_model_free(model);
    llama_backend_free();
    return 0;
}
