#!/usr/bin/python3
"""Write reference.csv: BG/NBD and Gamma-Gamma values computed with mpmath
at 50 digits, straight from the published closed forms, for test_ltv.c.

Run with Debian's python (apt-get install python3-mpmath):
    /usr/bin/python3 reference.py > reference.csv

Each data line is  kind,arg1,...,argN,expected  (arguments as Python reprs of
doubles, so C's strtod reads back the very values used here):
    cond    r,alpha,a,b,x,t_x,T,t      E[Y(t) | x, t_x, T]            FHL 2005 eq. 10
    uncond  r,alpha,a,b,t              E[X(t)]                        FHL 2005 eq. 9
    palive  r,alpha,a,b,x,t_x,T        P(alive | x, t_x, T)           FHL 2005 eq. 13
    ll      r,alpha,a,b,x,t_x,T        BG/NBD log-likelihood          FHL 2005 eq. 6
    dv      r,alpha,a,b,x,t_x,T,spend,period,H,d   discounted value of purchases
    gg_ll   p,q,v,x,m                  Gamma-Gamma log-likelihood of mean spend m
    gg_mean p,q,v,x,m                  E(M | x, m)
    ret     m,r,d                      m r / (1 + d - r)
    ret_n   m,r,d,n                    sum_{k=1..n} m (r / (1 + d))^k

The 2F1 closed forms divide by a - 1; at a = 1 exactly they are evaluated at
a = 1 + 1e-40 with 90 digits (the function is smooth there, so the value
differs from the limit by about 1e-40).  The `cond` rows are
also checked against the series of Euler's transformation summed at 50 digits (an
independent route to the same value) wherever z = t / (alpha + T + t) is not
too near 1.
"""
import random
import sys

import mpmath as mp

mp.mp.dps = 50
M = mp.mpf


def alive_purchases(r, alpha, a, b, x, T, t):
    """C/(a-1) (1 - (1-z)^R 2F1(R, B; C; z)), eq. 10 without P(alive)."""
    if a == 1:
        with mp.workdps(90):
            return alive_purchases(r, alpha, M(1) + M(10) ** -40, b, x, T, t)
    R, B, C = r + x, b + x, a + b + x - 1
    z = t / (alpha + T + t)
    return C / (a - 1) * (1 - (1 - z) ** R * mp.hyp2f1(R, B, C, z, maxterms=10**7))


def alive_purchases_series(r, alpha, a, b, x, T, t):
    """The same by Euler's transformation, summed term by term (see
    bj_bgnbd_predict.c): an independent route to check the closed form, for
    z not too near 1."""
    R, C = r + x, a + b + x - 1
    z = t / (alpha + T + t)
    E, Q, c, s, n = R, C - R, z, M(0), 1
    while True:
        term = E * c
        s += term
        if n > 50 and abs(term) < M(10) ** -45 * abs(s):
            return (1 - z) ** (a - 1) * s
        E, Q = E + Q * R / (C + n), Q * (C - R + n) / (C + n)
        c *= z * (a + n - 1) / (n + 1)
        n += 1


def p_alive(r, alpha, a, b, x, t_x, T):
    if x == 0:
        return M(1)
    return 1 / (1 + a / (b + x - 1) * ((alpha + T) / (alpha + t_x)) ** (r + x))


def cond(r, alpha, a, b, x, t_x, T, t):
    return p_alive(r, alpha, a, b, x, t_x, T) * alive_purchases(r, alpha, a, b, x, T, t)


def loglik(r, alpha, a, b, x, t_x, T):
    g = mp.loggamma
    a1 = g(r + x) - g(r) + r * mp.log(alpha)
    a2 = g(a + b) + g(b + x) - g(b) - g(a + b + x)
    v = mp.exp(-(r + x) * mp.log(alpha + T))
    if x > 0:
        v += a / (b + x - 1) * mp.exp(-(r + x) * mp.log(alpha + t_x))
    return a1 + a2 + mp.log(v)


def gg_ll(p, q, v, x, m):
    g = mp.loggamma
    return (g(p * x + q) - g(p * x) - g(q) + q * mp.log(v) + (p * x - 1) * mp.log(m)
            + p * x * mp.log(x) - (p * x + q) * mp.log(x * m + v))


def discounted(r, alpha, a, b, x, t_x, T, spend, period, H, d):
    total, before = M(0), M(0)
    for k in range(1, H + 1):
        upto = cond(r, alpha, a, b, x, t_x, T, k * period)
        total += spend * (upto - before) / (1 + d) ** k
        before = upto
    return total


rows = []


def emit(kind, args, value):
    rows.append(kind + "," + ",".join(repr(v) for v in args) + "," + mp.nstr(value, 25))


PARAMS = [
    (0.243, 4.414, 0.793, 2.426),   # CDNOW estimates
    (0.25, 4.0, 0.999, 2.5),        # a just below 1
    (0.25, 4.0, 1.0, 2.5),          # a = 1 exactly
    (1.001, 0.999, 1.001, 0.999),   # everything near 1
    (0.25, 4.0, 0.5, 0.7),          # a < 1 < a + b < 1 + r
    (0.5, 2.0, 0.3, 0.9),           # a < 1 < a + b
    (0.25, 1e-3, 0.8, 2.5),         # tiny alpha
    (2.0, 1e-4, 1.5, 3.0),          # tiny alpha, a > 1
    (1.5, 10.0, 30.0, 200.0),       # large a, b
    (0.1, 50.0, 0.05, 0.02),        # a + b < 1
    (5.0, 1.0, 2.0, 4.0),           # large r
]
CUSTOMERS = [
    (0, 0.0, 0.0), (0, 0.0, 1.0), (0, 0.0, 78.0), (1, 1.71, 38.86), (2, 30.43, 38.86),
    (10, 20.0, 30.0), (100, 77.0, 78.0), (3000, 10.0, 10.0), (5000, 77.99, 78.0),
    (5000, 999.9, 1000.0),
]
HORIZONS = [1.0, 39.0, 1000.0, 10000.0]

rng = random.Random(20240531)
checked = 0
worst = M(0)
for par in PARAMS:
    P = [M(v) for v in par]
    for t in [0.5, 39.0, 10000.0]:
        emit("uncond", par + (t,), alive_purchases(P[0], P[1], P[2], P[3], 0, 0, M(t)))
    for (x, t_x, T) in CUSTOMERS:
        c = (float(x), t_x, T)
        emit("palive", par + c, p_alive(*P, M(x), M(t_x), M(T)))
        emit("ll", par + c, loglik(*P, M(x), M(t_x), M(T)))
        for t in HORIZONS:
            v = cond(*P, M(x), M(t_x), M(T), M(t))
            emit("cond", par + c + (t,), v)
            if t / (par[1] + T) < 300 and v != 0:
                alt = p_alive(*P, M(x), M(t_x), M(T)) * \
                    alive_purchases_series(*P, M(x), M(T), M(t))
                worst = max(worst, abs(alt / v - 1))
                checked += 1

# random parameters and customers, log-uniform over wide ranges
for _ in range(60):
    par = tuple(float(mp.exp(rng.uniform(lo, hi))) for lo, hi in
                [(-4, 2), (-5, 5), (-4, 3), (-4, 4)])
    T = float(rng.choice([0.0, rng.uniform(0, 100)]))
    x = float(rng.choice([0, 1, 2, 5, rng.randint(0, 3000)])) if T > 0 else 0.0
    t_x = float(rng.uniform(0, T)) if x > 0 else 0.0
    t = float(mp.exp(rng.uniform(-3, 9.2)))
    P = [M(v) for v in par]
    emit("cond", par + (x, t_x, T, t), cond(*P, M(x), M(t_x), M(T), M(t)))

for (spend, period, H, d) in [(20.0, 1.0, 52, 0.002), (35.5, 4.0, 30, 0.01), (1.0, 52.0, 10, 0.1)]:
    for par in PARAMS[:3] + PARAMS[4:5]:
        for (x, t_x, T) in [(0, 0.0, 20.0), (2, 30.43, 38.86), (40, 70.0, 78.0)]:
            P = [M(v) for v in par]
            emit("dv", par + (float(x), t_x, T, spend, period, float(H), d),
                 discounted(*P, M(x), M(t_x), M(T), M(spend), M(period), H, M(d)))

for gp in [(6.25, 3.74, 15.44), (0.5, 1.5, 2.0), (50.0, 1.01, 0.1), (1e-2, 30.0, 1e3)]:
    G = [M(v) for v in gp]
    for (x, m) in [(1, 10.0), (2, 22.35), (10, 0.5), (4000, 35.0)]:
        emit("gg_ll", gp + (float(x), m), gg_ll(*G, M(x), M(m)))
        emit("gg_mean", gp + (float(x), m), (G[2] + M(m) * x) * G[0] / (G[0] * x + G[1] - 1))

for (m, r, d) in [(100.0, 0.75, 0.1), (1.0, 0.0, 0.0), (5.0, 0.9, -0.05)]:
    R = [M(m), M(r), M(d)]
    emit("ret", (m, r, d), R[0] * R[1] / (1 + R[2] - R[1]))
    for n in [1, 5, 40]:
        rho = R[1] / (1 + R[2])
        emit("ret_n", (m, r, d, float(n)), sum(R[0] * rho ** k for k in range(1, n + 1)))

print("# BG/NBD and Gamma-Gamma reference values, mpmath %s at %d digits; see reference.py"
      % (mp.__version__, mp.mp.dps))
print("# %d cond rows cross-checked by the Euler series, worst relative difference %s"
      % (checked, mp.nstr(worst, 3)))
for line in rows:
    print(line)
print("%d rows, %d cross-checked, worst %s" % (len(rows), checked, mp.nstr(worst, 3)),
      file=sys.stderr)
if worst > 1e-20:
    sys.exit("closed form and series disagree")
