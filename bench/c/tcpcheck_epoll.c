/* Minimal C epoll health-check client: the baseline the .NET probes are measured against.
 * Keeps CONCURRENCY non-blocking checks in flight against COUNT loopback servers (FIRST, FIRST+1, ... on PORT) for
 * SECONDS, each check: socket, connect, (http: send request, read status line), close with RST (SO_LINGER 0).
 * Prints one line: mode, checks, passed, failed, seconds, checks/s, cpu ms (utime+stime), cpu us per check.
 * Build: cc -O2 -o tcpcheck_epoll tcpcheck_epoll.c
 * Usage: tcpcheck_epoll tcp|http FIRST_ADDR COUNT PORT CONCURRENCY SECONDS */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct slot { int fd; int state; int got; };
static const char request[] = "GET / HTTP/1.1\r\nHost: farm\r\nUser-Agent: c-epoll\r\nConnection: close\r\n\r\n";

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

int main(int argc, char **argv)
{
    if (argc != 7) { fprintf(stderr, "usage: %s tcp|http FIRST_ADDR COUNT PORT CONCURRENCY SECONDS\n", argv[0]); return 2; }
    int http = strcmp(argv[1], "http") == 0;
    struct in_addr first; inet_pton(AF_INET, argv[2], &first);
    int count = atoi(argv[3]), port = atoi(argv[4]), conc = atoi(argv[5]);
    double seconds = atof(argv[6]);
    if (count < 1 || conc < 1 || conc > 100000 || seconds <= 0 || seconds > 600) { fprintf(stderr, "bad arguments\n"); return 2; }
    int ep = epoll_create1(0);
    struct slot *slots = calloc(conc, sizeof *slots);
    long passed = 0, failed = 0, next = 0;
    double start = now(), end = start + seconds;
    struct linger lg = { 1, 0 };

#define START(i) do { \
        struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) }; \
        sa.sin_addr.s_addr = htonl(ntohl(first.s_addr) + (uint32_t)(next++ % count)); \
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0); \
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg); \
        slots[i].fd = fd; slots[i].state = 0; slots[i].got = 0; \
        if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0 && errno != EINPROGRESS) { failed++; close(fd); slots[i].fd = -1; break; } \
        struct epoll_event ev = { .events = EPOLLOUT, .data.u32 = (uint32_t)(i) }; \
        epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev); \
    } while (0)

    for (int i = 0; i < conc; i++) START(i);
    struct epoll_event evs[256];
    while (now() < end) {
        int n = epoll_wait(ep, evs, 256, 100);
        for (int k = 0; k < n; k++) {
            int i = evs[k].data.u32;
            struct slot *s = &slots[i];
            int done = 0, ok = 0;
            if (evs[k].events & (EPOLLERR | EPOLLHUP) && s->state == 0) { done = 1; }
            else if (!http) { done = 1; ok = 1; }
            else if (s->state == 0) {
                if (send(s->fd, request, sizeof request - 1, MSG_NOSIGNAL) < 0) done = 1;
                else { struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)i }; epoll_ctl(ep, EPOLL_CTL_MOD, s->fd, &ev); s->state = 1; }
            } else {
                char buf[4096];
                ssize_t r = recv(s->fd, buf, sizeof buf, 0);
                if (r <= 0) done = 1;
                else { done = 1; ok = r >= 12 && memcmp(buf, "HTTP/1.", 7) == 0 && buf[9] == '2'; }
            }
            if (done) {
                if (ok) passed++; else failed++;
                close(s->fd);
                START(i);
            }
        }
    }
    double elapsed = now() - start;
    struct rusage ru; getrusage(RUSAGE_SELF, &ru);
    double cpu_ms = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
    long checks = passed + failed;
    printf("c-epoll mode=%s checks=%ld passed=%ld failed=%ld seconds=%.2f rate=%.0f cpu_ms=%.0f cpu_us_per_check=%.1f\n",
           argv[1], checks, passed, failed, elapsed, checks / elapsed, cpu_ms, checks ? cpu_ms * 1e3 / checks : 0);
    return 0;
}
