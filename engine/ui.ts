/**
 * The engine's read-only run list: recent runs (status, function, event, times, next wake-up) and
 * one run's steps with their outputs and errors, as HTML for a developer and as JSON for scripts.
 */
import type { App, Engine, Run, StepInfo } from "./engine";

function esc(s: unknown): string {
  return String(s ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

function time(ms: number | null | undefined): string {
  return ms ? new Date(ms).toISOString().replace("T", " ").replace("Z", "") : "";
}

function preview(v: unknown, max = 400): string {
  if (v === undefined) return "";
  const s = typeof v === "string" ? v : JSON.stringify(v);
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

export function runSummary(engine: Engine, r: Run) {
  return {
    id: r.id,
    functionId: r.fnId,
    appId: r.appId,
    status: r.status,
    event: { name: r.event.name, id: r.event.id },
    createdAt: r.createdAt,
    startedAt: r.startedAt ?? null,
    endedAt: r.endedAt ?? null,
    nextWakeAt: engine.nextWake(r.id),
    calls: r.calls,
    steps: r.stack.length,
    error: r.error?.message ?? null,
  };
}

export function orderedSteps(r: Run): StepInfo[] {
  const done = r.stack.map((id) => r.stepLog[id]).filter(Boolean);
  const rest = Object.values(r.stepLog).filter((s) => !r.stack.includes(s.id));
  return [...done, ...rest];
}

export function runDetail(engine: Engine, r: Run) {
  return {
    ...runSummary(engine, r),
    event: r.event,
    output: r.output ?? null,
    errorDetail: r.error ?? null,
    steps: orderedSteps(r),
    history: r.history,
  };
}

const STYLE = `body{font:14px system-ui,sans-serif;margin:24px;color:#111}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:6px 8px;text-align:left;vertical-align:top}th{background:#f5f5f5}
.completed{color:#067d3b}.failed{color:#b00020}.running,.queued{color:#0b5cad}.waiting{color:#8a5a00}.cancelled{color:#666}
code,pre{font:12px ui-monospace,monospace;white-space:pre-wrap;word-break:break-all;margin:0}.muted{color:#666}`;

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

function appsTable(apps: ReturnType<Engine["listApps"]>): string {
  if (apps.length === 0) return `<p class="muted">No app synced yet.</p>`;
  return apps
    .map((a: App & { functions: { id: string; name: string; triggers: unknown[]; nextCron?: number }[] }) => {
      const fns = a.functions
        .map(
          (f) =>
            `<tr><td><a href="/?fn=${encodeURIComponent(f.id)}">${esc(f.id)}</a></td><td><code>${esc(JSON.stringify(f.triggers))}</code></td><td>${esc(time(f.nextCron))}</td></tr>`,
        )
        .join("");
      return `<h3>${esc(a.id)} <span class="muted">${esc(a.url)} · ${a.reachable ? "reachable" : "not reachable"} · synced ${esc(time(a.syncedAt))}</span></h3>
${a.error ? `<p class="failed">${esc(a.error)}</p>` : ""}
<table><tr><th>function</th><th>triggers</th><th>next cron tick (UTC)</th></tr>${fns}</table>`;
    })
    .join("");
}

export function runListHtml(engine: Engine, filter: { status?: string; fnId?: string }): string {
  const runs = engine.listRuns({ ...filter, limit: 200 });
  const c = engine.counts();
  const rows = runs
    .map((r) => {
      const s = runSummary(engine, r);
      return `<tr><td><a href="/runs/${esc(r.id)}">${esc(r.id)}</a></td><td>${esc(r.fnId)}</td><td class="${r.status}">${r.status}</td>
<td>${esc(r.event.name)}<br><span class="muted">${esc(r.event.id)}</span></td><td>${esc(time(r.createdAt))}</td><td>${esc(time(r.endedAt))}</td>
<td>${esc(time(s.nextWakeAt))}</td><td>${s.steps}</td><td class="failed">${esc(s.error ?? "")}</td></tr>`;
    })
    .join("");
  const counts = Object.entries(c)
    .map(([k, v]) => `<a href="/?status=${k}" class="${k}">${k} ${v}</a>`)
    .join(" · ");
  return page(
    "Local engine: runs",
    `<h1>Local Inngest engine</h1><p class="muted">Read-only. JSON: <a href="/runs.json">/runs.json</a>, <a href="/apps.json">/apps.json</a>. Times in UTC.</p>
<h2>Apps</h2>${appsTable(engine.listApps())}
<h2>Runs</h2><p>${counts} · <a href="/">all</a></p>
<table><tr><th>run</th><th>function</th><th>status</th><th>event</th><th>started</th><th>ended</th><th>next wake-up</th><th>steps</th><th>error</th></tr>${rows}</table>`,
  );
}

export function runHtml(engine: Engine, r: Run): string {
  const d = runDetail(engine, r);
  const steps = d.steps
    .map(
      (
        s,
      ) => `<tr><td>${esc(s.name)}<br><span class="muted">${esc(s.id)}</span></td><td>${esc(s.op)}</td><td class="${s.status === "failed" ? "failed" : s.status === "completed" ? "completed" : "running"}">${esc(s.status)}</td>
<td>${s.attempts}</td><td><pre>${esc(preview(s.output))}</pre></td><td><pre class="failed">${esc(s.error ? `${s.error.name}: ${s.error.message}` : "")}</pre></td><td>${esc(time(s.wakeAt))}</td></tr>`,
    )
    .join("");
  const history = r.history.map((h) => `<tr><td>${esc(time(h.at))}</td><td>${esc(h.msg)}</td></tr>`).join("");
  return page(
    `Run ${r.id}`,
    `<p><a href="/">← runs</a> · <a href="/runs/${esc(r.id)}.json">JSON</a></p><h1>${esc(r.fnId)}</h1>
<p>Run <code>${esc(r.id)}</code> · <span class="${r.status}">${r.status}</span> · started ${esc(time(r.createdAt))}${r.endedAt ? ` · ended ${esc(time(r.endedAt))}` : ""}${d.nextWakeAt ? ` · next wake-up ${esc(time(d.nextWakeAt))}` : ""}</p>
<h2>Event</h2><pre>${esc(JSON.stringify(r.event, null, 2))}</pre>
<h2>Steps</h2><table><tr><th>step</th><th>op</th><th>status</th><th>attempts</th><th>output</th><th>error</th><th>wakes</th></tr>${steps}</table>
${r.output !== undefined ? `<h2>Output</h2><pre>${esc(preview(r.output, 4000))}</pre>` : ""}
${r.error ? `<h2>Error</h2><pre class="failed">${esc(`${r.error.name}: ${r.error.message}\n${r.error.stack ?? ""}`)}</pre>` : ""}
<h2>History</h2><table>${history}</table>`,
  );
}
