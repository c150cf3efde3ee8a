#!/usr/bin/env python3
"""Prints doubles that lie extremely close to a multiple of pi/2: the hardest inputs for sin/cos argument reduction.

For each binade [2^E, 2^(E+1)) the doubles are x = m * 2^(E-52) with m an integer in [2^52, 2^53). x is close to
k*pi/2 when k*g is close to the integer m, where g = pi/2 / 2^(E-52). The best such k are continued-fraction
convergents of g and small combinations of two consecutive convergents; this script tries those and keeps the
BEST_PER_BINADE closest x of each binade.

Output: one line per argument, "<x as a hex double> <|x - k*pi/2| / ulp(x), as a float>", for E = -1 .. 1023.
Needs mpmath. Usage: python3 testdata/tools/trig_hard_arguments.py > testdata/math/trig-hard-arguments.txt
"""
import sys

import mpmath

mpmath.mp.prec = 2600  # pi to well beyond 2^1024 * 2^-120
BEST_PER_BINADE = 2
HALF_PI = mpmath.pi / 2


def convergents(value, count):
    """The first `count` continued-fraction convergents (p, q) of a positive mpf."""
    p_prev, q_prev, p, q = 1, 0, int(mpmath.floor(value)), 1
    result = [(p, q)]
    rest = value - mpmath.floor(value)
    for _ in range(count):
        if rest == 0:
            break
        value = 1 / rest
        a = int(mpmath.floor(value))
        rest = value - a
        p_prev, q_prev, p, q = p, q, a * p + p_prev, a * q + q_prev
        result.append((p, q))
    return result


def hardest_in_binade(exponent):
    ulp = mpmath.ldexp(1, exponent - 52)
    g = HALF_PI / ulp  # m / k for x = m * ulp = k * pi/2
    k_min = int(mpmath.ceil(mpmath.mpf(2) ** 52 / g))
    k_max = int(mpmath.floor(mpmath.mpf(2) ** 53 / g))
    candidates = set()
    convs = convergents(g, 200)
    for i in range(len(convs)):
        q_i = convs[i][1]
        q_prev = convs[i - 1][1] if i > 0 else 0
        for a in range(0, 4):
            for b in range(-3, 4):
                k = a * q_i + b * q_prev
                if k_min <= k <= k_max and k > 0:
                    candidates.add(k)
    # Near the ends of the range (few multiples per binade), just try them all.
    if k_max - k_min < 64:
        candidates.update(range(max(1, k_min), k_max + 1))
    scored = []
    for k in candidates:
        m = int(mpmath.nint(k * g))
        if not (2 ** 52 <= m < 2 ** 53):
            continue
        x = mpmath.ldexp(m, exponent - 52)
        scored.append((abs(x - k * HALF_PI) / ulp, m))
    scored.sort()
    return [(float(mpmath.ldexp(m, exponent - 52)), score) for score, m in scored[:BEST_PER_BINADE]]


def main():
    for exponent in range(-1, 1024):
        for x, score in hardest_in_binade(exponent):
            sys.stdout.write("%s %.3e\n" % (x.hex(), float(score)))


if __name__ == "__main__":
    main()
