import { normalizePath } from '../snapshot/paths.js';

/** containerd's default gRPC socket. */
export const DEFAULT_CONTAINERD_SOCKET = '/run/containerd/containerd.sock';

/**
 * Normalise a CRI endpoint for comparison: a scheme-less path is a unix socket
 * (kubelet and crictl accept it with a deprecation warning), and `/var/run` is
 * the same directory as `/run` on every systemd host. Non-unix endpoints
 * (tcp://, npipe://) are returned as written.
 */
export function normalizeEndpoint(endpoint: string): string {
  const trimmed = endpoint.trim();
  let path: string;
  if (trimmed.startsWith('unix://')) path = trimmed.slice('unix://'.length);
  else if (trimmed.startsWith('/')) path = trimmed;
  else return trimmed;
  let n = normalizePath(path);
  if (n === '/var/run' || n.startsWith('/var/run/')) n = n.slice('/var'.length);
  return `unix://${n}`;
}

/** Whether two CRI endpoints name the same socket. */
export function sameEndpoint(a: string, b: string): boolean {
  return normalizeEndpoint(a) === normalizeEndpoint(b);
}
