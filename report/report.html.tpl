{{%AUTOESCAPE context="HTML"}}<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="liitos {{VERSION}}">
<title>liitos journal report {{PERIOD_LABEL}}</title>
<style>
:root { --ink: #1d232a; --muted: #5b6570; --line: #d5dbe1; --intake: #2f6fb0; --delivery: #3f9a5a; --pending: #c0562b; --bad: #a3261b; --good: #24703a; }
* { box-sizing: border-box; }
body { font: 14px/1.45 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: var(--ink); margin: 0 auto; padding: 24px 32px 48px; max-width: 1180px; background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--ink); }
h3 { font-size: 15px; margin: 20px 0 6px; }
p.sub { color: var(--muted); margin: 0 0 16px; }
nav ol { margin: 8px 0 0; padding-left: 20px; columns: 2; }
dl.identity { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dl.identity dt { color: var(--muted); }
dl.identity dd { margin: 0; }
code, .hash, .id { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 12px; overflow-wrap: anywhere; }
.ok { color: var(--good); font-weight: bold; }
.bad { color: var(--bad); font-weight: bold; }
.note { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #f1f4f7; font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.n, td.label { white-space: nowrap; }
tr.total td { font-weight: bold; border-top: 2px solid var(--ink); }
td.detail { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 11px; overflow-wrap: anywhere; }
.summary { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 8px; margin: 8px 0; }
.summary div { border: 1px solid var(--line); border-radius: 4px; padding: 6px 10px; }
.summary b { display: block; font-size: 20px; }
figure { margin: 8px 0; }
figcaption { color: var(--muted); font-size: 12px; }
svg.chart { width: 100%; height: auto; border: 1px solid var(--line); }
svg text { font: 11px "DejaVu Sans", Arial, sans-serif; fill: var(--ink); }
.legend span { display: inline-block; margin-right: 18px; }
.swatch { display: inline-block; width: 12px; height: 12px; vertical-align: -1px; margin-right: 4px; }
section.story { border-left: 3px solid var(--line); padding-left: 12px; margin: 18px 0; }
a { color: #1f5c99; }
@media print {
  body { padding: 0; max-width: none; font-size: 11px; }
  nav, .screen-only { display: none; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; }
  table { font-size: 10px; }
  thead { display: table-header-group; }
  tr, figure, section.story, .summary div { break-inside: avoid; }
  #stories { break-before: page; }
  @page { size: A4 landscape; margin: 12mm; }
}
</style>
</head>
<body>
<header>
<h1>Transfer journal report</h1>
<p class="sub">{{PERIOD_LABEL}}{{#SOURCE_FILTER}} · source <b>{{SOURCE}}</b>{{/SOURCE_FILTER}} · written {{WRITTEN_AT}} by liitos {{VERSION}} · times are Helsinki time with their UTC offset</p>
</header>
<nav class="screen-only" aria-label="Contents">
<b>Contents</b>
<ol>
<li><a href="#journal">The journal and its verification</a></li>
<li><a href="#summary">The period in figures</a></li>
<li><a href="#timeline">Timeline</a></li>
<li><a href="#days">Per {{BUCKET_UNIT}}</a></li>
<li><a href="#parties">Per source and destination</a></li>
<li><a href="#quarantined">Quarantined files ({{QUARANTINED_TOTAL}})</a></li>
<li><a href="#failed">Failed batches ({{FAILED_TOTAL}})</a></li>
<li><a href="#rejections">Rejected by the receiver ({{REJECTIONS_TOTAL}})</a></li>
<li><a href="#hostkeys">Host key refusals ({{HOSTKEYS_TOTAL}})</a></li>
<li><a href="#config">Configuration changes ({{CONFIG_TOTAL}})</a></li>
<li><a href="#stories">Stories</a></li>
</ol>
</nav>

<h2 id="journal">The journal and its verification</h2>
<dl class="identity">
<dt>Journal</dt><dd><code>{{JOURNAL_PATH}}</code></dd>
<dt>Events</dt><dd>{{EVENTS}} in all; first <b>{{FIRST_SEQ}}</b> at {{FIRST_TIME}}, last <b>{{LAST_SEQ}}</b> at {{LAST_TIME}}</dd>
<dt>Head hash</dt><dd><span class="hash" id="head-hash">{{HEAD_HASH}}</span></dd>
<dt>Hash chain</dt><dd>{{#VERIFY_OK}}<span class="ok">intact</span> — every one of {{VERIFIED_EVENTS}} events recomputed{{/VERIFY_OK}}{{#VERIFY_BAD}}<span class="bad">TAMPERED</span> — event {{BAD_SEQ}}: {{WHY}}{{/VERIFY_BAD}}</dd>
<dt>Checkpoints</dt><dd>{{#CHECKPOINTS_OK}}<span class="ok">valid</span> — {{CHECKED}} signed {{CHECKPOINT_NOUN}} in <code>{{CHECKPOINT_DIR}}</code> still on the chain; the latest covers event {{LATEST_SEQ}} ({{LATEST_TIME}}){{#UNCOVERED}}; {{UNCOVERED_EVENTS}} later {{EVENT_NOUN}} covered by no checkpoint yet{{/UNCOVERED}}{{#AFTER_COPY}}; {{AFTER_COPY_COUNT}} later checkpoints are of events after this copy ends{{/AFTER_COPY}}{{/CHECKPOINTS_OK}}{{#CHECKPOINTS_BAD}}<span class="bad">NOT VALID</span> — {{PROBLEM_COUNT}} of the checkpoints in <code>{{CHECKPOINT_DIR}}</code> do not hold:<ul>{{#PROBLEM}}<li>{{TEXT}}</li>{{/PROBLEM}}</ul>{{/CHECKPOINTS_BAD}}{{#CHECKPOINTS_NONE}}<span class="note">not checked: {{WHY}}</span>{{/CHECKPOINTS_NONE}}</dd>
<dt>Key fingerprint</dt><dd>{{#KEY}}<span class="hash">{{FINGERPRINT}}</span>{{/KEY}}{{#NO_KEY}}<span class="note">—</span>{{/NO_KEY}}</dd>
</dl>

<h2 id="summary">The period in figures</h2>
<div class="summary">
{{#FIGURE}}<div>{{LABEL}}<b>{{VALUE}}</b></div>
{{/FIGURE}}</div>
<p>Oldest update still pending at the end of the period: <b>{{OLDEST_PENDING_END}}</b>.</p>

<h2 id="timeline">Timeline</h2>
<figure>
<svg class="chart" id="timeline-chart" viewBox="0 0 {{CHART_W}} {{CHART_H}}" role="img" aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">
<title id="chart-title">Records accepted and delivered per {{BUCKET_UNIT}}, and the age of the oldest pending update</title>
<desc id="chart-desc">Bars: records accepted (intake) and delivered per {{BUCKET_UNIT}}, left axis up to {{Y_MAX}}. Line: the age in hours of the oldest update still pending at the end of each {{BUCKET_UNIT}}, right axis up to {{AGE_MAX}}.</desc>
<rect x="0" y="0" width="{{CHART_W}}" height="{{CHART_H}}" fill="#ffffff"/>
{{#YTICK}}<line x1="{{X1}}" x2="{{X2}}" y1="{{Y}}" y2="{{Y}}" stroke="#d5dbe1" stroke-width="1"/><text x="{{LX}}" y="{{TY}}" text-anchor="end">{{LABEL}}</text><text x="{{RX}}" y="{{TY}}" text-anchor="start" fill="#c0562b">{{AGE_LABEL}}</text>
{{/YTICK}}{{#BAR}}<rect class="intake" x="{{IX}}" y="{{IY}}" width="{{W}}" height="{{IH}}" fill="#2f6fb0"><title>{{LABEL}}: {{INTAKE}} accepted</title></rect><rect class="delivery" x="{{DX}}" y="{{DY}}" width="{{W}}" height="{{DH}}" fill="#3f9a5a"><title>{{LABEL}}: {{DELIVERED}} delivered</title></rect>
{{/BAR}}{{#XLABEL}}<text x="{{X}}" y="{{Y}}" text-anchor="middle">{{LABEL}}</text>
{{/XLABEL}}{{#PENDING_LINE}}<polyline points="{{POINTS}}" fill="none" stroke="#c0562b" stroke-width="2"/>
{{/PENDING_LINE}}<line x1="{{PLOT_X0}}" x2="{{PLOT_X1}}" y1="{{PLOT_Y0}}" y2="{{PLOT_Y0}}" stroke="#1d232a" stroke-width="1"/>
<text x="{{PLOT_X0}}" y="14" text-anchor="start">records</text><text x="{{PLOT_X1}}" y="14" text-anchor="end" fill="#c0562b">oldest pending, hours</text>
</svg>
<figcaption class="legend"><span><i class="swatch" style="background:#2f6fb0"></i>accepted (intake)</span><span><i class="swatch" style="background:#3f9a5a"></i>delivered</span><span><i class="swatch" style="background:#c0562b"></i>age of the oldest pending update at the end of each {{BUCKET_UNIT}}</span></figcaption>
</figure>

<h2 id="days">Per {{BUCKET_UNIT}}</h2>
<table>
<thead><tr><th>{{BUCKET_HEADING}}</th><th class="n">files received</th><th class="n">quarantined</th><th class="n">records accepted</th><th class="n">duplicates</th><th class="n">rejected</th><th class="n">delivered</th><th class="n">rejected by receiver</th><th class="n">batches delivered</th><th class="n">batches failed</th><th class="n">oldest pending at end</th></tr></thead>
<tbody>
{{#DAY}}<tr{{#TOTAL_ROW}} class="total"{{/TOTAL_ROW}}><td class="label">{{LABEL}}</td><td class="n">{{FILES}}</td><td class="n">{{QUARANTINED}}</td><td class="n">{{ACCEPTED}}</td><td class="n">{{DUPLICATES}}</td><td class="n">{{REJECTED}}</td><td class="n">{{DELIVERED}}</td><td class="n">{{RECEIVER_REJECTED}}</td><td class="n">{{BATCHES_DELIVERED}}</td><td class="n">{{BATCHES_FAILED}}</td><td class="n">{{OLDEST_PENDING}}</td></tr>
{{/DAY}}</tbody>
</table>

<h2 id="parties">Per source and destination</h2>
<h3>Sources</h3>
<table>
<thead><tr><th>source</th><th class="n">files received</th><th class="n">quarantined</th><th class="n">records accepted</th><th class="n">duplicates</th><th class="n">rejected</th></tr></thead>
<tbody>
{{#SOURCE_ROW}}<tr><td>{{NAME}}</td><td class="n">{{FILES}}</td><td class="n">{{QUARANTINED}}</td><td class="n">{{ACCEPTED}}</td><td class="n">{{DUPLICATES}}</td><td class="n">{{REJECTED}}</td></tr>
{{/SOURCE_ROW}}{{#NO_SOURCES}}<tr><td colspan="6" class="note">no files in the period</td></tr>{{/NO_SOURCES}}
</tbody>
</table>
<h3>Destinations</h3>
<table>
<thead><tr><th>destination</th><th class="n">records delivered</th><th class="n">rejected by receiver</th><th class="n">batches delivered</th><th class="n">batches failed</th></tr></thead>
<tbody>
{{#DEST_ROW}}<tr><td>{{NAME}}</td><td class="n">{{DELIVERED}}</td><td class="n">{{RECEIVER_REJECTED}}</td><td class="n">{{BATCHES_DELIVERED}}</td><td class="n">{{BATCHES_FAILED}}</td></tr>
{{/DEST_ROW}}{{#NO_DESTINATIONS}}<tr><td colspan="5" class="note">no deliveries in the period</td></tr>{{/NO_DESTINATIONS}}
</tbody>
</table>
{{#SOURCE_FILTER}}<p class="note">Filtered by source: batches carry updates of many sources, so they are not counted here; the updates of {{SOURCE}} delivered and rejected are counted one by one.</p>{{/SOURCE_FILTER}}

{{#NOTABLE}}<h2 id="{{ANCHOR}}">{{TITLE}}</h2>
<p class="note">{{TOTAL}} in the period{{#CAPPED}}; the first {{SHOWN}} are listed (all of them: <code>{{COMMAND}}</code>){{/CAPPED}}.</p>
{{#HAS_ROWS}}<table>
<thead><tr><th>time</th>{{#HEAD}}<th>{{TEXT}}</th>{{/HEAD}}<th>story</th></tr></thead>
<tbody>
{{#ROW}}<tr id="row-{{SEQ}}"><td>{{TIME}}</td>{{#CELL}}<td{{#MONO}} class="id"{{/MONO}}>{{TEXT}}</td>{{/CELL}}<td><a href="#story-{{SEQ}}">story of event {{SEQ}}</a></td></tr>
{{/ROW}}</tbody>
</table>{{/HAS_ROWS}}
{{/NOTABLE}}

<h2 id="stories">Stories</h2>
<p class="note">Each story is what <code>liitos journal trace</code> tells of the file, batch or update concerned, kept to that one thing.</p>
{{#STORY}}<section class="story" id="story-{{SEQ}}">
<h3>{{TITLE}}</h3>
<table>
<thead><tr><th class="n">seq</th><th>time</th><th>kind</th><th>concerns</th><th>detail</th></tr></thead>
<tbody>
{{#EVENT}}<tr><td class="n">{{SEQ}}</td><td>{{TIME}}</td><td>{{KIND}}</td><td class="id">{{CONCERNS}}</td><td class="detail">{{DETAIL}}</td></tr>
{{/EVENT}}</tbody>
</table>
{{#TRUNCATED}}<p class="note">More events concern it: <code>{{COMMAND}}</code></p>{{/TRUNCATED}}
<p class="screen-only"><a href="#row-{{SEQ}}">back to the table</a></p>
</section>
{{/STORY}}{{#NO_STORIES}}<p class="note">Nothing in the period needed a story.</p>{{/NO_STORIES}}
<footer><p class="note">Head hash at the time of writing: <span class="hash">{{HEAD_HASH}}</span></p></footer>
</body>
</html>
