/*
 * DIR-24-8 for IPv4: one 2^24-entry table indexed by the top 24 bits of the address; an entry either
 * answers (prefix index + 1, 0 = no match) or, with EXT set, names a group of 256 entries indexed by the
 * last 8 bits. A lookup is one load, or two for addresses under a prefix longer than /24. Built by
 * writing the prefixes from the shortest to the longest, so each entry ends with the longest prefix
 * covering it; among duplicates of a prefix the lowest index is written last. Memory: 64 MiB plus 1 KiB
 * per group; on Linux the 64 MiB sit on transparent huge pages when the kernel grants them, unless the
 * environment sets ANCHOR_SMALL_PAGES (then they are advised off huge pages: 4 KiB pages, as the Wasm
 * linear memory of rtm-wasm gets here, so that the report can give the ratio on equal pages too).
 */
#define _DEFAULT_SOURCE
#include <stdlib.h>
#include <string.h>
#include "anchor.h"
#ifdef __linux__
#include <sys/mman.h>
#endif

#define EXT 0x80000000u

#define TBL24_BYTES (((size_t)1 << 24) * sizeof(uint32_t))
#define HUGE_PAGE ((size_t)2 << 20)

/* tbl24 zeroed; on Linux from mmap, 2 MiB aligned and advised onto transparent huge pages (as DIR-24-8
   is deployed: a 64 MiB table on 4 KiB pages costs a TLB miss on nearly every lookup) */
static uint32_t *tbl24_alloc(int *huge) {
#ifdef __linux__
  char *m = mmap(NULL, TBL24_BYTES + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m != MAP_FAILED) {
    char *a = (char *)(((uintptr_t)m + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
    if (a > m) munmap(m, (size_t)(a - m));
    if (a + TBL24_BYTES < m + TBL24_BYTES + HUGE_PAGE) munmap(a + TBL24_BYTES, (size_t)(m + HUGE_PAGE - a));
    if (getenv("ANCHOR_SMALL_PAGES")) {
      madvise(a, TBL24_BYTES, MADV_NOHUGEPAGE);
      *huge = 0;
    } else {
      *huge = madvise(a, TBL24_BYTES, MADV_HUGEPAGE) == 0;
    }
    return (uint32_t *)a;
  }
#endif
  *huge = 0;
  return calloc((size_t)1 << 24, sizeof(uint32_t));
}

static void tbl24_free(uint32_t *p) {
  if (!p) return;
#ifdef __linux__
  munmap(p, TBL24_BYTES);
#else
  free(p);
#endif
}

static void fill(uint32_t *e, uint32_t count, uint32_t v) {
  for (uint32_t i = 0; i < count; i++) e[i] = v;
}

int dir24_8_build(dir24_8_t *t, const prefix_t *p, size_t n) {
  memset(t, 0, sizeof *t);
  t->tbl24 = tbl24_alloc(&t->huge);
  if (!t->tbl24) return -1;
  /* counting sort by length; within a length, indexes descending (the lowest is written last) */
  size_t start[34] = {0};
  for (size_t i = 0; i < n; i++) start[p[i].len + 1]++;
  for (int l = 1; l < 34; l++) start[l] += start[l - 1];
  uint32_t *order = malloc((n ? n : 1) * sizeof(uint32_t));
  if (!order) { dir24_8_free(t); return -1; }
  for (size_t i = n; i-- > 0;) order[start[p[i].len]++] = (uint32_t)i;
  for (size_t k = 0; k < n; k++) {
    const prefix_t *q = &p[order[k]];
    uint32_t v = order[k] + 1, a = q->w[0], len = q->len;
    if (len <= 24) {
      fill(t->tbl24 + (a >> 8), (uint32_t)1 << (24 - len), v);
      continue;
    }
    uint32_t *e = &t->tbl24[a >> 8], g;
    if (*e & EXT) g = *e & ~EXT;
    else {
      if (t->groups == t->cap) {
        uint32_t cap = t->cap ? t->cap * 2 : 1024;
        uint32_t *n8 = realloc(t->tbl8, (size_t)cap * 256 * sizeof(uint32_t));
        if (!n8) { free(order); dir24_8_free(t); return -1; }
        t->tbl8 = n8;
        t->cap = cap;
      }
      g = t->groups++;
      fill(t->tbl8 + (size_t)g * 256, 256, *e);   /* the group starts with what covered the /24 */
      *e = EXT | g;
    }
    fill(t->tbl8 + (size_t)g * 256 + (a & 255), (uint32_t)1 << (32 - len), v);
  }
  free(order);
  return 0;
}

void dir24_8_lookup_batch(const dir24_8_t *t, const uint32_t *keys, int32_t *out, size_t n) {
  const uint32_t *tbl24 = t->tbl24, *tbl8 = t->tbl8;
  for (size_t i = 0; i < n; i++) {
    uint32_t a = keys[i], e = tbl24[a >> 8];
    if (e & EXT) e = tbl8[((size_t)(e & ~EXT) << 8) | (a & 255)];
    out[i] = (int32_t)e - 1;
  }
}

size_t dir24_8_bytes(const dir24_8_t *t) {
  return ((size_t)1 << 24) * sizeof(uint32_t) + (size_t)t->groups * 256 * sizeof(uint32_t);
}

void dir24_8_free(dir24_8_t *t) {
  tbl24_free(t->tbl24);
  free(t->tbl8);
  memset(t, 0, sizeof *t);
}
