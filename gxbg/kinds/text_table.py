"""text_table: a count stated in the narrative equals a table cell, or a sum of cells.

Rules name table `facts` (one frame row per statement, located at its source line). Every statement
of kind `fact` is compared with the sum of the cells `rows` x `columns` of table `of` in the same
report, blanks as 0 (NA, not assessed, when none of those cells has a value). A blank cell of
`columns` is first computed from its row's `fill_from` cells: real reports leave 总计 blank on the
result rows and print only the applicant cells (shanghai-bangongting-2019).

Only exact statements are compared: approximations ("1.2万余条") and numbers inside 《》 are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass

from gxbg.codes import NARRATIVE_SECTIONS
from gxbg.kinds.base import Kind, Ref, failure_frame
from gxbg.kinds.cells import cells_sum, differs

CELL_TABLES = ("requests", "appeals", "active")


@dataclass(frozen=True)
class Params:
    fact: str  # a fact kind: a row code of table facts
    of: str  # the table compared with
    rows: list[str]
    columns: list[str]
    fill_from: list[str] | None = None  # columns of `of` that make up a blank cell of `columns`
    sections: list[str] | None = None  # narrative sections whose statements count; all when omitted


class TextTable(Kind):
    name = "text_table"
    Params = Params
    tables = ("facts",)
    extra_fields = ("statement",)  # the sentence part the number was read from

    def references(self, p, table):
        refs = [Ref("fact", table, "row")]
        if p.of in CELL_TABLES:
            refs += [Ref("rows", p.of, "row"), Ref("columns", p.of, "column"), Ref("fill_from", p.of, "column")]
        return refs

    def problems(self, p):
        out = []
        if p.of not in CELL_TABLES:
            out.append(("of", f"of must be one of {', '.join(CELL_TABLES)}"))
        for section in p.sections or []:
            if section not in NARRATIVE_SECTIONS:
                out.append(("sections", f"unknown section '{section}' (sections: {', '.join(NARRATIVE_SECTIONS)})"))
        return out

    def targets(self, p, table):
        return ["value"]

    def reads(self, p, target):
        return ["value", "scope", "section", "text", *self.helpers(p)]

    def helpers(self, p):
        name = f"_cells_{p.of}_{'+'.join(p.rows)}_{'+'.join(p.columns)}_{'+'.join(p.fill_from or [])}"

        def cells(frames):
            return cells_sum(frames[p.of], p.rows, p.columns, p.fill_from)

        return {name: cells}

    def failures(self, frame, p, target):
        (name,) = self.helpers(p)
        chosen = (frame["row"] == p.fact) & frame["scope"].isna()
        if p.sections:
            chosen &= frame["section"].isin(p.sections)
        chosen = chosen.fillna(False).astype(bool)
        stated, table = frame["value"].astype("Float64"), frame[name].astype("Float64")
        bad = chosen & differs(stated, table)
        return failure_frame(stated[bad], table[bad]).assign(statement=frame["text"][bad])


KIND = TextTable()
