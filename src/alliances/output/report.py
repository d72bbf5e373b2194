"""`alliances check`'s report, as text or JSON."""

from __future__ import annotations


def report_text(report: dict) -> str:
    from .render import clean

    c = report["counts"]
    lines = [clean(f"{p['file']}:{p['line']}: {p['message']}" if p["line"]
                   else f"{p['file']}: {p['message']}") for p in report["problems"]]
    lines += [clean(f"note: {name}: a temporary file left by an interrupted write (the next "
                    "write there removes it, or delete it)")
              for name in report.get("leftovers", ())]
    verdict = "ok" if report["ok"] else f"{c['problems']} problem(s)"
    lines.append(clean(f"checked {report['data']}: {c['facts']} facts ({c['statements']} "
                       f"statements), {c['sources']} sources, {c['quotes_verified']} of "
                       f"{c['quotes']} quotes verified: {verdict}"))
    return "\n".join(lines) + "\n"


def report_json(report: dict) -> str:
    from .render import to_json

    return to_json(report) + "\n"
