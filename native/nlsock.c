// nlsock: the only native code in nlkit. A Netlink socket as a small N-API object.
//
// The native object owns the fd. Readiness comes from libuv (uv_poll) on the loop of the
// environment that created the socket, so worker threads work. Received datagrams land in a
// buffer borrowed from JS and are announced to a JS callback synchronously, one call per
// datagram, inside one callback scope per wake-up. Errors reach JS as values (negative errno),
// never as exceptions thrown from a libuv callback.
//
// Sockets in another network namespace are opened on a short-lived thread that calls setns()
// and returns the fd: the calling thread's namespace never changes.
//
// Read-ahead mode (start(cb, buf, true)): a thread of the socket's own receives into a small
// ring of buffers while JS handles what came before, and a uv_async hands them over in order.
// The kernel builds each chunk of a dump inside recvmsg(), so on a big dump the kernel's work
// and the decoding in JS overlap instead of taking turns. Flow control is the same: pause()
// stops the thread reading once the ring is full or at its next datagram. The thread receives
// straight into a slot (no MSG_PEEK); a datagram larger than the slot is reported truncated,
// as in the other mode, and the slots grow for the next one. JS reads the datagram in the slot
// itself: each slot has a Uint8Array over its memory, made once per slot size and passed as
// the callback's last argument, valid during that call only.
//
// close() releases everything at once: the poll handle is stopped (libuv removes the fd from
// epoll right then) and the fd closed in the same call, or the thread woken, joined and both
// fds closed. Only the handle's memory waits for libuv's close callback.

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <node_api.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <net/if.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

// Datagrams read per wake-up. The kernel builds each dump chunk inside recvmsg, so an
// unbounded loop would starve the event loop while a huge table streams in.
#define MAX_PER_WAKE 64

// Datagrams the read-ahead thread may hold before JS has taken them.
#define AHEAD_SLOTS 8

// What recvmsg() said besides the bytes: the sender, the group (NETLINK_PKTINFO), the nsid
// (NETLINK_LISTEN_ALL_NSID) and whether the datagram was cut.
typedef struct {
  uint32_t portid, groups;
  int64_t group, nsid;
  int truncated;
  // SCM_CREDENTIALS (SO_PASSCRED): the sender's pid, uid and gid, as the kernel recorded them.
  int has_cred;
  uint32_t cred[3];
} recv_info;

// A slot's memory. Shared by the slot and the Uint8Array JS reads it through, each holding a
// reference: when the slot grows or the socket closes, an array JS still holds stays valid
// until it is collected (JS is told to copy what it keeps, but a mistake must not read freed
// memory).
typedef struct slot_mem {
  atomic_int refs;
  size_t cap;
  uint8_t data[];
} slot_mem;

typedef struct ahead_slot {
  slot_mem* mem;      // NULL until the first datagram
  ssize_t len;        // the datagram's full length (more than mem->cap when truncated)
  int status;         // 0, or a negative errno
  recv_info ri;
  // On the loop thread only: the Uint8Array over view_mem, reused while the slot keeps it.
  napi_ref view;
  slot_mem* view_mem;
} ahead_slot;

typedef struct nlsock {
  napi_env env;
  uv_poll_t poll;
  int fd;
  int polling;      // uv_poll_start is active
  int closing;      // close() was called: the fd is closed, the handle closing
  int handle_init;  // poll handle initialised (needs uv_close)
  int refed;
  int paused;       // pause() was called and not undone by resume()
  napi_ref wrapper;   // weak reference to the JS object
  napi_ref callback;  // strong while started: released on stop/close so nothing leaks
  napi_ref buffer;    // strong reference to the borrowed receive buffer
  uint8_t* buf;
  size_t buflen;
  napi_async_context async_ctx;
  // The credentials of the datagram being delivered (lastCredentials()), only during its callback.
  const recv_info* delivering;
  // peekSizes(true): before each receive, a datagram larger than the buffer is announced first.
  int peek_sizes;
  // While the poll handle exists: makes environment teardown (a worker exiting, the process
  // exiting) wait until the handle is closed, before the addon can be unloaded.
  napi_async_cleanup_hook_handle cleanup;
  // Read-ahead mode: the handle is `async` instead of `poll`.
  int ahead;
  uv_async_t async;
  pthread_t thread;
  int thread_started;
  int wakefd;  // eventfd: wakes the thread out of poll() to stop
  pthread_mutex_t mu;
  pthread_cond_t cv;
  // Under mu:
  int stop;         // the thread must exit
  int tpaused;      // pause() seen by the thread
  size_t want_cap;  // the size of a slot: the JS buffer's length, or a truncated datagram's
  int head, count;  // the ring: JS takes at head, the thread fills at head + count
  ahead_slot ring[AHEAD_SLOTS];
} nlsock;

static napi_value throw_errno(napi_env env, const char* syscall, int err) {
  char msg[128];
  snprintf(msg, sizeof msg, "%s failed: %s", syscall, strerror(err));
  napi_value message, error, code_v, errno_v, sys_v;
  napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &message);
  napi_create_error(env, NULL, message, &error);
  // glibc 2.32+ names errno values; musl cannot, and then the JS side names errno itself
  // (wrapNative), so `code` is set only when known.
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32))
  const char* code = strerrorname_np(err);
#else
  const char* code = NULL;
#endif
  napi_create_int32(env, err, &errno_v);
  napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &sys_v);
  napi_set_named_property(env, error, "errno", errno_v);
  if (code) {
    napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &code_v);
    napi_set_named_property(env, error, "code", code_v);
  }
  napi_set_named_property(env, error, "syscall", sys_v);
  napi_throw(env, error);
  return NULL;
}

#define CHECK(call)                                             \
  do {                                                          \
    if ((call) != napi_ok) {                                    \
      napi_throw_error(env, NULL, "nlsock: N-API call failed"); \
      return NULL;                                              \
    }                                                           \
  } while (0)

static nlsock* unwrap_this(napi_env env, napi_callback_info info, size_t* argc, napi_value* argv) {
  napi_value self;
  nlsock* s = NULL;
  if (napi_get_cb_info(env, info, argc, argv, &self, NULL) != napi_ok) return NULL;
  if (napi_unwrap(env, self, (void**)&s) != napi_ok || s == NULL) {
    napi_throw_error(env, "ERR_NLSOCK", "not a netlink socket");
    return NULL;
  }
  if (s->fd < 0) {
    napi_throw_error(env, "ERR_NLSOCK_CLOSED", "netlink socket is closed");
    return NULL;
  }
  return s;
}

static int get_i64(napi_env env, napi_value v, int64_t* out) {
  return napi_get_value_int64(env, v, out) == napi_ok;
}

// The bytes of a Uint8Array argument; false (nothing thrown) when `v` is not one.
static int get_bytes(napi_env env, napi_value v, void** data, size_t* len) {
  napi_typedarray_type tt;
  napi_value ab;
  size_t off;
  return napi_get_typedarray_info(env, v, &tt, len, data, &ab, &off) == napi_ok && tt == napi_uint8_array;
}

// ---- opening, possibly inside another network namespace ----

typedef struct {
  const char* nspath;
  int protocol;
  int fd;
  int err;
  const char* syscall;
} open_job;

// Moves the calling thread into the network namespace at `nspath`: 0, or the errno with the
// syscall that failed in *syscall. Run on a short-lived thread of its own (see the top).
static int enter_netns(const char* nspath, const char** syscall) {
  int nsfd = open(nspath, O_RDONLY | O_CLOEXEC);
  if (nsfd < 0) {
    *syscall = "open";
    return errno;
  }
  int err = setns(nsfd, CLONE_NEWNET) < 0 ? errno : 0;
  if (err) *syscall = "setns";
  close(nsfd);
  return err;
}

static void do_open(open_job* job) {
  if (job->nspath && (job->err = enter_netns(job->nspath, &job->syscall)) != 0) return;
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, job->protocol);
  if (fd < 0) {
    job->err = errno;
    job->syscall = "socket";
    return;
  }
  job->fd = fd;
}

static void* open_thread(void* arg) {
  do_open((open_job*)arg);
  return NULL;
}

static void finalize_sock(napi_env env, void* data, void* hint);
static void on_handle_closed(uv_handle_t* h);

static void release_refs(nlsock* s) {
  if (s->callback) {
    napi_delete_reference(s->env, s->callback);
    s->callback = NULL;
  }
  if (s->buffer) {
    napi_delete_reference(s->env, s->buffer);
    s->buffer = NULL;
  }
  s->buf = NULL;
  s->buflen = 0;
}

// ---- slot memory (read-ahead mode) ----

static slot_mem* mem_new(size_t cap) {
  if (cap > SIZE_MAX - sizeof(slot_mem)) return NULL;
  slot_mem* m = malloc(sizeof(slot_mem) + cap);
  if (!m) return NULL;
  atomic_init(&m->refs, 1);
  m->cap = cap;
  return m;
}

static void mem_unref(slot_mem* m) {
  if (m && atomic_fetch_sub_explicit(&m->refs, 1, memory_order_acq_rel) == 1) free(m);
}

// The finalizer of a slot's ArrayBuffer: JS no longer reads the memory.
static void mem_finalize(napi_env env, void* data, void* hint) {
  (void)env;
  (void)data;
  mem_unref((slot_mem*)hint);
}

// Wakes the read-ahead thread for good and waits for it to exit.
static void stop_thread(nlsock* s) {
  if (!s->thread_started) return;
  pthread_mutex_lock(&s->mu);
  s->stop = 1;
  pthread_cond_signal(&s->cv);
  pthread_mutex_unlock(&s->mu);
  // The thread may wait in poll() on the socket: the eventfd wakes it. EAGAIN means the counter
  // is already non-zero, so the eventfd is readable anyway.
  uint64_t one = 1;
  while (write(s->wakefd, &one, sizeof one) < 0 && errno == EINTR) {
  }
  pthread_join(s->thread, NULL);  // cannot fail: a joinable thread of ours, joined once
  s->thread_started = 0;
}

// Closing order matters: libuv must be done with the fd (uv_close() stops the poll handle and
// takes the fd out of epoll synchronously) before it is closed, and the read-ahead thread must
// have exited, so that nothing polls or reads a closed or reused fd number.
static void begin_close(nlsock* s) {
  if (s->closing) return;
  s->closing = 1;
  release_refs(s);
  if (s->async_ctx) {
    napi_async_destroy(s->env, s->async_ctx);
    s->async_ctx = NULL;
  }
  if (s->handle_init && s->ahead) {
    stop_thread(s);
    if (s->wakefd >= 0) close(s->wakefd);
    s->wakefd = -1;
    for (int i = 0; i < AHEAD_SLOTS; i++) {
      ahead_slot* sl = &s->ring[i];
      if (sl->view) napi_delete_reference(s->env, sl->view);
      sl->view = NULL;
      sl->view_mem = NULL;
      mem_unref(sl->mem);
      sl->mem = NULL;
    }
    uv_close((uv_handle_t*)&s->async, on_handle_closed);
  } else if (s->handle_init) {
    s->polling = 0;
    uv_close((uv_handle_t*)&s->poll, on_handle_closed);
  }
  if (s->fd >= 0) close(s->fd);
  s->fd = -1;
  if (!s->handle_init && !s->wrapper) free(s);
}

// The handle's memory is libuv's until now; everything else was released by begin_close().
static void on_handle_closed(uv_handle_t* h) {
  nlsock* s = (nlsock*)h->data;
  s->handle_init = 0;
  if (s->ahead) {
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
  }
  if (s->cleanup) {
    napi_remove_async_cleanup_hook(s->cleanup);
    s->cleanup = NULL;
  }
  // The JS object may already be gone (finalizer ran while the handle was closing).
  if (!s->wrapper) free(s);
}

// The environment is going away with the handle still open: close it now. Teardown waits until
// on_handle_closed removes this hook, so libuv never calls into an unloaded addon.
static void on_env_cleanup(napi_async_cleanup_hook_handle h, void* arg) {
  (void)h;
  nlsock* s = (nlsock*)arg;
  if (!s->closing) begin_close(s);
}

static void finalize_sock(napi_env env, void* data, void* hint) {
  (void)hint;
  nlsock* s = (nlsock*)data;
  if (s->wrapper) {
    napi_delete_reference(env, s->wrapper);
    s->wrapper = NULL;
  }
  if (!s->closing) {
    begin_close(s);  // frees s now or when the handle has closed
  } else if (!s->handle_init) {
    free(s);
  }
}

// new NativeSocket(protocol, nspath|null)
static napi_value nl_construct(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], obj;
  CHECK(napi_get_cb_info(env, info, &argc, argv, &obj, NULL));
  int32_t protocol = 0;
  if (argc < 1 || napi_get_value_int32(env, argv[0], &protocol) != napi_ok) {
    napi_throw_type_error(env, NULL, "protocol must be a number");
    return NULL;
  }
  char path[4096];
  int have_path = 0;
  if (argc >= 2) {
    napi_valuetype t;
    napi_typeof(env, argv[1], &t);
    if (t == napi_string) {
      size_t n;
      if (napi_get_value_string_utf8(env, argv[1], path, sizeof path, &n) != napi_ok || n >= sizeof path - 1) {
        napi_throw_type_error(env, NULL, "namespace path too long");
        return NULL;
      }
      have_path = 1;
    }
  }
  open_job job = {have_path ? path : NULL, protocol, -1, 0, NULL};
  if (have_path) {
    pthread_t th;
    int rc = pthread_create(&th, NULL, open_thread, &job);
    if (rc != 0) return throw_errno(env, "pthread_create", rc);
    pthread_join(th, NULL);
  } else {
    do_open(&job);
  }
  if (job.fd < 0) return throw_errno(env, job.syscall, job.err);

  nlsock* s = calloc(1, sizeof *s);
  if (!s) {
    close(job.fd);
    return throw_errno(env, "calloc", ENOMEM);
  }
  s->env = env;
  s->fd = job.fd;
  s->wakefd = -1;
  s->refed = 1;
  if (napi_wrap(env, obj, s, finalize_sock, NULL, &s->wrapper) != napi_ok) {
    close(s->fd);
    free(s);
    napi_throw_error(env, NULL, "nlsock: wrap failed");
    return NULL;
  }
  return obj;
}

// bind(portid, groups)
static napi_value nl_bind(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  nlsock* s = unwrap_this(env, info, &argc, argv);
  if (!s) return NULL;
  int64_t pid = 0, groups = 0;
  if (argc >= 1) get_i64(env, argv[0], &pid);
  if (argc >= 2) get_i64(env, argv[1], &groups);
  struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_pid = (uint32_t)pid, .nl_groups = (uint32_t)groups};
  if (bind(s->fd, (struct sockaddr*)&sa, sizeof sa) < 0) return throw_errno(env, "bind", errno);
  return NULL;
}

// getsockname() -> [portid, groups]
static napi_value nl_getsockname(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  nlsock* s = unwrap_this(env, info, &argc, NULL);
  if (!s) return NULL;
  struct sockaddr_nl sa;
  socklen_t len = sizeof sa;
  memset(&sa, 0, sizeof sa);
  if (getsockname(s->fd, (struct sockaddr*)&sa, &len) < 0) return throw_errno(env, "getsockname", errno);
  napi_value arr, a, b;
  CHECK(napi_create_array_with_length(env, 2, &arr));
  napi_create_uint32(env, sa.nl_pid, &a);
  napi_create_uint32(env, sa.nl_groups, &b);
  napi_set_element(env, arr, 0, a);
  napi_set_element(env, arr, 1, b);
  return arr;
}

// setsockopt(level, name, intValue)
static napi_value nl_setsockopt(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  nlsock* s = unwrap_this(env, info, &argc, argv);
  if (!s) return NULL;
  int32_t level = 0, name = 0;
  int64_t v = 0;
  if (argc < 3 || napi_get_value_int32(env, argv[0], &level) != napi_ok ||
      napi_get_value_int32(env, argv[1], &name) != napi_ok || !get_i64(env, argv[2], &v)) {
    napi_throw_type_error(env, NULL, "setsockopt(level, name, value) takes numbers");
    return NULL;
  }
  // Group numbers above 2^31 are valid for membership options: pass the bits unchanged.
  uint32_t val = (uint32_t)v;
  if (setsockopt(s->fd, level, name, &val, sizeof val) < 0) return throw_errno(env, "setsockopt", errno);
  return NULL;
}

// getsockopt(level, name) -> int
static napi_value nl_getsockopt(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  nlsock* s = unwrap_this(env, info, &argc, argv);
  if (!s) return NULL;
  int32_t level = 0, name = 0;
  if (argc < 2 || napi_get_value_int32(env, argv[0], &level) != napi_ok ||
      napi_get_value_int32(env, argv[1], &name) != napi_ok) {
    napi_throw_type_error(env, NULL, "getsockopt(level, name) takes numbers");
    return NULL;
  }
  int val = 0;
  socklen_t len = sizeof val;
  if (getsockopt(s->fd, level, name, &val, &len) < 0) return throw_errno(env, "getsockopt", errno);
  napi_value out;
  napi_create_int32(env, val, &out);
  return out;
}

// send(uint8array, portid, groups) -> bytes sent
static napi_value nl_send(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  nlsock* s = unwrap_this(env, info, &argc, argv);
  if (!s) return NULL;
  void* data;
  size_t len;
  if (argc < 1 || !get_bytes(env, argv[0], &data, &len)) {
    napi_throw_type_error(env, NULL, "send() takes a Uint8Array");
    return NULL;
  }
  int64_t pid = 0, groups = 0;
  if (argc >= 2) get_i64(env, argv[1], &pid);
  if (argc >= 3) get_i64(env, argv[2], &groups);
  struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_pid = (uint32_t)pid, .nl_groups = (uint32_t)groups};
  ssize_t n;
  do {
    n = sendto(s->fd, data, len, 0, (struct sockaddr*)&sa, sizeof sa);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return throw_errno(env, "sendto", errno);
  napi_value out;
  napi_create_int64(env, n, &out);
  return out;
}

// ---- receiving ----

// Calls cb(status, len, portid, groups, group, nsid, truncated[, buf]) for one datagram or
// error; `buf` (a slot's array, read-ahead mode) when the datagram is not in the JS buffer.
static int deliver(nlsock* s, napi_value cb, napi_value recv, int status, ssize_t len, uint32_t portid,
                   uint32_t groups, int64_t group, int64_t nsid, int truncated, napi_value buf) {
  napi_env env = s->env;
  napi_value argv[8];
  napi_create_int32(env, status, &argv[0]);
  napi_create_int64(env, len, &argv[1]);
  napi_create_uint32(env, portid, &argv[2]);
  napi_create_uint32(env, groups, &argv[3]);
  napi_create_int64(env, group, &argv[4]);
  napi_create_int64(env, nsid, &argv[5]);
  napi_get_boolean(env, truncated, &argv[6]);
  argv[7] = buf;
  napi_value result;
  napi_status st = napi_call_function(env, recv, cb, buf ? 8 : 7, argv, &result);
  if (st == napi_pending_exception) {
    // The JS side never throws by design; if it does anyway, the exception must not escape a
    // libuv callback. Hand it to the process the way an async callback would.
    napi_value exc;
    napi_get_and_clear_last_exception(env, &exc);
    napi_fatal_exception(env, exc);
    return -1;
  }
  return st == napi_ok ? 0 : -1;
}

// Receives one datagram of at most `cap` bytes without waiting. Returns the datagram's full
// length (more than cap when it was cut, see ri->truncated) or -errno.
static ssize_t recv_datagram(int fd, void* buf, size_t cap, recv_info* ri) {
  char cbuf[CMSG_SPACE(sizeof(struct nl_pktinfo)) + CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(struct ucred)) + 64];
  struct sockaddr_nl sa;
  struct iovec iov = {buf, cap};
  struct msghdr mh;
  memset(&mh, 0, sizeof mh);
  memset(&sa, 0, sizeof sa);
  mh.msg_name = &sa;
  mh.msg_namelen = sizeof sa;
  mh.msg_iov = &iov;
  mh.msg_iovlen = 1;
  mh.msg_control = cbuf;
  mh.msg_controllen = sizeof cbuf;
  ssize_t n = recvmsg(fd, &mh, MSG_TRUNC | MSG_DONTWAIT);
  if (n < 0) return -errno;
  ri->portid = sa.nl_pid;
  ri->groups = sa.nl_groups;
  ri->group = -1;
  ri->nsid = -1;
  ri->has_cred = 0;
  for (struct cmsghdr* c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS && c->cmsg_len >= CMSG_LEN(sizeof(struct ucred))) {
      struct ucred uc;
      memcpy(&uc, CMSG_DATA(c), sizeof uc);
      ri->cred[0] = (uint32_t)uc.pid;
      ri->cred[1] = uc.uid;
      ri->cred[2] = uc.gid;
      ri->has_cred = 1;
      continue;
    }
    if (c->cmsg_level != SOL_NETLINK) continue;
    if (c->cmsg_type == NETLINK_PKTINFO && c->cmsg_len >= CMSG_LEN(sizeof(struct nl_pktinfo))) {
      struct nl_pktinfo pi;
      memcpy(&pi, CMSG_DATA(c), sizeof pi);
      ri->group = pi.group;
    } else if (c->cmsg_type == NETLINK_LISTEN_ALL_NSID && c->cmsg_len >= CMSG_LEN(sizeof(int))) {
      int v;
      memcpy(&v, CMSG_DATA(c), sizeof v);
      ri->nsid = v;
    }
  }
  ri->truncated = (size_t)n > cap || (mh.msg_flags & MSG_TRUNC);
  return n;
}

// What a wake-up needs to call into JS: one handle scope and one callback scope around all the
// deliveries of the wake-up.
typedef struct {
  napi_handle_scope hscope;
  napi_callback_scope cscope;
  napi_value cb, recv;
} js_entry;

static int enter_js(nlsock* s, js_entry* j) {
  napi_env env = s->env;
  if (napi_open_handle_scope(env, &j->hscope) != napi_ok) return -1;
  napi_get_reference_value(env, s->callback, &j->cb);
  napi_get_undefined(env, &j->recv);
  if (s->wrapper) napi_get_reference_value(env, s->wrapper, &j->recv);
  napi_value resource;
  napi_create_object(env, &resource);
  if (napi_open_callback_scope(env, resource, s->async_ctx, &j->cscope) != napi_ok) {
    napi_close_handle_scope(env, j->hscope);
    return -1;
  }
  return 0;
}

static void leave_js(nlsock* s, js_entry* j) {
  napi_close_callback_scope(s->env, j->cscope);
  napi_close_handle_scope(s->env, j->hscope);
}

static void on_poll(uv_poll_t* h, int status, int events) {
  (void)events;
  nlsock* s = (nlsock*)h->data;
  if (s->closing || !s->callback) return;
  js_entry j;
  if (enter_js(s, &j) < 0) return;
  if (status < 0) {
    // libuv turns EPOLLERR into UV_EBADF and stops the handle. On Netlink, EPOLLERR means the
    // socket has a pending error (ENOBUFS after an overrun): read and clear it, report it, and
    // poll again.
    // The handle is stopped now; the callback may pause(), resume() or close() meanwhile.
    s->polling = 0;
    int soerr = 0;
    socklen_t sl = sizeof soerr;
    if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0) soerr = errno;
    if (soerr == 0) soerr = -status;  // libuv errors are negative errno
    deliver(s, j.cb, j.recv, -soerr, 0, 0, 0, -1, -1, 0, NULL);
    if (!s->closing && s->callback && !s->paused && !s->polling) {
      s->polling = uv_poll_start(&s->poll, UV_READABLE, on_poll) == 0;
    }
  } else {
    for (int i = 0; i < MAX_PER_WAKE && !s->closing && s->polling && s->buf; i++) {
      if (s->peek_sizes) {
        // MSG_PEEK|MSG_TRUNC: the size of the next datagram, which stays queued. One larger than
        // the buffer is announced as cb(-EMSGSIZE, size): JS may setBuffer() a bigger one before
        // it is received; if it does not, the datagram is received cut, as without peeking.
        ssize_t want = recv(s->fd, NULL, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
        if (want > 0 && (size_t)want > s->buflen) {
          if (deliver(s, j.cb, j.recv, -EMSGSIZE, want, 0, 0, -1, -1, 0, NULL) < 0) break;
          if (s->closing || !s->polling || !s->buf) break;
        }
      }
      recv_info ri;
      ssize_t n = recv_datagram(s->fd, s->buf, s->buflen, &ri);
      if (n < 0) {
        int err = (int)-n;
        if (err == EINTR) continue;
        if (err == EAGAIN || err == EWOULDBLOCK) break;  // drained
        if (deliver(s, j.cb, j.recv, -err, 0, 0, 0, -1, -1, 0, NULL) < 0 || err != ENOBUFS) break;
        continue;
      }
      s->delivering = &ri;
      int rc = deliver(s, j.cb, j.recv, 0, n, ri.portid, ri.groups, ri.group, ri.nsid, ri.truncated, NULL);
      s->delivering = NULL;
      if (rc < 0) break;
    }
  }
  leave_js(s, &j);
}

// ---- read-ahead mode ----

// Makes the slot past the ones JS has yet to take visible to JS, and wakes the loop.
static void publish(nlsock* s) {
  pthread_mutex_lock(&s->mu);
  s->count++;
  pthread_mutex_unlock(&s->mu);
  uv_async_send(&s->async);
}

// The thread: waits for room in the ring (and for resume()), then for a datagram, and
// receives it into the next slot. It touches only the slot past the ones JS has yet to take.
//
// EINVAL is not an error here. A receive lets the kernel build the next chunk of a running
// dump (netlink_dump() from netlink_recvmsg()). A small dump started by JS on the loop thread
// finishes inside send(), and wakes this thread before it marks itself finished: a receive
// then sees the dump running, and netlink_dump(), once it has the callback mutex, finds none
// and leaves -EINVAL in sk_err for the next receive. Nothing was lost; one thread never sees it.
static void* ahead_thread(void* arg) {
  nlsock* s = (nlsock*)arg;
  for (;;) {
    pthread_mutex_lock(&s->mu);
    while (!s->stop && (s->tpaused || s->count == AHEAD_SLOTS)) pthread_cond_wait(&s->cv, &s->mu);
    if (s->stop) {
      pthread_mutex_unlock(&s->mu);
      break;
    }
    ahead_slot* sl = &s->ring[(s->head + s->count) % AHEAD_SLOTS];
    size_t want = s->want_cap;
    pthread_mutex_unlock(&s->mu);
    struct pollfd p[2] = {{s->fd, POLLIN, 0}, {s->wakefd, POLLIN, 0}};
    if (poll(p, 2, -1) < 0) {
      if (errno == EINTR) continue;
      sl->status = -errno;  // cannot wait on the socket: report it and stop reading
      sl->len = 0;
      publish(s);
      break;
    }
    if (p[1].revents) continue;  // woken to stop
    // The slot grows before the receive (allocated at the first datagram). An array JS holds
    // keeps the old memory alive through its own reference.
    if (!sl->mem || sl->mem->cap < want) {
      slot_mem* m = mem_new(want);
      if (m) {
        mem_unref(sl->mem);
        sl->mem = m;
      }
    }
    ssize_t n;
    if (sl->mem) {
      n = recv_datagram(s->fd, sl->mem->data, sl->mem->cap, &sl->ri);
    } else {
      // No memory for a slot at all: drop the datagram (or take the pending error), say so.
      n = recv(s->fd, NULL, 0, MSG_TRUNC | MSG_DONTWAIT);
      if (n >= 0) n = -ENOMEM;
      else n = -errno;
    }
    if (n == -EINTR || n == -EAGAIN || n == -EWOULDBLOCK || n == -EINVAL) continue;
    if (n >= 0 && sl->ri.truncated) {
      // Lost (JS is told), but the next datagram of this size fits.
      pthread_mutex_lock(&s->mu);
      if ((size_t)n > s->want_cap) s->want_cap = (size_t)n;
      pthread_mutex_unlock(&s->mu);
    }
    sl->status = n < 0 ? (int)n : 0;
    sl->len = n < 0 ? 0 : n;
    publish(s);
  }
  return NULL;
}

// The Uint8Array over a slot's memory: made when the slot has new memory, reused otherwise.
// NULL when it cannot be made (e.g. a runtime without external buffers): the caller copies.
static napi_value slot_view(nlsock* s, ahead_slot* sl) {
  napi_env env = s->env;
  napi_value view, ab;
  if (sl->view && sl->view_mem == sl->mem) {
    if (napi_get_reference_value(env, sl->view, &view) == napi_ok && view) return view;
  }
  if (sl->view) napi_delete_reference(env, sl->view);
  sl->view = NULL;
  sl->view_mem = NULL;
  slot_mem* m = sl->mem;
  atomic_fetch_add_explicit(&m->refs, 1, memory_order_relaxed);  // the ArrayBuffer's
  if (napi_create_external_arraybuffer(env, m->data, m->cap, mem_finalize, m, &ab) != napi_ok) {
    mem_unref(m);
    return NULL;
  }
  // A plain Uint8Array, not a Buffer: its slice() copies, as JS expects of the receive buffer.
  if (napi_create_typedarray(env, napi_uint8_array, m->cap, ab, 0, &view) != napi_ok ||
      napi_create_reference(env, view, 1, &sl->view) != napi_ok) {
    sl->view = NULL;
    return NULL;
  }
  sl->view_mem = m;
  return view;
}

// On the loop: hands the received datagrams to JS in order, each in its slot, which goes back
// to the thread once the callback has returned.
static void on_async(uv_async_t* h) {
  nlsock* s = (nlsock*)h->data;
  if (s->closing || !s->callback) return;
  js_entry j;
  if (enter_js(s, &j) < 0) return;
  int more = 0;
  for (int i = 0; !s->closing && s->callback && !s->paused; i++) {
    pthread_mutex_lock(&s->mu);
    int have = s->count;
    pthread_mutex_unlock(&s->mu);
    if (!have) break;
    if (i == MAX_PER_WAKE) {
      more = 1;
      break;
    }
    // The head slot is JS's until it is released below: the thread does not touch it.
    ahead_slot* sl = &s->ring[s->head];
    ssize_t len = sl->len;
    int status = sl->status;
    recv_info ri = sl->ri;
    int rc;
    if (status < 0) {
      rc = deliver(s, j.cb, j.recv, status, 0, 0, 0, -1, -1, 0, NULL);
    } else {
      napi_value view = slot_view(s, sl);
      if (!view) {
        // Copied into the JS buffer instead, cut to its length as in the other mode.
        size_t n = (size_t)len < sl->mem->cap ? (size_t)len : sl->mem->cap;
        if (n > s->buflen) n = s->buflen;
        if (n && s->buf) memcpy(s->buf, sl->mem->data, n);
        if ((size_t)len > s->buflen) ri.truncated = 1;
      }
      s->delivering = &ri;
      rc = deliver(s, j.cb, j.recv, 0, len, ri.portid, ri.groups, ri.group, ri.nsid, ri.truncated, view);
      s->delivering = NULL;
    }
    if (s->closing) break;  // close() in the callback has stopped the thread and freed the ring
    pthread_mutex_lock(&s->mu);
    s->head = (s->head + 1) % AHEAD_SLOTS;
    s->count--;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    if (rc < 0) break;
  }
  if (more && !s->closing) uv_async_send(&s->async);  // the rest on the next turn of the loop
  leave_js(s, &j);
}

static int start_ahead(napi_env env, nlsock* s, uv_loop_t* loop) {
  s->wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (s->wakefd < 0) return -errno;
  int rc = pthread_mutex_init(&s->mu, NULL);
  if (rc == 0 && (rc = pthread_cond_init(&s->cv, NULL)) != 0) pthread_mutex_destroy(&s->mu);
  if (rc != 0) {
    close(s->wakefd);
    s->wakefd = -1;
    return -rc;
  }
  s->want_cap = s->buflen;
  rc = uv_async_init(loop, &s->async, on_async);
  if (rc < 0) {
    close(s->wakefd);
    s->wakefd = -1;
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    return rc;
  }
  s->async.data = s;
  s->ahead = 1;
  s->handle_init = 1;
  if (!s->refed) uv_unref((uv_handle_t*)&s->async);
  if (napi_add_async_cleanup_hook(env, on_env_cleanup, s, &s->cleanup) != napi_ok) s->cleanup = NULL;
  rc = pthread_create(&s->thread, NULL, ahead_thread, s);
  if (rc != 0) return -rc;  // the handle is closed with the socket
  s->thread_started = 1;
  return 0;
}

// start(callback, uint8array): begins receiving; the buffer is borrowed
// for every receive. With readAhead true, a thread receives ahead (see the top of the file).
static napi_value nl_start(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  nlsock* s = unwrap_this(env, info, &argc, argv);
  if (!s) return NULL;
  napi_valuetype t;
  if (argc < 2 || napi_typeof(env, argv[0], &t) != napi_ok || t != napi_function) {
    napi_throw_type_error(env, NULL, "start(callback, buffer)");
    return NULL;
  }
  void* data;
  size_t len;
  if (!get_bytes(env, argv[1], &data, &len) || len == 0) {
    napi_throw_type_error(env, NULL, "start() needs a non-empty Uint8Array");
    return NULL;
  }
  if (s->callback) napi_delete_reference(env, s->callback);
  if (s->buffer) napi_delete_reference(env, s->buffer);
  CHECK(napi_create_reference(env, argv[0], 1, &s->callback));
  CHECK(napi_create_reference(env, argv[1], 1, &s->buffer));
  s->buf = data;
  s->buflen = len;
  if (!s->async_ctx) {
    napi_value name;
    napi_create_string_utf8(env, "nlkit:netlink", NAPI_AUTO_LENGTH, &name);
    CHECK(napi_async_init(env, NULL, name, &s->async_ctx));
  }
  bool ahead = false;
  if (argc >= 3) napi_get_value_bool(env, argv[2], &ahead);
  if (s->ahead) {
    s->paused = 0;
    pthread_mutex_lock(&s->mu);
    s->tpaused = 0;
    s->want_cap = len;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    return NULL;
  }
  if (!s->handle_init && ahead) {
    uv_loop_t* loop;
    CHECK(napi_get_uv_event_loop(env, &loop));
    int rc = start_ahead(env, s, loop);
    if (rc < 0) return throw_errno(env, "start", -rc);
    s->paused = 0;
    return NULL;
  }
  if (!s->handle_init) {
    uv_loop_t* loop;
    CHECK(napi_get_uv_event_loop(env, &loop));
    int rc = uv_poll_init(loop, &s->poll, s->fd);
    if (rc < 0) return throw_errno(env, "uv_poll_init", -rc);
    s->poll.data = s;
    s->handle_init = 1;
    if (!s->refed) uv_unref((uv_handle_t*)&s->poll);
    if (napi_add_async_cleanup_hook(env, on_env_cleanup, s, &s->cleanup) != napi_ok) s->cleanup = NULL;
  }
  int rc = uv_poll_start(&s->poll, UV_READABLE, on_poll);
  if (rc < 0) return throw_errno(env, "uv_poll_start", -rc);
  s->polling = 1;
  s->paused = 0;
  return NULL;
}

// setBuffer(uint8array): swap the receive buffer (grown after a truncated datagram).
static napi_value nl_set_buffer(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  nlsock* s = unwrap_this(env, info, &argc, argv);
  if (!s) return NULL;
  void* data;
  size_t len;
  if (argc < 1 || !get_bytes(env, argv[0], &data, &len) || len == 0) {
    napi_throw_type_error(env, NULL, "setBuffer() needs a non-empty Uint8Array");
    return NULL;
  }
  if (s->buffer) napi_delete_reference(env, s->buffer);
  CHECK(napi_create_reference(env, argv[0], 1, &s->buffer));
  s->buf = data;
  s->buflen = len;
  if (s->ahead) {
    pthread_mutex_lock(&s->mu);
    s->want_cap = len;
    pthread_mutex_unlock(&s->mu);
  }
  return NULL;
}

// pause(): stop reading (backpressure); resume(): read again.
static napi_value nl_pause(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  nlsock* s = unwrap_this(env, info, &argc, NULL);
  if (!s) return NULL;
  s->paused = 1;
  if (s->ahead) {
    pthread_mutex_lock(&s->mu);
    s->tpaused = 1;
    pthread_mutex_unlock(&s->mu);
    // Like a stopped poll handle, a paused socket does not keep the loop alive.
    if (s->handle_init) uv_unref((uv_handle_t*)&s->async);
    return NULL;
  }
  if (s->handle_init && s->polling) uv_poll_stop(&s->poll);
  s->polling = 0;
  return NULL;
}

static napi_value nl_resume(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  nlsock* s = unwrap_this(env, info, &argc, NULL);
  if (!s) return NULL;
  s->paused = 0;
  if (s->ahead) {
    if (!s->handle_init || s->closing) return NULL;
    pthread_mutex_lock(&s->mu);
    s->tpaused = 0;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    if (s->refed) uv_ref((uv_handle_t*)&s->async);
    uv_async_send(&s->async);  // hand over what arrived meanwhile
    return NULL;
  }
  if (!s->handle_init || !s->callback || s->polling) return NULL;
  int rc = uv_poll_start(&s->poll, UV_READABLE, on_poll);
  if (rc < 0) return throw_errno(env, "uv_poll_start", -rc);
  s->polling = 1;
  return NULL;
}

static napi_value nl_ref(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  nlsock* s = unwrap_this(env, info, &argc, NULL);
  if (!s) return NULL;
  s->refed = 1;
  if (s->handle_init && s->ahead) {
    if (!s->paused) uv_ref((uv_handle_t*)&s->async);
  } else if (s->handle_init) {
    uv_ref((uv_handle_t*)&s->poll);
  }
  return NULL;
}

static napi_value nl_unref(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  nlsock* s = unwrap_this(env, info, &argc, NULL);
  if (!s) return NULL;
  s->refed = 0;
  if (s->handle_init) uv_unref(s->ahead ? (uv_handle_t*)&s->async : (uv_handle_t*)&s->poll);
  return NULL;
}

static napi_value nl_fd(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  napi_value self, out;
  nlsock* s = NULL;
  napi_get_cb_info(env, info, &argc, NULL, &self, NULL);
  napi_unwrap(env, self, (void**)&s);
  napi_create_int32(env, s ? s->fd : -1, &out);
  return out;
}

// lastCredentials() -> [pid, uid, gid] | null: SCM_CREDENTIALS of the datagram whose callback is
// running (SO_PASSCRED must be on); null outside a callback or when the datagram had none.
static napi_value nl_last_credentials(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  nlsock* s = unwrap_this(env, info, &argc, NULL);
  if (!s) return NULL;
  napi_value out;
  if (!s->delivering || !s->delivering->has_cred) {
    napi_get_null(env, &out);
    return out;
  }
  CHECK(napi_create_array_with_length(env, 3, &out));
  for (uint32_t i = 0; i < 3; i++) {
    napi_value v;
    napi_create_uint32(env, s->delivering->cred[i], &v);
    napi_set_element(env, out, i, v);
  }
  return out;
}

// peekSizes(on): see peek_sizes. Poll mode only (read-ahead slots grow on their own).
static napi_value nl_peek_sizes(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  nlsock* s = unwrap_this(env, info, &argc, argv);
  if (!s) return NULL;
  bool on = false;
  if (argc >= 1) napi_get_value_bool(env, argv[0], &on);
  s->peek_sizes = on;
  return NULL;
}

// close(): idempotent. Releases the fd (and the read-ahead thread) before it returns, and drops
// the callback; see begin_close().
static napi_value nl_close(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  napi_value self;
  nlsock* s = NULL;
  CHECK(napi_get_cb_info(env, info, &argc, NULL, &self, NULL));
  if (napi_unwrap(env, self, (void**)&s) != napi_ok || !s) return NULL;
  if (!s->closing) begin_close(s);
  return NULL;
}


// ethtool(ifname, data): the SIOCETHTOOL ioctl on this socket (so in its network namespace),
// for what ethtool netlink has no message for (ETHTOOL_GDRVINFO, ETHTOOL_GSSET_INFO,
// ETHTOOL_GSTRINGS, ETHTOOL_GSTATS). `data` is the command's struct, its first u32 the command;
// only these four are taken, and only when `data` holds all the kernel will write for them
// (computed from the struct's own counts), so the kernel never writes past the buffer.
static napi_value nl_ethtool(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  nlsock* s = unwrap_this(env, info, &argc, argv);
  if (!s) return NULL;
  char name[IFNAMSIZ];
  size_t nlen = 0;
  void* data = NULL;
  size_t len = 0;
  if (argc < 2 || napi_get_value_string_utf8(env, argv[0], name, sizeof name, &nlen) != napi_ok ||
      napi_get_typedarray_info(env, argv[1], NULL, &len, &data, NULL, NULL) != napi_ok || len < 4) {
    napi_throw_type_error(env, NULL, "ethtool(ifname, data): a name and a Uint8Array");
    return NULL;
  }
  uint32_t cmd, a = 0, b = 0;
  memcpy(&cmd, data, 4);
  if (len >= 12) {
    memcpy(&a, (char*)data + 4, 4);
    memcpy(&b, (char*)data + 8, 4);
  }
  size_t need;
  switch (cmd) {
    case ETHTOOL_GDRVINFO: need = sizeof(struct ethtool_drvinfo); break;
    // sset_mask (u64 at 8) selects the sets; one u32 count each comes back after it.
    case ETHTOOL_GSSET_INFO: {
      uint64_t mask = 0;
      if (len >= 16) memcpy(&mask, (char*)data + 8, 8);
      need = 16 + 4 * (size_t)__builtin_popcountll(mask);
      break;
    }
    case ETHTOOL_GSTRINGS: need = 12 + (size_t)b * ETH_GSTRING_LEN; break;  // b: len (count of strings)
    case ETHTOOL_GSTATS: need = 8 + (size_t)a * 8; break;                   // a: n_stats
    default:
      return throw_errno(env, "ioctl", EINVAL);
  }
  if (len < need) return throw_errno(env, "ioctl", EINVAL);
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  memcpy(ifr.ifr_name, name, nlen < IFNAMSIZ ? nlen : IFNAMSIZ - 1);
  ifr.ifr_data = data;
  if (ioctl(s->fd, SIOCETHTOOL, &ifr) < 0) return throw_errno(env, "ioctl", errno);
  return NULL;
}

// ---- device ioctls (ip tuntap, ip maddr): the calls rtnetlink has no message for ----
//
// deviceIoctl(nspath|null, target, [[request, Uint8Array | number], ...]) -> [errno, index]
// Opens `target` ("tun": /dev/net/tun; "inet": an AF_INET datagram socket) inside the
// namespace (on a short-lived thread, like sockets: a tun device and an ifreq's name belong to
// the namespace of the opener), runs the ioctls in order on that fd with each buffer as the
// argument (the kernel's answer is written back into it), and closes it. Stops at the first
// failure: [errno, its index]; [0, -1] when all succeeded. The buffers are the callers' layout
// (struct ifreq, an int): nothing here knows a request's meaning.

#define MAX_IOCTLS 8

typedef struct {
  const char* nspath;
  int tun;
  int n;
  unsigned long req[MAX_IOCTLS];
  void* arg[MAX_IOCTLS];      // a buffer, or NULL: pass `value` itself
  unsigned long value[MAX_IOCTLS];
  int err;
  int failed;
} ioctl_job;

static void do_ioctls(ioctl_job* job) {
  const char* syscall;
  if (job->nspath && (job->err = enter_netns(job->nspath, &syscall)) != 0) return;
  int fd = job->tun ? open("/dev/net/tun", O_RDWR | O_CLOEXEC) : socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    job->err = errno;
    return;
  }
  for (int i = 0; i < job->n; i++) {
    // Some requests take their argument by value (TUNSETPERSIST, TUNSETOWNER: an unsigned long).
    long r = job->arg[i] ? ioctl(fd, job->req[i], job->arg[i]) : ioctl(fd, job->req[i], job->value[i]);
    if (r < 0) {
      job->err = errno;
      job->failed = i;
      break;
    }
  }
  close(fd);
}

static void* ioctl_thread(void* arg) {
  do_ioctls((ioctl_job*)arg);
  return NULL;
}

static napi_value nl_device_ioctl(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 3) {
    napi_throw_type_error(env, NULL, "deviceIoctl(nspath, target, ops)");
    return NULL;
  }
  char path[4096], target[8];
  int have_path = 0;
  napi_valuetype t;
  napi_typeof(env, argv[0], &t);
  if (t == napi_string) {
    size_t n;
    if (napi_get_value_string_utf8(env, argv[0], path, sizeof path, &n) != napi_ok || n >= sizeof path - 1) {
      napi_throw_type_error(env, NULL, "namespace path too long");
      return NULL;
    }
    have_path = 1;
  }
  size_t tn;
  if (napi_get_value_string_utf8(env, argv[1], target, sizeof target, &tn) != napi_ok ||
      (strcmp(target, "tun") != 0 && strcmp(target, "inet") != 0)) {
    napi_throw_type_error(env, NULL, "target must be \"tun\" or \"inet\"");
    return NULL;
  }
  ioctl_job job;
  memset(&job, 0, sizeof job);
  job.nspath = have_path ? path : NULL;
  job.tun = strcmp(target, "tun") == 0;
  job.failed = -1;
  uint32_t count = 0;
  if (napi_get_array_length(env, argv[2], &count) != napi_ok || count > MAX_IOCTLS) {
    napi_throw_type_error(env, NULL, "ops must be an array of at most 8 [request, Uint8Array]");
    return NULL;
  }
  job.n = (int)count;
  for (uint32_t i = 0; i < count; i++) {
    napi_value op, rv, bv;
    int64_t req, value = 0;
    void* data = NULL;
    size_t len;
    if (napi_get_element(env, argv[2], i, &op) != napi_ok || napi_get_element(env, op, 0, &rv) != napi_ok ||
        napi_get_element(env, op, 1, &bv) != napi_ok || !get_i64(env, rv, &req) ||
        (!get_bytes(env, bv, &data, &len) && !get_i64(env, bv, &value))) {
      napi_throw_type_error(env, NULL, "each op is [request, Uint8Array | number]");
      return NULL;
    }
    job.req[i] = (unsigned long)req;
    job.arg[i] = data;
    job.value[i] = (unsigned long)value;
  }
  if (have_path) {
    pthread_t th;
    int rc = pthread_create(&th, NULL, ioctl_thread, &job);
    if (rc != 0) return throw_errno(env, "pthread_create", rc);
    pthread_join(th, NULL);
  } else {
    do_ioctls(&job);
  }
  napi_value out, e, f;
  CHECK(napi_create_array_with_length(env, 2, &out));
  CHECK(napi_create_int32(env, job.err, &e));
  CHECK(napi_create_int32(env, job.failed, &f));
  CHECK(napi_set_element(env, out, 0, e));
  CHECK(napi_set_element(env, out, 1, f));
  return out;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor methods[] = {
      {"bind", NULL, nl_bind, NULL, NULL, NULL, napi_default, NULL},
      {"getsockname", NULL, nl_getsockname, NULL, NULL, NULL, napi_default, NULL},
      {"setsockopt", NULL, nl_setsockopt, NULL, NULL, NULL, napi_default, NULL},
      {"getsockopt", NULL, nl_getsockopt, NULL, NULL, NULL, napi_default, NULL},
      {"send", NULL, nl_send, NULL, NULL, NULL, napi_default, NULL},
      {"start", NULL, nl_start, NULL, NULL, NULL, napi_default, NULL},
      {"setBuffer", NULL, nl_set_buffer, NULL, NULL, NULL, napi_default, NULL},
      {"pause", NULL, nl_pause, NULL, NULL, NULL, napi_default, NULL},
      {"resume", NULL, nl_resume, NULL, NULL, NULL, napi_default, NULL},
      {"ref", NULL, nl_ref, NULL, NULL, NULL, napi_default, NULL},
      {"unref", NULL, nl_unref, NULL, NULL, NULL, napi_default, NULL},
      {"close", NULL, nl_close, NULL, NULL, NULL, napi_default, NULL},
      {"fd", NULL, nl_fd, NULL, NULL, NULL, napi_default, NULL},
      {"lastCredentials", NULL, nl_last_credentials, NULL, NULL, NULL, napi_default, NULL},
      {"peekSizes", NULL, nl_peek_sizes, NULL, NULL, NULL, napi_default, NULL},
      {"ethtool", NULL, nl_ethtool, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_value cls;
  if (napi_define_class(env, "NativeSocket", NAPI_AUTO_LENGTH, nl_construct, NULL,
                        sizeof methods / sizeof methods[0], methods, &cls) != napi_ok)
    return NULL;
  napi_set_named_property(env, exports, "NativeSocket", cls);
  napi_value fn;
  if (napi_create_function(env, "deviceIoctl", NAPI_AUTO_LENGTH, nl_device_ioctl, NULL, &fn) != napi_ok) return NULL;
  napi_set_named_property(env, exports, "deviceIoctl", fn);
  return exports;
}
