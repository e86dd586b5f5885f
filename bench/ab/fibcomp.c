// A measurement for issue 13 (session 25), not part of any build: the IPv4 forwarding structure as
// assembly/fib.ts has it (18-6-8: level 1 of 2^18 u32, a 64-entry u32 chunk for every /18 holding a longer
// prefix, a 256-entry chunk for every /24 holding a longer one) against the same with its level-2 chunks
// compressed as runs, as fib6.ts's nodes are (Poptrie's leaf vector): a u64 bitmap whose bit i says that
// entry i starts a run (bit 0 always), then one u32 per run; entry i is run popcount(bitmap << (63 - i)) - 1.
// Both built from the same table in one process on 4 KiB pages (MADV_NOHUGEPAGE), as linear memory is: bytes
// per prefix, and lookup time on the same addresses (uniform random; inside announced prefixes) one address
// at a time (the shape of Table.lookupId) and by passes over blocks of B addresses as fibBatch does (level 1
// for every address, then the level-2 loads, then level 3; the compressed passes read a one-run bitmap for a
// level-1 leaf, so that they select rather than branch). CPU time, median of R rounds with the four methods
// rotated each round, and the median of the paired ratios to the plain structure. Checks that all four give
// the same answers.
// Build it with -mpopcnt and without -march=native: Wasm has a scalar i64.popcnt but no gather and no
// vector popcount, and with -march=native GCC vectorises the passes with AVX-512 gathers and vpopcntq
// (then the compressed passes came out 0.6-1.1x the plain ones; in Wasm they are 1.3-1.6x: RESULTS.md
// session 25).
// usage: gcc -O2 -mpopcnt -o /tmp/fibcomp bench/ab/fibcomp.c && zcat ../shared/data/tier1-ipv4.txt.gz > /tmp/t1.txt &&
//        /tmp/fibcomp /tmp/t1.txt
#include "fibab.h"
// compressed: l1 entries CHILD | word offset/2 of the chunk in C (u32 words; chunk = bm lo, bm hi, runs...)
typedef struct { uint32_t *l1; uint32_t *C; size_t words; uint32_t *c3; } Cmp;
static void compress(const Stride *f, Cmp *c) {
  c->l1 = arena(4u << 18); c->C = arena((size_t)4 << 27); c->words = 0; c->c3 = f->c3;
  for (uint32_t i = 0; i < (1u << 18); i++) {
    uint32_t e = f->l1[i];
    if (!(e & CHILD)) { c->l1[i] = e; continue; }
    const uint32_t *ch = &f->c2[(size_t)(e & ~CHILD) * 64];
    uint64_t bm = 1; uint32_t runs = 1;
    for (int j = 1; j < 64; j++) if (ch[j] != ch[j - 1]) { bm |= 1ull << j; runs++; }
    size_t need = 2 + runs;
    size_t o = c->words; if (o & 1) o++;
    memcpy(&c->C[o], &bm, 8);
    uint32_t k = 0; c->C[o + 2 + k++] = ch[0];
    for (int j = 1; j < 64; j++) if (ch[j] != ch[j - 1]) c->C[o + 2 + k++] = ch[j];
    c->words = o + need;
    c->l1[i] = CHILD | (uint32_t)(o >> 1);
  }
}
static inline uint32_t lookc(const Cmp *c, uint32_t a) {
  uint32_t e = c->l1[a >> 14];
  if (e & CHILD) {
    const uint32_t *ch = &c->C[(size_t)(e & ~CHILD) << 1];
    uint64_t bm; memcpy(&bm, ch, 8);
    uint32_t i = (a >> 8) & 63;
    e = ch[2 + __builtin_popcountll(bm << (63 - i)) - 1];
    if (e & CHILD) e = c->c3[(size_t)(e & ~CHILD) * 256 + (a & 255)];
  }
  return e;
}
#define R 9
#ifndef B
#define B 4096
#endif
int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: fibcomp PREFIXES.txt\n"); return 2; }
  if (!readPrefixes(argv[1])) return 2;
  Stride f = {0}; f.s1 = 18; f.s2 = 6; f.l1 = arena(4u << 18); f.c2 = arena((size_t)4 << 28); f.c3 = arena((size_t)4 << 24);
  for (int j = 0; j < N; j++) { int i = ord[j]; strideInsert(&f, P[i], L[i], (uint32_t)(i + 1) | ((uint32_t)L[i] << 25)); }
  double pb = 4.0 * (1u << 18) + 256.0 * f.n2 + 1024.0 * f.n3;
  Cmp c; compress(&f, &c);
  double cb = 4.0 * (1u << 18) + 4.0 * c.words + 1024.0 * f.n3;
  printf("plain: %u level-2 chunks, %u level-3: %.1f MB, %.2f B/prefix\n", f.n2, f.n3, pb / 1e6, pb / N);
  printf("compressed: %.1f MB, %.2f B/prefix (level-2 %.2f words/chunk avg)\n", cb / 1e6, cb / N, (double)c.words / f.n2);
  int M = 1 << 22; uint32_t *A[2]; makeAddresses(M, A); uint32_t *out = malloc(4 * M);
  for (int i = 0; i < M; i++) for (int w = 0; w < 2; w++) if (strideLook(&f, A[w][i]) != lookc(&c, A[w][i])) { printf("DIFF at %d\n", i); return 1; }
  const char *wn[2] = { "uniform", "in-prefix" };
  uintptr_t *tmp = malloc(sizeof(uintptr_t) * B);
  for (int w = 0; w < 2; w++) {
    double t[4][R]; uint64_t sink = 0;
    for (int r = 0; r < R; r++) for (int k0 = 0; k0 < 4; k0++) {
      int k = (k0 + r) % 4; const uint32_t *X = A[w]; double t0 = cpu();
      if (k == 0) for (int i = 0; i < M; i++) out[i] = strideLook(&f, X[i]);
      else if (k == 1) for (int i = 0; i < M; i++) out[i] = lookc(&c, X[i]);
      else if (k == 2) for (int b = 0; b < M; b += B) {
        for (int i = 0; i < B; i++) { uint32_t a = X[b + i], e = f.l1[a >> 14]; tmp[i] = (e & CHILD) ? (uintptr_t)&f.c2[((size_t)(e & ~CHILD) << 6) + ((a >> 8) & 63)] : (uintptr_t)&f.l1[a >> 14]; }
        for (int i = 0; i < B; i++) out[b + i] = *(uint32_t *)tmp[i];
        for (int i = 0; i < B; i++) { uint32_t e = out[b + i]; if (e & CHILD) out[b + i] = f.c3[(size_t)(e & ~CHILD) * 256 + (X[b + i] & 255)]; }
      } else for (int b = 0; b < M; b += B) {
        static const uint64_t ONE[2] = { 1, 0 };
        for (int i = 0; i < B; i++) { uint32_t a = X[b + i], e = c.l1[a >> 14]; tmp[i] = (e & CHILD) ? (uintptr_t)&c.C[(size_t)(e & ~CHILD) << 1] : (uintptr_t)ONE; out[b + i] = e; }
        for (int i = 0; i < B; i++) { const uint32_t *ch = (const uint32_t *)tmp[i]; uint64_t bm; memcpy(&bm, ch, 8); uint32_t ii = (X[b + i] >> 8) & 63;
          uintptr_t lp = (uintptr_t)&ch[2 + __builtin_popcountll(bm << (63 - ii)) - 1]; tmp[i] = (out[b + i] & CHILD) ? lp : (uintptr_t)&out[b + i]; }
        for (int i = 0; i < B; i++) { uint32_t e = *(uint32_t *)tmp[i]; if (e & CHILD) e = c.c3[(size_t)(e & ~CHILD) * 256 + (X[b + i] & 255)]; out[b + i] = e; }
      }
      t[k][r] = (cpu() - t0) * 1e6 / M; sink += out[M / 2];
      if (r == 0) for (int i = 0; i < M; i++) if (out[i] != strideLook(&f, X[i])) { printf("DIFF (method %d) at %d\n", k, i); return 1; }
    }
    const char *kn[4] = { "plain, one by one", "compressed, one by one", "plain, by passes", "compressed, by passes" };
    for (int k = 0; k < 4; k++) { double rr[R]; for (int r = 0; r < R; r++) rr[r] = t[k][r] / t[k & 2][r];
      qsort(rr, R, 8, dcmp); double s[R]; memcpy(s, t[k], sizeof s); qsort(s, R, 8, dcmp);
      printf("%s %s: %.2f ns (%.2f of plain) %lu\n", wn[w], kn[k], s[R / 2], rr[R / 2], (unsigned long)(sink & 1)); }
  }
  return 0;
}
