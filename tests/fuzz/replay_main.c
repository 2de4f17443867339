/* tests/fuzz/replay_main: the plain main() of a fuzz target when there is
 * no libFuzzer (gcc, or `make fuzz-replay`): feeds every file named on the
 * command line, or found in a directory named there (recursively), to
 * LLVMFuzzerTestOneInput, one at a time. A crash or sanitizer report ends the
 * process; otherwise it prints the number of inputs and exits 0. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../src/base/base.h"
#include "fuzz.h"

static size_t ninputs;

static void replay(const char *path, bool verbose)
{
    struct stat sb;
    if (stat(path, &sb) != 0) return;
    if (S_ISDIR(sb.st_mode)) {
        DIR *d = opendir(path);
        if (!d) return;
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] == '.') continue;
            char *full = xasprintf("%s/%s", path, e->d_name);
            replay(full, verbose);
            free(full);
        }
        closedir(d);
        return;
    }
    char *data;
    size_t len;
    const char *err;
    if (!read_file_all(path, &data, &len, &err)) {
        fprintf(stderr, "replay: %s: %s\n", path, err);
        return;
    }
    if (verbose) fprintf(stderr, "replay: %s\n", path);
    /* an exact-size copy, so ASan sees reads past the end */
    uint8_t *copy = xmalloc(len ? len : 1);
    memcpy(copy, data, len);
    free(data);
    LLVMFuzzerTestOneInput(copy, len);
    free(copy);
    ninputs++;
}

int main(int argc, char **argv)
{
    bool verbose = getenv("FUZZ_REPLAY_VERBOSE") != NULL;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-') continue; /* libFuzzer flags: ignored */
        replay(argv[i], verbose);
    }
    printf("replayed %zu inputs\n", ninputs);
    return 0;
}
