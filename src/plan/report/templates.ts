// eta templates of the review report. Kept as modules so that the build ships them with the code.

export const MARKDOWN_TEMPLATE = `## bosun plan — environment \`<%~ it.plan.environment %>\`

<%~ it.summary %>

| environment | cluster | changed | unchanged | errors |
| --- | --- | ---: | ---: | ---: |
<% for (const c of it.clusters) { %>| <%~ it.plan.environment %> | <%~ c.cluster %> | <%~ c.changed %> | <%~ c.unchanged %> | <%~ c.errors %> |
<% } %>
<% for (const g of it.groups) { %>
### <%~ g.release %> (\`<%~ g.namespace %>\`) — <%~ g.action %>

<% if (g.clusters.length > 1) { %>Same change on <%~ g.clusters.length %> clusters: <%~ it.codeList(g.clusters) %>.<% } else { %>Cluster \`<%~ g.clusters[0] %>\`.<% } %>

<% if (g.target.error) { %>**error:** <%~ g.target.error %>

<% } %><% if (g.target.recordStatus) { %>- last release record is **<%~ g.target.recordStatus %>**
<% } %><% if (g.target.chartChange) { %>- chart version <%~ g.target.chartChange.from || '(none)' %> → <%~ g.target.chartChange.to %>
<% } %><% if (g.target.valuesChanged.length) { %>- values changed: <%~ it.codeList(g.target.valuesChanged) %>
<% } %><% for (const h of g.target.hooks) { %>- hook <%~ h.op %>: \`<%~ h.path %>\`
<% } %><% if (g.target.suppressed) { %>- <%~ g.target.suppressed %> change(s) suppressed
<% } %><% if (g.target.diffSuppressed && g.target.changes.length) { %>- <%~ it.diffSuppressed %>
<% } %><% for (const c of g.target.changes) { %>
<% for (const x of c.conflicts ?? []) { %>**conflict** on <%~ c.kind %> <%~ c.namespace ? c.namespace + '/' : '' %><%~ c.name %>: \`<%~ x.field %>\` is managed by \`<%~ x.manager %>\`<%~ it.conflictHint %>

<% } %><details><summary><%~ it.mark[c.op] %> <%~ c.kind %> <%~ c.namespace ? c.namespace + '/' : '' %><%~ c.name %><% if (c.secretKeys) { %> (secret keys changed: <%~ [...c.secretKeys.added, ...c.secretKeys.changed, ...c.secretKeys.removed].join(', ') || 'none' %>; values masked)<% } %><% if (c.suppressedLines) { %> (<%~ it.linesNote(c) %>)<% } %></summary>
<% if (c.diff) { %>
\`\`\`diff
<%~ it.fenced(c.diff) %>\`\`\`
<% } %>
</details>
<% } %>
<% } %>`;

export const HTML_TEMPLATE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bosun plan — <%= it.plan.environment %></title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;max-width:70em}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}
pre{background:#f6f8fa;padding:.6em;overflow:auto}.conflict{color:#cf222e}.add{color:#1a7f37}.del{color:#cf222e}.hunk{color:#8250df}
</style></head><body>
<h1>bosun plan — environment <code><%= it.plan.environment %></code></h1>
<p><%= it.summary %></p>
<table><thead><tr><th>environment</th><th>cluster</th><th>changed</th><th>unchanged</th><th>errors</th></tr></thead><tbody>
<% for (const c of it.clusters) { %><tr><td><%= it.plan.environment %></td><td><%= c.cluster %></td><td><%= c.changed %></td><td><%= c.unchanged %></td><td><%= c.errors %></td></tr>
<% } %></tbody></table>
<% for (const g of it.groups) { %>
<h2><%= g.release %> (<code><%= g.namespace %></code>) — <%= g.action %></h2>
<p><% if (g.clusters.length > 1) { %>Same change on <%= g.clusters.length %> clusters: <%= g.clusters.join(', ') %>.<% } else { %>Cluster <code><%= g.clusters[0] %></code>.<% } %></p>
<% if (g.target.error) { %><p><strong>error:</strong> <%= g.target.error %></p><% } %>
<ul><% if (g.target.recordStatus) { %><li>last release record is <strong><%= g.target.recordStatus %></strong></li><% } %>
<% if (g.target.chartChange) { %><li>chart version <%= g.target.chartChange.from || '(none)' %> → <%= g.target.chartChange.to %></li><% } %>
<% if (g.target.valuesChanged.length) { %><li>values changed: <%= g.target.valuesChanged.join(', ') %></li><% } %>
<% for (const h of g.target.hooks) { %><li>hook <%= h.op %>: <code><%= h.path %></code></li><% } %>
<% if (g.target.suppressed) { %><li><%= g.target.suppressed %> change(s) suppressed</li><% } %>
<% if (g.target.diffSuppressed && g.target.changes.length) { %><li><%= it.diffSuppressed %></li><% } %></ul>
<% for (const c of g.target.changes) { %>
<% for (const x of c.conflicts ?? []) { %><p class="conflict"><strong>conflict</strong> on <%= c.kind %> <%= c.namespace ? c.namespace + '/' : '' %><%= c.name %>: <code><%= x.field %></code> is managed by <code><%= x.manager %></code><%= it.conflictHint %></p>
<% } %><details><summary><%= it.mark[c.op] %> <%= c.kind %> <%= c.namespace ? c.namespace + '/' : '' %><%= c.name %><% if (c.secretKeys) { %> (secret keys changed: <%= [...c.secretKeys.added, ...c.secretKeys.changed, ...c.secretKeys.removed].join(', ') %>; values masked)<% } %><% if (c.suppressedLines) { %> (<%= it.linesNote(c) %>)<% } %></summary>
<% if (c.diff) { %><pre><% for (const line of it.lines(c.diff)) { %><span class="<%= line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : line.startsWith('@@') ? 'hunk' : '' %>"><%= line %></span>
<% } %></pre><% } %></details>
<% } %>
<% } %>
</body></html>
`;
