"""The report page's stylesheet, inlined into every page so the file stands alone."""

from __future__ import annotations

COLORS = {
    "caller": "#2f6fdf",
    "agent": "#2e9d5b",
    "filler": "#e0a526",
    "tool": "#8250df",
    "failed": "#d1242f",
    "barge_in": "#d1242f",
    "ignored": "#8c959f",
    "error": "#d1242f",
    "action": "#0a7ea4",
    "end": "#24292f",
}
"""One colour per kind of thing on the timeline; the browser test looks for some of them."""

CSS = """
* { box-sizing: border-box; }
body { font: 14px/1.4 system-ui, sans-serif; color: #24292f; margin: 24px; background: #fff; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 24px 0 8px; }
#summary { color: #57606a; margin: 0; }
#recording audio { width: 100%; max-width: 720px; }
.scroll { overflow-x: auto; border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 0; }
.lane { display: flex; align-items: center; height: 34px; }
.lane-name { flex: 0 0 72px; padding-left: 8px; color: #57606a; font-size: 12px; }
.track { position: relative; height: 26px; flex: 0 0 auto; }
.axis .track { height: 18px; border-bottom: 1px solid #d0d7de; }
.tick { position: absolute; top: 0; font-size: 11px; color: #57606a;
  border-left: 1px solid #d0d7de; padding-left: 2px; height: 18px; }
.span { position: absolute; top: 2px; height: 22px; min-width: 6px; border-radius: 3px;
  color: #fff; font-size: 12px; line-height: 22px; padding: 0 4px; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; }
.span.point { width: 6px; padding: 0; }
.span.cut { border-right: 3px solid #24292f; }
.span.open { opacity: 0.55; }
.mark { position: absolute; top: -2px; width: 3px; height: 30px; }
.mark-label { position: absolute; top: 4px; left: 6px; font-size: 11px; white-space: nowrap;
  color: #24292f; }
table { border-collapse: collapse; width: 100%; max-width: 1100px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eaeef2;
  vertical-align: top; }
th { font-weight: 600; color: #57606a; }
td.num { font-variant-numeric: tabular-nums; text-align: right; white-space: nowrap; }
tbody.turn > tr:first-child > td { border-top: 2px solid #d0d7de; }
td.who { white-space: nowrap; font-weight: 600; }
td.note { color: #57606a; font-size: 12px; }
pre { margin: 4px 0; padding: 6px 8px; background: #f6f8fa; border-radius: 4px;
  white-space: pre-wrap; word-break: break-word; font-size: 12px; }
.legend span { display: inline-block; margin-right: 12px; font-size: 12px; }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px;
  margin-right: 4px; vertical-align: -1px; }
"""
"""Layout and typography; the colours of the kinds come from `COLORS` (`kind_css`)."""


def kind_css() -> str:
    """Per kind: the colour of its spans, marks and legend swatch, and of its transcript rows'
    speaker (rows carry the same `data-kind`, so the rules are scoped by class)."""
    rules = [
        f'.span[data-kind="{kind}"], .mark[data-kind="{kind}"], .legend i.{kind} '
        f"{{ background: {color}; }}\n"
        f'tr[data-kind="{kind}"] td.who {{ color: {color}; }}'
        for kind, color in COLORS.items()
    ]
    rules.append(f'.span[data-ok="false"] {{ background: {COLORS["failed"]}; }}')
    rules.append(f".span.ignored {{ background: {COLORS['ignored']}; }}")
    return "\n".join(rules)
