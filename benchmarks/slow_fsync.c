/* A disk whose fsync is slow, for benchmarks only (benchmarks/slow_disk.py).
 *
 * Loaded with LD_PRELOAD, it makes every fsync() and fdatasync() of the process sleep
 * SLOW_FSYNC_MS milliseconds (default 16) before the real call: SQLite's COMMIT in WAL mode and
 * its checkpoints (two fsyncs each) alike, as on the machine of issue #18 (60 commits/s with one
 * writer). DATALEK_BENCH_FSYNC_DELAY only sleeps before the COMMIT and leaves checkpoints free.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
static void delay(void) {
    const char *v = getenv("SLOW_FSYNC_MS");
    long ms = v ? atol(v) : 16;
    struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&t, NULL);
}
int fsync(int fd) {
    static int (*real)(int) = NULL;
    if (!real) real = dlsym(RTLD_NEXT, "fsync");
    delay();
    return real(fd);
}
int fdatasync(int fd) {
    static int (*real)(int) = NULL;
    if (!real) real = dlsym(RTLD_NEXT, "fdatasync");
    delay();
    return real(fd);
}
