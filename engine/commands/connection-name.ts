// clientSetName (src/networking.c), shared by CLIENT SETNAME and HELLO SETNAME.

import type { Client } from '../client';
import { E } from '../errors';
import { fail } from './args';

/** An empty name clears it; bytes outside '!'..'~' are refused (CLIENT LIST must stay splittable). */
export function setClientName(c: Client, name: string): void {
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    if (ch < 33 || ch > 126) fail(E.CLIENT_NAME_INVALID);
  }
  c.name = name;
}
