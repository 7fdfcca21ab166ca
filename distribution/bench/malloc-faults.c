/*
 * Page faults that glibc's malloc costs a thread which allocates, fills and frees one block ten
 * times, as a training step does with its activations. Shows why bin/oneshot sets GLIBC_TUNABLES
 * (README, speed section, "Large blocks kept for reuse too"):
 *   gcc -O1 -pthread distribution/bench/malloc-faults.c -o /tmp/malloc-faults
 *   GLIBC_TUNABLES=... /tmp/malloc-faults 75      (block size in MB)
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static volatile char sink;
static size_t size;

static long minor_faults(void) {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

static void fill_and_free(void) {
  char *block = malloc(size);
  if (block == NULL) {
    perror("malloc");
    exit(1);
  }
  memset(block, 1, size);
  sink = block[size / 2];
  free(block);
}

static void *run(void *name) {
  fill_and_free(); /* the first time faults every page in; the question is the next ten */
  long before = minor_faults();
  for (int i = 0; i < 10; i++) {
    fill_and_free();
  }
  printf("%s thread, %zu MB block: %ld faults per allocation after the first\n", (char *)name,
         size >> 20, (minor_faults() - before) / 10);
  return NULL;
}

int main(int argc, char **argv) {
  size = (size_t)atoi(argc > 1 ? argv[1] : "75") << 20;
  run("main");
  pthread_t second;
  pthread_create(&second, NULL, run, "second");
  pthread_join(second, NULL);
  return 0;
}
