import { parseNodeId } from '../paging/global-id.js';

/**
 * Relay global ids without the usual `base64(Type:id)` wrapping: an Instance's id stays the
 * Alibaba instance ID (frontends and the federated graph already use it), and a Backup's id is
 * the self-describing token from `encodeBackupId`, which no instance ID can look like.
 */
export function encodeNodeId(_typename: string, id: string | number | bigint): string {
  return String(id);
}

/** Tells an instance ID from a Backup id; anything else decodes to a type no node has. */
export function decodeNodeId(globalId: string): { typename: string; id: string } {
  const parsed = parseNodeId(globalId);
  if (parsed.kind === 'Invalid') {
    return { typename: 'Invalid', id: globalId };
  }

  return { typename: parsed.kind, id: globalId };
}
