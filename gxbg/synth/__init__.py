"""Synthetic reports with consistent figures, for tests, demos and benchmarks."""

from gxbg.synth.writer import LAYOUTS, ReportData, random_report, render, request_rows

__all__ = ["LAYOUTS", "ReportData", "random_report", "render", "request_rows"]
