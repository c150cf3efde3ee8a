// Teacher-forced llama.cpp logits: feeds a fixed token sequence to libllama (the prompt as one batch, then one
// token at a time, as llama.cpp's greedy generator does) and prints, for every position from the last prompt token
// on, the top-K token ids and logits as one JSON line. Our own small program: it only calls llama.h.
//
//   teacher_forced MODEL.gguf N_PROMPT K TOKEN... [--backend LIBGGML-CPU.so]
//
// Build: see README.md in this directory.
#include "ggml-backend.h"
#include "llama.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <string>
#include <vector>

static void print_top(const float * logits, int n_vocab, int k, bool last) {
    std::vector<int> idx(n_vocab);
    std::iota(idx.begin(), idx.end(), 0);
    std::partial_sort(idx.begin(), idx.begin() + k, idx.end(),
                      [&](int a, int b) { return logits[a] > logits[b] || (logits[a] == logits[b] && a < b); });
    printf("[");
    for (int i = 0; i < k; i++) {
        printf("%s[%d, %.6f]", i ? ", " : "", idx[i], logits[idx[i]]);
    }
    printf("]%s", last ? "" : ", ");
}

int main(int argc, char ** argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: %s MODEL N_PROMPT K TOKEN... [--backend LIB]\n", argv[0]);
        return 2;
    }
    const char * model_path = argv[1];
    int n_prompt = atoi(argv[2]);
    int k = atoi(argv[3]);
    std::vector<llama_token> tokens;
    const char * backend = nullptr;
    for (int i = 4; i < argc; i++) {
        if (strcmp(argv[i], "--backend") == 0 && i + 1 < argc) {
            backend = argv[++i];
        } else {
            tokens.push_back(atoi(argv[i]));
        }
    }
    llama_backend_init();
    if (backend) {
        ggml_backend_load(backend);
    }
    llama_model_params mp = llama_model_default_params();
    llama_model * model = llama_model_load_from_file(model_path, mp);
    if (!model) {
        return 1;
    }
    llama_context_params cp = llama_context_default_params();
    cp.n_ctx = 512;
    cp.n_threads = 2;
    cp.n_threads_batch = 2;
    llama_context * ctx = llama_init_from_model(model, cp);
    int n_vocab = llama_vocab_n_tokens(llama_model_get_vocab(model));

    llama_batch batch = llama_batch_get_one(tokens.data(), n_prompt);
    if (llama_decode(ctx, batch)) {
        return 1;
    }
    printf("{\"steps\": [");
    print_top(llama_get_logits_ith(ctx, -1), n_vocab, k, n_prompt == (int) tokens.size());
    for (size_t i = n_prompt; i < tokens.size(); i++) {
        llama_batch one = llama_batch_get_one(&tokens[i], 1);
        if (llama_decode(ctx, one)) {
            return 1;
        }
        print_top(llama_get_logits_ith(ctx, -1), n_vocab, k, i + 1 == tokens.size());
    }
    printf("]}\n");
    llama_free(ctx);
    llama_model_free(model);
    return 0;
}
