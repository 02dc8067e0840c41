import * as z from 'zod/mini';
import { en } from 'zod/locales';

/**
 * Every schema of Storyline is written with zod's functional API (`import * as z from 'zod/mini'`),
 * which a bundler can tree-shake: zod's classic, method-chaining API is about 90 KB in every Lambda
 * bundle, whatever a handler uses of it. `zod/mini` leaves zod's English messages out; importing this
 * module (as ./development does, which every schema builds on) puts them back.
 * Never re-export the `z` namespace: an escaping namespace keeps all of zod in the bundle.
 */
z.config(en());
