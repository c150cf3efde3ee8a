#!/usr/bin/env python3
"""Writes the texts of Tealama's extra tokenizer tests (testdata/reference/tokenizer/*.inp).

The texts are separated like llama.cpp's ggml-vocab-*.inp files: every text is followed by a line
"__ggml_vocab_test__". llama.cpp's tokenizer turns them into the expected outputs (see README.md there).

    python3 testdata/tools/tokenizer_texts.py edge   > testdata/reference/tokenizer/edge-cases.inp
    python3 testdata/tools/tokenizer_texts.py random > testdata/reference/tokenizer/random.inp
"""
import random
import sys

SEPARATOR = "\n__ggml_vocab_test__\n"

LLAMA3_CHAT = ("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are a helpful assistant."
               "<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWhat's 2+2? Answer in one word.<|eot_id|>"
               "<|start_header_id|>assistant<|end_header_id|>\n\n")
LLAMA2_CHAT = "<s>[INST] <<SYS>>\nYou are a helpful assistant.\n<</SYS>>\n\nWhat's 2+2? [/INST] Four. </s><s>[INST] Thanks! [/INST]"

EDGE_CASES = [
    "",
    " ",
    "Once upon a time",
    # contractions, any case, and look-alikes that must not match
    "'s 'S 't 'T 're 'RE 'rE 've 'VE 'm 'M 'll 'LL 'lL 'd 'D",
    "it's DON'T we'LL they'Re I'd you'VE 'x 'sx ''s",
    "'", "''", "'r", "'l", "'ſ 'K 'İ",
    "\u2019s don\u2019t",
    # whitespace: the White_Space set, and characters some libraries call whitespace but Unicode does not
    "a\u00a0b a\u2007b a\u202fb \u1680x x\u0085y a\u000bb a\u000cb \u3000z \u2028\u2029 \u205f",
    "a\u001cb\u001dc\u001ed\u001ff \u200bzero\u200cwidth\u200djoin \ufeffbom \u180emongolian",
    "a\r\nb\r\r\n \n\n x  \n  y \r  \u00a0\n end",
    "trailing   ", "   leading", "  \u00a0  ", "\t\t\tx", " \t \n \u00a0 \u3000 ",
    # numbers in several scripts; letter-numbers and other numbers
    "12345678901 1 12 123 1234",
    "\u0661\u0662\u0663\u0664\u0665 \u0967\u0968\u0969\u096a \u216b\u2160 \u00bd\u00b2\u00b3 \U0001d7d8\U0001d7d9\U0001d7da\U0001d7db",
    "v1.2.3 3.14159 1e-10 0x1F $100 -42 +7",
    # letters with marks: marks are not letters
    "\u0928\u092e\u0938\u094d\u0924\u0947 \u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35 e\u0301cole \u00e9cole a\u0308\u0308",
    "\ud55c\uad6d\uc5b4 \u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8 \u4e2d\u6587\u5b57 \u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5\u05dd",
    "\u0393\u03b5\u03b9\u03b1 \u03c3\u03bf\u03c5 \u041f\u0440\u0438\u0432\u0435\u0442 \u10d2\u10d0\u10db\u10d0\u10e0\u10ef\u10dd\u10d1\u10d0",
    # emoji: ZWJ sequences, skin tones, flags, keycaps, variation selectors
    "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466 \U0001f44d\U0001f3fd \U0001f1fa\U0001f1f8\U0001f1ef\U0001f1f5 1\ufe0f\u20e3 \u2764\ufe0f",
    # characters first assigned in Unicode 16.0 (llama.cpp's table is Unicode 15.1: they are unassigned there)
    "\U000105c0\U000105c1\U000105c2 \u1c89\u1c8a \ua7cb\ua7cc\ua7cd a\ua7dab \u0897x \u1b4e\u1b4f \u2427\u2428 \u31e4",
    "word\U000105c0word 12\U000105c034",
    # unassigned, private use, noncharacters, the replacement character
    "\U000e0080 \ue000\uf8ff \U0010ffff \ufffe\uffff \ufffd x\ufffdy",
    # control characters
    "\u0000\u0001\u0007\u001b[0m\u007f\u0080\u009f",
    # punctuation and symbols runs, with newlines after them
    "!!!???... ---> <=> ((( ))) [[ ]] {{ }} \"quoted\" \u00ab\u00bb \u201cyes\u201d",
    "end.\n\n\nnext;\r\n\r\nthen:\n",
    "a+b=c; x*y/z % 100 & | ^ ~ ` @ # \\ /",
    "```python\ndef f(x):\n    return x ** 2  # square\n```",
    "    indented\n\tcode\n        more",
    # special token texts: plain text unless parse_special
    LLAMA3_CHAT,
    "<|eot_id|><|eot_id|>text<|end_of_text|> <|begin_of_text|>",
    "<|eot_id <|eot_id|> |eot_id|> <|reserved_special_token_0|><|reserved_special_token_250|>",
    "Hello<|start_header_id|>user<|end_header_id|>world",
    LLAMA2_CHAT,
    "<s><s> </s> <unk> <s>x</s>",
    "a<s>b",
    # long runs
    "a" * 1000,
    " " * 300,
    "\n" * 100,
    "9" * 200,
    "ab" * 200,
    "\U0001f600" * 50,
    "hello world " * 50,
]

# Character classes the random texts are drawn from: (weight, list of code point ranges)
CLASSES = [
    (30, [(0x61, 0x7a), (0x41, 0x5a)]),                              # ASCII letters
    (8, [(0x30, 0x39)]),                                              # digits
    (12, [(0x20, 0x20)]),                                             # space
    (4, [(0x0a, 0x0a), (0x0d, 0x0d), (0x09, 0x09)]),                  # newline, carriage return, tab
    (8, [(0x21, 0x2f), (0x3a, 0x40), (0x5b, 0x60), (0x7b, 0x7e)]),    # ASCII punctuation and symbols
    (3, [(0x27, 0x27)]),                                              # apostrophe (contractions)
    (3, [(0xa0, 0xff), (0x100, 0x17f)]),                              # Latin-1, Latin Extended-A
    (3, [(0x370, 0x3ff), (0x400, 0x4ff)]),                            # Greek, Cyrillic
    (2, [(0x300, 0x36f), (0x900, 0x97f)]),                            # combining marks, Devanagari
    (3, [(0x4e00, 0x4fff), (0x3040, 0x30ff), (0xac00, 0xad00)]),      # CJK, kana, Hangul
    (3, [(0x1f300, 0x1f64f), (0x1f900, 0x1f9ff)]),                    # emoji
    (2, [(0x2000, 0x206f), (0x3000, 0x3000), (0x85, 0x85), (0x1680, 0x1680)]),  # general punctuation, spaces
    (1, [(0x660, 0x669), (0x2150, 0x218f), (0x1d7ce, 0x1d7ff)]),      # other digits and numbers
    (1, [(0x105c0, 0x105f3), (0x1c89, 0x1c8a), (0xa7cb, 0xa7cd)]),    # new in Unicode 16.0
    (1, [(0xe000, 0xe0ff), (0xe0080, 0xe00ff), (0xfffd, 0xffff)]),    # private use, unassigned, U+FFFD
    (1, [(0x00, 0x1f), (0x7f, 0x9f)]),                                # control characters
]
SPECIAL_TEXTS = ["<|eot_id|>", "<|begin_of_text|>", "<|start_header_id|>", "<s>", "</s>", "<unk>", "<|eot_id"]


def random_text(rng):
    total = sum(w for w, _ in CLASSES)
    out = []
    for _ in range(rng.randint(0, 40)):
        if rng.random() < 0.03:
            out.append(rng.choice(SPECIAL_TEXTS))
            continue
        pick = rng.uniform(0, total)
        for weight, ranges in CLASSES:
            pick -= weight
            if pick <= 0:
                break
        lo, hi = rng.choice(ranges)
        cpt = rng.randint(lo, hi)
        if 0xd800 <= cpt <= 0xdfff:
            cpt = 0xfffd
        out.append(chr(cpt) * (rng.randint(1, 4) if rng.random() < 0.1 else 1))
    return "".join(out)


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in ("edge", "random"):
        sys.exit("usage: tokenizer_texts.py edge|random")
    if sys.argv[1] == "edge":
        texts = EDGE_CASES
    else:
        rng = random.Random(20240517)
        texts = [random_text(rng) for _ in range(200)]
    for text in texts:
        assert SEPARATOR not in text
        sys.stdout.buffer.write((text + SEPARATOR).encode("utf-8"))


if __name__ == "__main__":
    main()
