/*
 * LD_PRELOAD shim for pcscd: sets TCP_NODELAY on every TCP socket it accepts or connects.
 *
 * Why: Debian bookworm's vpcd sends a frame's 2-byte length and its payload in two send() calls,
 * so Nagle's algorithm plus the card's delayed ACK stall every APDU by about 40 ms. With
 * TCP_NODELAY an APDU round trip through pcscd + vpcd takes about 0.15 ms.
 *
 * Build: gcc -shared -fPIC -O2 -o nodelay-preload.so nodelay-preload.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

static void set_nodelay(int fd) {
    struct sockaddr_storage addr;
    socklen_t len = sizeof addr;
    if (fd < 0 || getsockname(fd, (struct sockaddr *)&addr, &len) != 0) return;
    if (addr.ss_family != AF_INET && addr.ss_family != AF_INET6) return;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

int accept(int fd, struct sockaddr *addr, socklen_t *len) {
    static int (*real)(int, struct sockaddr *, socklen_t *);
    if (!real) real = dlsym(RTLD_NEXT, "accept");
    int client = real(fd, addr, len);
    set_nodelay(client);
    return client;
}

int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags) {
    static int (*real)(int, struct sockaddr *, socklen_t *, int);
    if (!real) real = dlsym(RTLD_NEXT, "accept4");
    int client = real(fd, addr, len, flags);
    set_nodelay(client);
    return client;
}

int connect(int fd, const struct sockaddr *addr, socklen_t len) {
    static int (*real)(int, const struct sockaddr *, socklen_t);
    if (!real) real = dlsym(RTLD_NEXT, "connect");
    set_nodelay(fd);
    return real(fd, addr, len);
}
