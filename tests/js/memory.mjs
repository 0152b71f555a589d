// The response cache keeps to its budget (--cache-mb): the optimised server is run twice
// over the same database and the same churn of distinct pages, with the cache off (the
// baseline: SQLite's page cache, the threads' arenas, everything but the cache) and with
// a budget well below what the churn would fill; the second may hold at most a quarter
// more than its budget beyond the first. Resident memory is RssAnon from /proc (the
// database file's mapped pages are the kernel's to drop). Usage:
//   node tests/js/memory.mjs NEWSDESK_BINARY WORK_DIR [POSTS] [BUDGET_MB] [ROUNDS]
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const [bin, dir, posts = '3000', budgetArg = '32', roundsArg = '2'] = process.argv.slice(2);
const budget = Number(budgetArg), rounds = Number(roundsArg);
const db = path.join(dir, 'memory.db');
fs.mkdirSync(dir, { recursive: true });
for (const f of fs.readdirSync(dir)) if (f.startsWith('memory.db')) fs.rmSync(path.join(dir, f));
execFileSync(bin, ['demo', '--db', db, '--posts', posts], { stdio: ['ignore', 'ignore', 'inherit'] });
const slugs = execFileSync('sqlite3', [db, "SELECT slug FROM posts WHERE status = 'published'"],
                           { encoding: 'utf8', maxBuffer: 1 << 28 }).trim().split('\n');

function serve(cacheMb) {
  return new Promise((resolve, reject) => {
    const p = spawn(bin, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--cache-mb', String(cacheMb),
                          '--access-log', '/dev/null', '--threads', process.env.THREADS || '1'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => {
      out += d;
      const m = /serving http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) resolve({ p, port: Number(m[1]) });
    });
    p.on('exit', (code) => reject(new Error(`the server exited (${code}) before listening`)));
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
function get(port, p) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: p, agent, headers: { 'accept-encoding': 'br, gzip' } },
             (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); }).on('error', reject);
  });
}

function rssKiB(pid) {
  const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('RssAnon:'));
  return Number(line.split(/\s+/)[1]);
}

async function churn(cacheMb) {
  const { p, port } = await serve(cacheMb);
  try {
    for (let r = 0; r < rounds; r++)
      for (let i = 0; i < slugs.length; i += 2) {
        const [a, b] = await Promise.all([get(port, `/${slugs[i]}/`), get(port, `/${slugs[(i + 1) % slugs.length]}/`)]);
        if (a !== 200 || b !== 200) throw new Error(`/${slugs[i]}/ answered ${a}, ${b}`);
      }
    return rssKiB(p.pid);
  } finally {
    p.kill('SIGTERM');
    await new Promise((r) => p.on('exit', r));
  }
}

const base = await churn(0);
const cached = await churn(budget);
const over = (cached - base) / 1024, bound = budget * 1.25;
console.log(`memory: ${slugs.length} pages x ${rounds}; cache off ${(base / 1024).toFixed(1)} MiB, ` +
            `--cache-mb ${budget} ${(cached / 1024).toFixed(1)} MiB: ${over.toFixed(1)} MiB for the cache ` +
            `(bound ${bound.toFixed(1)} MiB)`);
agent.destroy();
if (over > bound) {
  console.error(`memory.mjs: the cache holds ${over.toFixed(1)} MiB, over 1.25 x its ${budget} MiB budget`);
  process.exit(1);
}
