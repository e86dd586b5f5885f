/*
 * The C anchors of the benchmark (bench/anchor.ts builds them with gcc and runs them on the same prefixes
 * and addresses as rtm-wasm): a DIR-24-8 table for IPv4 (dir24_8.c) and a path-compressed binary
 * (Patricia) trie for IPv6 (patricia.c), both written for this project. Answers are prefix indexes in
 * input order (the lowest index among duplicate prefixes), -1 for no match. Both structures are static:
 * built once from the whole prefix list, then looked up in batches.
 */
#ifndef RTM_ANCHOR_H
#define RTM_ANCHOR_H
#include <stddef.h>
#include <stdint.h>

/* One prefix of the input: 4 words, most significant first (IPv4 in word 0), host bits clear. */
typedef struct { uint32_t w[4]; uint32_t len; } prefix_t;

/* ── DIR-24-8 (IPv4) ───────────────────────────────────────────────────────────────────────────────── */
typedef struct {
  uint32_t *tbl24;   /* 2^24 entries indexed by the top 24 bits */
  uint32_t *tbl8;    /* groups of 256 entries for the /25../32 under one /24 */
  uint32_t groups, cap;
  int huge;          /* tbl24 advised onto transparent huge pages */
} dir24_8_t;

int dir24_8_build(dir24_8_t *t, const prefix_t *p, size_t n);
void dir24_8_lookup_batch(const dir24_8_t *t, const uint32_t *keys, int32_t *out, size_t n);
size_t dir24_8_bytes(const dir24_8_t *t);
void dir24_8_free(dir24_8_t *t);

/* ── Patricia trie (IPv6) ──────────────────────────────────────────────────────────────────────────── */
typedef struct { uint64_t hi, lo; } key128_t;
typedef struct {
  key128_t key;        /* prefix bits, host bits clear */
  uint32_t child[2];   /* node indexes, PAT_NONE = none */
  int32_t pfx;         /* prefix index, -1 = branch only */
  uint32_t len;
} pat_node_t;
#define PAT_NONE 0xffffffffu
typedef struct { pat_node_t *nodes; uint32_t count, cap; } patricia_t;

int patricia_build(patricia_t *t, const prefix_t *p, size_t n);
void patricia_lookup_batch(const patricia_t *t, const key128_t *keys, int32_t *out, size_t n);
size_t patricia_bytes(const patricia_t *t);
void patricia_free(patricia_t *t);

#endif
