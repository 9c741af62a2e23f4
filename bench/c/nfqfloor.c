// The C floor of the queue benchmark: the least work a listener can do on raw nfnetlink. Binds
// queue NUM (copy mode packet, queue length MAXLEN, fail-open, an 8 MiB receive buffer), reads
// the queued packets (a 64 KiB buffer, several a read), walks each one's attributes for the
// packet id and answers each with its own NFQNL_MSG_VERDICT (NF_ACCEPT). Stops after COUNT
// packets or when none came for 300 ms; prints {"count": N, "ms": first to last packet}.
//
// usage: nfqfloor NETNS NUM COUNT MAXLEN       (prints "ready" on stderr once bound)
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <linux/netlink.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int fd;
static unsigned seq;

/* Appends one attribute (NLA_ALIGN'd) to the message at nlh. */
static void put(struct nlmsghdr* nlh, int type, const void* data, int len) {
  struct nlattr* a = (struct nlattr*)((char*)nlh + NLMSG_ALIGN(nlh->nlmsg_len));
  a->nla_type = type;
  a->nla_len = NLA_HDRLEN + len;
  memcpy((char*)a + NLA_HDRLEN, data, len);
  nlh->nlmsg_len = NLMSG_ALIGN(nlh->nlmsg_len) + NLA_ALIGN(a->nla_len);
}

/* Starts an nfnetlink message: nlmsghdr + nfgenmsg. */
static struct nlmsghdr* begin(char* buf, int msg, int flags, int num) {
  memset(buf, 0, 256);
  struct nlmsghdr* nlh = (struct nlmsghdr*)buf;
  nlh->nlmsg_len = NLMSG_LENGTH(sizeof(struct nfgenmsg));
  nlh->nlmsg_type = (NFNL_SUBSYS_QUEUE << 8) | msg;
  nlh->nlmsg_flags = NLM_F_REQUEST | flags;
  nlh->nlmsg_seq = ++seq;
  struct nfgenmsg* g = NLMSG_DATA(nlh);
  g->nfgen_family = AF_UNSPEC;
  g->version = NFNETLINK_V0;
  g->res_id = htons(num);
  return nlh;
}

/* Sends a config message and checks its ACK. */
static void config(struct nlmsghdr* nlh) {
  if (send(fd, nlh, nlh->nlmsg_len, 0) < 0) { perror("send"); exit(1); }
  char buf[4096];
  ssize_t n = recv(fd, buf, sizeof buf, 0);
  struct nlmsghdr* h = (struct nlmsghdr*)buf;
  if (n < 0 || h->nlmsg_type != NLMSG_ERROR || ((struct nlmsgerr*)NLMSG_DATA(h))->error != 0) {
    fprintf(stderr, "config refused\n");
    exit(1);
  }
}

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char** argv) {
  if (argc < 5) { fprintf(stderr, "usage: nfqfloor NETNS NUM COUNT MAXLEN\n"); return 2; }
  char path[512];
  snprintf(path, sizeof path, "/run/netns/%s", argv[1]);
  int ns = open(path, O_RDONLY | O_CLOEXEC);
  if (ns < 0 || setns(ns, CLONE_NEWNET) < 0) { perror(path); return 1; }
  int num = atoi(argv[2]);
  long want = atol(argv[3]);
  unsigned maxlen = atoi(argv[4]);
  fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
  int rcvbuf = 8 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf);
  struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
  if (fd < 0 || bind(fd, (struct sockaddr*)&sa, sizeof sa) < 0) { perror("socket"); return 1; }
  char m[256];
  struct nfqnl_msg_config_cmd cmd = {.command = NFQNL_CFG_CMD_BIND};
  struct nlmsghdr* nlh = begin(m, NFQNL_MSG_CONFIG, NLM_F_ACK, num);
  put(nlh, NFQA_CFG_CMD, &cmd, sizeof cmd);
  config(nlh);
  struct nfqnl_msg_config_params params = {.copy_range = htonl(0xffff), .copy_mode = NFQNL_COPY_PACKET};
  nlh = begin(m, NFQNL_MSG_CONFIG, NLM_F_ACK, num);
  put(nlh, NFQA_CFG_PARAMS, &params, sizeof params);
  config(nlh);
  uint32_t len = htonl(maxlen), flags = htonl(NFQA_CFG_F_FAIL_OPEN);
  nlh = begin(m, NFQNL_MSG_CONFIG, NLM_F_ACK, num);
  put(nlh, NFQA_CFG_QUEUE_MAXLEN, &len, sizeof len);
  put(nlh, NFQA_CFG_MASK, &flags, sizeof flags);
  put(nlh, NFQA_CFG_FLAGS, &flags, sizeof flags);
  config(nlh);
  struct timeval tv = {.tv_sec = 0, .tv_usec = 300000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  fprintf(stderr, "ready\n");

  static char buf[65536];
  long count = 0;
  double first = 0, last = 0;
  while (count < want) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0) break; /* idle for 300 ms (or ENOBUFS): the flood is over */
    for (struct nlmsghdr* h = (struct nlmsghdr*)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_type != ((NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET)) continue;
      int alen = h->nlmsg_len - NLMSG_LENGTH(sizeof(struct nfgenmsg));
      uint32_t id = 0;
      for (struct nlattr* a = (struct nlattr*)((char*)NLMSG_DATA(h) + NLMSG_ALIGN(sizeof(struct nfgenmsg)));
           alen >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= alen;
           alen -= NLA_ALIGN(a->nla_len), a = (struct nlattr*)((char*)a + NLA_ALIGN(a->nla_len))) {
        if ((a->nla_type & NLA_TYPE_MASK) == NFQA_PACKET_HDR) id = ((struct nfqnl_msg_packet_hdr*)((char*)a + NLA_HDRLEN))->packet_id;
      }
      char v[256];
      struct nfqnl_msg_verdict_hdr vh = {.verdict = htonl(NF_ACCEPT), .id = id};
      struct nlmsghdr* vm = begin(v, NFQNL_MSG_VERDICT, 0, num);
      put(vm, NFQA_VERDICT_HDR, &vh, sizeof vh);
      if (send(fd, vm, vm->nlmsg_len, 0) < 0) { perror("send verdict"); return 1; }
      if (count++ == 0) first = now_ms();
      last = now_ms();
    }
  }
  printf("{\"count\": %ld, \"ms\": %.3f}\n", count, last - first);
  return 0;
}
