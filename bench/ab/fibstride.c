// A measurement for issue 13 (session 24), not part of any build: IPv4 forwarding structures S1-(24-S1)-8 for
// several first strides S1 (level 1: 2^S1 u32 entries by address bits 31..32-S1; level 2: a chunk of 2^(24-S1)
// u32 for every /S1 holding a longer prefix; level 3: a chunk of 256 u32 for every /24 holding a longer prefix),
// all built from the same table in one process, on 4 KiB pages (MADV_NOHUGEPAGE) as linear memory is: bytes
// per prefix, and lookup time on the same addresses (uniform random; inside announced prefixes) by a plain loop
// and by passes as assembly/fib.ts fibBatch does (level 1 for every address, then the level-2 loads, then the
// rest). CPU time, median of nine rounds (the structures' order rotated each round) and the median of the
// paired ratios to the first S1 given. Checks that all give the same answers. It chose 18-6-8 over 16-8-8.
// usage: gcc -O2 -o /tmp/fibstride bench/ab/fibstride.c && zcat ../shared/data/tier1-ipv4.txt.gz > /tmp/t1.txt &&
//        /tmp/fibstride /tmp/t1.txt 16 17 18 19
#include "fibab.h"
#define R 9
int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: stride PREFIXES.txt S1 [S1 ...]\n"); return 2; }
  if (!readPrefixes(argv[1])) return 2;
  int K = argc - 2; Stride F[8];
  for (int k = 0; k < K; k++) {
    Stride *f = &F[k]; f->s1 = atoi(argv[2 + k]); f->s2 = 24 - f->s1; f->n2 = f->n3 = 0;
    f->l1 = arena((size_t)4 << f->s1); f->c2 = arena((size_t)4 << 28); f->c3 = arena((size_t)4 << 24);
    for (int j = 0; j < N; j++) { int i = ord[j]; strideInsert(f, P[i], L[i], (uint32_t)(i + 1) | ((uint32_t)L[i] << 25)); }
    double bytes = (4.0 * (1u << f->s1)) + 4.0 * (double)f->n2 * (double)(1u << f->s2) + 1024.0 * f->n3;
    printf("%d-%d-8: level 1 %u KiB, %u level-2 chunks of %u B, %u level-3 chunks: %.1f MB, %.1f B/prefix\n", f->s1, f->s2,
      (4u << f->s1) >> 10, f->n2, 4u << f->s2, f->n3, bytes / 1e6, bytes / N);
  }
  int M = 1 << 22; uint32_t *A[2]; makeAddresses(M, A); uint32_t *out = malloc(4 * M);
  for (int k = 1; k < K; k++) for (int i = 0; i < M; i++) for (int w = 0; w < 2; w++)
    if ((strideLook(&F[0], A[w][i]) & 0x1ffffff) != (strideLook(&F[k], A[w][i]) & 0x1ffffff)) { printf("DIFF %d at %d\n", k, i); return 1; }
  const char *wn[2] = { "uniform", "in-prefix" };
  uintptr_t *tmp = malloc(sizeof(uintptr_t) * M);
  for (int w = 0; w < 2; w++) {
    double tp[8][R], pp[8][R]; uint64_t sink = 0;
    for (int r = 0; r < R; r++) for (int k0 = 0; k0 < K; k0++) {
      int k = (k0 + r) % K; const Stride *f = &F[k];
      double t0 = cpu(); for (int i = 0; i < M; i++) out[i] = strideLook(f, A[w][i]); tp[k][r] = (cpu() - t0) * 1e6 / M; sink += out[M / 2];
      int sh = 32 - f->s1, s2 = f->s2; uint32_t m2 = (1u << s2) - 1;
      t0 = cpu();
      for (int i = 0; i < M; i++) { uint32_t a = A[w][i], e = f->l1[a >> sh]; tmp[i] = (e & CHILD) ? (uintptr_t)&f->c2[((size_t)(e & ~CHILD) << s2) + ((a >> 8) & m2)] : (uintptr_t)&f->l1[a >> sh]; }
      for (int i = 0; i < M; i++) out[i] = *(uint32_t *)tmp[i];
      for (int i = 0; i < M; i++) { uint32_t e = out[i]; if (e & CHILD) out[i] = f->c3[(size_t)(e & ~CHILD) * 256 + (A[w][i] & 255)]; }
      pp[k][r] = (cpu() - t0) * 1e6 / M; sink += out[M / 3];
    }
    for (int k = 0; k < K; k++) {
      double rp[R], rb[R]; for (int r = 0; r < R; r++) { rp[r] = tp[k][r] / tp[0][r]; rb[r] = pp[k][r] / pp[0][r]; }
      qsort(tp[k], R, 8, dcmp); qsort(pp[k], R, 8, dcmp); qsort(rp, R, 8, dcmp); qsort(rb, R, 8, dcmp);
      printf("%s %d-%d-8: plain %.2f ns (%.2f of the first), by passes %.2f ns (%.2f) %lu\n", wn[w], F[k].s1, F[k].s2, tp[k][R / 2], rp[R / 2], pp[k][R / 2], rb[R / 2], (unsigned long)(sink & 1));
    }
  }
  return 0;
}
