/*
 * The anchor driver: reads the prefixes and address workloads bench/anchor.ts wrote (little-endian u32
 * files), builds the family's structure (DIR-24-8 for 4, Patricia for 6) repeatedly to time it, runs
 * each workload's batch lookup repeatedly for about `seconds`, writes each workload's answers (i32 per
 * address: prefix index or -1) and prints one JSON object on stdout. Times are given twice: wall clock
 * and the process's CPU time (the bench compares CPU times, which a loaded machine disturbs far less).
 *
 *   anchor <4|6> <prefixes.bin> <seconds> <keys.bin> <answers.bin> [<keys.bin> <answers.bin> ...]
 *
 * prefixes.bin: u32 count, then count × (4 key words, most significant first; u32 length).
 * keys.bin: u32 count, u32 words per address (1 or 4), then the words.
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "anchor.h"

/* kB of the process's anonymous memory on transparent huge pages (/proc/self/smaps_rollup), -1 if unknown:
   madvise only asks, so this tells whether the kernel granted them */
static long anon_huge_kb(void) {
  FILE *f = fopen("/proc/self/smaps_rollup", "r");
  if (!f) return -1;
  char line[256];
  long kb = -1;
  while (fgets(line, sizeof line, f)) {
    if (strncmp(line, "AnonHugePages:", 14) == 0) { kb = strtol(line + 14, NULL, 10); break; }
  }
  fclose(f);
  return kb;
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* CPU time of this process: what the bench compares on a loaded machine (waiting for a core is not work) */
static double cpu_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void die(const char *what, const char *file) {
  fprintf(stderr, "anchor: %s %s\n", what, file ? file : "");
  exit(2);
}

static uint32_t *read_words(const char *file, size_t *nwords) {
  FILE *f = fopen(file, "rb");
  if (!f) die("cannot open", file);
  fseek(f, 0, SEEK_END);
  long bytes = ftell(f);
  fseek(f, 0, SEEK_SET);
  if (bytes < 4 || bytes % 4 != 0) die("bad size:", file);
  uint32_t *w = malloc((size_t)bytes);
  if (!w || fread(w, 1, (size_t)bytes, f) != (size_t)bytes) die("cannot read", file);
  fclose(f);
  *nwords = (size_t)bytes / 4;
  return w;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static int cmp3(const void *a, const void *b) {
  const uint64_t *x = a, *y = b;
  for (int i = 0; i < 3; i++) if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 6 || (argc - 4) % 2 != 0) {
    fprintf(stderr, "usage: anchor <4|6> <prefixes.bin> <seconds> <keys.bin> <answers.bin> [...]\n");
    return 2;
  }
  int family = atoi(argv[1]);
  double seconds = atof(argv[3]);
  if (family != 4 && family != 6) die("family must be 4 or 6", NULL);

  size_t nw;
  uint32_t *raw = read_words(argv[2], &nw);
  size_t n = raw[0];
  if (nw != 1 + n * 5) die("bad prefix file", argv[2]);
  prefix_t *p = malloc((n ? n : 1) * sizeof(prefix_t));
  if (!p) die("out of memory", NULL);
  uint32_t maxlen = family == 4 ? 32 : 128;
  for (size_t i = 0; i < n; i++) {
    memcpy(p[i].w, raw + 1 + i * 5, 16);
    p[i].len = raw[1 + i * 5 + 4];
    if (p[i].len > maxlen) die("prefix longer than the family allows in", argv[2]);
  }
  free(raw);

  /* build: repeated for about a third of `seconds` (at least twice, at most 15 times); medians count */
  double runs[15], cpu_runs[15];
  int nruns = 0;
  double t_end = now_ms() + seconds * 1e3 / 3;
  dir24_8_t dir;
  patricia_t pat;
  size_t bytes = 0;
  int huge = 0;
  do {
    double t0 = now_ms(), c0 = cpu_ms();
    int rc = family == 4 ? dir24_8_build(&dir, p, n) : patricia_build(&pat, p, n);
    cpu_runs[nruns] = cpu_ms() - c0;
    runs[nruns++] = now_ms() - t0;
    if (rc != 0) die("out of memory while building", NULL);
    bytes = family == 4 ? dir24_8_bytes(&dir) : patricia_bytes(&pat);
    huge = family == 4 ? dir.huge : 0;
    if (nruns < 15 && (nruns < 2 || now_ms() < t_end)) { if (family == 4) dir24_8_free(&dir); else patricia_free(&pat); }
    else break;
  } while (1);
  qsort(runs, (size_t)nruns, sizeof(double), cmp_double);
  qsort(cpu_runs, (size_t)nruns, sizeof(double), cmp_double);
  double build_median = runs[nruns / 2], build_min = runs[0], build_cpu = cpu_runs[nruns / 2];
  long huge_kb = anon_huge_kb();   /* the last build's structure is live and fully written */

  /* unique prefixes (what bytes per prefix divides by; rtm-wasm counts destinations): sort the
     (key, length) triples and count the distinct ones */
  size_t unique = 0;
  {
    uint64_t *keys = malloc((n ? n : 1) * 3 * sizeof(uint64_t));
    if (!keys) die("out of memory", NULL);
    for (size_t i = 0; i < n; i++) {
      keys[3 * i] = ((uint64_t)p[i].w[0] << 32) | p[i].w[1];
      keys[3 * i + 1] = ((uint64_t)p[i].w[2] << 32) | p[i].w[3];
      keys[3 * i + 2] = p[i].len;
    }
    qsort(keys, n, 3 * sizeof(uint64_t), cmp3);
    for (size_t i = 0; i < n; i++) {
      if (i == 0 || memcmp(&keys[3 * i], &keys[3 * (i - 1)], 3 * sizeof(uint64_t)) != 0) unique++;
    }
    free(keys);
  }

  printf("{\"family\":%d,\"structure\":\"%s\",\"compiler\":\"gcc %s\",\"prefixes\":%zu,\"unique\":%zu,"
         "\"build_ms\":%.3f,\"build_min_ms\":%.3f,\"build_cpu_ms\":%.3f,\"build_runs\":%d,\"bytes\":%zu,\"bytes_per_prefix\":%.3f,\"huge_pages\":%d,\"huge_kb\":%ld,\"workloads\":[",
         family, family == 4 ? "DIR-24-8" : "Patricia", __VERSION__, n, unique, build_median, build_min, build_cpu, nruns, bytes,
         unique ? (double)bytes / (double)unique : 0.0, huge, huge_kb);

  for (int w = 4; w + 1 < argc; w += 2) {
    size_t kw;
    uint32_t *kr = read_words(argv[w], &kw);
    size_t m = kr[0], words = kr[1];
    if (words != (family == 4 ? 1u : 4u) || kw != 2 + m * words) die("bad key file", argv[w]);
    int32_t *out = malloc((m ? m : 1) * sizeof(int32_t));
    key128_t *k6 = NULL;
    if (!out) die("out of memory", NULL);
    if (family == 6) {
      k6 = malloc((m ? m : 1) * sizeof(key128_t));
      if (!k6) die("out of memory", NULL);
      for (size_t i = 0; i < m; i++) {
        const uint32_t *a = kr + 2 + i * 4;
        k6[i].hi = ((uint64_t)a[0] << 32) | a[1];
        k6[i].lo = ((uint64_t)a[2] << 32) | a[3];
      }
    }
    /* one pass for the answers, then passes for about `seconds` */
    if (family == 4) dir24_8_lookup_batch(&dir, kr + 2, out, m); else patricia_lookup_batch(&pat, k6, out, m);
    FILE *f = fopen(argv[w + 1], "wb");
    if (!f || fwrite(out, sizeof(int32_t), m, f) != m) die("cannot write", argv[w + 1]);
    fclose(f);
    size_t hits = 0;
    for (size_t i = 0; i < m; i++) hits += out[i] >= 0;
    double total = 0, best = 1e300;
    long passes = 0;
    double stop = now_ms() + seconds * 1e3, cpu0 = cpu_ms();
    do {
      double t0 = now_ms();
      if (family == 4) dir24_8_lookup_batch(&dir, kr + 2, out, m); else patricia_lookup_batch(&pat, k6, out, m);
      double dt = now_ms() - t0;
      total += dt;
      if (dt < best) best = dt;
      passes++;
    } while (now_ms() < stop);
    double cpu = cpu_ms() - cpu0;
    double ns = m ? total * 1e6 / ((double)m * passes) : 0, best_ns = m ? best * 1e6 / (double)m : 0;
    double cpu_ns = m ? cpu * 1e6 / ((double)m * passes) : 0;
    printf("%s{\"keys\":%zu,\"passes\":%ld,\"ns_per_lookup\":%.4f,\"best_ns_per_lookup\":%.4f,\"cpu_ns_per_lookup\":%.4f,"
           "\"lookups_per_s\":%.1f,\"hits\":%zu}",
           w == 4 ? "" : ",", m, passes, ns, best_ns, cpu_ns, cpu_ns > 0 ? 1e9 / cpu_ns : 0.0, hits);
    free(out);
    free(k6);
    free(kr);
  }
  printf("]}\n");
  if (family == 4) dir24_8_free(&dir); else patricia_free(&pat);
  free(p);
  return 0;
}

