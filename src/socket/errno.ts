import { os } from '../builtins.js';

const names = new Map<number, string>();
for (const [name, value] of Object.entries(os.constants.errno)) {
  if (!names.has(value)) names.set(value, name);
}
// Linux aliases that os.constants lists first under another name.
names.set(os.constants.errno.EAGAIN, 'EAGAIN');
names.set(os.constants.errno.ENOTSUP, 'EOPNOTSUPP');

/** The symbolic name of a positive errno value, e.g. 17 -> 'EEXIST'. */
export function errnoName(errno: number): string {
  return names.get(errno) ?? `E${errno}`;
}

/** The errno value for a symbolic name, e.g. 'ENOENT' -> 2. */
export function errnoValue(name: string): number | undefined {
  return (os.constants.errno as Record<string, number>)[name];
}

const messages: Record<string, string> = {
  EPERM: 'Operation not permitted', ENOENT: 'No such file or directory', ESRCH: 'No such process',
  EINTR: 'Interrupted system call', EIO: 'Input/output error', ENXIO: 'No such device or address',
  E2BIG: 'Argument list too long', EBADF: 'Bad file descriptor', EAGAIN: 'Resource temporarily unavailable',
  ENOMEM: 'Cannot allocate memory', EACCES: 'Permission denied', EFAULT: 'Bad address', EBUSY: 'Device or resource busy',
  EEXIST: 'File exists', EXDEV: 'Invalid cross-device link', ENODEV: 'No such device', ENOTDIR: 'Not a directory',
  EINVAL: 'Invalid argument', ENFILE: 'Too many open files in system', EMFILE: 'Too many open files',
  ENOSPC: 'No space left on device', ERANGE: 'Numerical result out of range', EDOM: 'Numerical argument out of domain',
  EMSGSIZE: 'Message too long', EPROTONOSUPPORT: 'Protocol not supported', EOPNOTSUPP: 'Operation not supported',
  EAFNOSUPPORT: 'Address family not supported by protocol', EADDRINUSE: 'Address already in use',
  EADDRNOTAVAIL: 'Cannot assign requested address', ENETDOWN: 'Network is down', ENETUNREACH: 'Network is unreachable',
  ENOBUFS: 'No buffer space available', ECONNREFUSED: 'Connection refused', EHOSTUNREACH: 'No route to host',
  ENOTSUP: 'Operation not supported', ENODATA: 'No data available', ENOTEMPTY: 'Directory not empty',
  ELOOP: 'Too many levels of symbolic links', ENAMETOOLONG: 'File name too long', ESOCKTNOSUPPORT: 'Socket type not supported',
  ENOTCONN: 'Transport endpoint is not connected', ETIMEDOUT: 'Connection timed out', ENOPROTOOPT: 'Protocol not available',
  ENOTUNIQ: 'Name not unique on network',
};

/** strerror(3)'s text for an errno value, as iproute2 prints it. */
export function errnoMessage(errno: number): string {
  const name = errnoName(errno);
  return messages[name] ?? `Unknown error ${errno}`;
}
