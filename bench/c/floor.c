// The C floor: the least work a client can do to read a routing table over Netlink.
// One RTM_GETROUTE dump, a 32 KiB receive buffer, every message and every attribute walked
// (no decoding into objects, no output). nlkit's benchmarks divide by this time.
//
// usage: floor [NETNS] [inet|inet6]
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

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
  int family = (argc > 2 && strcmp(argv[2], "inet6") == 0) ? AF_INET6 : AF_INET;
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) {
    perror("socket");
    return 1;
  }
  struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
  if (bind(fd, (struct sockaddr*)&sa, sizeof sa) < 0) {
    perror("bind");
    return 1;
  }
  struct {
    struct nlmsghdr h;
    struct rtmsg r;
  } req = {
      .h = {.nlmsg_len = sizeof req, .nlmsg_type = RTM_GETROUTE, .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1},
      .r = {.rtm_family = family},
  };
  if (send(fd, &req, sizeof req, 0) < 0) {
    perror("send");
    return 1;
  }
  static char buf[32768];
  long msgs = 0, attrs = 0;
  unsigned long check = 0;
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0) {
      perror("recv");
      return 1;
    }
    for (struct nlmsghdr* h = (struct nlmsghdr*)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_type == NLMSG_DONE) goto done;
      if (h->nlmsg_type == NLMSG_ERROR) {
        fprintf(stderr, "dump failed\n");
        return 1;
      }
      msgs++;
      struct rtmsg* r = NLMSG_DATA(h);
      int len = RTM_PAYLOAD(h);
      for (struct rtattr* a = RTM_RTA(r); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
        attrs++;
        check += a->rta_type + RTA_PAYLOAD(a);
      }
    }
  }
done:
  printf("%ld routes, %ld attributes (%lu)\n", msgs, attrs, check);
  return 0;
}
