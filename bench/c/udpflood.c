// The traffic of the queue benchmark: COUNT UDP datagrams of 64 bytes from a socket in NETNS to
// 127.0.0.1:PORT, as fast as sendto goes (each one passes the NFQUEUE rule on OUTPUT).
//
// usage: udpflood NETNS PORT COUNT
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc < 4) { fprintf(stderr, "usage: udpflood NETNS PORT COUNT\n"); return 2; }
  char path[512];
  snprintf(path, sizeof path, "/run/netns/%s", argv[1]);
  int ns = open(path, O_RDONLY | O_CLOEXEC);
  if (ns < 0 || setns(ns, CLONE_NEWNET) < 0) { perror(path); return 1; }
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[2])), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  char payload[64] = {0};
  long n = atol(argv[3]), sent = 0;
  for (long i = 0; i < n; i++) if (sendto(fd, payload, sizeof payload, 0, (struct sockaddr*)&to, sizeof to) == sizeof payload) sent++;
  printf("%ld\n", sent);
  return 0;
}
