"""The year grid as an Excel workbook (XLSX), for the school management's approval.

Sheet 1 (``Jaarplanning``) holds the grid as the page shows it: a row per pupil grouped by
class, a column per calendar week (holiday weeks narrow, with the holiday's name), cells with
the phase letter and module short name on the phase's colour, the average workplace hours and
the contract margin at the end (red where the contract is missed). Sheet 2 is the legend.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from api.web.grid import CSS, Group, columns, legend
from scheduler.i18n import tr
from scheduler.model.scenario import Scenario
from scheduler.plan import Plan

FILLS = {
    "ph-t": "56B4E9",
    "ph-s": "E69F00",
    "ph-c": "009E73",
    "ph-e": "0072B2",
    "ph-o": "F0E442",
    "ph-a": "D55E00",
    "hol": "D9D9D9",
}
"""The page's colour-blind-safe palette (Okabe-Ito), by CSS class."""
WHITE_TEXT = {"ph-e"}
FIRST_WEEK_COLUMN = 4
"""Columns A-C: class, pupil id, name."""


def grid_workbook(scenario: Scenario, plan: Plan, groups: list[Group]) -> bytes:
    """The workbook of the grid ``groups`` (as :func:`api.web.grid.build_grid` makes them)."""
    wb = Workbook()
    ws = wb.active
    ws.title = tr(nl="Jaarplanning", en="Year plan")
    cols = columns(scenario)
    bold = Font(bold=True)
    ws.cell(1, 1, f"{scenario.meta.name} ({scenario.school_year})").font = Font(bold=True, size=13)
    ws.cell(1, 4, tr(nl=f"status: {plan.status}", en=f"status: {plan.status}"))
    header = 2
    for i, title in enumerate(
        (tr(nl="klas", en="class"), tr(nl="leerling", en="pupil"), tr(nl="naam", en="name"))
    ):
        ws.cell(header, 1 + i, title).font = bold
    for j, col in enumerate(cols):
        cell = ws.cell(header, FIRST_WEEK_COLUMN + j, col.holiday or col.monday)
        cell.font = bold
        cell.alignment = Alignment(text_rotation=90 if col.holiday else 0, horizontal="center")
        if not col.holiday:
            cell.number_format = "d/m"
        letter = get_column_letter(FIRST_WEEK_COLUMN + j)
        ws.column_dimensions[letter].width = 3 if col.holiday else 7
    end = FIRST_WEEK_COLUMN + len(cols)
    ws.cell(header, end, tr(nl="werkplek u/week", en="workplace h/week")).font = bold
    ws.cell(header, end + 1, tr(nl="marge", en="margin")).font = bold
    ws.cell(header, end + 2, tr(nl="contract", en="contract")).font = bold
    fills = {css: PatternFill("solid", fgColor=rgb) for css, rgb in FILLS.items()}
    white = Font(color="FFFFFF")
    red = Font(color="C00000", bold=True)
    r = header + 1
    for group in groups:
        for row in group.rows:
            ws.cell(r, 1, group.label)
            ws.cell(r, 2, row.pupil)
            ws.cell(r, 3, row.name)
            for j, c in enumerate(row.cells):
                cell = ws.cell(r, FIRST_WEEK_COLUMN + j, c.text.replace("\u00a0", " ") or None)
                if c.css in fills:
                    cell.fill = fills[c.css]
                if c.css in WHITE_TEXT:
                    cell.font = white
            ws.cell(r, end, row.average)
            margin = ws.cell(r, end + 1, row.margin)
            if row.short:
                margin.font = red
            ws.cell(r, end + 2, row.contract.upper() if row.contract == "oao" else row.contract)
            r += 1
    ws.freeze_panes = ws.cell(header + 1, FIRST_WEEK_COLUMN)
    ws.column_dimensions["C"].width = 22
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    key = wb.create_sheet(tr(nl="Legende", en="Legend"))
    for i, (css, letter, name) in enumerate(legend(), start=1):
        cell = key.cell(i, 1, letter)
        cell.fill = fills[css]
        if css in WHITE_TEXT:
            cell.font = white
        key.cell(i, 2, name)
    n = len(CSS) + 2
    key.cell(n, 1, "\u2713")
    key.cell(n, 2, tr(nl="praktijktoets (bezoek leerkracht)", en="practice test (teacher visit)"))
    key.cell(n + 1, 1).fill = fills["hol"]
    key.cell(n + 1, 2, tr(nl="vakantie", en="holiday"))
    key.cell(n + 2, 2, tr(
        nl="marge in het rood: OAO onder 20 u/week of stage op of boven 20 u/week",
        en="margin in red: OAO below 20 h/week or internship at or above 20 h/week",
    ))  # fmt: skip
    key.column_dimensions["B"].width = 40
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
