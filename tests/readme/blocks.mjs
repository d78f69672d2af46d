// Writes each ```bash block of a Markdown file to its own file and prints "NAME<TAB>path" per block,
// in order. NAME comes from the comment line just above the block: <!-- readme-test: NAME ... -->.
// A block without one is printed as "unnamed-N", which run.sh refuses.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [markdown, folder] = process.argv.slice(2);
const lines = readFileSync(markdown, 'utf8').split('\n');
let index = 0;
for (let i = 0; i < lines.length; i++) {
  if (lines[i].trim() !== '```bash') continue;
  const end = lines.findIndex((line, j) => j > i && line.trim() === '```');
  if (end < 0) throw new Error(`unclosed block at line ${i + 1}`);
  const marker = /<!--\s*readme-test:\s*([a-z-]+)/.exec(lines[i - 1] ?? '');
  index++;
  const name = marker ? marker[1] : `unnamed-${index}`;
  const file = join(folder, `${String(index).padStart(2, '0')}-${name}.sh`);
  writeFileSync(file, lines.slice(i + 1, end).join('\n') + '\n');
  console.log(`${name}\t${file}`);
}
