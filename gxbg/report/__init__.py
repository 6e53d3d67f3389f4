"""Report layer: documents -> parsed Report objects (meta, tidy frames, narrative, layout notes)."""

from gxbg.report.model import LayoutNote, Narrative, Report
from gxbg.report.parser import ParseError, parse_document, parse_file, parse_text

__all__ = ["LayoutNote", "Narrative", "ParseError", "Report", "parse_document", "parse_file", "parse_text"]
