// Where the package is installed, found from any module of it (compiled or bundled).
import { fs, path, url } from './builtins.js';

/** The directory holding nlkit's package.json, walking up from `moduleUrl`. */
export function packageRoot(moduleUrl: string): string {
  let dir = path.dirname(url.fileURLToPath(moduleUrl));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'binding.gyp'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`nlkit: cannot find the package root above ${moduleUrl}`);
    dir = up;
  }
}
