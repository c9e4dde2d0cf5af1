// The dashboard's script (served as /class/dashboard.js): listens to the class server's event stream and draws
// the students × tasks table. Every student string (a name, a re-check's message) goes in with textContent,
// never as markup, so whatever a student typed is shown as the characters it is.
// @ts-check

const data = JSON.parse(/** @type {HTMLElement} */ (document.getElementById('dashboard-data')).textContent ?? '{}');
const t = data.strings;
/** @type {{kind: string, id: string, title: string, version: number | null}[]} */
const tasks = data.tasks;

/** @param {string} text @param {Record<string, string | number>} vars */
function fill(text, vars) {
  return text.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/**
 * learner id → { name, cells: kind:task → row }
 * @type {Map<string, {name: string, cells: Map<string, any>}>}
 */
const students = new Map();
let recheckMode = 'on';
let recheckDown = /** @type {string | null} */ (null);
let results = 0;

/** @param {any} row */
function keep(row) {
  let s = students.get(row.learner);
  if (!s) {
    s = { name: row.name, cells: new Map() };
    students.set(row.learner, s);
  }
  const key = `${row.kind}:${row.task}`;
  const old = s.cells.get(key);
  if (!old || old.seq <= row.seq) {
    if (!old) results += 1;
    s.cells.set(key, row);
    s.name = row.name;
  }
}

/** @param {any} row */
function statusOf(row) {
  // Without re-checks (turned off, or the runtime missing), a cell shows the page's claim, and the line above the
  // table says it is only a claim.
  if (recheckMode === 'off' || (recheckDown && !row.recheck)) return row.claimed;
  return row.recheck ?? 'pending';
}

/** @param {any} row @param {{version: number | null} | undefined} task */
function flagsOf(row, task) {
  /** @type {{text: string, serious: boolean, kind: string}[]} */
  const flags = [];
  if (row.recheck && row.recheck !== 'unchecked' && row.recheck !== row.claimed) flags.push({ kind: 'claim', serious: true, text: fill(t.claimDiffers, { claimed: t.status[row.claimed] ?? row.claimed }) });
  if (row.kind === 'exercise' && task && task.version !== null && row.version !== task.version) flags.push({ kind: 'outdated', serious: true, text: fill(t.outdated, { old: row.version, now: task.version }) });
  if (row.solutionShown) flags.push({ kind: 'solution', serious: false, text: t.solutionShown });
  if (row.hintsUsed > 0) flags.push({ kind: 'hints', serious: false, text: fill(t.hintsUsed, { n: row.hintsUsed }) });
  if (row.tries > 1) flags.push({ kind: 'tries', serious: false, text: fill(t.tries, { n: row.tries }) });
  if (row.recheck === 'unchecked' && row.recheckDetail) flags.push({ kind: 'unchecked', serious: false, text: fill(t.noteUnchecked, { why: row.recheckDetail }) });
  else if (row.recheck && row.recheckDetail) flags.push({ kind: 'detail', serious: false, text: fill(t.recheckSaid, { why: row.recheckDetail }) });
  return flags;
}

function columns() {
  const cols = tasks.map((x) => ({ ...x }));
  const seen = new Set(cols.map((c) => `${c.kind}:${c.id}`));
  for (const s of students.values()) {
    for (const row of s.cells.values()) {
      const key = `${row.kind}:${row.task}`;
      if (!seen.has(key)) {
        seen.add(key);
        cols.push({ kind: row.kind, id: row.task, title: row.kind === 'lab' ? `${t.lab} ${row.task}` : row.task, version: null });
      }
    }
  }
  return cols;
}

/** A header cell of the table, its text set as text. @param {'col' | 'row'} scope @param {string} text */
function headerCell(scope, text) {
  const th = document.createElement('th');
  th.scope = scope;
  th.textContent = text;
  return th;
}

function render() {
  const table = /** @type {HTMLTableElement} */ (byId('results'));
  const cols = columns();
  const head = document.createElement('tr');
  head.append(headerCell('col', t.student));
  for (const c of cols) {
    const th = headerCell('col', c.title);
    th.dataset.task = `${c.kind}:${c.id}`;
    head.append(th);
  }
  /** @type {HTMLElement} */ (table.tHead).replaceChildren(head);
  const body = document.createDocumentFragment();
  const ordered = [...students.entries()].sort((a, b) => a[1].name.localeCompare(b[1].name, data.lang) || a[0].localeCompare(b[0]));
  for (const [learner, s] of ordered) {
    const tr = document.createElement('tr');
    tr.dataset.learner = learner;
    tr.append(headerCell('row', s.name));
    for (const c of cols) {
      const td = document.createElement('td');
      const row = s.cells.get(`${c.kind}:${c.id}`);
      td.dataset.task = `${c.kind}:${c.id}`;
      if (row) {
        const status = statusOf(row);
        td.dataset.status = status;
        const line = document.createElement('span');
        line.textContent = t.status[status] ?? status;
        td.append(line);
        const flags = flagsOf(row, c);
        if (flags.length) {
          td.dataset.flagged = String(flags.some((f) => f.serious));
          td.dataset.flags = flags.map((f) => f.kind).join(' ');
          const ul = document.createElement('ul');
          ul.className = 'flags';
          for (const f of flags) {
            const li = document.createElement('li');
            li.textContent = f.text;
            ul.append(li);
          }
          td.append(ul);
        }
      }
      tr.append(td);
    }
    body.append(tr);
  }
  /** @type {HTMLElement} */ (table.tBodies[0]).replaceChildren(body);
  byId('empty').hidden = students.size > 0;
  byId('counts').textContent = fill(t.counts, { students: students.size, submissions: results });
  byId('recheck-status').textContent = recheckMode === 'off' ? t.recheckOff : recheckDown ? fill(t.recheckDown, { why: recheckDown }) : '';
}

/** @param {any} row */
function announce(row) {
  const col = tasks.find((x) => x.kind === row.kind && x.id === row.task);
  const status = statusOf(row);
  byId('announce').textContent = fill(t.announce, { name: row.name, task: col ? col.title : row.task, status: t.status[status] ?? status });
}

function connect() {
  const events = new EventSource('/class/api/events');
  events.addEventListener('open', () => {
    byId('live-status').textContent = t.live;
    document.body.dataset.live = 'true';
  });
  events.addEventListener('error', () => {
    byId('live-status').textContent = t.reconnecting;
    document.body.dataset.live = 'false';
  });
  events.addEventListener('state', (e) => {
    const state = JSON.parse(/** @type {MessageEvent} */ (e).data);
    students.clear();
    results = 0;
    recheckMode = state.recheck.mode;
    recheckDown = state.recheck.down;
    for (const row of state.rows) keep(row);
    render();
    document.body.dataset.seq = String(state.seq);
  });
  events.addEventListener('entry', (e) => {
    const row = JSON.parse(/** @type {MessageEvent} */ (e).data);
    keep(row);
    render();
    announce(row);
    document.body.dataset.seq = String(Math.max(Number(document.body.dataset.seq ?? 0), row.seq));
  });
  events.addEventListener('recheck', (e) => {
    const state = JSON.parse(/** @type {MessageEvent} */ (e).data);
    recheckMode = state.mode;
    recheckDown = state.down;
    render();
  });
}

byId('copy-link').addEventListener('click', async () => {
  const input = /** @type {HTMLInputElement} */ (byId('student-link'));
  const button = byId('copy-link');
  try {
    await navigator.clipboard.writeText(input.value);
  } catch {
    input.select();
  }
  button.textContent = t.copied;
});

render();
connect();
