"""A report version's documents, rendered from its frozen figures only.

``document_context`` turns ``ReportVersion.figures`` into what the templates show (sentences for
a lay reader, charts as inline SVG drawn by ``core.charts`` from ``impact.charts`` specs, tables);
``render_html`` gives the HTML the web pages and the PDF share, ``render_pdf`` the PDF
(WeasyPrint: page numbers, a table of contents, the version in every page's header, tagged) and
``render_xlsx`` the workbook (a README sheet, then one sheet per table). The same figures give the
same bytes: the PDF's dates and identifier and the workbook's dates are the version's creation
time and content, never the clock.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import zipfile
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from peaceworks.core.charts import render_svg
from peaceworks.impact.analytics import Cell
from peaceworks.impact.charts import change_with_ci

#: the time written into the PDF's embedded fonts (2000-01-01): a constant, not the clock
FONT_EPOCH = "946684800"
DIMENSION_NAMES = {
    "fewer_opportunities": gettext_lazy("fewer opportunities"),
    "gender": gettext_lazy("gender"),
    "age_band": gettext_lazy("age band"),
    "year": gettext_lazy("year"),
}


def version_label(version: Any, *, language: str | None = None) -> str:
    """ "Version 2 of 1 March 2026": the header of every page of a version's documents, in
    ``language`` (the report's, for its documents) or the reader's. The date is the day the
    version was made (UTC), so equal versions get equal labels and equal document bytes."""
    with translation.override(language or translation.get_language()):
        return _("Version %(number)d of %(date)s") % {
            "number": version.number,
            "date": date_format(version.created_at.date(), "DATE_FORMAT"),
        }


def figures_hash(figures: Mapping[str, Any]) -> str:
    """The SHA-256 of the figures in a canonical form: equal figures, equal hash."""
    text = json.dumps(figures, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def number(value: float | int | None, places: int = 2, *, language: str = "en") -> str:
    """A figure as the documents write it ("—" for none); a decimal comma in French and
    Spanish."""
    if value is None:
        return "—"
    text = f"{value:.{places}f}" if places else f"{int(value)}"
    return text.replace(".", ",") if language in ("fr", "es") else text


def lay_sentence(row: Mapping[str, Any], *, language: str) -> str:
    """What one indicator's published cell says, for a reader who is not a statistician."""
    if row["suppressed"] or row["mean_change"] is None:
        return _("Fewer than 10 people answered: the figure is not published.")
    change = row["mean_change"]
    values = {
        "change": number(abs(change), 2, language=language),
        "low": number(row["ci_low"], 2, language=language),
        "high": number(row["ci_high"], 2, language=language),
        "n": number(row["n"], 0, language=language),
    }
    if change >= 0:
        text = _("On average, volunteers moved %(change)s points up a five-point scale") % values
    else:
        text = _("On average, volunteers moved %(change)s points down a five-point scale") % values
    if row["ci_low"] is not None and row["ci_high"] is not None:
        text += " " + _("(95 %% confidence interval: %(low)s to %(high)s)") % values
    if row["pct_improved"] is not None:
        text += "; " + _("%(pct)s %% improved") % {
            "pct": number(row["pct_improved"], 1, language=language)
        }
    text += " " + _("(n = %(n)s).") % values
    if row["method"] not in (None, "paired"):
        text += " " + _(
            "Before and after answers could not be paired person by person, so this compares "
            "two groups: a weaker comparison."
        )
    return text


def _as_cell(row: Mapping[str, Any], label: str) -> Cell:
    """A published row as an engine ``Cell``, for the shared chart specifications."""
    return Cell(
        indicator=label,
        key=(),
        suppressed=bool(row["suppressed"]),
        method=row["method"],
        uses_retrospective=None,
        ceiling=None,
        n=row["n"],
        n_pre=None,
        n_post=None,
        response_rate=row["response_rate"],
        pairing_rate=row["pairing_rate"],
        mean_baseline=row["mean_baseline"],
        mean_post=row["mean_post"],
        mean_change=row["mean_change"],
        ci_low=row["ci_low"],
        ci_high=row["ci_high"],
        d_z=None,
        wilcoxon_r=None,
        pct_improved=row["pct_improved"],
        pct_top2_post=None,
        mean_attribution=None,
        alpha=None,
    )


def _chart(rows: Sequence[tuple[str, Mapping[str, Any]]], title: str) -> str:
    shown = [(label, _as_cell(row, label)) for label, row in rows if not row["suppressed"]]
    if not shown:
        return ""
    return render_svg(
        change_with_ci(shown, title=title, axis=_("mean change, points on a scale of 1 to 5"))
    )


def _strip_xml(svg: str) -> str:
    return svg.split("?>", 1)[1] if svg.startswith("<?xml") else svg


def document_context(figures: Mapping[str, Any], *, charts: bool = True) -> dict[str, Any]:
    """What the document templates show, in the report's language (call inside
    ``translation.override``)."""
    language = figures["language"]

    def fmt(value: float | int | None, places: int = 2) -> str:
        return number(value, places, language=language)

    themes = []
    for theme in figures["themes"]:
        rows = [
            {
                **row,
                "sentence": lay_sentence(row, language=language),
                "cells": _cells(row, fmt),
            }
            for row in theme["indicators"]
        ]
        chart = (
            _chart(
                [(row["code"], row) for row in theme["indicators"]],
                _("Theme %(number)s: change per indicator") % {"number": theme["number"]}
                if theme["number"]
                else theme["name"],
            )
            if charts
            else ""
        )
        themes.append({**theme, "rows": rows, "chart": _strip_xml(chart)})
    breakdowns = []
    for breakdown in figures["breakdowns"]:
        name = str(DIMENSION_NAMES.get(breakdown["dimension"], breakdown["dimension"]))
        # one heading per indicator, its groups beneath: the indicator's name is written (and
        # laid out) once instead of on every row
        groups: list[dict[str, Any]] = []
        for row in breakdown["rows"]:
            if not groups or groups[-1]["indicator"] != row["indicator"]:
                groups.append(
                    {"indicator": row["indicator"], "name": row["indicator_name"], "rows": []}
                )
            groups[-1]["rows"].append({**row, "cells": _cells(row, fmt)})
        breakdowns.append({"name": name, "groups": groups})
    methods = figures["methods"]
    outputs = [
        {
            **row,
            "text": (
                _("fewer than 10")
                if row["value"] is None and row["people"]
                else fmt(row["value"], 1 if isinstance(row["value"], float) else 0)
            ),
        }
        for row in figures["outputs"]
    ]
    withdrawals = figures["withdrawals"]
    return {
        "figures": figures,
        "themes": themes,
        "breakdowns": breakdowns,
        "outputs": outputs,
        "strategy": figures["strategy"],
        "methods": methods,
        "methods_text": _methods_text(figures, fmt),
        "withdrawals_text": withdrawals_text(withdrawals),
        "summary": _summary(figures, fmt),
        # versions generated before stories and countries were collected have neither
        "stories": figures.get("stories", []),
        "countries": figures.get("countries", []),
        "floor": figures["floor"],
    }


def _cells(row: Mapping[str, Any], fmt: Any) -> list[str]:
    if row["suppressed"]:
        return [_("hidden (fewer than 10)")] + [""] * 5
    return [
        fmt(row["n"], 0),
        fmt(row["mean_baseline"]),
        fmt(row["mean_post"]),
        fmt(row["mean_change"]),
        f"{fmt(row['ci_low'])} \N{EN DASH} {fmt(row['ci_high'])}"
        if row["ci_low"] is not None
        else "—",
        fmt(row["pct_improved"], 1),
    ]


def withdrawals_text(withdrawals: Mapping[str, Any]) -> str:
    previous = withdrawals.get("previous_version")
    if previous is None:
        return ""
    if not withdrawals.get("any"):
        return _("No respondent withdrew consent since version %(version)d was published.") % {
            "version": previous
        }
    shown = withdrawals.get("shown")
    count = _("fewer than 10") if shown is None else str(shown)
    text = _(
        "Since version %(version)d was published, %(count)s respondents withdrew their consent. "
        "Their answers are not counted in this version; version %(version)d stays as it was "
        "published."
    ) % {"version": previous, "count": count}
    removed = withdrawals.get("stories_removed") or 0
    if removed:
        text += " " + ngettext(
            "%(count)d story printed in version %(version)d was removed: its author withdrew "
            "their consent.",
            "%(count)d stories printed in version %(version)d were removed: their authors "
            "withdrew their consent.",
            removed,
        ) % {"count": removed, "version": previous}
    return text


def _summary(figures: Mapping[str, Any], fmt: Any) -> list[str]:
    lines = []
    every = [row for theme in figures["themes"] for row in theme["indicators"]]
    shown = [row for row in every if not row["suppressed"] and row["mean_change"] is not None]
    improved = [row for row in shown if row["ci_low"] is not None and row["ci_low"] > 0]
    lines.append(
        _("%(shown)d of %(total)d outcome indicators have enough answers to be published.")
        % {"shown": len(shown), "total": len(every)}
    )
    if shown:
        lines.append(
            _(
                "For %(improved)d of them the average moved up and the whole 95 %% confidence "
                "interval lies above zero."
            )
            % {"improved": len(improved)}
        )
        best = max(shown, key=lambda row: row["mean_change"])
        lines.append(
            _("The largest average change: %(name)s, %(change)s points.")
            % {"name": best["name"], "change": fmt(best["mean_change"])}
        )
    outputs = {row["key"]: row["value"] for row in figures["outputs"]}
    lines.append(
        _("%(activities)s activities in %(countries)s countries.")
        % {
            "activities": fmt(outputs.get("activities"), 0),
            "countries": fmt(outputs.get("hosting_countries"), 0),
        }
    )
    return lines


def _methods_text(figures: Mapping[str, Any], fmt: Any) -> list[str]:
    methods = figures["methods"]
    lines = [
        _(
            "Volunteers answered the same questions, on a five-point agreement scale, before and "
            "after their activity. %(paired)d published indicators compare the same people "
            "before and after (paired by a pseudonymous matching code); %(unpaired)d compare "
            "everyone who answered before with everyone who answered after."
        )
        % {"paired": methods["paired"], "unpaired": methods["unpaired"]}
    ]
    if methods["n_range"]:
        low, high = methods["n_range"]
        lines.append(
            _("Each published figure rests on %(low)s to %(high)s people.")
            % {"low": fmt(low, 0), "high": fmt(high, 0)}
        )
    if methods["response_rate_range"]:
        low, high = methods["response_rate_range"]
        lines.append(
            _(
                "Response rates (answers after the activity per registered volunteer): "
                "%(low)s %% to %(high)s %%."
            )
            % {"low": fmt(low, 1), "high": fmt(high, 1)}
        )
    if methods["pairing_rate_range"]:
        low, high = methods["pairing_rate_range"]
        lines.append(
            _(
                "Pairing rates (answers after the activity with an answer before): "
                "%(low)s %% to %(high)s %%."
            )
            % {"low": fmt(low, 1), "high": fmt(high, 1)}
        )
    lines.append(
        _(
            "Small numbers are hidden: a figure resting on fewer than %(floor)d people is not "
            "published, and where the hidden figure could be worked out from a total and the "
            "figures beside it, a second figure is hidden too."
        )
        % {"floor": figures["floor"]}
    )
    lines.append(
        _(
            "The 95 %% confidence interval is the range in which the true average change most "
            "likely lies; when it includes zero, the change may be chance."
        )
    )
    lines.append(
        _(
            "What the numbers can claim: how the volunteers who answered saw themselves before "
            "and after. What they cannot claim: that the activity caused the change. There is "
            "no control group of people who did not take part, and the answers are what people "
            "say of themselves."
        )
    )
    return lines


# Rendering ---------------------------------------------------------------------------------


def render_html(
    figures: Mapping[str, Any], *, version_label: str, created_at: datetime, change_note: str = ""
) -> str:
    """The whole document as one HTML page (what the PDF is printed from)."""
    with translation.override(figures["language"]):
        context = document_context(figures)
        return render_to_string(
            "reports/document.html",
            {
                **context,
                "version_label": version_label,
                "created": created_at.replace(microsecond=0).isoformat(),
                "language": figures["language"],
                "change_note": change_note,
            },
        )


def render_pdf(html: str, *, identifier: str) -> bytes:
    """The PDF of ``html`` (tagged; the identifier fixed, so equal HTML gives equal bytes)."""
    from weasyprint import HTML

    # the embedded font subsets carry a "modified" time, which fontTools takes from here
    # when it is set (reproducible builds) and from the clock otherwise
    os.environ.setdefault("SOURCE_DATE_EPOCH", FONT_EPOCH)
    data = HTML(string=html).write_pdf(
        pdf_tags=True, pdf_identifier=identifier.encode()[:32], uncompressed_pdf=False
    )
    if data is None:  # only when writing to a target, which this never does
        raise RuntimeError("WeasyPrint returned no PDF")
    return bytes(data)


README_ROWS = (
    gettext_lazy("This workbook holds every table of the report, one sheet per table."),
    gettext_lazy("Figures resting on fewer than 10 people are hidden (empty, marked hidden)."),
    # xgettext:no-python-format
    gettext_lazy("Mean change is on a five-point agreement scale; CI is the 95 % interval."),
)


def render_xlsx(figures: Mapping[str, Any], *, version_label: str, created_at: datetime) -> bytes:
    """The workbook: README, then Indicators, one sheet per breakdown, Outputs, Stories,
    Strategy."""
    from openpyxl import Workbook

    with translation.override(figures["language"]):
        book = Workbook()
        readme = book.worksheets[0]
        readme.title = "README"
        readme.append([figures["title"]])
        readme.append([figures["campaign"]["name"], figures["scope_label"]])
        readme.append([version_label, figures["created_at"]])
        readme.append([])
        for row in README_ROWS:
            readme.append([str(row)])
        for line in _methods_text(figures, lambda value, places=2: number(value, places)):
            readme.append([line])
        headers = [
            _("theme"),
            _("indicator"),
            _("name"),
            "n",
            _("mean before"),
            _("mean after"),
            _("mean change"),
            _("CI low"),
            _("CI high"),
            # xgettext:no-python-format
            _("% improved"),
            _("method"),
            _("hidden"),
        ]
        sheet = book.create_sheet("Indicators")
        sheet.append(headers)
        for theme in figures["themes"]:
            for row in theme["indicators"]:
                sheet.append([theme["number"], row["code"], row["name"], *_stat_cells(row)])
        for breakdown in figures["breakdowns"]:
            sheet = book.create_sheet(f"By {breakdown['dimension']}"[:31])
            sheet.append([_("group"), *headers[1:]])
            for row in breakdown["rows"]:
                sheet.append(
                    [row["label"], row["indicator"], row["indicator_name"], *_stat_cells(row)]
                )
        sheet = book.create_sheet("Outputs")
        sheet.append([_("output"), _("label"), _("value")])
        for row in figures["outputs"]:
            value = row["value"]
            sheet.append(
                [
                    row["key"],
                    row["label"],
                    _("fewer than 10") if value is None and row["people"] else value,
                ]
            )
        sheet = book.create_sheet("Stories")
        sheet.append([_("country"), _("themes"), _("story")])
        for story in figures.get("stories", []):
            sheet.append([story["country_name"], "; ".join(story["themes"]), story["text"]])
        sheet = book.create_sheet("Strategy")
        sheet.append([_("plan"), _("goal"), _("title"), _("progress (%)"), _("actions")])
        for plan in figures["strategy"]:
            sheet.append([plan["title"], "", plan["years"], plan["progress"], plan["actions"]])
            for goal in plan["goals"]:
                sheet.append(
                    [
                        plan["title"],
                        goal["number"],
                        goal["title"],
                        goal["progress"],
                        goal["actions"],
                    ]
                )
        stamp = created_at.replace(tzinfo=None, microsecond=0)
        book.properties.created = stamp
        book.properties.modified = stamp
        book.properties.creator = "Peaceworks"
        book.properties.title = figures["title"]
        buffer = io.BytesIO()
        book.save(buffer)
    return _fixed_zip(buffer.getvalue(), stamp)


def _stat_cells(row: Mapping[str, Any]) -> list[object]:
    return [
        row["n"],
        row["mean_baseline"],
        row["mean_post"],
        row["mean_change"],
        row["ci_low"],
        row["ci_high"],
        row["pct_improved"],
        row["method"] or "",
        "hidden" if row["suppressed"] else "",
    ]


def _fixed_zip(data: bytes, stamp: datetime) -> bytes:
    """The workbook's zip again with every entry dated ``stamp`` (the same figures, the same
    bytes)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    when = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=when)
            entry.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" on saving
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>",
                    content,
                )
            target.writestr(entry, content)
    return out.getvalue()
