// What the C measurements of the IPv4 forwarding structure (fibchunks.c, fibstride.c, fibcomp.c) share: the prefixes of a
// prefix list (P, L, N; ord: their indexes by length, shortest first, so that a build paints covers first), the
// two address sets of the benchmarks (uniform random; inside announced prefixes: a prefix at random, its host
// bits at random), CPU time, arenas on 4 KiB pages (MADV_NOHUGEPAGE, as linear memory is) and a double compare.
#ifndef FIBAB_H
#define FIBAB_H
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
static uint32_t *P; static uint8_t *L; static int N; static int *ord;
static double cpu(void) { struct timespec t; clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); return t.tv_sec * 1e3 + t.tv_nsec / 1e6; }
static void *arena(size_t b) { void *p = mmap(0, b, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0); madvise(p, b, MADV_NOHUGEPAGE); return p; }
static int cmplen(const void *a, const void *b) { int i = *(int*)a, j = *(int*)b; return L[i] - L[j]; }
static int dcmp(const void *a, const void *b) { double x = *(double*)a, y = *(double*)b; return x < y ? -1 : x > y; }
/** Reads up to 1,000,000 "a.b.c.d/len" lines of path into P, L, N and sorts ord by length; 0 if it cannot be read. */
static int readPrefixes(const char *path) {
  FILE *f = fopen(path, "r"); char line[128]; P = malloc(4 * 1000000); L = malloc(1000000);
  if (!f) { perror(path); return 0; }
  while (N < 1000000 && fgets(line, sizeof line, f)) { unsigned a, b, c, d, l; if (sscanf(line, "%u.%u.%u.%u/%u", &a, &b, &c, &d, &l) == 5) { P[N] = (a << 24) | (b << 16) | (c << 8) | d; L[N++] = l; } }
  fclose(f);
  ord = malloc(4 * N); for (int i = 0; i < N; i++) ord[i] = i; qsort(ord, N, 4, cmplen);
  return 1;
}
/** M addresses of each set: A[0] uniform random, A[1] inside announced prefixes (xorshift64, a fixed seed). */
static void makeAddresses(int M, uint32_t *A[2]) {
  A[0] = malloc(4 * (size_t)M); A[1] = malloc(4 * (size_t)M);
  uint64_t s = 88172645463325252ull;
  for (int i = 0; i < M; i++) { s ^= s << 13; s ^= s >> 7; s ^= s << 17; A[0][i] = (uint32_t)s;
    uint32_t r = (uint32_t)(s >> 32) % N; uint32_t host = L[r] == 32 ? 0 : (uint32_t)(s >> 8) & (0xffffffffu >> L[r]); A[1][i] = P[r] | host; }
}
// An S1-(24-S1)-8 structure of u32 entries: leaf = slot | len << 25, child = CHILD | chunk index (fibstride.c
// builds several S1; fibcomp.c 18-6-8), built by strideInsert in order of length, shortest first (ord).
#define CHILD 0x80000000u
typedef struct { int s1, s2; uint32_t *l1; uint32_t *c2; uint32_t n2; uint32_t *c3; uint32_t n3; } Stride;
static inline void stridePaint(Stride *f, uint32_t *e, uint32_t leaf, uint32_t len, int lvl) {
  if (*e & CHILD) {
    uint32_t c = *e & ~CHILD;
    if (lvl == 1) { uint32_t n = 1u << f->s2; for (uint32_t i = 0; i < n; i++) stridePaint(f, &f->c2[(size_t)c * n + i], leaf, len, 2); }
    else { for (int i = 0; i < 256; i++) stridePaint(f, &f->c3[(size_t)c * 256 + i], leaf, len, 3); }
    return;
  }
  if ((*e >> 25) <= len) *e = leaf;
}
static inline void strideInsert(Stride *f, uint32_t a, uint32_t len, uint32_t leaf) {
  int s1 = f->s1, s2 = f->s2;
  if (len <= (uint32_t)s1) { uint32_t n = 1u << (s1 - len); uint32_t b = len == 0 ? 0 : a >> (32 - s1); for (uint32_t i = 0; i < n; i++) stridePaint(f, &f->l1[b + i], leaf, len, 1); return; }
  uint32_t *e = &f->l1[a >> (32 - s1)];
  uint32_t n2 = 1u << s2;
  if (!(*e & CHILD)) { uint32_t c = f->n2++; for (uint32_t i = 0; i < n2; i++) f->c2[(size_t)c * n2 + i] = *e; *e = CHILD | c; }
  uint32_t *c2 = &f->c2[(size_t)(*e & ~CHILD) * n2];
  uint32_t i2 = (a >> 8) & (n2 - 1);
  if (len <= 24) { uint32_t n = 1u << (24 - len); for (uint32_t i = 0; i < n; i++) stridePaint(f, &c2[i2 + i], leaf, len, 2); return; }
  e = &c2[i2];
  if (!(*e & CHILD)) { uint32_t c = f->n3++; for (int i = 0; i < 256; i++) f->c3[(size_t)c * 256 + i] = *e; *e = CHILD | c; }
  uint32_t *c3 = &f->c3[(size_t)(*e & ~CHILD) * 256];
  uint32_t n = 1u << (32 - len); for (uint32_t i = 0; i < n; i++) stridePaint(f, &c3[(a & 255) + i], leaf, len, 3);
}
static inline uint32_t strideLook(const Stride *f, uint32_t a) {
  uint32_t e = f->l1[a >> (32 - f->s1)];
  if (e & CHILD) { e = f->c2[((size_t)(e & ~CHILD) << f->s2) + ((a >> 8) & ((1u << f->s2) - 1))]; if (e & CHILD) e = f->c3[(size_t)(e & ~CHILD) * 256 + (a & 255)]; }
  return e;
}
#endif
