// A measurement for issue 13 (session 23), not part of any build: the IPv4 forwarding structure of assembly/fib.ts
// (16-8-8, u32 entries, a 1 KiB chunk for every /16 and /24 with a longer prefix) against a compressed variant
// whose chunks are 256 one-byte indexes followed by the chunk's distinct entries (u32), 64-byte aligned: the
// bytes per prefix of each, and their lookup time on the same addresses (uniform random; inside announced
// prefixes), by a plain loop and by passes as fibBatch does (level 1 for every address, then the level-2 loads,
// then the rest). Both structures on 4 KiB pages (MADV_NOHUGEPAGE), as linear memory is; CPU time, median of
// nine alternated rounds and the median of their paired ratios. Checks that both give the same answers.
// usage: gcc -O2 -o /tmp/fibchunks bench/ab/fibchunks.c && zcat ../shared/data/tier1-ipv4.txt.gz > /tmp/t1.txt &&
//        /tmp/fibchunks /tmp/t1.txt
#include "fibab.h"
// ---- plain 16-8-8 ----
static uint32_t *l1; static uint32_t *chunks; static uint32_t nch;
#define MAX_CHUNKS 60000
static uint32_t newchunk(uint32_t fill) { if (nch == MAX_CHUNKS) { fprintf(stderr, "too many chunks\n"); exit(1); } uint32_t c = nch++; for (int i = 0; i < 256; i++) chunks[c * 256 + i] = fill; return c; }
static void paint(uint32_t *e, uint32_t leaf, uint32_t len) {  // e: slot; overwrite if shorter or equal
  if (*e & CHILD) { uint32_t c = *e & ~CHILD; for (int i = 0; i < 256; i++) paint(&chunks[c * 256 + i], leaf, len); return; }
  if ((*e >> 25) <= len) *e = leaf;
}
static void insert(uint32_t a, uint32_t len, uint32_t leaf) {
  if (len <= 16) { uint32_t n = 1u << (16 - len); for (uint32_t i = 0; i < n; i++) paint(&l1[(a >> 16) + i], leaf, len); return; }
  uint32_t *e = &l1[a >> 16];
  if (!(*e & CHILD)) { uint32_t c = newchunk(*e); *e = CHILD | c; }
  uint32_t *c2 = &chunks[(*e & ~CHILD) * 256];
  if (len <= 24) { uint32_t n = 1u << (24 - len); for (uint32_t i = 0; i < n; i++) paint(&c2[((a >> 8) & 255) + i], leaf, len); return; }
  e = &c2[(a >> 8) & 255];
  if (!(*e & CHILD)) { uint32_t c = newchunk(*e); *e = CHILD | c; }
  uint32_t *c3 = &chunks[(*e & ~CHILD) * 256];
  uint32_t n = 1u << (32 - len); for (uint32_t i = 0; i < n; i++) paint(&c3[(a & 255) + i], leaf, len);
}
static inline uint32_t look(uint32_t a) {
  uint32_t e = l1[a >> 16];
  if (e & CHILD) { e = chunks[(e & ~CHILD) * 256 + ((a >> 8) & 255)]; if (e & CHILD) e = chunks[(e & ~CHILD) * 256 + (a & 255)]; }
  return e;
}
// ---- compressed: chunk c -> byte offset in carena: [256 u8 idx][n u32 leaves] (64-aligned) ----
static uint32_t *cl1; static uint8_t *carena; static size_t ctop;
static uint32_t conv(uint32_t e);
static uint32_t compress(uint32_t c) {   // returns the offset (>>6) of the compressed chunk
  uint32_t v[256], n = 0; uint8_t idx[256];
  for (int i = 0; i < 256; i++) { uint32_t e = chunks[c * 256 + i]; if (e & CHILD) e = CHILD | conv(e); uint32_t k; for (k = 0; k < n; k++) if (v[k] == e) break; if (k == n) v[n++] = e; idx[i] = k; }
  size_t off = ctop; memcpy(carena + off, idx, 256); memcpy(carena + off + 256, v, 4 * n);
  ctop = (off + 256 + 4 * n + 63) & ~(size_t)63;
  return (uint32_t)(off >> 6);
}
static uint32_t conv(uint32_t e) { return compress(e & ~CHILD); }
static inline uint32_t clook(uint32_t a) {
  uint32_t e = cl1[a >> 16];
  if (e & CHILD) { const uint8_t *p = carena + ((size_t)(e & ~CHILD) << 6); e = ((const uint32_t *)(p + 256))[p[(a >> 8) & 255]];
    if (e & CHILD) { p = carena + ((size_t)(e & ~CHILD) << 6); e = ((const uint32_t *)(p + 256))[p[a & 255]]; } }
  return e;
}
int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: fibchunks PREFIXES.txt\n"); return 2; }
  if (!readPrefixes(argv[1])) return 2;
  l1 = arena(4 << 16); chunks = arena((size_t)4 * 256 * MAX_CHUNKS);
  for (int k = 0; k < N; k++) { int i = ord[k]; insert(P[i], L[i], (uint32_t)(i + 1) | ((uint32_t)L[i] << 25)); }
  carena = arena((size_t)1 << 30); cl1 = arena(4 << 16);
  for (int i = 0; i < 65536; i++) cl1[i] = (l1[i] & CHILD) ? (CHILD | compress(l1[i] & ~CHILD)) : l1[i];
  printf("16-8-8: %u chunks, %.1f MB (%.1f B/prefix); compressed: %.1f MB (%.1f B/prefix)\n", nch, (262144 + nch * 1024.0) / 1e6,
    (262144 + nch * 1024.0) / N, (262144 + ctop) / 1e6, (262144.0 + ctop) / N);
  int M = 1 << 22; uint32_t *A[2]; makeAddresses(M, A); uint32_t *out = malloc(4 * M);
  for (int i = 0; i < M; i++) for (int w = 0; w < 2; w++) if (((look(A[w][i]) & 0x1ffffff)) != (clook(A[w][i]) & 0x1ffffff)) { printf("DIFF at %d\n", i); return 1; }
  const char *wn[2] = { "uniform", "in-prefix" };
  for (int w = 0; w < 2; w++) {
    double tp[9], tc[9]; uint64_t sink = 0;
    for (int r = 0; r < 9; r++) {
      double t0 = cpu(); for (int i = 0; i < M; i++) out[i] = look(A[w][i]); tp[r] = (cpu() - t0) * 1e6 / M; sink += out[M / 2];
      t0 = cpu(); for (int i = 0; i < M; i++) out[i] = clook(A[w][i]); tc[r] = (cpu() - t0) * 1e6 / M; sink += out[M / 3];
    }
    // by passes, as the core's fibBatch: level 1 for all, then the level-2 loads for all, then the rest
    double pp[9], pc[9];
    uintptr_t *tmp = malloc(sizeof(uintptr_t) * M);
    for (int r = 0; r < 9; r++) {
      double t0 = cpu();
      for (int i = 0; i < M; i++) { uint32_t a = A[w][i], e = l1[a >> 16]; tmp[i] = (e & CHILD) ? (uintptr_t)&chunks[(e & ~CHILD) * 256 + ((a >> 8) & 255)] : (uintptr_t)&l1[a >> 16]; }
      for (int i = 0; i < M; i++) out[i] = *(uint32_t *)tmp[i];
      for (int i = 0; i < M; i++) { uint32_t e = out[i]; if (e & CHILD) out[i] = chunks[(e & ~CHILD) * 256 + (A[w][i] & 255)]; }
      pp[r] = (cpu() - t0) * 1e6 / M; sink += out[M / 2];
      t0 = cpu();
      for (int i = 0; i < M; i++) { uint32_t a = A[w][i], e = cl1[a >> 16]; tmp[i] = (e & CHILD) ? (uintptr_t)(carena + ((size_t)(e & ~CHILD) << 6)) : 0; }
      for (int i = 0; i < M; i++) { uintptr_t p = tmp[i]; if (p) out[i] = ((const uint32_t *)(p + 256))[((const uint8_t *)p)[(A[w][i] >> 8) & 255]]; else out[i] = cl1[A[w][i] >> 16]; }
      for (int i = 0; i < M; i++) { uint32_t e = out[i]; if (e & CHILD) { const uint8_t *p = carena + ((size_t)(e & ~CHILD) << 6); out[i] = ((const uint32_t *)(p + 256))[p[A[w][i] & 255]]; } }
      pc[r] = (cpu() - t0) * 1e6 / M; sink += out[M / 3];
    }
    double pr[9]; for (int r = 0; r < 9; r++) pr[r] = pc[r] / pp[r];
    qsort(pp, 9, 8, dcmp); qsort(pc, 9, 8, dcmp); qsort(pr, 9, 8, dcmp);
    printf("%s by passes: 16-8-8 %.2f ns, compressed %.2f ns, ratio %.2f\n", wn[w], pp[4], pc[4], pr[4]);
    double ratio[9]; for (int r = 0; r < 9; r++) ratio[r] = tc[r] / tp[r];
    qsort(tp, 9, 8, dcmp); qsort(tc, 9, 8, dcmp); qsort(ratio, 9, 8, dcmp);
    printf("%s: 16-8-8 %.2f ns, compressed %.2f ns, ratio %.2f (paired median) %lu\n", wn[w], tp[4], tc[4], ratio[4], (unsigned long)(sink & 1));
  }
  return 0;
}
