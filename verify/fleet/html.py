"""The fleet summary as one self-contained HTML page: inline CSS, a small inline script that makes
the machines table sortable by clicking a column header, no external asset of any kind. Without
JavaScript the page is complete: every machine, cause and fix is in the markup (the script only
adds sort buttons)."""

from __future__ import annotations

from html import escape

from verify.fleet.summary import COLUMNS, SPREAD_TITLES, Fleet, Machine, other_wordings

CSS = """
body{font:14px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;
margin:2em auto;max-width:80em;padding:0 1em;color:#1f2328;background:#fff}
h1{font-size:1.6em}h2{margin-top:1.6em;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;margin:.5em 0}
th,td{border:1px solid #d0d7de;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f6f8fa}th button{font:inherit;font-weight:600;border:0;background:none;
padding:0;cursor:pointer;color:inherit}th[aria-sort=ascending] button::after{content:" \\25B2"}
th[aria-sort=descending] button::after{content:" \\25BC"}
.ready{color:#1a7f37}.not-ready{color:#cf222e;font-weight:600}.warn{color:#9a6700}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.92em}
pre{background:#f6f8fa;padding:.6em;overflow:auto}article{margin-bottom:1.4em}
.headline{font-size:1.15em}td.ready,td.not-ready{white-space:nowrap}
"""

# Sorts the machines table on a header click: text compared with numeric collation (so torch
# 2.13 sorts after 2.5), each row's data-sort value first where it has one; a second click
# reverses. Rows are only moved, never rebuilt.
SCRIPT = """
(function(){
  var table=document.getElementById("machines");
  if(!table){return;}
  var heads=table.tHead.rows[0].cells;
  function key(row,i){var c=row.cells[i];return c.getAttribute("data-sort")||c.textContent.trim();}
  function sortBy(i){
    var th=heads[i];
    var dir=th.getAttribute("aria-sort")==="ascending"?"descending":"ascending";
    for(var j=0;j<heads.length;j++){heads[j].removeAttribute("aria-sort");}
    th.setAttribute("aria-sort",dir);
    var body=table.tBodies[0];
    var rows=Array.prototype.slice.call(body.rows);
    rows.sort(function(a,b){
      var r=key(a,i).localeCompare(key(b,i),undefined,{numeric:true,sensitivity:"base"});
      return dir==="ascending"?r:-r;
    });
    rows.forEach(function(r){body.appendChild(r);});
  }
  Array.prototype.forEach.call(heads,function(th,i){
    var b=document.createElement("button");
    b.type="button";b.textContent=th.textContent;b.title="sort by "+th.textContent;
    b.addEventListener("click",function(){sortBy(i);});
    th.textContent="";th.appendChild(b);
  });
})();
"""


def _cells(m: Machine) -> list[tuple[str, str | None, str | None]]:
    """(text, data-sort, class) per column."""
    verdict = "ready" if m.ready else "not ready"
    failing = m.first_failing or ("warnings: " + ", ".join(m.warned) if m.warned else "")
    return [
        (m.name, None, None),
        (m.short_id, m.host_id, None),
        (m.chip, None, None),
        (m.os, None, None),
        (f"{m.python} {m.arch}", None, None),
        (m.torch, None, None),
        (m.device, None, None),
        (verdict, "1" if m.ready else "0", "ready" if m.ready else "not-ready"),
        (failing, None, "warn" if not m.first_failing and m.warned else None),
    ]


def _row(m: Machine) -> str:
    tds = []
    for text, sort, cls in _cells(m):
        attrs = ""
        if sort is not None:
            attrs += f' data-sort="{escape(sort)}"'
        if cls:
            attrs += f' class="{cls}"'
        tds.append(f"<td{attrs}>{escape(text)}</td>")
    return f'<tr data-machine="{escape(m.name)}">' + "".join(tds) + "</tr>"


def render(fleet: Fleet) -> str:
    word = "ready" if fleet.all_ready else "not ready"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Fleet summary: {escape(fleet.headline())}</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>Fleet summary</h1>",
        f'<p class="headline"><strong class="{"ready" if fleet.all_ready else "not-ready"}">'
        f"{escape(word.upper())}</strong>: {escape(fleet.headline())}.</p>",
        f"<p>Made {escape(fleet.created.isoformat(timespec='seconds'))} by "
        "<code>python -m verify fleet</code>.</p>",
    ]
    if fleet.causes:  # what to fix first, linked to each cause below
        parts.append('<ul id="cause-index">')
        for i, c in enumerate(fleet.causes):
            status = "FAIL" if c.status == "fail" else "WARN"
            parts.append(
                f'<li><a href="#cause-{i}">{status} <code>{escape(c.check_id)}</code></a>: '
                f"{c.count} machine{'s' if c.count != 1 else ''}</li>"
            )
        parts.append("</ul>")
    if fleet.machines:
        parts.append('<h2 id="machines-title">Machines</h2>')
        parts.append('<table id="machines" aria-labelledby="machines-title"><thead><tr>')
        parts += [f'<th scope="col">{escape(c)}</th>' for c in COLUMNS]
        parts.append("</tr></thead><tbody>")
        parts += [_row(m) for m in fleet.machines]
        parts.append("</tbody></table>")
    if fleet.causes:
        parts.append('<h2>Causes and fixes</h2><div id="causes">')
        for i, c in enumerate(fleet.causes):
            status = "FAIL" if c.status == "fail" else "WARN"
            plural = "s" if c.count != 1 else ""
            parts.append(f'<article class="cause" id="cause-{i}">')
            parts.append(
                f"<h3>{status} <code>{escape(c.check_id)}</code>: {c.count} machine{plural}</h3>"
            )
            parts.append(
                '<p class="machines">Machines: '
                + ", ".join(f"<span>{escape(n)}</span>" for n in c.machines)
                + "</p>"
            )
            parts.append(
                f'<p class="cause-text"><strong>Cause:</strong> {escape(c.cause)}'
                f"{escape(other_wordings(c))}</p>"
            )
            parts.append(f'<p class="fix"><strong>Fix:</strong> {escape(c.fix)}</p>')
            if c.commands:
                commands = "\n".join(escape(cmd) for cmd in c.commands)
                parts.append(f'<pre class="commands"><code>{commands}</code></pre>')
            if c.url:
                parts.append(f'<p>See <a href="{escape(c.url)}">{escape(c.url)}</a></p>')
            parts.append("</article>")
        parts.append("</div>")
    if fleet.machines:
        parts.append('<h2>Versions across the fleet</h2><table id="spread"><thead><tr>')
        parts.append('<th scope="col">what</th><th scope="col">values (machines)</th>')
        parts.append("</tr></thead><tbody>")
        for key, values in fleet.spread.items():
            text = ", ".join(f"{v} ({n})" for v, n in values)
            parts.append(
                f'<tr><th scope="row">{SPREAD_TITLES[key]}</th><td>{escape(text)}</td></tr>'
            )
        parts.append("</tbody></table>")
    if fleet.bad:
        parts.append('<h2>Inputs that could not be read</h2><ul id="bad-inputs">')
        parts += [
            f"<li><code>{escape(b.source)}</code>: {escape(b.reason)}</li>" for b in fleet.bad
        ]
        parts.append("</ul>")
    if fleet.superseded:
        parts.append(
            f"<p>{len(fleet.superseded)} older report(s) of the same environment left out.</p>"
        )
    parts.append(f"<script>{SCRIPT}</script>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
