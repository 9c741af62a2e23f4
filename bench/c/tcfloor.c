// The C floor for `tc filter show dev DEV`: the least work a client can do to list a link's
// filters over NETLINK_ROUTE. One RTM_GETTFILTER dump (the root qdisc's filters), a 32 KiB
// receive buffer, each message's attributes walked to its kind, chain and options, one line per
// filter printed (stdio-buffered). nlkit's tc bench divides by this time.
//
// usage: tcfloor NETNS DEV
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: tcfloor NETNS DEV\n");
    return 2;
  }
  char path[512];
  snprintf(path, sizeof path, "/run/netns/%s", argv[1]);
  int ns = open(path, O_RDONLY | O_CLOEXEC);
  if (ns < 0 || setns(ns, CLONE_NEWNET) < 0) {
    perror(path);
    return 1;
  }
  close(ns);
  unsigned ifindex = if_nametoindex(argv[2]);
  if (!ifindex) {
    perror(argv[2]);
    return 1;
  }
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) {
    perror("socket");
    return 1;
  }
  struct {
    struct nlmsghdr h;
    struct tcmsg t;
  } req = {
      .h = {.nlmsg_len = sizeof req, .nlmsg_type = RTM_GETTFILTER, .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1},
      .t = {.tcm_family = AF_UNSPEC, .tcm_ifindex = (int)ifindex},
  };
  if (send(fd, &req, sizeof req, 0) < 0) {
    perror("send");
    return 1;
  }
  static char buf[32768];
  long n_f = 0;
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0) {
      perror("recv");
      return 1;
    }
    for (struct nlmsghdr* h = (struct nlmsghdr*)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_type == NLMSG_DONE) {
        fprintf(stderr, "%ld filters\n", n_f);
        return 0;
      }
      if (h->nlmsg_type == NLMSG_ERROR) {
        fprintf(stderr, "dump failed\n");
        return 1;
      }
      struct tcmsg* t = NLMSG_DATA(h);
      const char* kind = "";
      unsigned chain = 0, optlen = 0;
      int len = h->nlmsg_len - NLMSG_LENGTH(sizeof *t);
      for (struct rtattr* a = (struct rtattr*)((char*)t + NLMSG_ALIGN(sizeof *t)); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
        if (a->rta_type == TCA_KIND) kind = RTA_DATA(a);
        else if (a->rta_type == TCA_CHAIN) chain = *(unsigned*)RTA_DATA(a);
        else if (a->rta_type == TCA_OPTIONS) optlen = RTA_PAYLOAD(a);
      }
      printf("filter parent %x: pref %u %s chain %u fh %x optlen %u\n", t->tcm_parent >> 16, t->tcm_info >> 16, kind, chain,
             t->tcm_handle, optlen);
      n_f++;
    }
  }
}
