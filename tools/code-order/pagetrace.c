// Records which 4 KiB pages of the main executable's code a run executes.
// Preloaded (LD_PRELOAD) into a release `feedd`: before the executable's own
// initializers run, its executable mapping is made inaccessible; the first
// instruction fetched from each page faults, the handler records the page and
// makes that page executable again. At exit the page numbers (offsets from the
// mapping's start, in the order first executed) go to $PAGETRACE_OUT.
//
// The kernel maps code pages 64 KiB at a time (fault-around), so /proc's RSS
// cannot tell which functions ran; this can. Tooling only, never linked into
// feedd. Run with SWIFT_BACKTRACE=enable=no (the Swift runtime's crash
// handler would take SIGSEGV over).
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096UL
#define MAX_PAGES (1UL << 16) // 256 MiB of code

static uintptr_t text_start, text_end;
static _Atomic uint32_t order[MAX_PAGES];
static _Atomic uint32_t count;
static _Atomic uint8_t seen[MAX_PAGES];

static void on_fault(int sig, siginfo_t *info, void *context) {
    (void)context;
    uintptr_t address = (uintptr_t)info->si_addr;
    if (address < text_start || address >= text_end) {
        signal(sig, SIG_DFL); // a real crash: fault again, without this handler
        return;
    }
    uintptr_t page = (address - text_start) / PAGE;
    mprotect((void *)(text_start + page * PAGE), PAGE, PROT_READ | PROT_EXEC);
    if (atomic_exchange(&seen[page], 1) == 0) {
        uint32_t slot = atomic_fetch_add(&count, 1);
        if (slot < MAX_PAGES) atomic_store(&order[slot], (uint32_t)page);
    }
}

static void write_pages(void) {
    const char *path = getenv("PAGETRACE_OUT");
    if (path == NULL) return;
    FILE *out = fopen(path, "w");
    if (out == NULL) return;
    fprintf(out, "# code mapped at 0x%lx-0x%lx; page numbers from its start, first executed first\n",
            (unsigned long)text_start, (unsigned long)text_end);
    uint32_t n = atomic_load(&count);
    for (uint32_t i = 0; i < n && i < MAX_PAGES; i++) fprintf(out, "%u\n", atomic_load(&order[i]));
    fclose(out);
}

// Finds the executable's r-xp mapping in /proc/self/maps (the first one: the
// executable is mapped before any shared library).
static int find_text(unsigned long *file_offset) {
    FILE *maps = fopen("/proc/self/maps", "r");
    if (maps == NULL) return -1;
    char exe[4096];
    ssize_t length = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (length <= 0) { fclose(maps); return -1; }
    exe[length] = 0;
    char line[8192];
    int found = -1;
    while (fgets(line, sizeof line, maps)) {
        unsigned long start, end, offset;
        char perms[8], path[4096] = "";
        if (sscanf(line, "%lx-%lx %7s %lx %*s %*s %4095s", &start, &end, perms, &offset, path) < 4) continue;
        if (strcmp(perms, "r-xp") == 0 && strcmp(path, exe) == 0) {
            text_start = start; text_end = end; *file_offset = offset; found = 0;
            break;
        }
    }
    fclose(maps);
    return found;
}

__attribute__((constructor)) static void pagetrace_start(void) {
    unsigned long offset = 0;
    if (find_text(&offset) != 0 || (text_end - text_start) / PAGE > MAX_PAGES) return;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_fault;
    action.sa_flags = SA_SIGINFO | SA_NODEFER | SA_RESTART;
    sigaction(SIGSEGV, &action, NULL);
    atexit(write_pages);
    const char *offset_out = getenv("PAGETRACE_OFFSET_OUT");
    if (offset_out != NULL) {
        FILE *out = fopen(offset_out, "w");
        if (out != NULL) { fprintf(out, "%lu\n", offset); fclose(out); }
    }
    mprotect((void *)text_start, text_end - text_start, PROT_NONE);
}
