/*
 * The test-only build made with SOB_OMIT_OPTIONS=TCP_KEEPCNT;SO_REUSEPORT behaves like a
 * platform whose headers lack those options: reported NOT_COMPILED, and refused with
 * ENOPROTOOPT without reaching the kernel; the other options still work.
 */
#include "check.h"
#include "sockopt_bridge.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

static void omitted_options_are_reported_not_compiled(void) {
    CHECK_EQ(sob_capability(SOB_TCP_KEEPCNT) & 0xff, SOB_NOT_COMPILED);
    CHECK_EQ(sob_capability(SOB_SO_REUSEPORT) & 0xff, SOB_NOT_COMPILED);
    CHECK_EQ(sob_option_level(SOB_TCP_KEEPCNT), -1);
    CHECK_EQ(sob_capability(SOB_TCP_KEEPIDLE) & 0xff, SOB_SUPPORTED);
}

static void omitted_options_are_refused(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    CHECK_EQ(sob_set_int(fd, SOB_TCP_KEEPCNT, 3), -ENOPROTOOPT);
    CHECK_EQ(sob_get_int(fd, SOB_SO_REUSEPORT), -ENOPROTOOPT);
    CHECK_EQ(sob_set_int(fd, SOB_TCP_KEEPIDLE, 30), 0);
    close(fd);
}

int main(void) {
    RUN(omitted_options_are_reported_not_compiled);
    RUN(omitted_options_are_refused);
    return check_summary();
}
