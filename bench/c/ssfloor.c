// The C floor for `ss -tn`: the least work a client can do to list TCP sockets over
// NETLINK_SOCK_DIAG. One inet_diag dump per address family (states ss -t shows by default:
// all but LISTEN and CLOSE), a 32 KiB receive buffer, every message's addresses turned into
// text with inet_ntop and printed in ss's fields (stdio-buffered). nlkit's ss bench divides by
// this time.
//
// usage: ssfloor [NETNS]
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static long dump(int fd, int family) {
  struct {
    struct nlmsghdr h;
    struct inet_diag_req_v2 r;
  } req = {
      .h = {.nlmsg_len = sizeof req, .nlmsg_type = SOCK_DIAG_BY_FAMILY, .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1},
      .r = {.sdiag_family = family, .sdiag_protocol = IPPROTO_TCP, .idiag_states = ~((1u << 10) | (1u << 7))},
  };
  if (send(fd, &req, sizeof req, 0) < 0) {
    perror("send");
    return -1;
  }
  static char buf[32768];
  long n_sk = 0;
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0) {
      perror("recv");
      return -1;
    }
    for (struct nlmsghdr* h = (struct nlmsghdr*)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_type == NLMSG_DONE) return n_sk;
      if (h->nlmsg_type == NLMSG_ERROR) {
        fprintf(stderr, "dump failed\n");
        return -1;
      }
      struct inet_diag_msg* m = NLMSG_DATA(h);
      char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
      inet_ntop(m->idiag_family, m->id.idiag_src, src, sizeof src);
      inet_ntop(m->idiag_family, m->id.idiag_dst, dst, sizeof dst);
      const char* l = m->idiag_family == AF_INET6 ? "[" : "";
      const char* r = m->idiag_family == AF_INET6 ? "]" : "";
      printf("%-6u %-6u %s%s%s:%u %s%s%s:%u\n", m->idiag_rqueue, m->idiag_wqueue, l, src, r, ntohs(m->id.idiag_sport), l, dst, r,
             ntohs(m->id.idiag_dport));
      n_sk++;
    }
  }
}

int main(int argc, char** argv) {
  if (argc > 1 && argv[1][0]) {
    char path[512];
    snprintf(path, sizeof path, strchr(argv[1], '/') ? "%s" : "/run/netns/%s", argv[1]);
    int ns = open(path, O_RDONLY | O_CLOEXEC);
    if (ns < 0 || setns(ns, CLONE_NEWNET) < 0) {
      perror(path);
      return 1;
    }
    close(ns);
  }
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) {
    perror("socket");
    return 1;
  }
  if (dump(fd, AF_INET) < 0 || dump(fd, AF_INET6) < 0) return 1;
  return 0;
}
