// A full garbage collection on request, at the few moments when a large block of memory has just become garbage (a
// key set's arrays replaced by twice larger ones, the key sets at the end of an import): V8 would otherwise keep both
// until its next full collection, and the process's peak memory (≤ 200 MB for any import) would hold them twice.
// Where the engine refuses to expose it, nothing happens.
import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | undefined | null = null;

/** Collect garbage now (tens of milliseconds on the importing thread's heap). */
export function releaseMemory(): void {
  if (gc === null) {
    try {
      v8.setFlagsFromString('--expose-gc');
      gc = vm.runInNewContext('gc') as () => void;
    } catch {
      gc = undefined;
    }
  }
  gc?.();
}
