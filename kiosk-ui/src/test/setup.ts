import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// findBy*/waitFor give up after 1 s by default, which a loaded 2-core runner can exceed while rendering;
// a wait that succeeds still returns as soon as its condition holds.
configure({ asyncUtilTimeout: 10_000 });

afterEach(() => cleanup());
