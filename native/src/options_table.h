/* Internal: the option table shared by the shim's C files. */
#ifndef SOB_OPTIONS_TABLE_H
#define SOB_OPTIONS_TABLE_H

#include "sockopt_bridge.h"

/* Which throwaway socket proves that the kernel accepts an option. */
enum sob_kind {
    SOB_KIND_ANY = 0,   /* any socket; probed on an AF_INET stream socket */
    SOB_KIND_TCP = 1,   /* a TCP socket; probed on an AF_INET stream socket */
    SOB_KIND_INET6 = 2  /* an AF_INET6 socket; probed on an AF_INET6 stream socket */
};

struct sob_option_entry {
    int compiled;
    int level;
    int name;
    const char *symbol;
    int min;
    int max;
    enum sob_kind kind;
};

/* NULL for an id out of range. */
const struct sob_option_entry *sob_entry(int option_id);

static inline int sob_is_keepalive_timer(int option_id) {
    return option_id == SOB_TCP_KEEPIDLE || option_id == SOB_TCP_KEEPINTVL || option_id == SOB_TCP_KEEPCNT;
}

#endif
