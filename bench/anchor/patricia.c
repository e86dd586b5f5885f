/*
 * A path-compressed binary (Patricia) trie for IPv6: every node holds its prefix bits and length and
 * branches on the bit right after its length; single-child chains are skipped, so a node is either a
 * prefix or a branch of two. A lookup walks from the root, checks each node's bits against the address
 * and remembers the last prefix that matched (one 32-byte node per step). Built by inserting the prefixes
 * in input order (a duplicate keeps the first, lowest index). Memory: 32 bytes per node, about 1.9 nodes
 * per prefix.
 */
#include <stdlib.h>
#include <string.h>
#include "anchor.h"

static inline uint64_t mask64(uint32_t n) { return n == 0 ? 0 : ~(uint64_t)0 << (64 - n); }

static inline uint32_t bit_at(key128_t k, uint32_t i) {
  return i < 64 ? (uint32_t)(k.hi >> (63 - i)) & 1 : (uint32_t)(k.lo >> (127 - i)) & 1;
}

static inline int matches(key128_t a, key128_t k, uint32_t len) {
  if (len <= 64) return ((a.hi ^ k.hi) & mask64(len)) == 0;
  return a.hi == k.hi && ((a.lo ^ k.lo) & mask64(len - 64)) == 0;
}

static inline key128_t masked(key128_t k, uint32_t len) {
  key128_t m = { k.hi & mask64(len < 64 ? len : 64), k.lo & mask64(len > 64 ? len - 64 : 0) };
  return m;
}

/* length of the common prefix of a and b, at most limit */
static inline uint32_t common_len(key128_t a, key128_t b, uint32_t limit) {
  uint64_t x = a.hi ^ b.hi;
  uint32_t c = x ? (uint32_t)__builtin_clzll(x) : 64 + ((a.lo ^ b.lo) ? (uint32_t)__builtin_clzll(a.lo ^ b.lo) : 64);
  return c < limit ? c : limit;
}

static uint32_t new_node(patricia_t *t, key128_t key, uint32_t len, int32_t pfx) {
  if (t->count == t->cap) {
    uint32_t cap = t->cap ? t->cap * 2 : 1024;
    pat_node_t *n = realloc(t->nodes, (size_t)cap * sizeof(pat_node_t));
    if (!n) return PAT_NONE;
    t->nodes = n;
    t->cap = cap;
  }
  pat_node_t *n = &t->nodes[t->count];
  n->key = masked(key, len);
  n->len = len;
  n->pfx = pfx;
  n->child[0] = n->child[1] = PAT_NONE;
  return t->count++;
}

static int insert(patricia_t *t, key128_t k, uint32_t len, int32_t pfx) {
  uint32_t n = 0;   /* the root (length 0) agrees with every key */
  for (;;) {
    if (t->nodes[n].len == len) {
      if (t->nodes[n].pfx < 0) t->nodes[n].pfx = pfx;   /* a duplicate keeps the first */
      return 0;
    }
    uint32_t b = bit_at(k, t->nodes[n].len), c = t->nodes[n].child[b];
    if (c == PAT_NONE) {
      uint32_t leaf = new_node(t, k, len, pfx);
      if (leaf == PAT_NONE) return -1;
      t->nodes[n].child[b] = leaf;
      return 0;
    }
    uint32_t clen = t->nodes[c].len;
    uint32_t cl = common_len(k, t->nodes[c].key, len < clen ? len : clen);
    if (cl == clen) { n = c; continue; }                    /* c's prefix covers k: go down */
    if (cl == len) {                                        /* k covers c: k goes between */
      uint32_t m = new_node(t, k, len, pfx);
      if (m == PAT_NONE) return -1;
      t->nodes[m].child[bit_at(t->nodes[c].key, len)] = c;
      t->nodes[n].child[b] = m;
      return 0;
    }
    /* they part at bit cl: a branch node there, with k's leaf and c below */
    uint32_t m = new_node(t, k, cl, -1);
    if (m == PAT_NONE) return -1;
    uint32_t leaf = new_node(t, k, len, pfx);
    if (leaf == PAT_NONE) return -1;
    t->nodes[m].child[bit_at(k, cl)] = leaf;
    t->nodes[m].child[bit_at(t->nodes[c].key, cl)] = c;
    t->nodes[n].child[b] = m;
    return 0;
  }
}

int patricia_build(patricia_t *t, const prefix_t *p, size_t n) {
  memset(t, 0, sizeof *t);
  key128_t zero = { 0, 0 };
  if (new_node(t, zero, 0, -1) == PAT_NONE) return -1;
  for (size_t i = 0; i < n; i++) {
    key128_t k = { ((uint64_t)p[i].w[0] << 32) | p[i].w[1], ((uint64_t)p[i].w[2] << 32) | p[i].w[3] };
    if (insert(t, masked(k, p[i].len), p[i].len, (int32_t)i) != 0) { patricia_free(t); return -1; }
  }
  return 0;
}

void patricia_lookup_batch(const patricia_t *t, const key128_t *keys, int32_t *out, size_t n) {
  const pat_node_t *nodes = t->nodes;
  for (size_t i = 0; i < n; i++) {
    key128_t a = keys[i];
    int32_t best = -1;
    const pat_node_t *x = &nodes[0];
    for (;;) {
      if (!matches(a, x->key, x->len)) break;
      if (x->pfx >= 0) best = x->pfx;
      if (x->len == 128) break;
      uint32_t c = x->child[bit_at(a, x->len)];
      if (c == PAT_NONE) break;
      x = &nodes[c];
    }
    out[i] = best;
  }
}

size_t patricia_bytes(const patricia_t *t) { return (size_t)t->count * sizeof(pat_node_t); }

void patricia_free(patricia_t *t) {
  free(t->nodes);
  memset(t, 0, sizeof *t);
}
