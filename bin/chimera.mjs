#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so there is no build step between a checkout
// and a running system.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
